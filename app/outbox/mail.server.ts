// The mail outbox: mails are queued as OutboxMail rows by whoever writes them (reminders and weekly summaries,
// app/reports/reminders.server.ts) and sent from here by the job queue's `outbox.deliver` (or `npm run reminders`)
// through SMTP_URL. Each mail has a key — recipient, kind, period — unique in the database and inserted with ON
// CONFLICT DO NOTHING: a double click, two cron runs or two instances at once queue one mail. Sending knows nothing
// of what a mail is about, so a new kind of mail needs no change here.
import nodemailer from 'nodemailer'
import { db } from '#app/db.server.ts'
import { getEnv } from '#app/env.server.ts'

/** A mail is tried at most this many times; app/jobs/retention.server.ts later deletes those that never went. */
export const MAIL_MAX_ATTEMPTS = 5
/** After a failed attempt the mail waits 5, 10, 20, 40 minutes; a claimed mail is not picked again for 5 minutes. */
const BACKOFF_MS = 5 * 60_000
const CLAIM_MS = 5 * 60_000
// nodemailer's own defaults (2 minutes to connect, 10 minutes of a silent socket) would let one mail outlive its run.
const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 }
/**
 * A run stops claiming mails after this long; the rest wait for the next minute's run. With the SMTP timeouts above a
 * run ends within DELIVERY_BUDGET_MS + 100 s, inside OUTBOX_JOB_EXPIRE_SECONDS: the queue runs one delivery at a time,
 * and a node killed in the middle of one held it for 15 minutes when the job was allowed that long (issue 21).
 * Now it holds the queue at most OUTBOX_JOB_EXPIRE_SECONDS and the one mail it was sending CLAIM_MS.
 */
export const DELIVERY_BUDGET_MS = 60_000
export const OUTBOX_JOB_EXPIRE_SECONDS = 3 * 60

/** `kind` says what the mail is ("reminder:<course id or all>"), `period` when it is for (a day, an ISO week). */
export type QueuedMail = { to: string; subject: string; text: string; html?: string; kind: string; period: string }

/** Queues the mails whose key (to, kind, period) is not queued yet; returns how many were. */
export async function queueMails(mails: ReadonlyArray<QueuedMail>) {
	if (!mails.length) return 0
	return (await db.outboxMail.createMany({ data: [...mails], skipDuplicates: true })).count
}

/** Whether a mail with this key is queued (or sent): spares composing one that queueMails would skip. */
export async function mailQueued(key: { to: string; kind: string; period: string }) {
	return !!(await db.outboxMail.findUnique({ where: { to_kind_period: key }, select: { id: true } }))
}

/** The latest mails, newest first, for the administrators' outbox page (names and addresses: ADMIN only). */
export function latestMails(limit = 200) {
	return db.outboxMail.findMany({ orderBy: { createdAt: 'desc' }, take: limit })
}

/**
 * Sends what is due in the outbox through SMTP_URL (smtp://user:pass@host:587 or smtps://…). Each mail is claimed
 * before it is sent (attempt counted, next attempt pushed CLAIM_MS away), so two runs at once do not send it twice;
 * a failure is kept with its error and retried after a growing pause (BACKOFF_MS × 2^(attempt-1)), up to
 * MAIL_MAX_ATTEMPTS. A process killed between sending and marking sent sends that mail again after CLAIM_MS:
 * delivery is at least once (SMTP has no way to ask whether a mail arrived).
 */
export async function deliverMail({ limit = 500, now = new Date(), budgetMs = DELIVERY_BUDGET_MS } = {}) {
	const started = Date.now()
	const url = getEnv().SMTP_URL
	const due = { sentAt: null, attempts: { lt: MAIL_MAX_ATTEMPTS }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }
	const waiting = await db.outboxMail.count({ where: { sentAt: null, attempts: { lt: MAIL_MAX_ATTEMPTS } } })
	if (!url) return { configured: false, waiting, sent: 0, failed: 0, stoppedEarly: false }
	const from = getEnv().SMTP_FROM ?? 'Văn Minh Số <no-reply@localhost>'
	const transport = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS })
	const mails = await db.outboxMail.findMany({ where: due, orderBy: { createdAt: 'asc' }, take: limit })
	let sent = 0
	let failed = 0
	let stoppedEarly = false
	for (const mail of mails) {
		// Every run sends at least one mail, however slow the database was before it.
		if (sent + failed > 0 && Date.now() - started > budgetMs) {
			stoppedEarly = true
			break
		}
		const claimed = await db.outboxMail.updateMany({
			where: { id: mail.id, sentAt: null, attempts: mail.attempts },
			data: { attempts: mail.attempts + 1, nextAttemptAt: new Date(Date.now() + CLAIM_MS) },
		})
		if (claimed.count === 0) continue
		try {
			await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? undefined })
			await db.outboxMail.update({ where: { id: mail.id }, data: { sentAt: new Date(), lastError: null, nextAttemptAt: null } })
			sent++
		} catch (error) {
			await db.outboxMail.update({
				where: { id: mail.id },
				data: { lastError: error instanceof Error ? error.message.slice(0, 500) : String(error), nextAttemptAt: new Date(Date.now() + BACKOFF_MS * 2 ** mail.attempts) },
			})
			failed++
		}
	}
	transport.close()
	return { configured: true, waiting, sent, failed, stoppedEarly }
}

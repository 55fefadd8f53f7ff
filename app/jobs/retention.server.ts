// Personal data kept no longer than its purpose needs (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15: data minimisation
// and storage limitation). Run daily by the queue (`retention`, app/jobs/handlers.server.ts):
// - an uploaded roster or student list is needed only until its import is confirmed: a job finished in any way has
//   no file (each path clears it), and a preview nobody confirmed loses its file, and with it the confirm, after
//   IMPORT_FILE_RETENTION_DAYS;
// - a sent mail (names, addresses, what a person has not done) after MAIL_RETENTION_DAYS, and so does one that
//   exhausted its attempts;
// - expired sessions and finished rate-limit windows at once (dead rows that still name accounts and addresses);
// - the learning traces of the signals of proxy completion (issue 22: hashed browser and network, times) after
//   INTEGRITY_RETENTION_DAYS, and the evidence of a review decided that long ago: the decision (who, when, which
//   signals, the note) stays as the record of what was done, its details go. A review still open keeps its evidence
//   until someone decides.
// Exports (reports, certificate ZIPs, activation cards, error workbooks) are streamed to the browser and never
// stored, so there is nothing of theirs to delete.
import { z } from 'zod'
import { db } from '#app/db.server.ts'
import { MAIL_MAX_ATTEMPTS } from '#app/outbox/mail.server.ts'

const Settings = z.object({
	IMPORT_FILE_RETENTION_DAYS: z.coerce
		.number({ message: 'IMPORT_FILE_RETENTION_DAYS phải là số ngày (1–90) (must be a number of days)' })
		.int()
		.min(1, 'IMPORT_FILE_RETENTION_DAYS: ít nhất 1 ngày (at least 1 day)')
		.max(90, 'IMPORT_FILE_RETENTION_DAYS: nhiều nhất 90 ngày (at most 90 days)')
		.default(7),
	MAIL_RETENTION_DAYS: z.coerce
		.number({ message: 'MAIL_RETENTION_DAYS phải là số ngày (7–3650) (must be a number of days)' })
		.int()
		.min(7, 'MAIL_RETENTION_DAYS: ít nhất 7 ngày (at least 7 days)')
		.max(3650, 'MAIL_RETENTION_DAYS: nhiều nhất 3650 ngày (at most 3650 days)')
		.default(90),
	INTEGRITY_RETENTION_DAYS: z.coerce
		.number({ message: 'INTEGRITY_RETENTION_DAYS phải là số ngày (30–730) (must be a number of days)' })
		.int()
		.min(30, 'INTEGRITY_RETENTION_DAYS: ít nhất 30 ngày (at least 30 days)')
		.max(730, 'INTEGRITY_RETENTION_DAYS: nhiều nhất 730 ngày (at most 730 days)')
		.default(180),
})

/** The retention periods from the environment; the server checks them at start, so a typo stops it there. */
export function retentionSettings(env: Record<string, string | undefined> = process.env) {
	const parsed = Settings.safeParse({
		IMPORT_FILE_RETENTION_DAYS: env.IMPORT_FILE_RETENTION_DAYS || undefined,
		MAIL_RETENTION_DAYS: env.MAIL_RETENTION_DAYS || undefined,
		INTEGRITY_RETENTION_DAYS: env.INTEGRITY_RETENTION_DAYS || undefined,
	})
	if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('\n'))
	return parsed.data
}

const DAY = 24 * 3600_000

export async function applyRetention(now = new Date(), settings = retentionSettings()) {
	const fileBefore = new Date(now.getTime() - settings.IMPORT_FILE_RETENTION_DAYS * DAY)
	const mailBefore = new Date(now.getTime() - settings.MAIL_RETENTION_DAYS * DAY)
	// A finished job keeps no file whichever way it ended (each path clears it; this catches any that did not).
	const finishedFiles = await db.importJob.updateMany({ where: { status: { in: ['SUCCEEDED', 'FAILED'] }, file: { not: null } }, data: { file: null } })
	const expiredPreviews = await db.importJob.updateMany({
		where: { status: 'PREVIEW', file: { not: null }, createdAt: { lt: fileBefore } },
		data: { status: 'FAILED', file: null, finishedAt: now, errors: { total: 1, items: [{ key: 'import.failed.expired', vars: { days: settings.IMPORT_FILE_RETENTION_DAYS } }] } },
	})
	const mails = await db.outboxMail.deleteMany({
		where: { OR: [{ sentAt: { lt: mailBefore } }, { sentAt: null, attempts: { gte: MAIL_MAX_ATTEMPTS }, createdAt: { lt: mailBefore } }] },
	})
	const sessions = await db.session.deleteMany({ where: { expiresAt: { lt: now } } })
	const limits = await db.rateLimit.deleteMany({ where: { resetAt: { lt: now } } })
	const integrityBefore = new Date(now.getTime() - settings.INTEGRITY_RETENTION_DAYS * DAY)
	const traces = await db.learningTrace.deleteMany({ where: { at: { lt: integrityBefore } } })
	// Rows already cleared are left alone, so the daily run rewrites only the reviews that just passed the limit.
	const evidence = await db.completionReview.updateMany({
		where: { status: { not: 'OPEN' }, decidedAt: { lt: integrityBefore }, NOT: { evidence: { equals: [] } } },
		data: { evidence: [] },
	})
	return {
		importFiles: finishedFiles.count + expiredPreviews.count,
		expiredPreviews: expiredPreviews.count,
		mails: mails.count,
		sessions: sessions.count,
		rateLimits: limits.count,
		traces: traces.count,
		reviewEvidence: evidence.count,
	}
}

// Reminders to overdue learners (a manager's click, for one person or all of them) and a weekly summary to each
// manager, queued in OutboxMail and sent by `npm run reminders` (cron) through SMTP_URL. Queueing twice the same
// day (reminder) or the same week (summary) queues nothing more, so a double click or a re-run of cron is harmless.
import nodemailer from 'nodemailer'
import { audit } from '#app/auth/audit.server.ts'
import { formatVnDate } from '#app/certificates/pdf.server.ts'
import { db } from '#app/db.server.ts'
import { getEnv } from '#app/env.server.ts'
import { publicOrigin } from '#app/public-url.server.ts'
import { getUnitPeople, getUnitTotal } from './completion.server.ts'

const DAY = 24 * 3600_000
const MAX_ATTEMPTS = 5


/** Whether the same mail (recipient and subject) was queued since `since`. */
async function queuedSince(to: string, subject: string, since: Date) {
	return (await db.outboxMail.count({ where: { to, subject, createdAt: { gte: since } } })) > 0
}

export type ReminderResult = { queued: number; withoutEmail: number; alreadyToday: number; notOverdue: number }

/**
 * Queues a reminder for the overdue people of the unit's subtree (for one course or all): those in `userIds`, or all
 * of them. People who are not overdue there (or not in the unit) are counted, never mailed.
 */
export async function remindOverdue(input: {
	unitId: number
	courseId: string | null
	courseTitle: string | null
	userIds: Array<string> | 'all'
	actorId: string
	request: Request
	now?: Date
}): Promise<ReminderResult> {
	const now = input.now ?? new Date()
	const result = await getUnitPeople(input.unitId, { courseId: input.courseId, filter: 'overdue', at: now })
	// The manager's click has a request: without APP_URL the links name the address the manager is using.
	const origin = publicOrigin(input.request)
	if (!result) return { queued: 0, withoutEmail: 0, alreadyToday: 0, notOverdue: input.userIds === 'all' ? 0 : input.userIds.length }
	const wanted = input.userIds === 'all' ? null : new Set(input.userIds)
	const overdue = result.people.filter((p) => !wanted || wanted.has(p.userId))
	const notOverdue = wanted ? wanted.size - overdue.length : 0
	const emails = new Map(
		(await db.user.findMany({ where: { id: { in: overdue.map((p) => p.userId) } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
	)
	const subject = `Nhắc hoàn thành khoá học: ${input.courseTitle ?? 'các khoá học được giao'}`
	let queued = 0
	let withoutEmail = 0
	let alreadyToday = 0
	for (const person of overdue) {
		const to = emails.get(person.userId)
		if (!to) {
			withoutEmail++
			continue
		}
		if (await queuedSince(to, subject, new Date(now.getTime() - DAY))) {
			alreadyToday++
			continue
		}
		const due = person.dueAt ? ` Hạn hoàn thành là ngày ${formatVnDate(person.dueAt)}.` : ''
		await db.outboxMail.create({
			data: {
				to,
				subject,
				text: [
					`Kính gửi ${person.fullName},`,
					'',
					`Theo kế hoạch đào tạo của ${result.unit.name}, anh/chị chưa hoàn thành ${input.courseTitle ? `khoá học "${input.courseTitle}"` : `${person.required - person.completed} khoá học được giao`}.${due}`,
					`Mời anh/chị vào mục "Khoá học của tôi" để tiếp tục: ${origin}/my-courses`,
					'',
					'Văn Minh Số',
				].join('\n'),
			},
		})
		queued++
	}
	await audit({
		actorId: input.actorId,
		action: 'reminder.queue',
		targetType: 'OrgUnit',
		targetId: input.unitId,
		orgUnitId: input.unitId,
		request: input.request,
		details: { course: input.courseId, queued, withoutEmail, alreadyToday, notOverdue },
	})
	return { queued, withoutEmail, alreadyToday, notOverdue }
}

/** ISO week label, e.g. "2026-W48", for the summary's subject (which also makes it once a week). */
export function isoWeek(at: Date) {
	const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
	const day = d.getUTCDay() || 7
	d.setUTCDate(d.getUTCDate() + 4 - day)
	const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1))
	const week = Math.ceil(((d.getTime() - yearStart.getTime()) / DAY + 1) / 7)
	return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/** One summary per manager (MANAGER or YOUTH_ADMIN grant) and unit, once per ISO week. Cron has no request: the
 * links use APP_URL, and without it nothing is queued (a clear error rather than links to a private address). */
export async function queueWeeklySummaries(now = new Date(), origin = publicOrigin()) {
	const grants = await db.roleGrant.findMany({
		// A YOUTH_ADMIN grant counts on Youth Union units only (ROLE_TREE in app/auth/permissions.ts).
		where: { OR: [{ role: 'MANAGER' }, { role: 'YOUTH_ADMIN', orgUnit: { tree: 'YOUTH' } }] },
		select: { user: { select: { email: true, fullName: true, status: true } }, orgUnit: { select: { id: true, name: true } } },
	})
	const week = isoWeek(now)
	let queued = 0
	for (const grant of grants) {
		const to = grant.user.email
		if (!to || grant.user.status !== 'ACTIVE') continue
		const subject = `Tóm tắt tuần ${week}: tiến độ hoàn thành của ${grant.orgUnit.name}`
		if (await queuedSince(to, subject, new Date(now.getTime() - 7 * DAY))) continue
		const total = await getUnitTotal(grant.orgUnit.id, { at: now })
		if (!total || total.counts.target === 0) continue
		const c = total.counts
		const rate = c.rate === null ? '–' : `${(c.rate * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`
		await db.outboxMail.create({
			data: {
				to,
				subject,
				text: [
					`Kính gửi ${grant.user.fullName},`,
					'',
					`Tiến độ hoàn thành các khoá học được giao của ${grant.orgUnit.name} đến ngày ${formatVnDate(now)}:`,
					`- Đã hoàn thành: ${c.completed}/${c.target} (${rate})`,
					`- Đang học: ${c.inProgress}; chưa bắt đầu: ${c.notStarted}`,
					`- Quá hạn chưa hoàn thành: ${c.overdue}`,
					'',
					`Xem chi tiết và nhắc người quá hạn: ${origin}/org/${grant.orgUnit.id}/dashboard/people?people=overdue`,
					'',
					'Văn Minh Số',
				].join('\n'),
			},
		})
		queued++
	}
	return queued
}

/**
 * Sends what is waiting in the outbox through SMTP_URL (smtp://user:pass@host:587 or smtps://…). Each mail is
 * claimed before it is sent, so two runs at once do not send it twice; a failure is kept with its error and retried
 * on the next run, up to MAX_ATTEMPTS.
 */
export async function deliverOutbox({ limit = 500 } = {}) {
	const url = getEnv().SMTP_URL
	const waiting = await db.outboxMail.count({ where: { sentAt: null, attempts: { lt: MAX_ATTEMPTS } } })
	if (!url) return { configured: false, waiting, sent: 0, failed: 0 }
	const from = getEnv().SMTP_FROM ?? 'Văn Minh Số <no-reply@localhost>'
	const transport = nodemailer.createTransport(url)
	const mails = await db.outboxMail.findMany({ where: { sentAt: null, attempts: { lt: MAX_ATTEMPTS } }, orderBy: { createdAt: 'asc' }, take: limit })
	let sent = 0
	let failed = 0
	for (const mail of mails) {
		const claimed = await db.outboxMail.updateMany({ where: { id: mail.id, sentAt: null, attempts: mail.attempts }, data: { attempts: mail.attempts + 1 } })
		if (claimed.count === 0) continue
		try {
			await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? undefined })
			await db.outboxMail.update({ where: { id: mail.id }, data: { sentAt: new Date(), lastError: null } })
			sent++
		} catch (error) {
			await db.outboxMail.update({ where: { id: mail.id }, data: { lastError: error instanceof Error ? error.message.slice(0, 500) : String(error) } })
			failed++
		}
	}
	transport.close()
	return { configured: true, waiting, sent, failed }
}

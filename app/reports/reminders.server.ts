// Reminders to overdue learners (a manager's click, for one person or all of them) and a weekly summary to each
// manager, written here and queued in the mail outbox (app/outbox/mail.server.ts), which sends them. Each mail's
// period is a Vietnam day for reminders and an ISO week for summaries: with the recipient and the kind, the key that
// makes a double click, two cron runs or two instances at once queue one mail.
import { audit } from '#app/auth/audit.server.ts'
import { db } from '#app/db.server.ts'
import { mailQueued, queueMails } from '#app/outbox/mail.server.ts'
import { publicOrigin } from '#app/public-url.server.ts'
import { getUnitPeople, getUnitTotal } from './completion.server.ts'
import { formatVnDate, vnDay } from '#app/ui/dates.ts'

const DAY = 24 * 3600_000

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
	const kind = `reminder:${input.courseId ?? 'all'}`
	const period = vnDay(now)
	let withoutEmail = 0
	const mails: Array<{ to: string; subject: string; text: string; kind: string; period: string }> = []
	for (const person of overdue) {
		const to = emails.get(person.userId)
		if (!to) {
			withoutEmail++
			continue
		}
		const due = person.dueAt ? ` Hạn hoàn thành là ngày ${formatVnDate(person.dueAt)}.` : ''
		mails.push({
			to,
			subject,
			kind,
			period,
			text: [
					`Kính gửi ${person.fullName},`,
					'',
					`Theo kế hoạch đào tạo của ${result.unit.name}, anh/chị chưa hoàn thành ${input.courseTitle ? `khoá học "${input.courseTitle}"` : `${person.required - person.completed} khoá học được giao`}.${due}`,
					`Mời anh/chị vào mục "Khoá học của tôi" để tiếp tục: ${origin}/my-courses`,
					'',
					'Văn Minh Số',
			].join('\n'),
		})
	}
	// Two people sharing an address get one mail; a mail already queued today is skipped by the unique key.
	const queued = await queueMails(mails)
	const alreadyToday = mails.length - queued
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
		const kind = `summary:${grant.orgUnit.id}`
		// Saves computing the figures of a summary already queued; the unique key is what makes it once.
		if (await mailQueued({ to, kind, period: week })) continue
		const total = await getUnitTotal(grant.orgUnit.id, { at: now })
		if (!total || total.counts.target === 0) continue
		const c = total.counts
		const rate = c.rate === null ? '–' : `${(c.rate * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`
		queued += await queueMails([
			{
				to,
				subject,
				kind,
				period: week,
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
		])
	}
	return queued
}

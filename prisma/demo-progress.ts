// Demo progress for the completion dashboards: two province-wide assignments and learners at very different stages
// in each department, so that the ranking, the drill-down and the overdue list show something to read. Deterministic
// (by position in the roster) and dated relative to the day of seeding. Demo accounts are left untouched.
import { type PrismaClient } from '#app/db.server.ts'
import { newSerial } from '#app/certificates/issue.server.ts'
import { signCertificate } from '#app/certificates/sign.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import { ensureCurrentVersion } from '#app/learning/versions.server.ts'
import { periodOf, periodsBetween } from '#app/reports/completion.ts'
import { lastEndedPeriod, takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { type buildDemoData } from './demo-data.ts'

const DAY = 24 * 3600_000
// The course every civil servant owes (demo-certificates.ts already certified Sở VH-TT-DL in it), and the one only
// the people who run social media owe, whose deadline has passed.
const CODE_OF_CONDUCT = 'quy-tac-ung-xu-can-bo'
const FAKE_NEWS = 'nhan-dien-tin-gia'
// The code of conduct was assigned this long before the day of seeding and certificates came in over that time, so
// that the demo has a history: a month-end snapshot for every month since, and figures in both half-year reports.
const HISTORY_DAYS = 400

export async function seedDemoProgress(db: PrismaClient, demo: ReturnType<typeof buildDemoData>, now = new Date()) {
	if (!getCourse(CODE_OF_CONDUCT) || !getCourse(FAKE_NEWS)) return { assignments: 0, certificates: 0, enrollments: 0 }
	const province = demo.units.find((u) => u.id === demo.ids.province)!
	const admin = demo.accounts[0]!.userId
	const conduct = (await ensureCurrentVersion(CODE_OF_CONDUCT))!
	const fakeNews = (await ensureCurrentVersion(FAKE_NEWS))!
	await db.assignment.createMany({
		data: [
			{ courseId: conduct.course.id, orgUnitId: province.id, dueAt: new Date(now.getTime() + 60 * DAY), createdById: admin, createdAt: new Date(now.getTime() - HISTORY_DAYS * DAY) },
			{ courseId: fakeNews.course.id, orgUnitId: province.id, audienceTag: 'social-media', dueAt: new Date(now.getTime() - 20 * DAY), createdById: admin, createdAt: new Date(now.getTime() - 120 * DAY) },
		],
	})

	const accounts = new Set(demo.accounts.map((a) => a.userId))
	const names = new Map(demo.users.map((u) => [u.id, u.fullName]))
	const units = new Map(demo.units.map((u) => [u.id, u]))
	const departments = demo.units.filter((u) => u.tree === 'GOV' && u.kind === 'department' && u.id !== demo.ids.sovh)
	const already = new Set(
		(await db.enrollment.findMany({ where: { courseVersionId: conduct.version.id }, select: { userId: true } })).map((e) => e.userId),
	)
	let certificates = 0
	let enrollments = 0
	for (const [d, department] of departments.entries()) {
		// From departments at 100% to departments that have barely begun.
		const share = [1, 0.9, 0.75, 0.6, 0.45, 0.3, 0.15, 0.05][d % 8]!
		const staff = demo.memberships.filter((m) => units.get(m.orgUnitId)?.path.startsWith(department.path) && !accounts.has(m.userId) && !already.has(m.userId))
		const people = [...new Set(staff.map((m) => m.userId))]
		for (const [i, userId] of people.entries()) {
			const position = (i + 0.5) / people.length
			const version = conduct.version
			if (position < share) {
				// Spread over the months since the assignment: the early completers of a department finished long ago.
				const issuedAt = new Date(now.getTime() - Math.round(5 + position * (HISTORY_DAYS - 20)) * DAY)
				const membership = staff.find((m) => m.userId === userId)!
				const fields = {
					serial: newSerial(issuedAt),
					userId,
					courseVersionId: version.id,
					holderName: names.get(userId)!,
					orgUnitId: membership.orgUnitId,
					orgName: units.get(membership.orgUnitId)!.name,
					courseTitle: version.title,
					source: 'ONLINE' as const,
					issuedAt,
					expiresAt: version.validityMonths ? new Date(new Date(issuedAt).setUTCMonth(issuedAt.getUTCMonth() + version.validityMonths)) : null,
				}
				await db.enrollment.create({
					data: { userId, courseVersionId: version.id, status: 'COMPLETED', startedAt: new Date(issuedAt.getTime() - 3 * DAY), lastActivityAt: issuedAt, completedAt: issuedAt },
				})
				await db.certificate.create({ data: { ...fields, signature: signCertificate(fields) } })
				certificates++
			} else if (position < share + 0.2) {
				// Started, not finished.
				const startedAt = new Date(now.getTime() - Math.round(2 + position * 30) * DAY)
				await db.enrollment.create({ data: { userId, courseVersionId: version.id, startedAt, lastActivityAt: startedAt } })
				enrollments++
			}
		}
	}
	return { assignments: 2, certificates, enrollments }
}

/**
 * The month-end snapshots the monthly job would have taken since the demo's first assignment: each computed by the
 * real snapshot code (takeMonthSnapshot) as of that month's last instant, from the demo's dated certificates and
 * enrollments, so that the monthly line and the half-year and annual reports have figures. Nothing is invented.
 */
export async function seedDemoSnapshots(db: PrismaClient, now = new Date()) {
	const first = await db.assignment.findFirst({ orderBy: { createdAt: 'asc' }, select: { createdAt: true } })
	if (!first) return []
	const last = lastEndedPeriod(now)
	const months = periodsBetween(periodOf(first.createdAt), last)
	for (const month of months) await takeMonthSnapshot(month, now)
	return months
}

// Issue 18 item 19: the demo has month-end snapshots for every month since its first assignment, taken by the real
// snapshot code from the demo's dated progress, so that the half-year report has figures (it said "Chưa có số liệu
// chốt nào trong kỳ này"). Each snapshot equals the completion rule computed live as of that month's end.
import { beforeAll, expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { getUnitTotal } from '#app/reports/completion.server.ts'
import { periodEnd } from '#app/reports/completion.ts'
import { buildReport, isReport, parseReportPeriod } from '#app/reports/report.server.ts'
import { buildDemoData } from '../../prisma/demo-data.ts'
import { seedDemoProgress, seedDemoSnapshots } from '../../prisma/demo-progress.ts'
import { copyCourse, courseBuilds } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
const courses = courseBuilds('vms-demo-snapshots-')
beforeAll(async () => {
	// The two courses the demo assigns, made from the fixture course (the demo needs only their slugs and versions).
	await courses.build('demo', {
		edit: (source) => {
			for (const slug of ['quy-tac-ung-xu-can-bo', 'nhan-dien-tin-gia']) copyCourse(source, 'mau', slug)
		},
	})
	courses.use('demo')
})

test('the demo seeds a snapshot for every month since its first assignment, equal to the rule live at each month end; the half-year report has figures', async () => {
	const now = new Date('2026-12-07T03:00:00Z')
	const demo = buildDemoData()
	const since = new Date('2025-07-01T00:00:00+07:00')
	await db.orgUnit.createMany({ data: demo.units.map((u) => ({ ...u, validFrom: since })) })
	await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"OrgUnit"', 'id'), (SELECT max(id) FROM "OrgUnit"))`)
	await db.user.createMany({ data: demo.users })
	await db.membership.createMany({ data: demo.memberships.map((m) => ({ ...m, validFrom: since })) })
	const progress = await seedDemoProgress(db, demo, now)
	expect(progress.certificates).toBeGreaterThan(50)

	const months = await seedDemoSnapshots(db, now)
	// From the first assignment (400 days before) to the last ended month: November 2025 to November 2026.
	expect(months[0]).toBe('2025-11')
	expect(months.at(-1)).toBe('2026-11')
	expect(months).toHaveLength(13)
	expect(await db.completionSnapshotPeriod.count()).toBe(13)

	const province = demo.ids.province
	for (const month of ['2026-01', '2026-06', '2026-11']) {
		const snapshot = await db.completionSnapshot.aggregate({ where: { period: month, orgUnitId: province, direct: false }, _sum: { target: true, completed: true } })
		const live = (await getUnitTotal(province, { at: periodEnd(month) }))!.counts
		expect({ target: snapshot._sum.target, completed: snapshot._sum.completed }, month).toEqual({ target: live.target, completed: live.completed })
	}
	// Completion grew over the year: not one number repeated.
	const june = await db.completionSnapshot.aggregate({ where: { period: '2026-06', orgUnitId: province, direct: false }, _sum: { completed: true } })
	const november = await db.completionSnapshot.aggregate({ where: { period: '2026-11', orgUnitId: province, direct: false }, _sum: { completed: true } })
	expect(june._sum.completed).toBeGreaterThan(0)
	expect(november._sum.completed!).toBeGreaterThan(june._sum.completed!)

	const report = await buildReport(province, parseReportPeriod('h1-2026')!, null)
	expect(report && isReport(report)).toBe(true)
	if (report && isReport(report)) {
		expect(report.last.period).toBe('2026-06')
		expect(report.missing).toEqual([])
		expect(report.last.total.completed).toBe(june._sum.completed)
	}
	// A second run (the monthly job, or seeding again) changes nothing.
	await seedDemoSnapshots(db, now)
	expect(await db.completionSnapshotPeriod.count()).toBe(13)
})

// What the figures say of reviewed completions (issue 22): the dashboard's "trong đó … đang xem lại" (open reviews of
// the subtree, now only) and the periodic report's count of completions reviewed and withdrawn in its period.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { buildReport, isReport, parseReportPeriod, summaryText } from '#app/reports/report.server.ts'
import { takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { loader as dashboard } from '#app/routes/org.$unitId_.dashboard.tsx'
import { assign, certify, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

let worlds = 0
async function world() {
	const root = await createUnit(`Tỉnh Số Liệu ${worlds + 1}`)
	const dept = await createUnit('Sở Được Xem', root)
	const other = await createUnit('Sở Khác', root)
	const course = await createCourse(`so-lieu-xem-lai-${++worlds}`)
	await assign(course, root, { dueAt: new Date('2026-02-28T00:00:00Z') })
	const manager = await db.user.create({ data: { fullName: 'Quản Lý Sở', status: 'ACTIVE' } })
	await db.roleGrant.create({ data: { userId: manager.id, orgUnitId: dept.id, role: 'MANAGER' } })
	return { root, dept, other, course, manager }
}

let n = 0
async function reviewed(w: Awaited<ReturnType<typeof world>>, unit: { id: number }, status: 'OPEN' | 'VERIFIED' | 'REDO', decidedAt: Date | null) {
	const user = await db.user.create({ data: { fullName: `Người ${++n}`, status: 'ACTIVE' } })
	await join(user, unit)
	const completedAt = new Date('2026-01-20T03:00:00Z')
	await certify(user, w.course.versions[0]!, { issuedAt: completedAt })
	const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: user.id } })
	return db.completionReview.create({
		data: { enrollmentId: enrollment.id, userId: user.id, courseVersionId: w.course.versions[0]!.id, orgUnitId: unit.id, completedAt, signals: ['burst'], evidence: [], status, decidedAt },
	})
}

test('the dashboard says how many of its completions are under review now, and not beside a past date', async () => {
	const w = await world()
	await reviewed(w, w.dept, 'OPEN', null)
	await reviewed(w, w.dept, 'OPEN', null)
	await reviewed(w, w.dept, 'VERIFIED', new Date())
	await reviewed(w, w.other, 'OPEN', null)
	const read = async (unitId: number, query = '') => {
		const response = (await dashboard({ request: await requestAs(w.manager.id, `http://localhost/org/${unitId}/dashboard${query}`), params: { unitId: String(unitId) }, context: {} })) as Response
		return (await response.json()) as { underReview: number | null; canReview: boolean }
	}
	expect(await read(w.dept.id)).toMatchObject({ underReview: 2, canReview: true })
	expect(await read(w.dept.id, `?course=${w.course.slug}`)).toMatchObject({ underReview: 2 })
	expect(await read(w.dept.id, '?asOf=2026-03-01')).toMatchObject({ underReview: null })
	const admin = await db.user.create({ data: { fullName: 'Quản Trị', status: 'ACTIVE' } })
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: w.root.id, role: 'ADMIN' } })
	const response = (await dashboard({ request: await requestAs(admin.id, `http://localhost/org/${w.root.id}/dashboard`), params: { unitId: String(w.root.id) }, context: {} })) as Response
	expect(((await response.json()) as { underReview: number }).underReview).toBe(3)
})

test('the periodic report counts the completions reviewed and withdrawn from its first month to the end of its figures’ month', async () => {
	const w = await world()
	await reviewed(w, w.dept, 'VERIFIED', new Date('2026-02-10T02:00:00Z'))
	await reviewed(w, w.dept, 'REDO', new Date('2026-03-31T16:30:00Z'))
	// Outside: before the period, after its last month (31/03 24:00 in Vietnam), still open, another unit.
	await reviewed(w, w.dept, 'REDO', new Date('2025-12-31T10:00:00Z'))
	await reviewed(w, w.dept, 'VERIFIED', new Date('2026-03-31T17:00:00Z'))
	await reviewed(w, w.dept, 'OPEN', null)
	await reviewed(w, w.other, 'REDO', new Date('2026-02-10T02:00:00Z'))
	for (const month of ['2026-01', '2026-02', '2026-03']) await takeMonthSnapshot(month)
	const report = await buildReport(w.dept.id, parseReportPeriod('2026-01..2026-03')!, null)
	if (!report || !isReport(report)) throw new Error('no report')
	expect(report.reviews).toEqual({ reviewed: 2, verified: 1, withdrawn: 1 })
	expect(summaryText(report)).toContain('Từ tháng 01/2026 đến hết tháng 03/2026, 2 lượt hoàn thành có dấu hiệu học hộ, thi hộ đã được xem lại: 1 lượt được xác nhận hợp lệ, 1 lượt bị thu hồi và phải học lại.')
	// The province counts its whole subtree; a period with nothing reviewed says nothing of it.
	const province = await buildReport(w.root.id, parseReportPeriod('2026-01..2026-03')!, null)
	if (!province || !isReport(province)) throw new Error('no report')
	expect(province.reviews).toEqual({ reviewed: 3, verified: 1, withdrawn: 2 })
	const quiet = await buildReport(w.dept.id, parseReportPeriod('2026-01..2026-01')!, null)
	if (!quiet || !isReport(quiet)) throw new Error('no report')
	expect(quiet.reviews.reviewed).toBe(0)
	expect(summaryText(quiet)).not.toContain('xem lại')
})

test('"of which under review" counts only completions the headline counts: a course assigned there, a counted member', async () => {
	const w = await world()
	await reviewed(w, w.dept, 'OPEN', null)
	// A course nobody in the province was assigned: its completion is in no headline of this dashboard (walk, D2).
	const unassigned = await createCourse(`khong-giao-${worlds}`)
	const stranger = await db.user.create({ data: { fullName: 'Người Tự Học', status: 'ACTIVE' } })
	await join(stranger, w.dept)
	await certify(stranger, unassigned.versions[0]!, { issuedAt: new Date('2026-01-21T03:00:00Z') })
	const selfStudy = await db.enrollment.findFirstOrThrow({ where: { userId: stranger.id } })
	await db.completionReview.create({
		data: { enrollmentId: selfStudy.id, userId: stranger.id, courseVersionId: unassigned.versions[0]!.id, orgUnitId: w.dept.id, completedAt: new Date('2026-01-21T03:00:00Z'), signals: ['device'], evidence: [], status: 'OPEN' },
	})
	// A member who does not count towards the unit's target (a secondment, say) is outside the headline too.
	const guest = await reviewed(w, w.dept, 'OPEN', null)
	await db.membership.updateMany({ where: { userId: guest.userId }, data: { countsInTarget: false } })
	const read = async (query = '') => {
		const response = (await dashboard({ request: await requestAs(w.manager.id, `http://localhost/org/${w.dept.id}/dashboard${query}`), params: { unitId: String(w.dept.id) }, context: {} })) as Response
		return ((await response.json()) as { underReview: number | null }).underReview
	}
	expect(await read()).toBe(1)
	expect(await read(`?course=${unassigned.slug}`)).toBe(0)
})

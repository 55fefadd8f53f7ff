import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { getChildRows, getCourseBreakdown, getLevelRows } from '#app/reports/completion.server.ts'
import { periodEnd } from '#app/reports/completion.ts'
import { lastEndedPeriod, readSnapshots, SnapshotError, snapshotPeriods, takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { assign, certify, createCourse, enroll, join } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`)
const NOW = new Date('2026-11-23T10:00:00Z')

let runs = 0
async function setUp() {
	const n = ++runs
	const root = await createUnit(`Tỉnh Chốt Số ${n}`)
	const a = await createUnit('Sở Chốt A', root)
	const a1 = await createUnit('Phòng Chốt A1', a, 'division')
	const b = await createUnit('Sở Chốt B', root)
	const course = await createCourse(`chot-so-${n}`, [{ publishedAt: d('2020-01-01'), validityMonths: 12 }])
	const other = await createCourse(`chot-so-${n}-khac`)
	await assign(course, root, { dueAt: d('2026-02-15') })
	await assign(other, a, { dueAt: d('2026-04-30') })
	const people = []
	for (const [i, unit] of [a1, a1, a1, a, b, b].entries()) {
		const p = await createUser({ fullName: `Cán Bộ Chốt ${i}`, password: null })
		people.push({ user: p, membership: await join(p, unit) })
	}
	await certify(people[0]!.user, course.versions[0]!, { issuedAt: d('2026-01-20'), expiresAt: d('2027-01-20') })
	await certify(people[4]!.user, course.versions[0]!, { issuedAt: d('2026-02-10'), expiresAt: d('2027-02-10') })
	const revocable = await certify(people[5]!.user, course.versions[0]!, { issuedAt: d('2026-02-11'), expiresAt: d('2027-02-11') })
	await enroll(people[1]!.user, course.versions[0]!, { startedAt: d('2026-02-01') })
	return { root, a, a1, b, course, other, people, revocable }
}

/** A view without its provenance fields, to compare a snapshot with the live rule. */
const numbers = (v: { total: unknown; rows: unknown }) => ({ total: v.total, rows: v.rows })

test('a month-end snapshot holds the rule as of the month’s last instant in Vietnam, per unit and course', async () => {
	const { root, a, course, other } = await setUp()
	expect(periodEnd('2026-02').toISOString()).toBe('2026-02-28T16:59:59.999Z')
	const taken = await takeMonthSnapshot('2026-02', NOW)
	expect(taken).toMatchObject({ period: '2026-02', taken: true, asOf: periodEnd('2026-02') })
	expect(taken.rows).toBeGreaterThan(0)

	for (const unit of [root, a]) {
		for (const courseId of [course.id, null]) {
			const snap = await readSnapshots(unit.id, { from: '2026-02', to: '2026-02' }, { courseId }, NOW)
			const live = await getChildRows(unit.id, { courseId, at: periodEnd('2026-02'), recompute: true })
			expect(live!.source).toBe('live')
			expect(snap!.periods).toHaveLength(1)
			expect(numbers(snap!.periods[0]!)).toEqual(numbers(live!))
			// "As of" that day without recomputing: the snapshot, with the same numbers, at every level.
			const fromSnapshot = (await getChildRows(unit.id, { courseId, at: periodEnd('2026-02') }))!
			expect(fromSnapshot.source).toBe('snapshot')
			expect(numbers(fromSnapshot)).toEqual(numbers(live!))
			const levelLive = (await getLevelRows(unit.id, 2, { courseId, at: periodEnd('2026-02'), recompute: true }))!
			const levelSnapshot = (await getLevelRows(unit.id, 2, { courseId, at: periodEnd('2026-02') }))!
			expect([levelLive.source, levelSnapshot.source]).toEqual(['live', 'snapshot'])
			expect(numbers(levelSnapshot)).toEqual(numbers(levelLive))
			const coursesLive = (await getCourseBreakdown(unit.id, { at: periodEnd('2026-02'), recompute: true }))!
			const coursesSnapshot = (await getCourseBreakdown(unit.id, { at: periodEnd('2026-02') }))!
			expect(coursesSnapshot.source).toBe('snapshot')
			expect([coursesSnapshot.total, coursesSnapshot.courses]).toEqual([coursesLive.total, coursesLive.courses])
		}
	}
	const feb = (await readSnapshots(root.id, { from: '2026-02', to: '2026-02' }, {}, NOW))!.periods[0]!
	// Course 1 for six people (three certificates, one enrollment open, due 15/02), course 2 for the four in A.
	expect(feb.courses.map((c) => [c.slug, c.target, c.completed, c.inProgress, c.overdue])).toEqual([
		[course.slug, 6, 3, 1, 3],
		[other.slug, 4, 0, 0, 0],
	])
	expect(feb.total).toMatchObject({ target: 10, completed: 3 })
})

test('a snapshot never changes once taken: later changes, re-runs and direct writes leave it as it was', async () => {
	const { root, course, people, revocable } = await setUp()
	await takeMonthSnapshot('2026-03', NOW)
	const before = await readSnapshots(root.id, { from: '2026-03', to: '2026-03' }, { courseId: course.id }, NOW)
	const rowsBefore = await db.completionSnapshot.findMany({ where: { period: '2026-03' }, orderBy: { id: 'asc' } })

	// Back-dated changes that alter what the rule says about March: a late certificate, a revocation, a departure.
	await certify(people[2]!.user, course.versions[0]!, { issuedAt: d('2026-03-05') })
	await db.certificate.update({ where: { id: revocable.id }, data: { revokedAt: d('2026-03-01'), revokeReason: 'Sai sót' } })
	await db.membership.update({ where: { id: people[3]!.membership.id }, data: { validTo: d('2026-03-10') } })
	const liveNow = await getChildRows(root.id, { courseId: course.id, at: periodEnd('2026-03'), recompute: true })
	expect(liveNow!.source).toBe('live')
	expect(liveNow!.total).not.toEqual(before!.periods[0]!.total)
	// The dashboard "as of" 31/03 reads the snapshot, not the rule recomputed with what was written since.
	const dashboard = await getChildRows(root.id, { courseId: course.id, at: periodEnd('2026-03') })
	expect(dashboard!.source).toBe('snapshot')
	expect(numbers(dashboard!)).toEqual(numbers(before!.periods[0]!))

	const again = await takeMonthSnapshot('2026-03', NOW)
	expect(again.taken).toBe(false)
	expect(await readSnapshots(root.id, { from: '2026-03', to: '2026-03' }, { courseId: course.id }, NOW)).toEqual(before)
	expect(await db.completionSnapshot.findMany({ where: { period: '2026-03' }, orderBy: { id: 'asc' } })).toEqual(rowsBefore)

	const row = rowsBefore.find((r) => r.orgUnitId === root.id && r.courseId === course.id && !r.direct)!
	await expect(db.completionSnapshot.update({ where: { id: row.id }, data: { completed: row.completed + 1 } })).rejects.toThrow(/không được sửa hay xoá/)
	await expect(db.completionSnapshot.delete({ where: { id: row.id } })).rejects.toThrow(/không được sửa hay xoá/)
	await expect(db.completionSnapshotPeriod.delete({ where: { period: '2026-03' } })).rejects.toThrow(/không được sửa hay xoá/)
	expect(await db.completionSnapshot.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row)
})

test('two runs for the same month at once take it once', async () => {
	await setUp()
	const [x, y] = await Promise.all([takeMonthSnapshot('2026-04', NOW), takeMonthSnapshot('2026-04', NOW)])
	expect([x.taken, y.taken].sort()).toEqual([false, true])
	expect(x.rows).toBe(y.rows)
	expect(await db.completionSnapshot.count({ where: { period: '2026-04' } })).toBe(x.rows)
})

test('months not over cannot be taken; missing months are listed; bad periods are refused with a clear message', async () => {
	const { root } = await setUp()
	await expect(takeMonthSnapshot('2026-11', NOW)).rejects.toMatchObject({ code: 'not-ended' })
	// The last instant of the month is still inside it; one millisecond later it can be taken.
	await expect(takeMonthSnapshot('2026-05', periodEnd('2026-05'))).rejects.toBeInstanceOf(SnapshotError)
	expect((await takeMonthSnapshot('2026-05', new Date(periodEnd('2026-05').getTime() + 1))).taken).toBe(true)
	await expect(takeMonthSnapshot('2026-13', NOW)).rejects.toMatchObject({ code: 'bad-period', message: expect.stringContaining('YYYY-MM') })
	await expect(snapshotPeriods('2026', '2026-12', NOW)).rejects.toMatchObject({ code: 'bad-period' })

	expect(lastEndedPeriod(NOW)).toBe('2026-10')
	// 1 January, 06:00 in Vietnam is still 31 December in UTC: the month that ended is December.
	expect(lastEndedPeriod(new Date('2025-12-31T23:00:00Z'))).toBe('2025-12')
	const status = await snapshotPeriods('2026-01', '2026-12', NOW)
	expect(status.taken.map((t) => t.period)).toEqual(expect.arrayContaining(['2026-05']))
	expect(status.missing).toContain('2026-01')
	expect(status.missing).not.toContain('2026-05')
	expect(status.notEnded).toEqual(['2026-11', '2026-12'])
	const report = await readSnapshots(root.id, { from: '2026-06', to: '2026-07' }, {}, NOW)
	expect(report).toMatchObject({ periods: [], missing: ['2026-06', '2026-07'], notEnded: [] })
})

// Decision 028: the incremental rollup refresh recomputes only the units that changes (and time) reached, and must
// leave exactly what the every-unit statement computes live for the whole tree at the same instant — on a generated
// province with people holding posts in two units, moves, departures, expiries and due dates passing in between.
import { beforeAll, expect, test } from 'vitest'
import { db, runSql } from '#app/db.server.ts'
import { RECERTIFICATION_MONTHS } from '#app/learning/versions.server.ts'
import { refreshCompletionRollup } from '#app/reports/completion.server.ts'
import { EVERY_UNIT } from '#app/reports/completion.sql.ts'
import { populate } from '../../scripts/gen-load-data.ts'
import { assign, certify, createCourse, join } from '#tests/factories/learning.ts'
import { createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

const DAY = 86_400_000
// The generated data is built around the real clock: the triggers record changes at the database's now().
const T0 = new Date()

const testDb = useTestDb()
beforeAll(async () => {
	await populate((statement) => testDb.current.prisma.$executeRawUnsafe(statement), { staff: 400, units: 24, courses: 12, now: T0 })
}, 120_000)

type Row = { orgUnitId: number; direct: boolean; courseId: string; target: number; completed: number; inProgress: number; overdue: number }
const key = (r: Row) => `${r.direct ? 'D' : 'S'}${r.orgUnitId}|${r.courseId}`
const counts = (r: Row) => [r.target, r.completed, r.inProgress, r.overdue]

async function rollup() {
	const rows = await db.completionRollup.findMany()
	return new Map(rows.map((r) => [key(r), counts(r)]))
}
/** CompletionRollupTotal, what the "all courses" rankings read, against the rollup summed over courses. */
async function expectTotalsAgree() {
	const [rows, totals] = await Promise.all([db.completionRollup.findMany(), db.completionRollupTotal.findMany()])
	const summed = new Map<string, Array<number>>()
	for (const r of rows) {
		const k = `${r.direct ? 'D' : 'S'}${r.orgUnitId}`
		const c = summed.get(k) ?? [0, 0, 0, 0]
		summed.set(k, c.map((v, i) => v + counts(r)[i]!))
	}
	expect(Object.fromEntries(totals.map((t) => [`${t.direct ? 'D' : 'S'}${t.orgUnitId}`, [t.target, t.completed, t.inProgress, t.overdue]]))).toEqual(Object.fromEntries(summed))
	expect(totals.length).toBeGreaterThan(0)
}
async function live(at: Date) {
	const rows = await runSql(EVERY_UNIT, { path: '/', at })
	return new Map(rows.map((r) => [key(r), counts(r)]))
}

test('an incremental refresh leaves exactly what the live every-unit statement computes, changes and time passing included', async () => {
	// Made before the first refresh: a new course version reaches every unit (a full refresh).
	const course = await createCourse()
	// After the generated rows' own changes (recorded at the database's now(), after T0).
	const start = new Date()
	const first = (await refreshCompletionRollup(start))!
	expect(first.incremental).toBe(false)
	expect(Object.fromEntries(await rollup())).toEqual(Object.fromEntries(await live(start)))
	const unitCount = await db.orgUnit.count()

	// People with two counted posts: the generated ones, and one made here in two divisions of different agencies.
	const divisions = await db.orgUnit.findMany({ where: { depth: 2 }, orderBy: { id: 'asc' }, select: { id: true, path: true } })
	const [d1, d2] = [divisions[0]!, divisions.find((d) => d.path.split('/')[2] !== divisions[0]!.path.split('/')[2])!]
	const twoPosts = await createUser({ fullName: 'Nguyễn Văn Hai Nơi', password: null })
	await join(twoPosts, d1)
	await join(twoPosts, d2, { tags: ['lanh-dao'] })
	const several = await db.$queryRawUnsafe<Array<{ n: number }>>(
		`SELECT count(*)::int AS n FROM (SELECT "userId" FROM "Membership" WHERE "validTo" IS NULL AND "countsInTarget" GROUP BY 1 HAVING count(*) > 1) x`,
	)
	expect(several[0]!.n).toBeGreaterThan(1)

	// Writes: a certificate revoked (of someone with two posts), a post ended, a course assigned to two divisions (one
	// due in two days), a certificate of the new person expiring in four days, a post that ends in three.
	const withTwo = await db.$queryRawUnsafe<Array<{ id: string }>>(
		`SELECT c.id FROM "Certificate" c WHERE c."revokedAt" IS NULL AND c."userId" IN (
			SELECT "userId" FROM "Membership" WHERE "validTo" IS NULL GROUP BY 1 HAVING count(*) > 1) ORDER BY c.id LIMIT 1`,
	)
	await db.certificate.update({ where: { id: withTwo[0]!.id }, data: { revokedAt: new Date() } })
	const ended = await db.membership.findFirstOrThrow({ where: { validTo: null, countsInTarget: true }, orderBy: { id: 'asc' } })
	await db.membership.update({ where: { id: ended.id }, data: { validTo: new Date() } })
	const later = await db.membership.findFirstOrThrow({ where: { validTo: null, countsInTarget: true, id: { not: ended.id } }, orderBy: { id: 'desc' } })
	// The new course falls due in a division no other change reaches: only the assignment's own date marks it.
	const d3 = divisions.find((d) => ![d1.id, d2.id, ended.orgUnitId, later.orgUnitId].includes(d.id))!
	await assign(course, { id: d3.id }, { dueAt: new Date(T0.getTime() + 2 * DAY), createdAt: new Date() })
	await assign(course, { id: d1.id }, { dueAt: new Date(T0.getTime() + 30 * DAY), createdAt: new Date() })
	await certify(twoPosts, course.versions[0]!, { issuedAt: new Date(), expiresAt: new Date(T0.getTime() + 4 * DAY) })
	await db.membership.update({ where: { id: later.id }, data: { validTo: new Date(T0.getTime() + 3 * DAY) } })

	// A day on: the writes, and what expired or fell due meanwhile (a small tree: any share of it may be redone).
	const t1 = new Date(T0.getTime() + DAY)
	const second = (await refreshCompletionRollup(t1, { maxShare: 1 }))!
	expect(second.incremental).toBe(true)
	expect(second.units).toBeLessThan(unitCount)
	expect(second.units).toBeGreaterThan(0)
	expect(Object.fromEntries(await rollup())).toEqual(Object.fromEntries(await live(t1)))
	await expectTotalsAgree()
	// The post ending in three days is still waiting to be folded in.
	expect(await db.completionChange.count({ where: { at: { gt: t1 } } })).toBeGreaterThan(0)

	// Five days on, nothing written: the new course falls due, the new certificate expires, the post ends.
	const t2 = new Date(T0.getTime() + 5 * DAY)
	const third = (await refreshCompletionRollup(t2, { maxShare: 1 }))!
	expect(third.incremental).toBe(true)
	expect(Object.fromEntries(await rollup())).toEqual(Object.fromEntries(await live(t2)))
	await expectTotalsAgree()
	const d3Row = await db.completionRollup.findUniqueOrThrow({ where: { orgUnitId_courseId_direct: { orgUnitId: d3.id, courseId: course.id, direct: true } } })
	expect(d3Row.target).toBeGreaterThan(0)
	expect(d3Row).toMatchObject({ completed: 0, overdue: d3Row.target })

	// Just before the first recertification deadline of the generated versions (a week or more away), a full refresh
	// changes nothing the incremental one left.
	const [deadline] = await db.$queryRawUnsafe<Array<{ at: Date }>>(
		`SELECT min(date_trunc('month', "publishedAt") + interval '${RECERTIFICATION_MONTHS} months' + ("publishedAt" - date_trunc('month', "publishedAt"))) AS at
		FROM "CourseVersion" WHERE "requiresRecertification"`,
	)
	expect(deadline!.at.getTime()).toBeGreaterThan(t2.getTime() + DAY)
	const t3 = new Date(deadline!.at.getTime() - 3_600_000)
	const fourth = (await refreshCompletionRollup(t3, { maxShare: 1 }))!
	const incremental = await rollup()
	expect(Object.fromEntries(incremental)).toEqual(Object.fromEntries(await live(t3)))
	expect((await refreshCompletionRollup(t3, { full: true }))!.incremental).toBe(false)
	expect(Object.fromEntries(await rollup())).toEqual(Object.fromEntries(incremental))
	expect(fourth.incremental).toBe(true)
	// Past that deadline, everything is redone.
	const year = (await refreshCompletionRollup(new Date(T0.getTime() + 365 * DAY), { maxShare: 1 }))!
	expect(year.incremental).toBe(false)
	expect(Object.fromEntries(await rollup())).toEqual(Object.fromEntries(await live(year.asOf)))
}, 120_000)

test('a refresh for an earlier instant than the rollup, or after a course version changed, recomputes every unit', async () => {
	const now = new Date()
	await refreshCompletionRollup(now)
	expect((await refreshCompletionRollup(new Date(now.getTime() - DAY)))!.incremental).toBe(false)
	await refreshCompletionRollup(now)
	const version = await db.courseVersion.findFirstOrThrow({ orderBy: { id: 'asc' } })
	await db.courseVersion.update({ where: { id: version.id }, data: { title: `${version.title} ` } })
	const after = (await refreshCompletionRollup(new Date(now.getTime() + 1000)))!
	expect(after.incremental).toBe(false)
	expect(Object.fromEntries(await rollup())).toEqual(Object.fromEntries(await live(after.asOf)))
})

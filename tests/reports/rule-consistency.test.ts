// The set-based SQL against the rule written out person by person (app/reports/completion.ts), on a small synthetic
// province from scripts/gen-load-data.ts: moves, second posts, departures, tags, closed and future assignments,
// expired, revoked and superseded certificates. Any disagreement on any unit, course or date fails.
import { beforeAll, expect, test } from 'vitest'
import { isCertificateValid } from '#app/certificates/validity.ts'
import { db } from '#app/db.server.ts'
import { RECERTIFICATION_MONTHS } from '#app/learning/versions.server.ts'
import { getChildRows, getUnitPeople, refreshCompletionRollup } from '#app/reports/completion.server.ts'
import { assignmentCovers, certificateCompletes, dueDate, isActiveAt, supersededAt, type VersionFacts } from '#app/reports/completion.ts'
import { populate } from '../../scripts/gen-load-data.ts'
import { useTestDb } from '#tests/setup/db.ts'

const NOW = new Date('2026-11-20T03:00:00.000Z')

const testDb = useTestDb()
beforeAll(async () => {
	await populate((statement) => testDb.current.prisma.$executeRawUnsafe(statement), { staff: 400, units: 24, courses: 12, now: NOW })
}, 120_000)

type Counts = { target: number; completed: number; inProgress: number; overdue: number }

/** The rule, person by person, for every unit's subtree ("S") and own members ("D"), per course. */
async function oracle(at: Date) {
	const [units, memberships, assignments, versions, certificates, enrollments] = await Promise.all([
		db.orgUnit.findMany({ select: { id: true, path: true } }),
		db.membership.findMany({ select: { userId: true, orgUnitId: true, tags: true, countsInTarget: true, validFrom: true, validTo: true } }),
		db.assignment.findMany({ include: { orgUnit: { select: { path: true } } } }),
		db.courseVersion.findMany({ select: { id: true, courseId: true, version: true, publishedAt: true, requiresRecertification: true } }),
		db.certificate.findMany({ select: { userId: true, courseVersionId: true, issuedAt: true, expiresAt: true, revokedAt: true } }),
		db.enrollment.findMany({ select: { userId: true, courseVersionId: true, startedAt: true, completedAt: true } }),
	])
	const pathOf = new Map(units.map((u) => [u.id, u.path]))
	const versionOf = new Map<string, VersionFacts>(versions.map((v) => [v.id, v]))
	const open = assignments.filter((a) => isActiveAt({ validFrom: a.createdAt, validTo: a.closedAt }, at))

	// (user, course) → what they hold
	const status = new Map<string, { completed: boolean; superseded: Date | null; open: boolean }>()
	const entry = (key: string) => status.get(key) ?? status.set(key, { completed: false, superseded: null, open: false }).get(key)!
	for (const c of certificates) {
		const v = versionOf.get(c.courseVersionId)!
		const e = entry(`${c.userId}|${v.courseId}`)
		if (certificateCompletes(c, v, versions, at)) e.completed = true
		const since = supersededAt(v, versions, at)
		if (isCertificateValid(c, at) && since && (!e.superseded || since > e.superseded)) e.superseded = since
	}
	for (const en of enrollments) {
		if (en.startedAt > at || (en.completedAt && en.completedAt <= at)) continue
		entry(`${en.userId}|${versionOf.get(en.courseVersionId)!.courseId}`).open = true
	}

	// (group, user, course) → earliest due date among the memberships in the group
	const due = new Map<string, Date>()
	for (const m of memberships) {
		if (!m.countsInTarget || !isActiveAt(m, at)) continue
		const unitPath = pathOf.get(m.orgUnitId)!
		for (const a of open) {
			if (!assignmentCovers({ unitPath: a.orgUnit.path, audienceTag: a.audienceTag }, { unitPath, tags: m.tags })) continue
			const groups = [...unitPath.split('/').filter(Boolean).map((id) => `S${id}`), `D${m.orgUnitId}`]
			for (const g of groups) {
				const key = `${g}|${m.userId}|${a.courseId}`
				const current = due.get(key)
				if (!current || a.dueAt < current) due.set(key, a.dueAt)
			}
		}
	}
	const counts = new Map<string, Counts>()
	for (const [key, assignmentDue] of due) {
		const [group, userId, courseId] = key.split('|') as [string, string, string]
		const s = status.get(`${userId}|${courseId}`) ?? { completed: false, superseded: null, open: false }
		const c = counts.get(`${group}|${courseId}`) ?? { target: 0, completed: 0, inProgress: 0, overdue: 0 }
		c.target++
		if (s.completed) c.completed++
		else {
			if (s.open) c.inProgress++
			if (dueDate(assignmentDue, s.superseded, RECERTIFICATION_MONTHS) < at) c.overdue++
		}
		counts.set(`${group}|${courseId}`, c)
	}
	return counts
}

for (const [label, at] of [
	['now', NOW],
	['100 days before', new Date(NOW.getTime() - 100 * 86_400_000)],
	['40 days later', new Date(NOW.getTime() + 40 * 86_400_000)],
] as const) {
	test(`every unit and course, ${label}: the SQL agrees with the rule written person by person`, async () => {
		const expected = await oracle(at)
		await refreshCompletionRollup(at)
		const rows = await db.completionRollup.findMany()
		const actual = new Map(rows.map((r) => [`${r.direct ? 'D' : 'S'}${r.orgUnitId}|${r.courseId}`, { target: r.target, completed: r.completed, inProgress: r.inProgress, overdue: r.overdue }]))
		expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected))
		// The generated province exercises what the rule is about.
		const all = [...expected.values()]
		expect(all.some((c) => c.completed === c.target && c.target > 0)).toBe(true)
		expect(all.some((c) => c.overdue > 0)).toBe(true)
	})
}

test('the live ranking and the people list add up to the same numbers as the every-unit statement', async () => {
	const expected = await oracle(NOW)
	const courses = await db.course.findMany({ select: { id: true } })
	const departments = await db.orgUnit.findMany({ where: { depth: 1 }, select: { id: true } })
	for (const { id: courseId } of courses.slice(0, 6)) {
		const ranking = await getChildRows(1, { courseId, at: NOW })
		expect(ranking!.total, courseId).toEqual(expect.objectContaining(expected.get(`S1|${courseId}`) ?? { target: 0, completed: 0, inProgress: 0, overdue: 0 }))
		for (const row of ranking!.rows.filter((r) => !r.direct)) {
			expect(row, `${courseId} unit ${row.unit.id}`).toEqual(expect.objectContaining(expected.get(`S${row.unit.id}|${courseId}`) ?? { target: 0, completed: 0, inProgress: 0, overdue: 0 }))
		}
		for (const { id } of departments.slice(0, 3)) {
			const people = (await getUnitPeople(id, { courseId, at: NOW }))!.people
			const e = expected.get(`S${id}|${courseId}`) ?? { target: 0, completed: 0, inProgress: 0, overdue: 0 }
			expect({
				target: people.length,
				completed: people.filter((p) => p.status === 'completed').length,
				inProgress: people.filter((p) => p.status === 'in_progress').length,
				overdue: people.filter((p) => p.overdue).length,
			}).toEqual(e)
		}
	}
})

// Which courses a person must take is one SQL fragment (assignments.sql.ts), read by requiredCoursesFor and inside
// "Khoá học của tôi"'s one statement (my-courses.sql.ts). Both are compared here with the rule written out plainly
// over Prisma reads, on generated trees, memberships (tags, ended, not yet started) and assignments (tags, closed,
// several per course).
import { expect, test } from 'vitest'
import { db, runSql } from '#app/db.server.ts'
import { pathIds, requiredCoursesFor } from '#app/learning/assignments.server.ts'
import { MY_COURSES } from '#app/learning/my-courses.sql.ts'
import { assign, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

/** The rule as the product states it: an open assignment of a unit at or above one of the person's memberships current
 * at `at`, whose audience tag, if any, that membership carries; per course, the earliest due date. */
async function requiredByTheRule(userId: string, at: Date) {
	const memberships = await db.membership.findMany({
		where: { userId, validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
		select: { tags: true, orgUnit: { select: { path: true } } },
	})
	const ancestorIds = [...new Set(memberships.flatMap((m) => pathIds(m.orgUnit.path)))]
	const assignments = await db.assignment.findMany({
		where: { orgUnitId: { in: ancestorIds }, closedAt: null },
		select: { dueAt: true, audienceTag: true, course: { select: { slug: true } }, orgUnit: { select: { path: true } } },
	})
	const due = new Map<string, Date>()
	for (const a of assignments) {
		if (!memberships.some((m) => m.orgUnit.path.startsWith(a.orgUnit.path) && (!a.audienceTag || m.tags.includes(a.audienceTag)))) continue
		const current = due.get(a.course.slug)
		if (!current || a.dueAt < current) due.set(a.course.slug, a.dueAt)
	}
	return due
}

/** A small deterministic generator: the same cases on every run, so a failure can be replayed. */
function generator(seed: number) {
	let state = seed
	const next = () => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31
		return state / 2 ** 31
	}
	return { chance: (p: number) => next() < p, pick: <T>(items: ReadonlyArray<T>) => items[Math.floor(next() * items.length)]! }
}

test('requiredCoursesFor and my courses give every person the required courses and earliest due dates of the rule', async () => {
	const random = generator(2026)
	const at = new Date('2026-12-07T03:00:00Z')
	const root = await createUnit('Tỉnh Sinh Ngẫu Nhiên')
	const units = [root]
	for (let i = 0; i < 12; i++) units.push(await createUnit(`Đơn vị ${i}`, random.pick(units), i % 3 === 0 ? 'division' : 'department'))
	const tags = ['social-media', 'spokesperson', 'portal']
	const courses = await Promise.all(['a', 'b', 'c', 'd'].map((c) => createCourse(`sql-${c}-${Date.now()}`)))
	for (let i = 0; i < 24; i++) {
		await assign(random.pick(courses), random.pick(units), {
			dueAt: new Date(Date.UTC(2027, Math.floor(i / 3), 1 + (i % 27))),
			audienceTag: random.chance(0.4) ? random.pick(tags) : undefined,
			closedAt: random.chance(0.15) ? new Date('2026-06-01T00:00:00Z') : null,
		})
	}
	const people = []
	for (let i = 0; i < 30; i++) {
		const person = await createUser()
		const count = random.chance(0.2) ? 0 : random.chance(0.6) ? 1 : 2
		for (let j = 0; j < count; j++) {
			await join(person, random.pick(units), {
				tags: tags.filter(() => random.chance(0.35)),
				validFrom: random.chance(0.1) ? new Date('2027-01-01T00:00:00Z') : new Date('2025-01-01T00:00:00Z'),
				validTo: random.chance(0.15) ? new Date('2026-10-01T00:00:00Z') : null,
			})
		}
		people.push(person)
	}
	let required = 0
	for (const person of people) {
		const expected = await requiredByTheRule(person.id, at)
		expect(await requiredCoursesFor(person.id, at)).toEqual(expected)
		const rows = await runSql(MY_COURSES, { userId: person.id, at })
		const got = new Map(rows.filter((r) => r.dueMs !== null).map((r) => [r.slug, new Date(r.dueMs!)]))
		expect(got).toEqual(expected)
		required += expected.size
	}
	// The generated cases must exercise the rule, not only agree on nothing.
	expect(required).toBeGreaterThan(15)
})

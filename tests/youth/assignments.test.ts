// Assigning courses on the Youth Union's units (issue 10 item 3): youth courses first, the staff courses grouped
// apart for community digital team members; staff courses first on government units; a YOUTH_ADMIN assigns on youth
// units and cannot on government ones.
import { expect, test } from 'vitest'
import { listCourses } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { courseGroups } from '#app/learning/assignments.server.ts'
import * as listRoute from '#app/routes/org.$unitId_.assignments.tsx'
import { createManager, createUnit, createUser, createYouthRoot, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, status } from '#tests/setup/routes.ts'

// The real catalogue, as every file gets it (tests/setup/setup-test-env.ts): the grouping is about the courses' audiences.
useTestDb()

type Args = Parameters<typeof listRoute.action>[0]
const args = (request: Request, unitId: number) => ({ request, params: { unitId: String(unitId) }, context: {} }) as Args


test('youth units list youth courses first, then staff courses for the community teams; government units staff first', () => {
	const audience = new Map(listCourses().map((c): [string, ReadonlyArray<string>] => [c.slug, c.audience]))
	const youth = courseGroups('YOUTH')
	expect(youth.map((g) => g.key)).toEqual(['youth', 'staffForTeams'])
	expect(youth[0]!.courses.every((c) => audience.get(c.slug)!.includes('youth'))).toBe(true)
	expect(youth[1]!.courses.every((c) => audience.get(c.slug)!.includes('staff') && !audience.get(c.slug)!.includes('youth'))).toBe(true)
	expect(youth[0]!.courses.map((c) => c.slug)).toContain('ung-xu-van-minh-hoc-sinh')
	expect(youth[1]!.courses.map((c) => c.slug)).toContain('bao-ve-bi-mat-nha-nuoc')
	const gov = courseGroups('GOV')
	expect(gov[0]!.key).toBe('staff')
	expect(gov[0]!.courses.map((c) => c.slug)).toContain('an-toan-tren-mang')
	// Offered by the audiences of the tree's members (issue 18 item 14): a department sees staff courses only, no
	// pupils' course; a chi đoàn no course for pupils only. No course appears twice.
	expect(gov.map((g) => g.key)).toEqual(['staff'])
	expect(gov.flatMap((g) => g.courses).map((c) => c.slug).sort()).toEqual(listCourses().filter((c) => c.audience.includes('staff')).map((c) => c.slug).sort())
	expect(gov[0]!.courses.map((c) => c.slug)).not.toContain('cong-dan-so-nhi')
	for (const groups of [youth, gov]) expect(new Set(groups.flatMap((g) => g.courses.map((c) => c.slug))).size).toBe(groups.flatMap((g) => g.courses).length)
})

test('a YOUTH_ADMIN assigns a youth course on a chi đoàn, and is refused on government units', async () => {
	const youth = await createYouthRoot('Tỉnh đoàn Giao')
	const dcs = await createUnit('Đoàn xã Giao', youth, 'youth_grassroots')
	const branch = await createUnit('Chi đoàn thôn Giao', dcs, 'youth_branch')
	const member = await createUser({ fullName: 'Đoàn Viên Giao', password: null })
	await db.membership.create({ data: { userId: member.id, orgUnitId: branch.id } })
	const officer = await createManager([{ unit: youth, role: 'YOUTH_ADMIN' }])
	const gov = await createUnit('Tỉnh Giao Chính Quyền')

	const page = await (await listRoute.loader(args(await requestAs(officer.id), branch.id))).json()
	expect(page.courseGroups[0].key).toBe('youth')
	const created = await listRoute.action(
		args(await postAs(officer.id, { intent: 'create', courseSlug: 'ung-xu-van-minh-hoc-sinh', dueAt: '2027-06-30' }), branch.id),
	)
	expect((await (created as Response).json()).notice).toMatch(/^Đã giao khoá học «.+» cho Chi đoàn thôn Giao \(Tất cả thành viên\), hạn hoàn thành 30\/06\/2027: 1 người phải hoàn thành\./)
	expect(await db.assignment.count({ where: { orgUnitId: branch.id } })).toBe(1)
	const refused = await status(async () =>
		listRoute.action(args(await postAs(officer.id, { intent: 'create', courseSlug: 'an-toan-tren-mang', dueAt: '2027-06-30' }), gov.id)),
	)
	expect(refused).toBe(403)
	expect(await db.assignment.count({ where: { orgUnitId: gov.id } })).toBe(0)
})

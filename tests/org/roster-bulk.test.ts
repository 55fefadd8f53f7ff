// Bulk writes across statement boundaries: more rows than one statement takes, new people in two units each,
// people already in the database gaining a unit. Every membership must end up on the right person.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { confirmRosterImport, getImportJob } from '#app/org/import-jobs.server.ts'
import { createUnit, createUser, importRoster } from '#tests/factories/org.ts'
import { rosterCsv } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

/** Names may not contain digits: 0 → "A", 27 → "BB", … */
const letters = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letters(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)))

test('4,600 rows: new people in one or two units and known people in a new unit each get exactly their memberships', async () => {
	const dept = await createUnit('Sở Số Đông')
	const a = await createUnit('Phòng Số Một', dept, 'division')
	const b = await createUnit('Phòng Số Hai', dept, 'division')
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	// 300 people already there, in division A.
	const known = await db.user.createManyAndReturn({ data: Array.from({ length: 300 }, (_, i) => ({ fullName: `Người Cũ ${letters(i)}`, email: `cu${i}@example.vn` })) })
	await db.membership.createMany({ data: known.map((u) => ({ userId: u.id, orgUnitId: a.id })) })

	const rows: Array<Array<string>> = []
	// 3,000 new people, every third of them in both divisions (two rows, same e-mail).
	for (let i = 0; i < 3000; i++) {
		rows.push([`Người Mới ${letters(i)}`, '', `moi${i}@example.vn`, '', a.code, '', '', ''])
		if (i % 3 === 0) rows.push([`Người Mới ${letters(i)}`, '', `moi${i}@example.vn`, '', b.code, 'Kiêm nhiệm', '', ''])
	}
	// The 300 known people: still in A, now also in B.
	for (let i = 0; i < 300; i++) rows.push([`Người Cũ ${letters(i)}`, '', `cu${i}@example.vn`, '', a.code, '', '', ''], [`Người Cũ ${letters(i)}`, '', `cu${i}@example.vn`, '', b.code, '', '', ''])
	expect(rows.length).toBe(4600)

	const jobId = await importRoster(rosterCsv(rows), { scope: dept, actorId: manager.id, fileName: 'dong.csv', effectiveAt: new Date(Date.now() - 60_000) })
	expect(await getImportJob(jobId, dept.id)).toMatchObject({ status: 'PREVIEW', newUsers: 3000, created: 4300, unchanged: 300, errors: { total: 0 } })
	expect(await confirmRosterImport({ jobId, scope: dept, actorId: manager.id, wait: true })).toBe(true)
	expect(await getImportJob(jobId, dept.id)).toMatchObject({ status: 'SUCCEEDED', newUsers: 3000, created: 4300 })

	const memberships = await db.membership.findMany({ where: { importJobId: jobId }, select: { orgUnitId: true, title: true, user: { select: { email: true, username: true, fullName: true } } } })
	expect(memberships).toHaveLength(4300)
	const byEmail = new Map<string, Array<number>>()
	for (const m of memberships) byEmail.set(m.user.email!, [...(byEmail.get(m.user.email!) ?? []), m.orgUnitId].sort())
	for (let i = 0; i < 3000; i++) expect(byEmail.get(`moi${i}@example.vn`), `moi${i}`).toEqual(i % 3 === 0 ? [a.id, b.id].sort() : [a.id])
	for (let i = 0; i < 300; i++) expect(byEmail.get(`cu${i}@example.vn`), `cu${i}`).toEqual([b.id])
	expect(memberships.find((m) => m.user.email === 'moi3@example.vn' && m.orgUnitId === b.id)?.title).toBe('Kiêm nhiệm')
	// Usernames are unique and every new person has one.
	const usernames = await db.user.findMany({ where: { email: { startsWith: 'moi' } }, select: { username: true } })
	expect(new Set(usernames.map((u) => u.username)).size).toBe(3000)
	expect(await db.user.count({ where: { email: { startsWith: 'cu' } } })).toBe(300)
})

import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { countRequiredPeople } from '#app/learning/assignments.server.ts'
import { setTargetTags, targetSummary } from '#app/org/targets.server.ts'
import { createUnit, createUser, importRoster } from '#tests/factories/org.ts'
import { rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

test('a unit’s target rule decides who counts, for the assignment preview and for later imports', async () => {
	const dept = await createUnit('Sở Chỉ Tiêu')
	const div = await createUnit('Phòng Chỉ Tiêu', dept, 'division')
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	for (const [name, tags] of [['Người Mạng', ['social-media']], ['Người Lãnh Đạo', ['leader']], ['Người Thường', []]] as const) {
		const user = await db.user.create({ data: { fullName: name } })
		await db.membership.create({ data: { userId: user.id, orgUnitId: div.id, tags: [...tags] } })
	}
	expect(await countRequiredPeople(dept.path, null)).toBe(4)
	expect(await setTargetTags(dept, { tags: ['social-media'], subtree: true }, { actorId: manager.id })).toMatchObject({ units: 2, counted: 1 })
	expect(await countRequiredPeople(dept.path, null)).toBe(1)
	expect(await targetSummary(dept)).toEqual({ members: 4, counted: 1 })
	// New people imported into the division follow the rule too.
	const file = await rosterXlsx([
		['Người Mới Mạng', '', '', '', div.code, '', 'mạng xã hội', 'Có'],
		['Người Mới Thường', '', '', '', div.code, '', '', 'Có'],
	])
	await importRoster(file, { scope: dept, actorId: manager.id, fileName: 'x.xlsx', effectiveAt: new Date(Date.now() - 60_000), confirm: true })
	expect(await countRequiredPeople(dept.path, null)).toBe(2)
	// An empty rule: everyone counts again.
	await setTargetTags(dept, { tags: [], subtree: true }, { actorId: manager.id })
	expect(await countRequiredPeople(dept.path, null)).toBe(6)
	expect(await db.auditEvent.count({ where: { action: 'orgunit.targets' } })).toBe(2)
})

import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { endMember, listMembers, moveMember, updateMember } from '#app/org/members.server.ts'
import * as memberRoute from '#app/routes/org.$unitId_.members.$membershipId.tsx'
import * as membersRoute from '#app/routes/org.$unitId_.members._index.tsx'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs, status } from '#tests/setup/routes.ts'

useTestDb()

async function person(fullName: string, unitId: number, tags: Array<string> = [], email?: string) {
	const user = await db.user.create({ data: { fullName, email } })
	return db.membership.create({ data: { userId: user.id, orgUnitId: unitId, tags } })
}

test('search ignores accents and case; filters by unit, tag and status; people are in Vietnamese order', async () => {
	const dept = await createUnit('Sở Tìm')
	const div = await createUnit('Phòng Tìm', dept, 'division')
	await person('Nguyễn Thị Hương', dept.id, ['leader'], 'huong@example.vn')
	await person('Trần Văn Đức', div.id)
	await person('Lê Văn Ánh', div.id, ['leader'])
	const ended = await person('Phạm Anh Đã Nghỉ', div.id)
	await db.membership.update({ where: { id: ended.id }, data: { validTo: new Date(Date.now() - 1000) } })
	const names = async (filter: Parameters<typeof listMembers>[1]) => (await listMembers(dept, filter)).members.map((m) => m.fullName)
	expect(await names({ q: 'huong' })).toEqual(['Nguyễn Thị Hương'])
	expect(await names({ q: 'NGUYEN thi' })).toEqual(['Nguyễn Thị Hương'])
	expect(await names({ q: 'duc' })).toEqual(['Trần Văn Đức'])
	expect(await names({ q: 'Đức' })).toEqual(['Trần Văn Đức'])
	expect(await names({ q: 'HUONG@EXAMPLE' })).toEqual(['Nguyễn Thị Hương'])
	expect(await names({ q: '100%_' })).toEqual([])
	expect(await names({})).toEqual(['Lê Văn Ánh', 'Trần Văn Đức', 'Nguyễn Thị Hương'])
	expect(await names({ unitId: div.id })).toEqual(['Lê Văn Ánh', 'Trần Văn Đức'])
	expect(await names({ tag: 'leader' })).toEqual(['Lê Văn Ánh', 'Nguyễn Thị Hương'])
	expect(await names({ status: 'ended' })).toEqual(['Phạm Anh Đã Nghỉ'])
	expect(await names({ status: 'pending' })).toHaveLength(3)
	expect((await listMembers(div, {})).members.map((m) => m.fullName)).toEqual(['Lê Văn Ánh', 'Trần Văn Đức'])
})

test('editing, moving and ending a membership are audited, keep history and never delete', async () => {
	const dept = await createUnit('Sở Sửa')
	const a = await createUnit('Phòng A', dept, 'division')
	const b = await createUnit('Phòng B', dept, 'division')
	const outside = await createUnit('Sở Ngoài')
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	const joined = await person('Hoàng Văn Chuyển', a.id)
	const m = await db.membership.update({ where: { id: joined.id }, data: { validFrom: new Date(Date.now() - 30 * 24 * 3600 * 1000) } })
	const actor = { actorId: manager.id, grants: [{ role: 'MANAGER' as const, orgUnitId: dept.id, path: dept.path }] }
	expect(await updateMember(dept, m.id, { title: 'Chuyên viên chính', tags: ['leader'], countsInTarget: false }, actor)).toBe(true)
	expect(await db.auditEvent.count({ where: { action: 'membership.update', targetId: m.id } })).toBe(1)
	const at = new Date(Date.now() - 24 * 3600 * 1000)
	expect(await moveMember(dept, m.id, { toUnitId: outside.id, at }, actor)).toBe('bad-target')
	expect(await moveMember(dept, m.id, { toUnitId: a.id, at }, actor)).toBe('same-unit')
	expect(await moveMember(dept, m.id, { toUnitId: b.id, at }, actor)).toBe('moved')
	const history = await db.membership.findMany({ where: { userId: m.userId }, orderBy: { validFrom: 'asc' } })
	expect(history.map((h) => [h.orgUnitId, h.validTo?.toISOString() ?? null, h.title, h.countsInTarget])).toEqual([
		[a.id, at.toISOString(), 'Chuyên viên chính', false],
		[b.id, null, 'Chuyên viên chính', false],
	])
	expect(await moveMember(dept, m.id, { toUnitId: b.id, at }, actor)).toBe('not-active')
	expect(await endMember(dept, history[1]!.id, new Date(Date.now() - 48 * 3600 * 1000), actor)).toEqual({ ended: false, reason: 'not-active' })
	expect(await endMember(dept, history[1]!.id, new Date(), actor)).toEqual({ ended: true, disabled: true })
	expect(await db.user.findUniqueOrThrow({ where: { id: m.userId } })).toMatchObject({ status: 'DISABLED' })
	expect(await db.membership.count({ where: { userId: m.userId } })).toBe(2)
	expect(await db.auditEvent.count({ where: { action: { in: ['membership.move', 'membership.end'] }, actorId: manager.id } })).toBe(2)
})

test('a manager of unit B can neither see nor change members of unit A, through pages and actions', async () => {
	const province = await createUnit('Tỉnh M')
	const a = await createUnit('Sở A', province)
	const b = await createUnit('Sở B', province)
	const managerA = await createUser({ unitId: a.id, role: 'MANAGER' })
	const managerB = await createUser({ unitId: b.id, role: 'MANAGER' })
	const m = await person('Người Của A', a.id)
	const post = async (userId: string, unitId: number, fields: Record<string, string>) => {
		return memberRoute.action(routeArgs(await postAs(userId, fields), { unitId: String(unitId), membershipId: m.id }))
	}
	expect(await status(async () => membersRoute.loader(routeArgs(await requestAs(managerB.id), { unitId: String(a.id) })))).toBe(403)
	const listB = await (await membersRoute.loader(routeArgs(await requestAs(managerB.id, `http://localhost/org/${b.id}/members?q=cua%20a`), { unitId: String(b.id) }))).json()
	expect(listB.result.total).toBe(0)
	expect(await status(async () => memberRoute.loader(routeArgs(await requestAs(managerB.id), { unitId: String(a.id), membershipId: m.id })))).toBe(403)
	expect(await status(async () => memberRoute.loader(routeArgs(await requestAs(managerB.id), { unitId: String(b.id), membershipId: m.id })))).toBe(404)
	expect(await status(() => post(managerB.id, b.id, { intent: 'update', title: 'Bị sửa' }))).toBe(404)
	expect(await status(() => post(managerB.id, a.id, { intent: 'end', at: '2026-01-01' }))).toBe(403)
	expect(await status(() => post(managerB.id, b.id, { intent: 'move', toUnitId: String(b.id), at: new Date().toISOString().slice(0, 10) }))).toBe(404)
	expect(await db.membership.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ title: null, validTo: null })
	// Manager A, without JavaScript: a plain form post.
	const saved = await post(managerA.id, a.id, { intent: 'update', title: 'Chuyên viên', tags: 'leader', otherTags: 'Cán bộ trẻ', countsInTarget: 'on' })
	expect(await saved.json()).toMatchObject({ notice: 'Đã lưu.' })
	expect(await db.membership.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ title: 'Chuyên viên', tags: ['leader', 'can-bo-tre'], countsInTarget: true })
})

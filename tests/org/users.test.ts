import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { createUserInUnit } from '#app/org/users.server.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'

useTestDb()

test('creating an account stores the name in NFC, adds the membership and audits it in one go', async () => {
	const unit = await createUnit('Sở E')
	const manager = await createUser({ unitId: unit.id, role: 'MANAGER' })
	const decomposed = '  Nguye\u0302\u0303n   Thi\u0323 Hu\u031bo\u031bng '
	const result = await createUserInUnit(
		{ fullName: decomposed, username: 'huong.nt', tags: ['social-media'], title: 'Chuyên viên' },
		unit.id,
		manager.id,
		await requestAs(manager.id),
	)
	expect(result).toMatchObject({ ok: true, fullName: 'Nguyễn Thị Hương' })
	const user = await db.user.findUniqueOrThrow({ where: { username: 'huong.nt' }, include: { memberships: true } })
	expect(user.fullName).toBe('Nguyễn Thị Hương')
	expect(user.fullName).toBe(user.fullName.normalize('NFC'))
	expect(user.status).toBe('PENDING')
	expect(user.memberships).toMatchObject([{ orgUnitId: unit.id, tags: ['social-media'] }])
	const event = await db.auditEvent.findFirstOrThrow({ where: { action: 'user.create', targetId: user.id } })
	expect(event).toMatchObject({ actorId: manager.id, orgUnitId: unit.id, ip: '203.0.113.7' })
})

test('a taken username or e-mail is refused and nothing is written', async () => {
	const unit = await createUnit('Sở F')
	const manager = await createUser({ unitId: unit.id, role: 'MANAGER' })
	await db.user.create({ data: { fullName: 'Có Sẵn', username: 'co.san', email: 'co.san@example.vn' } })
	const counts = async () => [await db.user.count(), await db.membership.count(), await db.auditEvent.count()]
	const before = await counts()
	const request = await requestAs(manager.id)
	expect(await createUserInUnit({ fullName: 'A', username: 'co.san', tags: [] }, unit.id, manager.id, request)).toEqual({ ok: false, field: 'username' })
	expect(await createUserInUnit({ fullName: 'B', username: 'khac', email: 'co.san@example.vn', tags: [] }, unit.id, manager.id, request)).toEqual({
		ok: false,
		field: 'email',
	})
	expect(await counts()).toEqual(before)
})

test('an account created on a Youth Union unit is a youth member, on a government unit staff', async () => {
	const gov = await createUnit('Sở G')
	const youthRoot = await db.orgUnit.create({ data: { tree: 'YOUTH', kind: 'youth_union', code: 'TD-G', name: 'Tỉnh đoàn G', path: 'pending', depth: 0 } })
	const root = await db.orgUnit.update({ where: { id: youthRoot.id }, data: { path: `/${youthRoot.id}/` } })
	const branch = await createUnit('Chi đoàn G', root, 'youth_branch')
	const officer = await createUser({ unitId: root.id, role: 'YOUTH_ADMIN' })
	const manager = await createUser({ unitId: gov.id, role: 'MANAGER' })
	await createUserInUnit({ fullName: 'Đoàn Viên Mới', username: 'doan.vien.g', tags: [] }, branch.id, officer.id, await requestAs(officer.id))
	await createUserInUnit({ fullName: 'Cán Bộ Mới', username: 'can.bo.g', tags: [] }, gov.id, manager.id, await requestAs(manager.id))
	const kinds = await db.user.findMany({ where: { username: { in: ['doan.vien.g', 'can.bo.g'] } }, select: { username: true, kind: true }, orderBy: { username: 'asc' } })
	expect(kinds).toEqual([
		{ username: 'can.bo.g', kind: 'STAFF' },
		{ username: 'doan.vien.g', kind: 'YOUTH' },
	])
})

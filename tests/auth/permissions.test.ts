import { expect, test } from 'vitest'
import { requireOrgRole, scopeWhere } from '#app/auth/permissions.server.ts'
import { can } from '#app/auth/permissions.ts'
import { db } from '#app/db.server.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'

useTestDb()

test('a grant covers its unit and the whole subtree, and nothing beside it', () => {
	const grants = [{ role: 'MANAGER' as const, orgUnitId: 7, path: '/1/7/' }]
	expect(can(grants, '/1/7/', ['MANAGER'])).toBe(true)
	expect(can(grants, '/1/7/42/', ['MANAGER'])).toBe(true)
	expect(can(grants, '/1/70/', ['MANAGER'])).toBe(false)
	expect(can(grants, '/1/', ['MANAGER'])).toBe(false)
	expect(can(grants, '/1/7/42/', ['TRAINER'])).toBe(false)
	expect(can([{ role: 'ADMIN', orgUnitId: 1, path: '/1/' }], '/1/7/42/', ['TRAINER'])).toBe(true)
})

async function status(promise: Promise<unknown>) {
	try {
		await promise
		return 200
	} catch (thrown) {
		if (thrown instanceof Response) return thrown.status
		if (thrown && typeof thrown === 'object' && 'init' in thrown) return (thrown as { init: { status: number } }).init.status
		throw thrown
	}
}

test('a manager of one department is refused on another department and on the province', async () => {
	const province = await createUnit('Tỉnh B')
	const deptA = await createUnit('Sở A', province)
	const divisionA = await createUnit('Phòng A1', deptA, 'division')
	const deptB = await createUnit('Sở B', province)
	const manager = await createUser({ unitId: deptA.id, role: 'MANAGER' })
	const req = () => requestAs(manager.id)
	expect(await status(requireOrgRole(await req(), deptA.id, ['MANAGER']))).toBe(200)
	expect(await status(requireOrgRole(await req(), divisionA.id, ['MANAGER']))).toBe(200)
	expect(await status(requireOrgRole(await req(), deptB.id, ['MANAGER']))).toBe(403)
	expect(await status(requireOrgRole(await req(), province.id, ['MANAGER']))).toBe(403)
	expect(await status(requireOrgRole(await req(), 999_999, ['MANAGER']))).toBe(404)
	expect(await status(requireOrgRole(await req(), Number('abc'), ['MANAGER']))).toBe(404)
})

test('without a session the guard redirects to the login page and comes back afterwards', async () => {
	const unit = await createUnit('Tỉnh C')
	try {
		await requireOrgRole(await requestAs(null, 'http://localhost/org/5?x=1'), unit.id, ['MANAGER'])
		expect.unreachable()
	} catch (thrown) {
		expect(thrown).toBeInstanceOf(Response)
		const response = thrown as Response
		expect(response.status).toBe(302)
		expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Forg%2F5%3Fx%3D1')
	}
})

test('scopeWhere selects exactly the units of the granted subtrees', async () => {
	const province = await createUnit('Tỉnh D')
	const a = await createUnit('Sở D1', province)
	const a1 = await createUnit('Phòng D1a', a, 'division')
	await createUnit('Sở D2', province)
	const ids = (await db.orgUnit.findMany({ where: scopeWhere([{ role: 'MANAGER', orgUnitId: a.id, path: a.path }], ['MANAGER']) })).map((u) => u.id)
	expect(ids.sort()).toEqual([a.id, a1.id].sort())
	expect(await db.orgUnit.count({ where: scopeWhere([], ['MANAGER']) })).toBe(0)
})

import { expect, test } from 'vitest'
import { buildDemoData } from '../../prisma/demo-data.ts'

const demo = buildDemoData()

test('the demo province follows the 2025 structure with enough departments, divisions and communes', () => {
	const gov = demo.units.filter((u) => u.tree === 'GOV')
	const province = gov.find((u) => u.kind === 'province')!
	const departments = gov.filter((u) => u.kind === 'department')
	expect(departments.length).toBeGreaterThanOrEqual(8)
	for (const d of departments) expect(gov.some((u) => u.kind === 'division' && u.parentId === d.id)).toBe(true)
	const communes = gov.filter((u) => u.kind === 'commune')
	expect(communes.length).toBeGreaterThanOrEqual(20)
	// No district level: communes hang directly under the province.
	for (const c of communes) expect(c.parentId).toBe(province.id)
	expect(new Set(demo.units.map((u) => u.tree))).toEqual(new Set(['GOV', 'EDU', 'YOUTH']))
})

test('materialized paths agree with the parent links', () => {
	const byId = new Map(demo.units.map((u) => [u.id, u]))
	for (const u of demo.units) {
		const parent = u.parentId ? byId.get(u.parentId) : undefined
		expect(u.path).toBe(`${parent?.path ?? '/'}${u.id}/`)
	}
})

test('about 300 staff with NFC Vietnamese names, unique usernames and the three roster tags', () => {
	const staff = demo.users.filter((u) => u.kind === 'STAFF')
	expect(staff.length).toBeGreaterThanOrEqual(280)
	for (const u of demo.users) expect(u.fullName).toBe(u.fullName.normalize('NFC'))
	const usernames = demo.users.map((u) => u.username)
	expect(new Set(usernames).size).toBe(usernames.length)
	const tags = new Set(demo.memberships.flatMap((m) => m.tags))
	expect(tags).toEqual(new Set(['leader', 'social-media', 'spokesperson']))
	expect(buildDemoData().users.map((u) => u.fullName)).toEqual(demo.users.map((u) => u.fullName))
})

test('each demo account has the role its home page needs', () => {
	const roles = Object.fromEntries(demo.accounts.map((a) => [a.username, demo.grants.filter((g) => g.userId === a.userId).map((g) => g.role)]))
	expect(roles).toEqual({
		admin: ['ADMIN', 'ADMIN', 'ADMIN'],
		quanly: ['MANAGER'],
		hocvien: [],
		giaovien: ['TRAINER'],
		doanvien: ['YOUTH_ADMIN'],
	})
})

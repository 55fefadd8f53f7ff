// Builders for test data: they write through the app's own client (the test file's database).
import { hashPassword } from '#app/auth/password.server.ts'
import { startSession } from '#app/auth/session.server.ts'
import { db } from '#app/db.server.ts'
import { type OrgKind, type OrgTree, type Role } from '#app/db-types.ts'
import { confirmRosterImport, startRosterImport } from '#app/org/import-jobs.server.ts'
import { type RosterMode } from '#app/org/roster-import.server.ts'

let counter = 0
const next = () => ++counter

export async function createUnit(name: string, parent?: { id: number; path: string; depth: number; tree: OrgTree }, kind: OrgKind = 'department') {
	const tree = parent?.tree ?? 'GOV'
	const unit = await db.orgUnit.create({
		data: { tree, kind: parent ? kind : 'province', code: `U${next()}`, name, parentId: parent?.id, path: 'pending', depth: parent ? parent.depth + 1 : 0 },
	})
	return db.orgUnit.update({ where: { id: unit.id }, data: { path: `${parent?.path ?? '/'}${unit.id}/` } })
}

export const TEST_PASSWORD = 'mat-khau-thu-nghiem'

export async function createUser({
	fullName = `Người dùng ${next()}`,
	username = `user${next()}`,
	status = 'ACTIVE' as const,
	password = TEST_PASSWORD as string | null,
	unitId,
	role,
}: {
	fullName?: string
	username?: string
	status?: 'ACTIVE' | 'PENDING' | 'DISABLED'
	password?: string | null
	unitId?: number
	role?: Role
} = {}) {
	const user = await db.user.create({ data: { fullName, username, status } })
	if (password) await db.password.create({ data: { userId: user.id, hash: await hashPassword(password) } })
	if (unitId) {
		await db.membership.create({ data: { userId: user.id, orgUnitId: unitId } })
		if (role) await db.roleGrant.create({ data: { userId: user.id, orgUnitId: unitId, role } })
	}
	return user
}

/** A request carrying a real session cookie for the user, as a browser would send it. */
export async function requestAs(userId: string | null, url = 'http://localhost/', init: RequestInit = {}) {
	const headers = new Headers(init.headers)
	if (userId) headers.set('Cookie', (await startSession(userId)).split(';')[0]!)
	headers.set('x-vms-client-ip', headers.get('x-vms-client-ip') ?? '203.0.113.7')
	return new Request(url, { ...init, headers })
}

/**
 * The root of another tree than the government one createUnit starts: a Tỉnh đoàn (YOUTH, youth_union) or an
 * education office (EDU). Units made under it with createUnit inherit its tree.
 */
export async function createRoot(name: string, tree: Exclude<OrgTree, 'GOV'>) {
	const kind: OrgKind = tree === 'YOUTH' ? 'youth_union' : 'education_office'
	const unit = await db.orgUnit.create({ data: { tree, kind, code: `R${next()}`, name, path: 'pending', depth: 0 } })
	return db.orgUnit.update({ where: { id: unit.id }, data: { path: `/${unit.id}/` } })
}

/** A Youth Union root (decision 016). */
export const createYouthRoot = (name: string) => createRoot(name, 'YOUTH')

/**
 * Someone who manages: a user (no membership unless `memberOf`) holding each of `grants`, a role on a unit; e.g.
 * `createManager([{ unit: youthRoot, role: 'YOUTH_ADMIN' }])`, or two grants for a person above and beside.
 */
export async function createManager(grants: Array<{ unit: { id: number }; role: Role }>, options: { fullName?: string; memberOf?: { id: number } } = {}) {
	const user = await createUser({ fullName: options.fullName, unitId: options.memberOf?.id })
	for (const { unit, role } of grants) await db.roleGrant.create({ data: { userId: user.id, orgUnitId: unit.id, role } })
	return user
}

/**
 * The usual scene of a roster test: `Tỉnh <name>` with `Sở <name>` in it, the `divisions` (full names) under the
 * department, the `siblings` beside it, and a manager who is a member of the department and MANAGER there. Each test
 * names its own scene, so that several share the file's database.
 */
export async function createManagedDepartment(
	name: string,
	{ divisions = [], siblings = [], managerName }: { divisions?: Array<string>; siblings?: Array<string>; managerName?: string } = {},
) {
	const province = await createUnit(`Tỉnh ${name}`)
	const dept = await createUnit(`Sở ${name}`, province)
	const under = []
	for (const division of divisions) under.push(await createUnit(division, dept, 'division'))
	const beside = []
	for (const sibling of siblings) beside.push(await createUnit(sibling, province))
	const manager = await createUser({ fullName: managerName, unitId: dept.id, role: 'MANAGER' })
	return { province, dept, divisions: under, siblings: beside, manager }
}

type ImportScope = Parameters<typeof startRosterImport>[0]['scope']

/**
 * A roster file uploaded into `scope` by `actorId`, its check waited for: the job's id. With `confirm`, the import is
 * also confirmed and written (an import that cannot be confirmed is an error of the set-up).
 */
export async function importRoster(
	bytes: Uint8Array,
	{
		scope,
		actorId,
		mode = 'upsert',
		effectiveAt = new Date(),
		fileName = 'danh-sach.xlsx',
		confirm = false,
	}: { scope: ImportScope; actorId: string; mode?: RosterMode; effectiveAt?: Date; fileName?: string; confirm?: boolean },
) {
	const jobId = await startRosterImport({ bytes, fileName, scope, actorId, mode, effectiveAt, wait: true })
	if (confirm && !(await confirmRosterImport({ jobId, scope, actorId, wait: true }))) throw new Error(`import ${jobId} could not be confirmed`)
	return jobId
}

// Pure permission checks, usable in components to decide what to show. The server twin enforces them.
import { type OrgTree, type Role } from '#app/db-types.ts'

export type Grant = { role: Role; orgUnitId: number; path: string }

/** A grant on a unit covers that unit and its whole subtree (materialized paths: "/1/7/" covers "/1/7/42/"). */
export function grantCovers(grant: Pick<Grant, 'path'>, unitPath: string) {
	return unitPath.startsWith(grant.path)
}

/** ADMIN over a subtree can do whatever any other role can do there. */
export function can(grants: ReadonlyArray<Grant>, unitPath: string, roles: ReadonlyArray<Role>) {
	return grants.some((g) => (g.role === 'ADMIN' || roles.includes(g.role)) && grantCovers(g, unitPath))
}

export function hasAnyRole(grants: ReadonlyArray<Pick<Grant, 'role'>>, roles: ReadonlyArray<Role>) {
	return grants.some((g) => g.role === 'ADMIN' || roles.includes(g.role))
}

/**
 * Roles that belong to one tree: a Youth Union officer's grant means nothing outside the Youth Union's units, so a
 * YOUTH_ADMIN granted on a government or school unit by mistake opens nothing there (issue 10, decision 017). Code
 * that creates grants refuses them with roleFitsTree; reading grants (permissions.server.ts) ignores them.
 */
export const ROLE_TREE: Partial<Record<Role, OrgTree>> = { YOUTH_ADMIN: 'YOUTH' }

export function roleFitsTree(role: Role, tree: OrgTree) {
	const only = ROLE_TREE[role]
	return !only || only === tree
}

/** An administrator of a whole tree (a grant on a root unit): the only one who may act for the province as a whole. */
export function wholeTreeAdmin(grants: ReadonlyArray<Pick<Grant, 'role' | 'path'>>) {
	return grants.some((g) => g.role === 'ADMIN' && g.path.split('/').filter(Boolean).length === 1)
}

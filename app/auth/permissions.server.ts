// Authorization: every loader and action that touches an org unit calls requireOrgRole (or filters with
// scopeWhere) so that a grant's subtree is the limit of what a user sees and changes.
import { db, runSql } from '#app/db.server.ts'
import { type Role } from '#app/db-types.ts'
import { forbidden, MAX_INT_ID, notFound } from '#app/ui/http.server.ts'
import { GRANTS_OF_USER } from './permissions.sql.ts'
import { can, type Grant } from './permissions.ts'
import { requireUser, type SessionUser } from './session.server.ts'

const perRequest = new WeakMap<Request, Promise<Array<Grant>>>()

export function getGrants(request: Request, userId: string): Promise<Array<Grant>> {
	let pending = perRequest.get(request)
	if (!pending) {
		pending = runSql(GRANTS_OF_USER, { userId })
		perRequest.set(request, pending)
	}
	return pending
}

// Defined once in app/ui/http.server.ts; most routes get them from here with requireOrgRole.
export { forbidden, notFound }

/** The user, their grants and the unit, or a 403 when no grant of theirs covers the unit with one of `roles`. */
export async function requireOrgRole(request: Request, orgUnitId: number, roles: ReadonlyArray<Role>) {
	const user = await requireUser(request)
	// Past int4 the database would raise instead of finding nothing.
	if (!Number.isSafeInteger(orgUnitId) || orgUnitId <= 0 || orgUnitId > MAX_INT_ID) notFound()
	const [grants, unit] = await Promise.all([
		getGrants(request, user.id),
		db.orgUnit.findUnique({ where: { id: orgUnitId } }),
	])
	if (!unit) notFound()
	if (!can(grants, unit.path, roles)) forbidden()
	return { user, grants, unit }
}

/** For pages that are not about one unit (e.g. the audit log): the user must hold one of `roles` somewhere. */
export async function requireAnyRole(request: Request, roles: ReadonlyArray<Role>): Promise<{ user: SessionUser; grants: Array<Grant> }> {
	const user = await requireUser(request)
	const grants = await getGrants(request, user.id)
	const relevant = grants.filter((g) => g.role === 'ADMIN' || roles.includes(g.role))
	if (relevant.length === 0) forbidden()
	return { user, grants: relevant }
}

/** A Prisma filter on OrgUnit.path limited to the subtrees where the grants give one of `roles`. */
export function scopeWhere(grants: ReadonlyArray<Grant>, roles: ReadonlyArray<Role>) {
	const paths = grants.filter((g) => g.role === 'ADMIN' || roles.includes(g.role)).map((g) => g.path)
	return { OR: paths.map((p) => ({ path: { startsWith: p } })) }
}

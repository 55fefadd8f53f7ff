// Who may see which certificates. The holder sees theirs; a manager, auditor or youth administrator sees those of
// their subtree: certificates issued in it, and those held by people who are members of it now. An ADMIN over
// that subtree may also revoke and reissue.
import { getGrants } from '#app/auth/permissions.server.ts'
import { can, type Grant } from '#app/auth/permissions.ts'
import { requireUser } from '#app/auth/session.server.ts'
import { db, type Prisma } from '#app/db.server.ts'
import { type OrgUnit } from '#app/generated/prisma/client.ts'
import { type Role } from '#app/generated/prisma/enums.ts'
import { EXPIRING_DAYS, LIST_LIMIT } from './limits.ts'
import { type UnitFilter } from './schema.ts'
import { SERIAL_PATTERN } from './serial.ts'

export const VIEW_ROLES: ReadonlyArray<Role> = ['MANAGER', 'AUDITOR', 'YOUTH_ADMIN']
export const MANAGE_ROLES: ReadonlyArray<Role> = ['ADMIN']

function activeAt(now: Date) {
	return { validFrom: { lte: now }, OR: [{ validTo: null }, { validTo: { gt: now } }] }
}

/** The certificate and what the signed-in user may do with it; 404 for unknown serials, 403 outside their scope. */
export async function requireCertificate(request: Request, serial: string) {
	const user = await requireUser(request)
	if (!SERIAL_PATTERN.test(serial)) throw new Response('Not Found', { status: 404 })
	const now = new Date()
	const cert = await db.certificate.findUnique({
		where: { serial },
		include: {
			orgUnit: { select: { path: true } },
			user: { select: { memberships: { where: activeAt(now), select: { orgUnit: { select: { path: true } } } } } },
		},
	})
	if (!cert) throw new Response('Not Found', { status: 404 })
	const paths = [cert.orgUnit?.path, ...cert.user.memberships.map((m) => m.orgUnit.path)].filter((p): p is string => !!p)
	const grants = await getGrants(request, user.id)
	const isHolder = cert.userId === user.id
	const canView = isHolder || paths.some((p) => can(grants, p, VIEW_ROLES))
	if (!canView) throw new Response('Forbidden', { status: 403 })
	const { orgUnit: _unit, user: _user, ...certificate } = cert
	return { user, certificate, isHolder, canManage: paths.some((p) => can(grants, p, MANAGE_ROLES)) }
}

/** Certificates in a unit's subtree (issued there, or held by its current members), filtered as the manager asked. */
export function unitCertificatesWhere(unit: Pick<OrgUnit, 'path'>, filter: UnitFilter, now: Date = new Date()): Prisma.CertificateWhereInput {
	const inSubtree = { path: { startsWith: unit.path } }
	const and: Array<Prisma.CertificateWhereInput> = [
		{ OR: [{ orgUnit: inSubtree }, { user: { memberships: { some: { orgUnit: inSubtree, ...activeAt(now) } } } }] },
	]
	if (!filter.expired) and.push({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] })
	return {
		revokedAt: null,
		AND: and,
		...(filter.course ? { courseVersion: { course: { slug: filter.course } } } : {}),
		...(filter.from || filter.to
			? {
					issuedAt: {
						// Calendar days in Vietnam (UTC+7), both ends included.
						...(filter.from ? { gte: new Date(`${filter.from}T00:00:00+07:00`) } : {}),
						...(filter.to ? { lte: new Date(`${filter.to}T23:59:59.999+07:00`) } : {}),
					},
				}
			: {}),
	}
}

export async function listUnitCertificates(unit: Pick<OrgUnit, 'path'>, filter: UnitFilter, now: Date = new Date()) {
	const where = unitCertificatesWhere(unit, filter, now)
	const [count, rows] = await Promise.all([
		db.certificate.count({ where }),
		db.certificate.findMany({
			where,
			orderBy: [{ issuedAt: 'desc' }, { serial: 'asc' }],
			take: LIST_LIMIT,
			select: { serial: true, holderName: true, orgName: true, courseTitle: true, issuedAt: true, expiresAt: true },
		}),
	])
	return { count, rows }
}

/** Not revoked, expiring within `days`: the people to send back to the course before they stop counting. */
export async function expiringSoon(unit: Pick<OrgUnit, 'path'>, now: Date = new Date(), days = EXPIRING_DAYS) {
	const until = new Date(now.getTime() + days * 24 * 3600_000)
	const where = unitCertificatesWhere(unit, { expired: false }, now)
	return db.certificate.findMany({
		where: { AND: [where, { expiresAt: { gt: now, lte: until } }] },
		orderBy: [{ expiresAt: 'asc' }, { serial: 'asc' }],
		take: LIST_LIMIT,
		select: { serial: true, holderName: true, orgName: true, courseTitle: true, issuedAt: true, expiresAt: true },
	})
}

/** The units where a user may list certificates: the top of each of their subtrees (no unit listed twice). */
export async function certificateUnitsOf(grants: ReadonlyArray<Grant>) {
	const relevant = grants.filter((g) => g.role === 'ADMIN' || VIEW_ROLES.includes(g.role))
	const tops = relevant.filter((g) => !relevant.some((o) => o !== g && o.path !== g.path && g.path.startsWith(o.path)))
	const ids = [...new Set(tops.map((g) => g.orgUnitId))]
	if (!ids.length) return []
	return db.orgUnit.findMany({ where: { id: { in: ids } }, select: { id: true, name: true }, orderBy: { path: 'asc' } })
}

/** Direct sub-units, so that a manager can narrow the list (and the ZIP) to one of them. */
export function subUnits(unit: Pick<OrgUnit, 'id'>) {
	return db.orgUnit.findMany({ where: { parentId: unit.id, validTo: null }, select: { id: true, name: true }, orderBy: { name: 'asc' } })
}

/** The learner's own certificates, newest first, replaced ones left out (their successor is listed). */
export function myCertificates(userId: string) {
	return db.certificate.findMany({
		where: { userId, replacedById: null },
		orderBy: { issuedAt: 'desc' },
		select: { serial: true, courseTitle: true, issuedAt: true, expiresAt: true, revokedAt: true, revokeReason: true },
	})
}

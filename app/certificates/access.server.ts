// Who may see which certificates. The holder sees theirs; a manager, auditor or youth administrator sees those of
// their subtree: certificates issued in it, and those held by people who are members of it now. An ADMIN over
// that subtree may also revoke and reissue.
import { getGrants } from '#app/auth/permissions.server.ts'
import { can, type Grant } from '#app/auth/permissions.ts'
import { requireUser } from '#app/auth/session.server.ts'
import { db, type Prisma } from '#app/db.server.ts'
import { type OrgUnit, type Role } from '#app/db-types.ts'
import { compareVi } from '#app/ui/collation.ts'
import { EXPIRING_DAYS, LIST_LIMIT } from './limits.ts'
import { type CertificateStatusFilter, type UnitFilter } from './schema.ts'
import { SERIAL_PATTERN } from './serial.ts'
import { checkSignature } from './sign.server.ts'
import { certificateState, type CertificateState } from './validity.ts'
import { vnDayEnd, vnDayStart } from '#app/ui/dates.ts'
import { notFound } from '#app/ui/http.server.ts'

export const VIEW_ROLES: ReadonlyArray<Role> = ['MANAGER', 'AUDITOR', 'YOUTH_ADMIN']
export const MANAGE_ROLES: ReadonlyArray<Role> = ['ADMIN']

function activeAt(now: Date) {
	return { validFrom: { lte: now }, OR: [{ validTo: null }, { validTo: { gt: now } }] }
}

/** The certificate and what the signed-in user may do with it; 404 for unknown serials, 403 outside their scope. */
export async function requireCertificate(request: Request, serial: string) {
	const user = await requireUser(request)
	if (!SERIAL_PATTERN.test(serial)) notFound()
	const now = new Date()
	const cert = await db.certificate.findUnique({
		where: { serial },
		include: {
			orgUnit: { select: { path: true, tree: true } },
			user: { select: { memberships: { where: activeAt(now), select: { orgUnit: { select: { path: true, tree: true } } } } } },
		},
	})
	if (!cert) notFound()
	// The holder's memberships open the certificate to their managers only within the tree it was issued in: a
	// government manager does not see what someone learnt as a Youth Union member, nor the other way round (issue 10).
	const memberships = cert.user.memberships.filter((m) => !cert.orgUnit || m.orgUnit.tree === cert.orgUnit.tree)
	const paths = [cert.orgUnit?.path, ...memberships.map((m) => m.orgUnit.path)].filter((p): p is string => !!p)
	const grants = await getGrants(request, user.id)
	const isHolder = cert.userId === user.id
	const canView = isHolder || paths.some((p) => can(grants, p, VIEW_ROLES))
	if (!canView) throw new Response('Forbidden', { status: 403 })
	const { orgUnit: _unit, user: _user, ...certificate } = cert
	return { user, certificate, isHolder, canManage: paths.some((p) => can(grants, p, MANAGE_ROLES)) }
}

/** Which rows a status means at `now` (revocation outranks expiry, as in certificateState). */
function statusWhere(status: CertificateStatusFilter, now: Date): Prisma.CertificateWhereInput {
	switch (status) {
		case 'valid':
			return { revokedAt: null, issuedAt: { lte: now }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }
		case 'expired':
			return { revokedAt: null, expiresAt: { lte: now } }
		case 'revoked':
			return { revokedAt: { not: null }, replacedById: null }
		case 'replaced':
			return { replacedById: { not: null } }
		case 'all':
			return {}
	}
}

/**
 * Certificates in a unit's subtree (issued there, or held by its current members and issued in the same tree),
 * filtered as the manager asked. Certificates issued in another tree stay there (issue 10: no cross-tree data).
 */
export function unitCertificatesWhere(unit: Pick<OrgUnit, 'path' | 'tree'>, filter: UnitFilter, now: Date = new Date()): Prisma.CertificateWhereInput {
	const inSubtree = { path: { startsWith: unit.path } }
	const and: Array<Prisma.CertificateWhereInput> = [
		{
			OR: [
				{ orgUnit: inSubtree },
				{ user: { memberships: { some: { orgUnit: inSubtree, ...activeAt(now) } } }, OR: [{ orgUnitId: null }, { orgUnit: { tree: unit.tree } }] },
			],
		},
		statusWhere(filter.status, now),
	]
	if (filter.course) and.push({ courseVersion: { course: { slug: filter.course } } })
	if (filter.from || filter.to) {
		// Calendar days in Vietnam (UTC+7), both ends included.
		and.push({
			issuedAt: {
				...(filter.from ? { gte: vnDayStart(filter.from) } : {}),
				...(filter.to ? { lte: vnDayEnd(filter.to) } : {}),
			},
		})
	}
	return { AND: and }
}

/**
 * What a ZIP of the filter holds: the listed certificates that may still be printed. Revoked and replaced ones
 * never are (their PDF is refused one by one too); expired ones are, as a record of training done.
 */
export function unitZipWhere(unit: Pick<OrgUnit, 'path' | 'tree'>, filter: UnitFilter, now: Date = new Date()): Prisma.CertificateWhereInput {
	return { AND: [unitCertificatesWhere(unit, filter, now), { revokedAt: null }] }
}

const LIST_SELECT = {
	id: true,
	serial: true,
	userId: true,
	courseVersionId: true,
	holderName: true,
	orgUnitId: true,
	orgName: true,
	courseTitle: true,
	source: true,
	issuedAt: true,
	expiresAt: true,
	revokedAt: true,
	replacedById: true,
	signature: true,
} satisfies Prisma.CertificateSelect

export type ListedCertificateState = CertificateState | 'replaced' | 'invalid'

/** A row as a manager's table shows it: its state now, and the serial that replaced it after a reissue. */
async function listed(rows: Array<Prisma.CertificateGetPayload<{ select: typeof LIST_SELECT }>>, now: Date) {
	const successorIds = rows.map((r) => r.replacedById).filter((id): id is string => !!id)
	const successors = successorIds.length
		? new Map((await db.certificate.findMany({ where: { id: { in: successorIds } }, select: { id: true, serial: true } })).map((c) => [c.id, c.serial]))
		: new Map<string, string>()
	return rows.map((c) => {
		// A row altered outside the application is shown as such (and offers no PDF); rows from before signatures
		// are signed the first time they are opened, so they are judged by their dates here.
		const check = checkSignature(c)
		const state: ListedCertificateState =
			check !== 'ok' && check !== 'unsigned' ? 'invalid' : c.replacedById ? 'replaced' : certificateState(c, now)
		return {
			serial: c.serial,
			holderName: c.holderName,
			orgName: c.orgName,
			courseTitle: c.courseTitle,
			issuedAt: c.issuedAt,
			expiresAt: c.expiresAt,
			revokedAt: c.revokedAt,
			state,
			replacedBy: c.replacedById ? (successors.get(c.replacedById) ?? null) : null,
		}
	})
}

export async function listUnitCertificates(unit: Pick<OrgUnit, 'path' | 'tree'>, filter: UnitFilter, now: Date = new Date()) {
	const where = unitCertificatesWhere(unit, filter, now)
	const [count, zipCount, rows] = await Promise.all([
		db.certificate.count({ where }),
		// Differs from count only when the filter includes revoked or replaced certificates.
		filter.status === 'valid' || filter.status === 'expired'
			? null
			: filter.status === 'all'
				? db.certificate.count({ where: unitZipWhere(unit, filter, now) })
				: 0,
		db.certificate.findMany({ where, orderBy: [{ issuedAt: 'desc' }, { serial: 'asc' }], take: LIST_LIMIT, select: LIST_SELECT }),
	])
	return { count, zipCount: zipCount ?? count, rows: await listed(rows, now) }
}

/**
 * Valid certificates expiring within `days`: the people to send back to the course before they stop counting.
 * Someone who already holds a later certificate of the same course (they renewed) is not listed.
 */
export async function expiringSoon(unit: Pick<OrgUnit, 'path' | 'tree'>, filter: Pick<UnitFilter, 'course'> = {}, now: Date = new Date(), days = EXPIRING_DAYS) {
	const until = new Date(now.getTime() + days * 24 * 3600_000)
	const where = unitCertificatesWhere(unit, { status: 'valid', course: filter.course }, now)
	const candidates = await db.certificate.findMany({
		where: { AND: [where, { expiresAt: { gt: now, lte: until } }] },
		orderBy: [{ expiresAt: 'asc' }, { serial: 'asc' }],
		// More than a page, so that renewed ones can be dropped and a full page still shown.
		take: LIST_LIMIT * 5,
		select: { ...LIST_SELECT, courseVersion: { select: { courseId: true } } },
	})
	if (!candidates.length) return []
	const renewals = await db.certificate.findMany({
		where: {
			userId: { in: [...new Set(candidates.map((c) => c.userId))] },
			revokedAt: null,
			courseVersion: { courseId: { in: [...new Set(candidates.map((c) => c.courseVersion.courseId))] } },
		},
		select: { userId: true, issuedAt: true, courseVersion: { select: { courseId: true } } },
	})
	const renewed = (c: (typeof candidates)[number]) =>
		renewals.some((r) => r.userId === c.userId && r.courseVersion.courseId === c.courseVersion.courseId && r.issuedAt > c.issuedAt)
	return listed(candidates.filter((c) => !renewed(c)).slice(0, LIST_LIMIT), now)
}

/** The units where a user may list certificates: the top of each of their subtrees (no unit listed twice). */
export async function certificateUnitsOf(grants: ReadonlyArray<Grant>) {
	const relevant = grants.filter((g) => g.role === 'ADMIN' || VIEW_ROLES.includes(g.role))
	const tops = relevant.filter((g) => !relevant.some((o) => o !== g && o.path !== g.path && g.path.startsWith(o.path)))
	const ids = [...new Set(tops.map((g) => g.orgUnitId))]
	if (!ids.length) return []
	const units = await db.orgUnit.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
	return units.sort((x, y) => compareVi(x.name, y.name))
}

/**
 * Direct sub-units, so that a manager can narrow the list (and the ZIP) to one of them; in Vietnamese alphabetical
 * order (the database's byte order put "Trần Hưng Đạo" before "Đông Hải").
 */
export async function subUnits(unit: Pick<OrgUnit, 'id'>) {
	const units = await db.orgUnit.findMany({ where: { parentId: unit.id, validTo: null }, select: { id: true, name: true } })
	return units.sort((x, y) => compareVi(x.name, y.name))
}

/** The learner's own certificates, newest first, replaced ones left out (their successor is listed). */
export function myCertificates(userId: string) {
	return db.certificate.findMany({
		where: { userId, replacedById: null },
		orderBy: { issuedAt: 'desc' },
		select: { serial: true, courseTitle: true, issuedAt: true, expiresAt: true, revokedAt: true, revokeReason: true },
	})
}

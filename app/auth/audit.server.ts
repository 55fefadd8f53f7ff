// One way to record administrative writes. Pass the transaction client so that the audit row commits or rolls
// back with the change it describes.
import { z } from 'zod'
import { checkRows, db, pgArray, Prisma } from '#app/db.server.ts'
import { type Grant, wholeTreeAdmin } from './permissions.ts'
import { clientIp } from './rate-limit.server.ts'

export type AuditInput = {
	actorId: string | null
	action: string
	targetType: string
	targetId?: string | number | null
	orgUnitId?: number | null
	details?: Prisma.InputJsonValue
	request?: Request
}

type AuditClient = { auditEvent: { create: (args: { data: Prisma.AuditEventUncheckedCreateInput }) => Promise<unknown> } }

/** The row an audit event is stored as (also for the few hot paths that insert it with their own SQL). */
export function auditRow(input: AuditInput) {
	return {
		actorId: input.actorId,
		action: input.action,
		targetType: input.targetType,
		targetId: input.targetId == null ? null : String(input.targetId),
		orgUnitId: input.orgUnitId ?? null,
		ip: input.request ? clientIp(input.request) : null,
		details: input.details,
	}
}

export async function audit(input: AuditInput, client: AuditClient = db) {
	await client.auditEvent.create({ data: auditRow(input) })
}

export type AuditRow = { id: string; actorId: string | null; action: string; targetType: string; targetId: string | null; orgUnitId: number | null; ip: string | null; at: Date; details: Prisma.JsonValue | null }

/** Narrowing of the log by the viewer: who acted, which action, which unit's subtree, and an interval [from, to). */
export type AuditQuery = { actorIds?: ReadonlyArray<string>; action?: string; unitPath?: string; from?: Date; to?: Date; take?: number; skip?: number }

/**
 * Whether an event's target lies in one of the subtrees `paths`: an event tied to a unit follows that unit, a
 * certificate's event the certificate's issuing unit, a person's event the units the person belongs to; any other
 * event is `otherwise` (it has nothing to place it in a subtree).
 */
function targetWithin(paths: string, otherwise: boolean) {
	return Prisma.sql`CASE
			WHEN e."orgUnitId" IS NOT NULL THEN EXISTS (
				SELECT 1 FROM "OrgUnit" o WHERE o.id = e."orgUnitId" AND o.path LIKE ANY (SELECT p || '%' FROM unnest(${paths}::text[]) p))
			WHEN e."targetType" = 'Certificate' THEN EXISTS (
				SELECT 1 FROM "Certificate" c JOIN "OrgUnit" o ON o.id = c."orgUnitId"
				WHERE c.serial = e."targetId" AND o.path LIKE ANY (SELECT p || '%' FROM unnest(${paths}::text[]) p))
			WHEN e."targetType" = 'User' THEN EXISTS (
				SELECT 1 FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId"
				WHERE m."userId" = e."targetId" AND o.path LIKE ANY (SELECT p || '%' FROM unnest(${paths}::text[]) p))
			ELSE ${otherwise}
		END`
}

const AUDIT_ROW: z.ZodType<AuditRow & { total: number }> = z.object({
	id: z.string(),
	actorId: z.string().nullable(),
	action: z.string(),
	targetType: z.string(),
	targetId: z.string().nullable(),
	orgUnitId: z.number().int().nullable(),
	ip: z.string().nullable(),
	at: z.date(),
	details: z.custom<Prisma.JsonValue>((v) => v !== undefined),
	total: z.number().int(),
})

/**
 * The events a viewer may read: visibility follows what the event is about, never "no unit, so everyone". An event
 * tied to a unit is visible inside that unit's subtrees of the viewer's grants; a certificate's event follows the
 * certificate's issuing unit, a person's event the units the person belongs to; an event about the province as a
 * whole (a month-end snapshot) only to an administrator of a whole tree. The query's filters only narrow that set
 * (a unit filter is the same rule for one subtree); `total` is the number of matching events before paging.
 */
export async function listAuditEvents(grants: ReadonlyArray<Grant>, query: number | AuditQuery = {}): Promise<Array<AuditRow & { total: number }>> {
	const q: AuditQuery = typeof query === 'number' ? { take: query } : query
	const paths = pgArray(grants.map((g) => g.path))
	const wholeTree = wholeTreeAdmin(grants)
	const filters = [
		q.actorIds ? Prisma.sql`AND e."actorId" = ANY (${pgArray(q.actorIds)}::text[])` : Prisma.empty,
		q.action ? Prisma.sql`AND e.action = ${q.action}` : Prisma.empty,
		q.unitPath ? Prisma.sql`AND ${targetWithin(pgArray([q.unitPath]), false)}` : Prisma.empty,
		q.from ? Prisma.sql`AND e.at >= ${q.from}` : Prisma.empty,
		q.to ? Prisma.sql`AND e.at < ${q.to}` : Prisma.empty,
	]
	const rows = await db.$queryRaw<Array<unknown>>`
		SELECT e.id, e."actorId", e.action, e."targetType", e."targetId", e."orgUnitId", e.ip, e.at, e.details, (count(*) OVER ())::int AS total
		FROM "AuditEvent" e
		WHERE ${targetWithin(paths, wholeTree)}
		${Prisma.join(filters, ' ')}
		ORDER BY e.at DESC, e.id DESC
		LIMIT ${q.take ?? 200} OFFSET ${q.skip ?? 0}`
	return checkRows('audit-events', AUDIT_ROW, rows)
}

// One way to record administrative writes. Pass the transaction client so that the audit row commits or rolls
// back with the change it describes.
import { db, type Prisma } from '#app/db.server.ts'
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

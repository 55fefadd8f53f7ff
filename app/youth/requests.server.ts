// The chi đoàn secretary's side of joining (decision 016): pending requests of a subtree, and approving or rejecting
// one or many at once. Approval makes the person a counted member of the request's unit from now on (and lets a new
// account sign in); rejection only marks the request. Every decision is audited.
import { z } from 'zod'
import { audit } from '#app/auth/audit.server.ts'
import { accountRefusal, actorFor, personFacts } from '#app/auth/people.server.ts'
import { can, type Grant } from '#app/auth/permissions.ts'
import { checkRows, db, Prisma } from '#app/db.server.ts'
import { YOUTH_ROLES } from './invites.server.ts'

type Actor = { actorId: string; grants: ReadonlyArray<Grant>; request?: Request }

export async function countPendingRequests(root: { path: string }) {
	return db.joinRequest.count({ where: { status: 'PENDING', orgUnit: { path: { startsWith: root.path } } } })
}

/** Pending requests of the subtree, oldest first, with what the secretary needs to recognise the person. */
export async function listPendingRequests(root: { path: string }, take = 500) {
	const rows = await db.joinRequest.findMany({
		where: { status: 'PENDING', orgUnit: { path: { startsWith: root.path } } },
		orderBy: { createdAt: 'asc' },
		take,
		select: {
			id: true,
			createdAt: true,
			orgUnit: { select: { id: true, name: true } },
			user: {
				select: {
					fullName: true,
					birthYear: true,
					phone: true,
					email: true,
					// Other trees are not this officer's to see: only whether the person already has an account in use.
					status: true,
				},
			},
		},
	})
	return rows.map((r) => ({
		id: r.id,
		createdAt: r.createdAt,
		unit: r.orgUnit,
		fullName: r.user.fullName,
		birthYear: r.user.birthYear,
		phone: r.user.phone,
		email: r.user.email,
		existingAccount: r.user.status === 'ACTIVE',
	}))
}

/** Recently decided requests of the subtree, for the record on the same page. */
export async function listDecidedRequests(root: { path: string }, take = 50) {
	const rows = await db.joinRequest.findMany({
		where: { status: { not: 'PENDING' }, orgUnit: { path: { startsWith: root.path } } },
		orderBy: { decidedAt: 'desc' },
		take,
		select: { id: true, status: true, decidedAt: true, reason: true, orgUnit: { select: { name: true } }, user: { select: { fullName: true } } },
	})
	return rows.map((r) => ({ id: r.id, status: r.status, decidedAt: r.decidedAt, reason: r.reason, unitName: r.orgUnit.name, fullName: r.user.fullName }))
}

export type DecideOutcome =
	| { ok: true; decided: number; skipped: number }
	| { ok: false; error: 'not-found' | 'already-decided' | 'unit-closed' }

class Stop extends Error {
	constructor(readonly outcome: Extract<DecideOutcome, { ok: false }>) {
		super(outcome.error)
	}
}

const LOCKED_REQUEST = z.object({
	id: z.string(),
	userId: z.string(),
	orgUnitId: z.number().int(),
	status: z.string(),
	path: z.string(),
	validTo: z.date().nullable(),
	userStatus: z.string(),
})

/**
 * Approves or rejects the given requests, all in one transaction. Any id that is unknown or outside the page's
 * subtree or the actor's grants refuses the whole batch (nothing changes). Requests decided meanwhile by someone
 * else are skipped and counted; when all of them were, the answer is 'already-decided'.
 */
export async function decideRequests(
	root: { path: string },
	input: { ids: ReadonlyArray<string>; decision: 'approve' | 'reject'; reason?: string },
	actor: Actor,
): Promise<DecideOutcome> {
	const ids = [...new Set(input.ids)]
	if (ids.length === 0) return { ok: false, error: 'not-found' }
	try {
		return await db.$transaction(async (tx) => {
			// Locked, so that two secretaries deciding the same request at once do not both create a membership.
			const locked = await tx.$queryRaw<Array<unknown>>`
				SELECT r.id, r."userId", r."orgUnitId", r.status::text AS status, u.path, u."validTo", p.status::text AS "userStatus"
				FROM "JoinRequest" r JOIN "OrgUnit" u ON u.id = r."orgUnitId" JOIN "User" p ON p.id = r."userId"
				WHERE r.id IN (${Prisma.join(ids)})
				ORDER BY r.id
				FOR UPDATE OF r, p`
			const rows = checkRows('join-requests-locked', LOCKED_REQUEST, locked)
			if (rows.length !== ids.length || rows.some((r) => !r.path.startsWith(root.path) || !can(actor.grants, r.path, YOUTH_ROLES))) {
				throw new Stop({ ok: false, error: 'not-found' })
			}
			const pending = rows.filter((r) => r.status === 'PENDING')
			if (pending.length === 0) throw new Stop({ ok: false, error: 'already-decided' })
			const now = new Date()
			if (input.decision === 'approve' && pending.some((r) => r.validTo && r.validTo <= now)) throw new Stop({ ok: false, error: 'unit-closed' })
			for (const r of pending) {
				if (input.decision === 'approve') {
					await tx.joinRequest.update({ where: { id: r.id }, data: { status: 'APPROVED', decidedById: actor.actorId, decidedAt: now } })
					// Approval admits the registrant: it activates their account only when that account is the approver's
					// to touch (no membership or grant elsewhere: people.server.ts); otherwise the membership is added and the
					// account stays as its own unit left it.
					if (r.userStatus === 'PENDING') {
						const person = (await personFacts([r.userId], now, tx)).get(r.userId)
						const approver = actorFor(actor.actorId, actor.grants, YOUTH_ROLES)
						if (person && accountRefusal(approver, { ...person, awaitingApproval: false }) === null) {
							await tx.user.update({ where: { id: r.userId }, data: { status: 'ACTIVE' } })
						}
					}
					// Imported meanwhile into the same unit: one membership is enough.
					const member = await tx.membership.count({ where: { userId: r.userId, orgUnitId: r.orgUnitId, validFrom: { lte: now }, OR: [{ validTo: null }, { validTo: { gt: now } }] } })
					if (!member) await tx.membership.create({ data: { userId: r.userId, orgUnitId: r.orgUnitId, countsInTarget: true, validFrom: now } })
				} else {
					await tx.joinRequest.update({ where: { id: r.id }, data: { status: 'REJECTED', decidedById: actor.actorId, decidedAt: now, reason: input.reason ?? null } })
				}
				await audit(
					{
						actorId: actor.actorId,
						action: input.decision === 'approve' ? 'youth.request.approve' : 'youth.request.reject',
						targetType: 'JoinRequest',
						targetId: r.id,
						orgUnitId: r.orgUnitId,
						request: actor.request,
						details: { userId: r.userId, ...(input.reason && input.decision === 'reject' ? { reason: input.reason } : {}) },
					},
					tx,
				)
			}
			return { ok: true as const, decided: pending.length, skipped: rows.length - pending.length }
		})
	} catch (error) {
		if (error instanceof Stop) return error.outcome
		throw error
	}
}

// Joining a youth unit through an invite (decision 016): a young person without an account registers (a PENDING
// YOUTH user and a PENDING join request), someone signed in links their existing account (a request only). Either
// way one use of the invite is taken by a conditional UPDATE in the same transaction as what it pays for, so that a
// link of N uses admits at most N requests however many people press the button at once.
import { z } from 'zod'
import { audit } from '#app/auth/audit.server.ts'
import { hashPassword } from '#app/auth/password.server.ts'
import { clientIp, hit, type Limit } from '#app/auth/rate-limit.server.ts'
import { checkRows, db, Prisma } from '#app/db.server.ts'
import { inviteState, type InviteState } from './invites.server.ts'
import { type RegisterInput } from './schema.ts'

/**
 * Registrations per address. A school's whole class may register in one lesson from the school's one public address,
 * so the limit is per window of 15 minutes and generous; it stops scripted account creation, not a class.
 */
export const JOIN_LIMIT = (ip: string): Limit => ({ key: `youth-join:ip:${ip}`, max: 40, windowSeconds: 15 * 60 })

export type JoinError =
	| Exclude<InviteState, 'ok'>
	| 'rate-limited'
	| 'account-exists'
	| 'already-member'
	| 'already-pending'
	| 'rejected'

export type JoinOutcome = { ok: true; requestId: string; userId: string } | { ok: false; error: JoinError; retryAfterSeconds?: number }

class Refused extends Error {
	constructor(readonly reason: JoinError) {
		super(reason)
	}
}

const TAKEN = z.object({ orgUnitId: z.number().int() })

/** Takes one use of the invite, or says why not (within the caller's transaction). */
async function takeUse(tx: Prisma.TransactionClient, inviteId: string) {
	const taken = await tx.$queryRaw<Array<unknown>>`
		UPDATE "YouthInvite" i SET uses = i.uses + 1
		FROM "OrgUnit" u
		WHERE i.id = ${inviteId} AND u.id = i."orgUnitId" AND i.uses < i."maxUses" AND i."expiresAt" > now() AND i."revokedAt" IS NULL
			AND (u."validTo" IS NULL OR u."validTo" > now())
		RETURNING i."orgUnitId"`
	if (taken.length === 1) return checkRows('youth-invite-use', TAKEN, taken)[0]!.orgUnitId
	const invite = await tx.youthInvite.findUnique({ where: { id: inviteId }, include: { orgUnit: { select: { validTo: true } } } })
	const state = invite ? inviteState(invite) : 'unknown'
	// The row changed between the UPDATE and this read only if someone else took the last use meanwhile.
	throw new Refused(state === 'ok' ? 'exhausted' : state)
}

async function loadInvite(token: string) {
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null
	return db.youthInvite.findUnique({ where: { token }, include: { orgUnit: { select: { id: true, validTo: true } } } })
}

/** Why a known person cannot use the invite for `unitId`, if they cannot. */
async function personBlocked(client: Prisma.TransactionClient, userId: string, unitId: number, now: Date): Promise<JoinError | null> {
	const member = await client.membership.count({ where: { userId, orgUnitId: unitId, validFrom: { lte: now }, OR: [{ validTo: null }, { validTo: { gt: now } }] } })
	const requests = await client.joinRequest.findMany({ where: { userId, orgUnitId: unitId }, orderBy: { createdAt: 'desc' }, take: 1, select: { status: true } })
	if (member) return 'already-member'
	const last = requests[0]?.status
	if (last === 'PENDING') return 'already-pending'
	if (last === 'REJECTED') return 'rejected'
	return null
}

function isUniqueViolation(error: unknown) {
	return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

/**
 * A new young person's account and request. Someone whose phone or e-mail already has an account is told what to do
 * (sign in, wait, or that they were refused) and nothing is written.
 */
export async function registerWithInvite(request: Request, token: string, input: RegisterInput): Promise<JoinOutcome> {
	const limit = await hit(JOIN_LIMIT(clientIp(request)))
	if (limit.blocked) return { ok: false, error: 'rate-limited', retryAfterSeconds: limit.retryAfterSeconds }
	const invite = await loadInvite(token)
	if (!invite) return { ok: false, error: 'unknown' }
	const state = inviteState(invite)
	if (state !== 'ok') return { ok: false, error: state }
	const now = new Date()

	// Hashed before anything is looked up, so that a known contact takes as long to answer as a new one.
	const hash = await hashPassword(input.password)
	const contacts: Array<Prisma.UserWhereInput> = []
	if (input.email) contacts.push({ email: input.email })
	if (input.phone) contacts.push({ phone: input.phone }, { username: input.phone })
	const existing = await db.user.findMany({ where: { OR: contacts }, select: { id: true, status: true }, take: 5 })
	for (const person of existing) {
		const blocked = await personBlocked(db, person.id, invite.orgUnitId, now)
		if (blocked) return { ok: false, error: blocked }
	}
	if (existing.length) {
		// Not signed in yet but waiting elsewhere, or refused elsewhere and never admitted: signing in would not work.
		const waiting = await db.joinRequest.findFirst({ where: { userId: { in: existing.map((u) => u.id) } }, orderBy: { createdAt: 'desc' }, select: { status: true } })
		if (existing.every((u) => u.status === 'PENDING') && waiting) return { ok: false, error: waiting.status === 'REJECTED' ? 'rejected' : 'already-pending' }
		return { ok: false, error: 'account-exists' }
	}

	try {
		return await db.$transaction(async (tx) => {
			const unitId = await takeUse(tx, invite.id)
			// The phone doubles as the username, so that people without e-mail sign in with it; the unique username
			// also settles two registrations with the same phone racing each other.
			const user = await tx.user.create({
				data: { fullName: input.fullName, birthYear: input.birthYear, email: input.email ?? null, phone: input.phone ?? null, username: input.phone ?? null, kind: 'YOUTH', status: 'PENDING' },
			})
			await tx.password.create({ data: { userId: user.id, hash } })
			const joinRequest = await tx.joinRequest.create({ data: { userId: user.id, orgUnitId: unitId, inviteId: invite.id } })
			await audit({ actorId: user.id, action: 'youth.join.register', targetType: 'JoinRequest', targetId: joinRequest.id, orgUnitId: unitId, request, details: { inviteId: invite.id } }, tx)
			return { ok: true as const, requestId: joinRequest.id, userId: user.id }
		})
	} catch (error) {
		if (error instanceof Refused) return { ok: false, error: error.reason }
		if (isUniqueViolation(error)) return { ok: false, error: 'account-exists' }
		throw error
	}
}

/** A signed-in person asks to join with the account they have (one person, memberships in several trees). */
export async function linkWithInvite(request: Request, token: string, userId: string): Promise<JoinOutcome> {
	const invite = await loadInvite(token)
	if (!invite) return { ok: false, error: 'unknown' }
	const state = inviteState(invite)
	if (state !== 'ok') return { ok: false, error: state }
	try {
		return await db.$transaction(async (tx) => {
			// One request at a time per person: a double click must not leave two pending requests.
			await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`
			const blocked = await personBlocked(tx, userId, invite.orgUnitId, new Date())
			if (blocked) throw new Refused(blocked)
			const unitId = await takeUse(tx, invite.id)
			const joinRequest = await tx.joinRequest.create({ data: { userId, orgUnitId: unitId, inviteId: invite.id } })
			await audit({ actorId: userId, action: 'youth.join.link', targetType: 'JoinRequest', targetId: joinRequest.id, orgUnitId: unitId, request, details: { inviteId: invite.id } }, tx)
			return { ok: true as const, requestId: joinRequest.id, userId }
		})
	} catch (error) {
		if (error instanceof Refused) return { ok: false, error: error.reason }
		throw error
	}
}

/** For the login page: a person whose password was right but who may not sign in yet, and why. */
export async function joinStatusOf(userId: string): Promise<'pending-approval' | 'join-rejected' | null> {
	const last = await db.joinRequest.findFirst({ where: { userId }, orderBy: { createdAt: 'desc' }, select: { status: true } })
	if (!last) return null
	const pending = last.status === 'PENDING' || (await db.joinRequest.count({ where: { userId, status: 'PENDING' } })) > 0
	if (pending) return 'pending-approval'
	return last.status === 'REJECTED' ? 'join-rejected' : null
}

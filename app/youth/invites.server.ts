// Invite links of chi đoàn and community digital teams (decision 016): created, listed and revoked by youth officers
// (YOUTH_ADMIN or ADMIN over the unit), opened by anyone who has the link. The token is the only secret: 128 random
// bits, never derived from the unit or the time.
import { randomBytes } from 'node:crypto'
import QRCode from 'qrcode'
import { audit } from '#app/auth/audit.server.ts'
import { can, type Grant } from '#app/auth/permissions.ts'
import { db } from '#app/db.server.ts'
import { compareVi } from '#app/ui/collation.ts'
import { publicUrl } from '#app/public-url.server.ts'
import { INVITABLE_KINDS } from './schema.ts'

export const YOUTH_ROLES = ['YOUTH_ADMIN'] as const

type Actor = { actorId: string; grants: ReadonlyArray<Grant>; request?: Request }

export type InviteState = 'ok' | 'unknown' | 'expired' | 'exhausted' | 'revoked' | 'unit-closed'

export function newInviteToken() {
	return randomBytes(16).toString('base64url')
}

/** The public address of an invite (app/public-url.server.ts). */
export function inviteUrl(request: Request, token: string) {
	return publicUrl(`/invite/${token}`, request)
}

export function inviteQrSvg(url: string) {
	return QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
}

export function inviteState(invite: { expiresAt: Date; maxUses: number; uses: number; revokedAt: Date | null; orgUnit?: { validTo: Date | null } }, now = new Date()): Exclude<InviteState, 'unknown'> {
	if (invite.revokedAt) return 'revoked'
	if (invite.orgUnit?.validTo && invite.orgUnit.validTo <= now) return 'unit-closed'
	if (invite.expiresAt <= now) return 'expired'
	if (invite.uses >= invite.maxUses) return 'exhausted'
	return 'ok'
}

/** Units of a subtree that invites can be made for: open chi đoàn and community teams of the YOUTH tree. */
export async function invitableUnits(root: { path: string }) {
	const now = new Date()
	const units = await db.orgUnit.findMany({
		where: { tree: 'YOUTH', kind: { in: [...INVITABLE_KINDS] }, path: { startsWith: root.path }, OR: [{ validTo: null }, { validTo: { gt: now } }] },
		select: { id: true, name: true, kind: true, parent: { select: { name: true } } },
	})
	// The page lists them as "name (parent)": Vietnamese alphabetical order of that.
	return units.sort((a, b) => compareVi(a.name, b.name) || compareVi(a.parent?.name ?? '', b.parent?.name ?? ''))
}

export type CreateInviteOutcome =
	| { ok: true; inviteId: string; token: string; unitName: string }
	| { ok: false; error: 'not-found' | 'forbidden' | 'not-youth' | 'not-invitable' | 'unit-closed' }

/**
 * A new invite for a chi đoàn or community team. `within`: the page's unit, whose subtree the unit must be in (an
 * id from elsewhere is answered as unknown); the actor's grants must cover the unit as well.
 */
export async function createInvite(input: { orgUnitId: number; expiresAt: Date; maxUses: number; within?: { path: string } }, actor: Actor): Promise<CreateInviteOutcome> {
	const unit = await db.orgUnit.findUnique({ where: { id: input.orgUnitId }, select: { id: true, tree: true, kind: true, path: true, name: true, validTo: true } })
	if (!unit || (input.within && !unit.path.startsWith(input.within.path))) return { ok: false, error: 'not-found' }
	if (!can(actor.grants, unit.path, YOUTH_ROLES)) return { ok: false, error: 'forbidden' }
	if (unit.tree !== 'YOUTH') return { ok: false, error: 'not-youth' }
	if (!(INVITABLE_KINDS as ReadonlyArray<string>).includes(unit.kind)) return { ok: false, error: 'not-invitable' }
	if (unit.validTo && unit.validTo <= new Date()) return { ok: false, error: 'unit-closed' }
	const token = newInviteToken()
	const invite = await db.$transaction(async (tx) => {
		const created = await tx.youthInvite.create({ data: { token, orgUnitId: unit.id, expiresAt: input.expiresAt, maxUses: input.maxUses, createdById: actor.actorId } })
		await audit(
			{
				actorId: actor.actorId,
				action: 'youth.invite.create',
				targetType: 'YouthInvite',
				targetId: created.id,
				orgUnitId: unit.id,
				request: actor.request,
				details: { expiresAt: input.expiresAt.toISOString(), maxUses: input.maxUses },
			},
			tx,
		)
		return created
	})
	return { ok: true, inviteId: invite.id, token, unitName: unit.name }
}

/** Invites of the units of a subtree, newest first, with their state. */
export async function listInvites(root: { path: string }, now = new Date()) {
	const invites = await db.youthInvite.findMany({
		where: { orgUnit: { path: { startsWith: root.path } } },
		include: { orgUnit: { select: { id: true, name: true, validTo: true } }, _count: { select: { requests: { where: { status: 'PENDING' } } } } },
		orderBy: { createdAt: 'desc' },
		take: 200,
	})
	return invites.map((i) => ({
		id: i.id,
		token: i.token,
		unit: { id: i.orgUnit.id, name: i.orgUnit.name },
		expiresAt: i.expiresAt,
		maxUses: i.maxUses,
		uses: i.uses,
		createdAt: i.createdAt,
		pending: i._count.requests,
		state: inviteState(i, now),
	}))
}

/** One invite of the subtree (for its printable page), or null. */
export async function getInvite(root: { path: string }, inviteId: string) {
	const invite = await db.youthInvite.findFirst({
		where: { id: inviteId, orgUnit: { path: { startsWith: root.path } } },
		include: { orgUnit: { select: { id: true, name: true, validTo: true, parent: { select: { name: true } } } } },
	})
	return invite ? { ...invite, state: inviteState(invite) } : null
}

export type RevokeOutcome = { ok: true } | { ok: false; error: 'not-found' | 'already-revoked' }

/** Revokes an invite of the subtree; pending requests made through it stay for the secretary to decide. */
export async function revokeInvite(root: { path: string }, inviteId: string, actor: Actor): Promise<RevokeOutcome> {
	const invite = await db.youthInvite.findFirst({ where: { id: inviteId, orgUnit: { path: { startsWith: root.path } } }, include: { orgUnit: { select: { path: true } } } })
	if (!invite || !can(actor.grants, invite.orgUnit.path, YOUTH_ROLES)) return { ok: false, error: 'not-found' }
	return db.$transaction(async (tx) => {
		const { count } = await tx.youthInvite.updateMany({ where: { id: invite.id, revokedAt: null }, data: { revokedAt: new Date(), revokedById: actor.actorId } })
		if (count === 0) return { ok: false as const, error: 'already-revoked' as const }
		await audit({ actorId: actor.actorId, action: 'youth.invite.revoke', targetType: 'YouthInvite', targetId: invite.id, orgUnitId: invite.orgUnitId, request: actor.request }, tx)
		return { ok: true as const }
	})
}

/** What the public invite page shows: the unit's name and whether the link still works. No officer data. */
export async function publicInvite(token: string) {
	// Tokens are base64url of 16 bytes; anything else is not worth a query.
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null
	const invite = await db.youthInvite.findUnique({
		where: { token },
		select: { id: true, expiresAt: true, maxUses: true, uses: true, revokedAt: true, orgUnit: { select: { id: true, name: true, kind: true, validTo: true, parent: { select: { name: true } } } } },
	})
	if (!invite) return null
	return { id: invite.id, unit: { id: invite.orgUnit.id, name: invite.orgUnit.name, kind: invite.orgUnit.kind, parentName: invite.orgUnit.parent?.name ?? null }, expiresAt: invite.expiresAt, state: inviteState(invite) }
}

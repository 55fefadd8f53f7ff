// Who may act on whom (issue 16, docs/security.md). A unit's scope limits which UNITS an actor sees; this module
// limits which PEOPLE an actor may change. Every action that touches a person — link an account to a unit, end or
// move a membership, disable an account, issue an activation code or a PIN, approve a youth registrant — asks here.
//
// The rules:
// - An account (its status, password, codes, PIN) may be touched only when ALL of the person's current memberships
//   and ALL of their grants lie inside the actor's scope, no grant of theirs is at or above the actor's own, and the
//   person is not a youth registrant still waiting for (or refused) approval: only the approval flow admits them.
// - A membership inside the scope may be ended or moved only when the person holds no grant at or above the actor's
//   own; ending it disables the account only when the account itself may be touched; nobody ends their own last
//   membership (that would lock themselves out).
import { z } from 'zod'
import { checkRows, db, pgArray, type Prisma } from '#app/db.server.ts'
import { Role as ROLE } from '#app/db-enums.ts'
import { type Role } from '#app/db-types.ts'
import { type Grant, grantCovers } from './permissions.ts'

/** What is known about a person for these decisions: their current memberships, grants and pending joins. */
export type PersonFacts = {
	userId: string
	/** Units (paths) of the memberships that are current at the time asked or start later. */
	memberships: Array<{ id: string; orgUnitId: number; path: string }>
	grants: Array<{ role: Role; path: string }>
	/** A youth registrant whose join request is pending or was refused and who was never admitted anywhere. */
	awaitingApproval: boolean
}

/**
 * The actor as these rules see them: their id and the grants that count for the action (ADMIN always counts).
 * `scope` narrows the area further when the action is made from one unit's page (a roster import stays inside the
 * unit it is made from): the person must then lie inside both.
 */
export type Actor = { userId: string | null; grants: ReadonlyArray<Pick<Grant, 'role' | 'path'>>; scope?: string }

export type Refusal = 'self' | 'membership-outside' | 'grant-outside' | 'grant-at-or-above' | 'awaiting-approval'

// ADMIN over a unit outranks every other role on that unit; the other roles are peers.
const RANK: Record<Role, number> = { ADMIN: 2, MANAGER: 1, YOUTH_ADMIN: 1, TRAINER: 1, AUTHOR: 1, AUDITOR: 1 }

function insideActor(actor: Actor, path: string) {
	if (actor.scope !== undefined && !path.startsWith(actor.scope)) return false
	return actor.grants.some((g) => grantCovers(g, path))
}

/**
 * True when the person's grant is at or above the actor's: it lies on or above a unit the actor holds a grant on,
 * and no grant of the actor's lies strictly above it or outranks it on the same unit. A peer (another manager of the
 * same department) is "at" the actor's level; a grant beside the actor's (another department) is neither — it is
 * outside the actor's scope, which accountRefusal checks.
 */
export function grantAtOrAbove(actor: Actor, grant: { role: Role; path: string }) {
	const dominated = actor.grants.some(
		(a) => (grant.path.startsWith(a.path) && grant.path !== a.path) || (grant.path === a.path && RANK[a.role] > RANK[grant.role]),
	)
	return !dominated && actor.grants.some((a) => a.path.startsWith(grant.path))
}

/** May the actor touch this person's ACCOUNT (status, password, activation code, PIN, admission)? */
export function accountRefusal(actor: Actor, person: PersonFacts): Refusal | null {
	if (actor.userId !== null && actor.userId === person.userId) return 'self'
	// Everything that forbids linking the account forbids touching it; on top, no grant at or above the actor's.
	const outside = linkRefusal(actor, person)
	if (outside) return outside
	if (person.grants.some((g) => grantAtOrAbove(actor, g))) return 'grant-at-or-above'
	return null
}

/**
 * May the actor LINK this existing account to a unit inside their scope (a roster import found them by e-mail,
 * phone or name)? Only someone who belongs nowhere else: otherwise their own unit or the province moves them.
 */
export function linkRefusal(actor: Actor, person: PersonFacts): Refusal | null {
	if (person.awaitingApproval) return 'awaiting-approval'
	if (person.memberships.some((m) => !insideActor(actor, m.path))) return 'membership-outside'
	if (person.grants.some((g) => !insideActor(actor, g.path))) return 'grant-outside'
	return null
}

/** May the actor end or move this membership of the person (the membership itself is inside the scope)? */
export function membershipRefusal(actor: Actor, person: PersonFacts, membershipId: string, kind: 'end' | 'move'): Refusal | null {
	if (person.grants.some((g) => grantAtOrAbove(actor, g))) return person.userId === actor.userId && kind === 'move' ? null : 'grant-at-or-above'
	if (kind === 'end' && actor.userId === person.userId && !person.memberships.some((m) => m.id !== membershipId)) return 'self'
	return null
}

type Client = Pick<Prisma.TransactionClient, '$queryRaw'>

// Checked at run time: these rows decide who may act on whom, where a renamed column must fail, not read as undefined.
const USER_ID = z.object({ id: z.string() })
const MEMBERSHIP = z.object({ id: z.string(), userId: z.string(), orgUnitId: z.number().int(), path: z.string() })
const GRANT = z.object({ userId: z.string(), role: z.enum(ROLE), path: z.string() })
const WAITING = z.object({ userId: z.string() })

/** Facts about the given people, read in three set-based statements whatever their number. */
export async function personFacts(userIds: ReadonlyArray<string>, at = new Date(), client: Client = db): Promise<Map<string, PersonFacts>> {
	const ids = [...new Set(userIds)]
	const facts = new Map<string, PersonFacts>()
	if (ids.length === 0) return facts
	const list = pgArray(ids)
	const users = checkRows('person-users', USER_ID, await client.$queryRaw<Array<unknown>>`SELECT id FROM "User" WHERE id = ANY(${list}::text[])`)
	for (const u of users) facts.set(u.id, { userId: u.id, memberships: [], grants: [], awaitingApproval: false })
	const memberships = await client.$queryRaw<Array<unknown>>`
		SELECT m.id, m."userId", m."orgUnitId", o.path FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId"
		WHERE m."userId" = ANY(${list}::text[]) AND (m."validTo" IS NULL OR m."validTo" > ${at})`
	for (const m of checkRows('person-memberships', MEMBERSHIP, memberships)) facts.get(m.userId)?.memberships.push({ id: m.id, orgUnitId: m.orgUnitId, path: m.path })
	const grants = await client.$queryRaw<Array<unknown>>`
		SELECT g."userId", g.role::text AS role, o.path FROM "RoleGrant" g JOIN "OrgUnit" o ON o.id = g."orgUnitId"
		WHERE g."userId" = ANY(${list}::text[])`
	for (const g of checkRows('person-grants', GRANT, grants)) facts.get(g.userId)?.grants.push({ role: g.role, path: g.path })
	// A registrant is admitted by an approved request (or was a member before): until then nobody else may admit them.
	const waiting = await client.$queryRaw<Array<unknown>>`
		SELECT DISTINCT r."userId" FROM "JoinRequest" r JOIN "User" u ON u.id = r."userId"
		WHERE r."userId" = ANY(${list}::text[]) AND u.status = 'PENDING' AND r.status IN ('PENDING', 'REJECTED')
			AND NOT EXISTS (SELECT 1 FROM "JoinRequest" a WHERE a."userId" = r."userId" AND a.status = 'APPROVED')`
	for (const w of checkRows('person-waiting', WAITING, waiting)) {
		const f = facts.get(w.userId)
		if (f) f.awaitingApproval = true
	}
	return facts
}

/** The actor's grants that count for an action needing one of `roles` (ADMIN always counts). */
export function actorFor(userId: string | null, grants: ReadonlyArray<Pick<Grant, 'role' | 'path'>>, roles: ReadonlyArray<Role>, scope?: string): Actor {
	return { userId, grants: grants.filter((g) => g.role === 'ADMIN' || roles.includes(g.role)), scope }
}

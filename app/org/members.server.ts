// The roster of a subtree, one membership per row: search (accent-insensitive), filters, editing, moving a person
// to another unit (the old membership ends, a new one starts: history is kept) and ending a membership.
// Every function takes the unit whose page is used and never reaches outside its subtree.
import { audit } from '#app/auth/audit.server.ts'
import { accountRefusal, actorFor, membershipRefusal, personFacts } from '#app/auth/people.server.ts'
import { type Grant } from '#app/auth/permissions.ts'
import { z } from 'zod'
import { checkRows, db, Prisma } from '#app/db.server.ts'
import { compareVi, compareViNames, foldVi } from '#app/ui/collation.ts'
import { type MEMBER_STATUSES } from './schema.ts'

type Scope = { id: number; path: string; tree: string }

// translate() maps Vietnamese letters to ASCII in SQL on both PGlite and PostgreSQL (no unaccent extension needed).
const VI_LOWER = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ'
const VI_FROM = VI_LOWER + VI_LOWER.toUpperCase()
const VI_TO = [...VI_FROM].map((c) => foldVi(c)).join('')

const folded = (column: Prisma.Sql) => Prisma.sql`lower(translate(${column}, ${VI_FROM}, ${VI_TO}))`

type MemberStatus = (typeof MEMBER_STATUSES)[number]

export const MEMBERS_PAGE = 100

export type MemberFilter = { q?: string; unitId?: number; tag?: string; status?: MemberStatus; page?: number }

function likeTerm(text: string) {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

const COUNT = z.object({ count: z.bigint() })
const MEMBER_ROW = z.object({
	id: z.string(),
	title: z.string().nullable(),
	tags: z.array(z.string()),
	countsInTarget: z.boolean(),
	validFrom: z.date(),
	validTo: z.date().nullable(),
	unitId: z.number().int(),
	unitName: z.string(),
	userId: z.string(),
	fullName: z.string(),
	status: z.string(),
	username: z.string().nullable(),
	email: z.string().nullable(),
})
const TAG = z.object({ tag: z.string() })

export async function listMembers(scope: Scope, filter: MemberFilter, at = new Date()) {
	const conditions: Array<Prisma.Sql> = [Prisma.sql`o.path LIKE ${scope.path + '%'}`]
	if (filter.unitId) conditions.push(Prisma.sql`o.id = ${filter.unitId}`)
	if (filter.tag) conditions.push(Prisma.sql`${filter.tag} = ANY(m.tags)`)
	const status = filter.status ?? 'active'
	const active = Prisma.sql`m."validFrom" <= ${at} AND (m."validTo" IS NULL OR m."validTo" > ${at})`
	if (status === 'ended') conditions.push(Prisma.sql`m."validTo" IS NOT NULL AND m."validTo" <= ${at}`)
	else conditions.push(active)
	if (status === 'pending') conditions.push(Prisma.sql`u.status = 'PENDING'`)
	if (status === 'disabled') conditions.push(Prisma.sql`u.status = 'DISABLED'`)
	const q = filter.q ? foldVi(filter.q).slice(0, 100) : ''
	if (q) {
		const term = likeTerm(q)
		conditions.push(
			Prisma.sql`(${folded(Prisma.sql`u."fullName"`)} LIKE ${term} OR lower(coalesce(u.email, '')) LIKE ${term} OR lower(coalesce(u.username, '')) LIKE ${term} OR coalesce(u.phone, '') LIKE ${term})`,
		)
	}
	const where = Prisma.join(conditions, ' AND ')
	const page = Math.max(1, filter.page ?? 1)
	const [{ count }] = checkRows('members-count', COUNT, await db.$queryRaw<Array<unknown>>`
		SELECT COUNT(*) AS count FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId" JOIN "User" u ON u.id = m."userId" WHERE ${where}`)
	// SQL orders by the folded given name (close to Vietnamese order on any database); the page is then sorted
	// with the real Vietnamese collation.
	const found = await db.$queryRaw<Array<unknown>>`
		SELECT m.id, m.title, m.tags, m."countsInTarget", m."validFrom", m."validTo", o.id AS "unitId", o.name AS "unitName",
			u.id AS "userId", u."fullName", u.status::text AS status, u.username, u.email
		FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId" JOIN "User" u ON u.id = m."userId"
		WHERE ${where}
		ORDER BY ${folded(Prisma.sql`regexp_replace(u."fullName", '^.* ', '')`)}, ${folded(Prisma.sql`u."fullName"`)}, m.id
		LIMIT ${MEMBERS_PAGE} OFFSET ${(page - 1) * MEMBERS_PAGE}`
	const rows = checkRows('members-page', MEMBER_ROW, found)
	rows.sort((a, b) => compareViNames(a.fullName, b.fullName))
	return { total: Number(count), page, pages: Math.max(1, Math.ceil(Number(count) / MEMBERS_PAGE)), members: rows }
}

/** Units of the subtree, for filters and as move targets (open units only). */
export async function subtreeUnits(scope: Scope) {
	const units = await db.orgUnit.findMany({
		where: { path: { startsWith: scope.path }, validTo: null },
		select: { id: true, name: true, code: true, depth: true, path: true },
	})
	return units.sort((a, b) => a.depth - b.depth || compareVi(a.name, b.name))
}

export async function tagsInUse(scope: Scope) {
	const rows = await db.$queryRaw<Array<unknown>>`
		SELECT DISTINCT unnest(m.tags) AS tag FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId"
		WHERE o.path LIKE ${scope.path + '%'} AND m."validTo" IS NULL`
	return checkRows('tags-in-use', TAG, rows).map((r) => r.tag).sort(compareVi)
}

/** One membership of the subtree with the person's other memberships in that subtree (their history there). */
export async function getMember(scope: Scope, membershipId: string) {
	const membership = await db.membership.findFirst({
		where: { id: membershipId, orgUnit: { path: { startsWith: scope.path } } },
		include: {
			orgUnit: { select: { id: true, name: true, code: true } },
			user: { select: { id: true, fullName: true, username: true, email: true, phone: true, birthDate: true, birthYear: true, status: true } },
		},
	})
	if (!membership) return null
	const history = await db.membership.findMany({
		where: { userId: membership.userId, orgUnit: { path: { startsWith: scope.path } } },
		orderBy: { validFrom: 'desc' },
		select: { id: true, title: true, validFrom: true, validTo: true, orgUnit: { select: { id: true, name: true } } },
	})
	return { membership, history }
}

/** Who acts: their grants that count on the members' pages decide which people they may change (people.server.ts). */
type Actor = { actorId: string; request?: Request; grants: ReadonlyArray<Grant> }

/** Who manages members (the members pages ask for these; ADMIN always counts). */
export const MEMBER_ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

function isActive(m: { validFrom: Date; validTo: Date | null }, at = new Date()) {
	return m.validFrom <= at && (m.validTo === null || m.validTo > at)
}

export async function updateMember(scope: Scope, membershipId: string, input: { title: string | null; tags: Array<string>; countsInTarget: boolean }, actor: Actor) {
	return db.$transaction(async (tx) => {
		const current = await tx.membership.findFirst({ where: { id: membershipId, orgUnit: { path: { startsWith: scope.path } } } })
		if (!current) return false
		await tx.membership.update({ where: { id: current.id }, data: input })
		await audit(
			{
				actorId: actor.actorId,
				action: 'membership.update',
				targetType: 'Membership',
				targetId: current.id,
				orgUnitId: current.orgUnitId,
				request: actor.request,
				details: { before: { title: current.title, tags: current.tags, countsInTarget: current.countsInTarget }, after: input },
			},
			tx,
		)
		return true
	})
}

export type MoveOutcome = 'moved' | 'not-found' | 'not-active' | 'same-unit' | 'bad-target' | 'protected'

/** Ends the membership at `at` and starts one in the target unit, with the same title, tags and target flag. */
export async function moveMember(scope: Scope, membershipId: string, input: { toUnitId: number; at: Date }, actor: Actor): Promise<MoveOutcome> {
	return db.$transaction(async (tx) => {
		const current = await tx.membership.findFirst({ where: { id: membershipId, orgUnit: { path: { startsWith: scope.path } } } })
		if (!current) return 'not-found'
		if (!isActive(current) || input.at < current.validFrom || (current.validTo && current.validTo <= input.at)) return 'not-active'
		if (current.orgUnitId === input.toUnitId) return 'same-unit'
		const person = (await personFacts([current.userId], new Date(), tx)).get(current.userId)
		if (!person || membershipRefusal(actorFor(actor.actorId, actor.grants, MEMBER_ROLES), person, current.id, 'move')) return 'protected'
		const target = await tx.orgUnit.findFirst({ where: { id: input.toUnitId, path: { startsWith: scope.path }, validTo: null } })
		if (!target) return 'bad-target'
		await tx.membership.update({ where: { id: current.id }, data: { validTo: input.at } })
		const created = await tx.membership.create({
			data: { userId: current.userId, orgUnitId: target.id, title: current.title, tags: current.tags, countsInTarget: current.countsInTarget, validFrom: input.at },
		})
		await audit(
			{
				actorId: actor.actorId,
				action: 'membership.move',
				targetType: 'Membership',
				targetId: created.id,
				orgUnitId: target.id,
				request: actor.request,
				details: { from: current.orgUnitId, to: target.id, previous: current.id, at: input.at.toISOString() },
			},
			tx,
		)
		return 'moved'
	})
}

export type EndOutcome = { ended: true; disabled: boolean } | { ended: false; reason: 'not-found' | 'not-active' | 'protected' | 'self' }

/**
 * Ends a membership (the person left the unit); never deletes it. When the person then belongs nowhere, the
 * account is disabled and signed out too — someone who left the organisation should not keep learning as staff —
 * but only when the account is the actor's to touch (people.server.ts): a person who also holds a grant or a
 * membership outside the actor's scope keeps their account, and nobody can end the membership of someone whose
 * grant is at or above their own, or their own last one.
 */
export async function endMember(scope: Scope, membershipId: string, at: Date, actor: Actor): Promise<EndOutcome> {
	return db.$transaction(async (tx) => {
		const current = await tx.membership.findFirst({ where: { id: membershipId, orgUnit: { path: { startsWith: scope.path } } } })
		if (!current) return { ended: false, reason: 'not-found' } as const
		if (at < current.validFrom || (current.validTo && current.validTo <= at)) return { ended: false, reason: 'not-active' } as const
		// Locked: two managers ending this person's last two memberships at once must not both leave the account open.
		await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${current.userId} FOR UPDATE`
		const person = (await personFacts([current.userId], new Date(), tx)).get(current.userId)
		const who = actorFor(actor.actorId, actor.grants, MEMBER_ROLES)
		const refusal = person ? membershipRefusal(who, person, current.id, 'end') : 'grant-at-or-above'
		if (refusal) return { ended: false, reason: refusal === 'self' ? 'self' : 'protected' } as const
		await tx.membership.update({ where: { id: current.id }, data: { validTo: at } })
		const others = await tx.membership.count({
			where: { userId: current.userId, id: { not: current.id }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
		})
		let disabled = false
		if (others === 0 && person && accountRefusal(who, person) === null) {
			await tx.user.update({ where: { id: current.userId }, data: { status: 'DISABLED' } })
			await tx.session.deleteMany({ where: { userId: current.userId } })
			disabled = true
		}
		await audit(
			{
				actorId: actor.actorId,
				action: 'membership.end',
				targetType: 'Membership',
				targetId: current.id,
				orgUnitId: current.orgUnitId,
				request: actor.request,
				details: { at: at.toISOString(), accountDisabled: disabled },
			},
			tx,
		)
		return { ended: true, disabled } as const
	})
}

// Administering the org trees: create, rename, move and close units with effective dates. The GOV tree follows
// the 2025 structure (province → sở/ban/ngành → phòng; UBND xã/phường directly under the province, with their
// own phòng); EDU and YOUTH trees live in the same table with their own kinds. Units are never deleted: closing
// sets validTo, so reports of past periods still find them. Renames, moves and closures take an effective date and
// are kept as periods in OrgUnitHistory (unit-history.server.ts).
import { z } from 'zod'
import { type Grant } from '#app/auth/permissions.ts'
import { audit } from '#app/auth/audit.server.ts'
import { checkRows, db, Prisma } from '#app/db.server.ts'
import { type OrgKind, type OrgTree } from '#app/db-types.ts'
import { compareVi } from '#app/ui/collation.ts'
import { setGrassrootsType } from '#app/youth/profile.server.ts'
import { type GrassrootsType } from '#app/youth/schema.ts'
import { changeDateProblem, lockCurrentPeriod, recordChange, recordClosed, recordCreated } from './unit-history.server.ts'
import { vnDay } from '#app/ui/dates.ts'

/** Which kinds a unit of each kind may sit under (null: a root). */
export const PARENT_KINDS: Record<OrgKind, ReadonlyArray<OrgKind | null>> = {
	province: [null],
	department: ['province'],
	commune: ['province'],
	division: ['department', 'commune'],
	education_office: [null, 'province'],
	school: ['education_office'],
	class: ['school'],
	youth_union: [null],
	youth_grassroots: ['youth_union'],
	youth_branch: ['youth_grassroots', 'youth_union'],
	community_team: ['youth_grassroots', 'youth_union'],
}

export const TREE_KINDS: Record<OrgTree, ReadonlyArray<OrgKind>> = {
	GOV: ['province', 'department', 'commune', 'division'],
	EDU: ['education_office', 'school', 'class'],
	YOUTH: ['youth_union', 'youth_grassroots', 'youth_branch', 'community_team'],
}

/** Kinds that may be created under a unit of `parent` kind in its tree. */
export function childKinds(parent: { tree: OrgTree; kind: OrgKind }) {
	return TREE_KINDS[parent.tree].filter((k) => PARENT_KINDS[k].includes(parent.kind))
}

/**
 * ADMIN may change any unit of their subtree; a MANAGER only the units strictly below the unit they were granted
 * (they keep their own unit's name and place, which their superiors decide).
 */
export function canAdminister(grants: ReadonlyArray<Grant>, unitPath: string) {
	return grants.some((g) => unitPath.startsWith(g.path) && (g.role === 'ADMIN' || (g.role === 'MANAGER' && unitPath !== g.path)))
}

/** A unit by id (the caller has checked it is in the viewer's subtree); throws when there is none. */
export function getUnit(unitId: number) {
	return db.orgUnit.findUniqueOrThrow({ where: { id: unitId } })
}

export async function isInSubtree(root: { path: string }, unitId: number) {
	return (await db.orgUnit.count({ where: { id: unitId, path: { startsWith: root.path } } })) === 1
}

export type TreeNode = { id: number; code: string; name: string; kind: OrgKind; depth: number; path: string; parentId: number | null; validTo: Date | null; memberCount: number }

const UNIT_COUNT = z.object({ id: z.number().int(), count: z.bigint() })

/** Every unit of the subtree with its distinct active members (a person counts once however many memberships). */
export async function getTree(root: { path: string }, options: { includeClosed?: boolean } = {}, at = new Date()) {
	const units = await db.orgUnit.findMany({
		where: { path: { startsWith: root.path }, ...(options.includeClosed ? {} : { OR: [{ validTo: null }, { validTo: { gt: at } }] }) },
		select: { id: true, code: true, name: true, kind: true, depth: true, path: true, parentId: true, validTo: true },
	})
	// Each membership counts for its unit and every ancestor: ancestors come from the materialized path.
	const counts = await db.$queryRaw<Array<unknown>>`
		SELECT a.id, COUNT(DISTINCT m."userId") AS count
		FROM "Membership" m
		JOIN "OrgUnit" u ON u.id = m."orgUnitId"
		CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from u.path), '/')::int[]) AS a(id)
		WHERE u.path LIKE ${root.path + '%'} AND m."validFrom" <= ${at} AND (m."validTo" IS NULL OR m."validTo" > ${at})
		GROUP BY a.id`
	const byId = new Map(checkRows('tree-member-counts', UNIT_COUNT, counts).map((c) => [c.id, Number(c.count)]))
	const children = new Map<number | null, Array<TreeNode>>()
	for (const u of units) {
		const node = { ...u, memberCount: byId.get(u.id) ?? 0 }
		const key = u.path === root.path ? null : u.parentId
		children.set(key, [...(children.get(key) ?? []), node])
	}
	// Depth-first, siblings in Vietnamese order: the list reads as an indented tree.
	const ordered: Array<TreeNode> = []
	const walk = (key: number | null) => {
		for (const n of (children.get(key) ?? []).sort((a, b) => compareVi(a.name, b.name))) {
			ordered.push(n)
			walk(n.id)
		}
	}
	walk(null)
	return ordered
}

export type TreeOutcome =
	| { ok: true; unitId: number }
	| {
			ok: false
			error:
				| 'code-taken'
				| 'bad-kind'
				| 'bad-parent'
				| 'forbidden'
				| 'not-found'
				| 'cycle'
				| 'has-members'
				| 'has-children'
				| 'closed'
				| 'before-last-change'
				| 'future'
				| 'parent-not-open'
				| 'unit-closed'
			/** For 'before-last-change': the start of the unit's current period, the earliest date a change may take. */
			since?: Date
	  }

type Actor = { actorId: string; grants: ReadonlyArray<Grant>; request?: Request }

export async function createUnit(
	parentId: number,
	input: { code: string; name: string; kind: OrgKind; validFrom: Date; grassrootsType?: GrassrootsType },
	actor: Actor,
): Promise<TreeOutcome> {
	const parent = await db.orgUnit.findUnique({ where: { id: parentId } })
	if (!parent) return { ok: false, error: 'not-found' }
	if (!actor.grants.some((g) => parent.path.startsWith(g.path) && (g.role === 'ADMIN' || g.role === 'MANAGER'))) return { ok: false, error: 'forbidden' }
	if (parent.validTo && parent.validTo <= new Date()) return { ok: false, error: 'closed' }
	if (!childKinds(parent).includes(input.kind)) return { ok: false, error: 'bad-kind' }
	try {
		return await db.$transaction(async (tx) => {
			const unit = await tx.orgUnit.create({
				data: { tree: parent.tree, kind: input.kind, code: input.code, name: input.name, parentId: parent.id, path: 'pending', depth: parent.depth + 1, validFrom: input.validFrom },
			})
			await tx.orgUnit.update({ where: { id: unit.id }, data: { path: `${parent.path}${unit.id}/` } })
			await recordCreated(tx, unit, actor.actorId)
			// A đoàn cơ sở's type (decision 016) is kept with it from the start, like a school's level.
			if (input.grassrootsType && unit.tree === 'YOUTH' && unit.kind === 'youth_grassroots') {
				await setGrassrootsType(unit, input.grassrootsType, { actorId: actor.actorId, request: actor.request }, tx)
			}
			await audit(
				{ actorId: actor.actorId, action: 'orgunit.create', targetType: 'OrgUnit', targetId: unit.id, orgUnitId: unit.id, request: actor.request, details: { code: input.code, name: input.name, kind: input.kind, parentId: parent.id, validFrom: input.validFrom.toISOString() } },
				tx,
			)
			return { ok: true as const, unitId: unit.id }
		})
	} catch (error) {
		if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { ok: false, error: 'code-taken' }
		throw error
	}
}

async function administered(unitId: number, actor: Actor) {
	const unit = await db.orgUnit.findUnique({ where: { id: unitId } })
	if (!unit) return { error: 'not-found' as const }
	if (!canAdminister(actor.grants, unit.path)) return { error: 'forbidden' as const }
	// A closed unit, or one with a planned closure, keeps its last name and place.
	if (unit.validTo) return { error: 'unit-closed' as const }
	return { unit }
}

/**
 * A new name from its effective date. The history keeps the old name for the dates before, and certificates keep
 * the name they were issued with.
 */
export async function renameUnit(unitId: number, input: { name: string; at: Date }, actor: Actor): Promise<TreeOutcome> {
	const found = await administered(unitId, actor)
	if ('error' in found) return { ok: false, error: found.error! }
	return db.$transaction(async (tx): Promise<TreeOutcome> => {
		const { unit, period } = await lockCurrentPeriod(tx, unitId)
		const problem = changeDateProblem(period, input.at, 'rename')
		if (problem) return { ok: false, ...problem }
		if (unit.name === input.name) return { ok: true, unitId }
		await tx.orgUnit.update({ where: { id: unit.id }, data: { name: input.name } })
		await recordChange(tx, period, { name: input.name, at: input.at, actorId: actor.actorId })
		await audit(
			{ actorId: actor.actorId, action: 'orgunit.rename', targetType: 'OrgUnit', targetId: unit.id, orgUnitId: unit.id, request: actor.request, details: { from: unit.name, to: input.name, at: input.at.toISOString() } },
			tx,
		)
		return { ok: true, unitId: unit.id }
	})
}

/**
 * Moves a unit and its whole subtree under another parent of the same tree from its effective date (paths
 * rewritten in one statement; the history keeps the former parent for the dates before).
 */
export async function moveUnit(unitId: number, input: { parentId: number; at: Date }, actor: Actor): Promise<TreeOutcome> {
	const found = await administered(unitId, actor)
	if ('error' in found) return { ok: false, error: found.error! }
	const parent = await db.orgUnit.findUnique({ where: { id: input.parentId } })
	if (!parent || parent.tree !== found.unit.tree) return { ok: false, error: 'bad-parent' }
	if (parent.path.startsWith(found.unit.path)) return { ok: false, error: 'cycle' }
	if (!actor.grants.some((g) => parent.path.startsWith(g.path) && (g.role === 'ADMIN' || g.role === 'MANAGER'))) return { ok: false, error: 'forbidden' }
	if (parent.validTo && (parent.validTo <= new Date() || parent.validTo <= input.at)) return { ok: false, error: 'closed' }
	if (!PARENT_KINDS[found.unit.kind].includes(parent.kind)) return { ok: false, error: 'bad-kind' }
	// On the effective date the new parent must already exist, or the history would place the unit under nothing.
	if (vnDay(parent.validFrom) > vnDay(input.at)) return { ok: false, error: 'parent-not-open' }
	return db.$transaction(async (tx): Promise<TreeOutcome> => {
		const { unit, period } = await lockCurrentPeriod(tx, unitId)
		const problem = changeDateProblem(period, input.at, 'move')
		if (problem) return { ok: false, ...problem }
		if (unit.parentId === parent.id) return { ok: true, unitId }
		// Both read again under the lock: a concurrent move may have changed either path since the checks above.
		const fresh = await tx.orgUnit.findUniqueOrThrow({ where: { id: parent.id } })
		if (fresh.path.startsWith(unit.path)) return { ok: false, error: 'cycle' }
		const newPath = `${fresh.path}${unit.id}/`
		const delta = fresh.depth + 1 - unit.depth
		await tx.$executeRaw`
			UPDATE "OrgUnit" SET path = ${newPath} || substr(path, ${unit.path.length + 1}), depth = depth + ${delta}
			WHERE path LIKE ${unit.path + '%'}`
		await tx.orgUnit.update({ where: { id: unit.id }, data: { parentId: fresh.id } })
		await recordChange(tx, period, { parentId: fresh.id, at: input.at, actorId: actor.actorId })
		await audit(
			{ actorId: actor.actorId, action: 'orgunit.move', targetType: 'OrgUnit', targetId: unit.id, orgUnitId: unit.id, request: actor.request, details: { from: unit.parentId, to: fresh.id, at: input.at.toISOString() } },
			tx,
		)
		return { ok: true, unitId: unit.id }
	})
}

/**
 * Closes a unit from a date (today, a past date, or a planned date up to a year ahead). Refused while it has sub-units
 * or members active on or after that date: move them first.
 */
export async function closeUnit(unitId: number, input: { at: Date }, actor: Actor): Promise<TreeOutcome> {
	const found = await administered(unitId, actor)
	if ('error' in found) return { ok: false, error: found.error! }
	return db.$transaction(async (tx): Promise<TreeOutcome> => {
		const { unit, period } = await lockCurrentPeriod(tx, unitId)
		if (unit.validTo) return { ok: false, error: 'unit-closed' }
		const problem = changeDateProblem(period, input.at, 'close')
		if (problem) return { ok: false, ...problem }
		const openChildren = await tx.orgUnit.count({ where: { parentId: unit.id, OR: [{ validTo: null }, { validTo: { gt: input.at } }] } })
		if (openChildren) return { ok: false, error: 'has-children' }
		const members = await tx.membership.count({ where: { orgUnitId: unit.id, OR: [{ validTo: null }, { validTo: { gt: input.at } }] } })
		if (members) return { ok: false, error: 'has-members' }
		await tx.orgUnit.update({ where: { id: unit.id }, data: { validTo: input.at } })
		await recordClosed(tx, period, input.at)
		await audit(
			{ actorId: actor.actorId, action: 'orgunit.close', targetType: 'OrgUnit', targetId: unit.id, orgUnitId: unit.id, request: actor.request, details: { at: input.at.toISOString() } },
			tx,
		)
		return { ok: true, unitId: unit.id }
	})
}

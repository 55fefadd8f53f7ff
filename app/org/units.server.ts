// Reading the org tree: a unit with its sub-units and the people in its subtree.
import { z } from 'zod'
import { checkRows, db, Prisma } from '#app/db.server.ts'
import { type OrgTree } from '#app/db-types.ts'
import { compareVi, compareViNames } from '#app/ui/collation.ts'

/** Memberships active on `at`: started, and not yet ended. */
export function activeMembershipWhere(at: Date = new Date()) {
	return { validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] }
}

/** Units by id with their names, in Vietnamese name order (a choice of several scopes). */
export async function unitNames(ids: Array<number>) {
	const units = await db.orgUnit.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
	return units.sort((a, b) => compareVi(a.name, b.name))
}

/** The open units of a unit's subtree (in its tree) with their codes, shallowest first, then by name. */
export async function openUnitCodes(unit: { tree: OrgTree; path: string }) {
	const units = await db.orgUnit.findMany({
		where: { tree: unit.tree, path: { startsWith: unit.path }, validTo: null },
		select: { code: true, name: true, depth: true },
	})
	return units.sort((a, b) => a.depth - b.depth || compareVi(a.name, b.name))
}

const SUBTREE_COUNT = z.object({ id: z.number().int(), count: z.number().int() })

/** Distinct people with an active membership anywhere in each unit's subtree. */
export async function countMembersInSubtrees(unitIds: Array<number>, at: Date = new Date()) {
	if (unitIds.length === 0) return new Map<number, number>()
	const rows = await db.$queryRaw<Array<unknown>>`
		SELECT c.id, COUNT(DISTINCT m."userId")::int AS count
		FROM "OrgUnit" c
		JOIN "OrgUnit" u ON u.path LIKE c.path || '%'
		JOIN "Membership" m ON m."orgUnitId" = u.id
			AND m."validFrom" <= ${at} AND (m."validTo" IS NULL OR m."validTo" > ${at})
		WHERE c.id IN (${Prisma.join(unitIds)})
		GROUP BY c.id`
	return new Map(checkRows('members-in-subtrees', SUBTREE_COUNT, rows).map((r) => [r.id, r.count]))
}

const MEMBER_PAGE = 200

export async function getUnitOverview(unitId: number) {
	const unit = await db.orgUnit.findUnique({
		where: { id: unitId },
		include: { parent: { select: { id: true, name: true } } },
	})
	if (!unit) return null
	const children = await db.orgUnit.findMany({
		where: { parentId: unit.id, validTo: null },
		select: { id: true, name: true, code: true, kind: true },
	})
	const counts = await countMembersInSubtrees([unit.id, ...children.map((c) => c.id)])
	const active = { ...activeMembershipWhere(), orgUnit: { path: { startsWith: unit.path } } }
	// The table lists posts (one row a membership): a person in two units has two rows, so its length is compared
	// with the number of posts, and the number of people is said beside it.
	const postCount = await db.membership.count({ where: active })
	const memberships = await db.membership.findMany({
		where: active,
		select: {
			id: true,
			title: true,
			tags: true,
			orgUnit: { select: { name: true } },
			user: { select: { id: true, fullName: true, status: true, username: true } },
		},
		take: 5000,
	})
	memberships.sort((a, b) => compareViNames(a.user.fullName, b.user.fullName))
	return {
		unit,
		children: children
			.map((c) => ({ ...c, memberCount: counts.get(c.id) ?? 0 }))
			.sort((a, b) => compareVi(a.name, b.name)),
		memberCount: counts.get(unit.id) ?? 0,
		postCount,
		members: memberships.slice(0, MEMBER_PAGE),
	}
}

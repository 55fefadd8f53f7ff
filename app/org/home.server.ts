// What a logged-in person sees first: their own units, and the units their roles let them manage.
import { type Grant } from '#app/auth/permissions.ts'
import { db } from '#app/db.server.ts'
import { compareVi } from '#app/ui/collation.ts'
import { activeMembershipWhere, countMembersInSubtrees } from './units.server.ts'

export async function getHome(userId: string, grants: Array<Grant>) {
	const memberships = await db.membership.findMany({
		where: { userId, ...activeMembershipWhere() },
		select: { id: true, title: true, tags: true, orgUnit: { select: { id: true, name: true, tree: true } } },
	})
	const units = await db.orgUnit.findMany({
		where: { id: { in: [...new Set(grants.map((g) => g.orgUnitId))] } },
		select: { id: true, name: true, tree: true, kind: true },
	})
	const counts = await countMembersInSubtrees(units.map((u) => u.id))
	const managed = grants
		.map((g) => {
			const unit = units.find((u) => u.id === g.orgUnitId)
			return unit ? { role: g.role, unit: { ...unit, memberCount: counts.get(unit.id) ?? 0 } } : null
		})
		.filter((x) => x !== null)
		.sort((a, b) => compareVi(a.unit.name, b.unit.name))
	return { memberships, managed }
}

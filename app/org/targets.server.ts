// Which members count in a unit's training target (DESIGN §5: the roster is the denominator). A unit may name the
// tags that count ("only people running social media"); saving the rule sets countsInTarget on its active
// memberships, and roster imports apply it to new rows, so every completion query keeps reading countsInTarget.
import { audit } from '#app/auth/audit.server.ts'
import { z } from 'zod'
import { checkRows, db } from '#app/db.server.ts'

type Scope = { id: number; path: string }

/** countsInTarget for a membership of a unit with this rule: an empty rule keeps the person's own flag. */
export function countsUnderRule(rule: ReadonlyArray<string>, tags: ReadonlyArray<string>, own: boolean) {
	return rule.length === 0 ? own : own && tags.some((t) => rule.includes(t))
}

const TARGET_SUMMARY = z.object({ members: z.bigint(), counted: z.bigint() })

export async function targetSummary(scope: Scope, at = new Date()) {
	const rows = await db.$queryRaw<Array<unknown>>`
		SELECT COUNT(DISTINCT m."userId") AS members, COUNT(DISTINCT m."userId") FILTER (WHERE m."countsInTarget") AS counted
		FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId"
		WHERE o.path LIKE ${scope.path + '%'} AND m."validFrom" <= ${at} AND (m."validTo" IS NULL OR m."validTo" > ${at})`
	const [row] = checkRows('target-summary', TARGET_SUMMARY, rows)
	return { members: Number(row?.members ?? 0), counted: Number(row?.counted ?? 0) }
}

/**
 * Saves the rule on the unit (and its open sub-units when asked) and applies it to their active memberships.
 * With an empty rule everyone counts again.
 */
export async function setTargetTags(scope: Scope, input: { tags: Array<string>; subtree: boolean }, actor: { actorId: string; request?: Request }) {
	const tags = [...new Set(input.tags)].sort()
	return db.$transaction(async (tx) => {
		const units = input.subtree
			? await tx.orgUnit.findMany({ where: { path: { startsWith: scope.path }, validTo: null }, select: { id: true } })
			: [{ id: scope.id }]
		const ids = units.map((u) => u.id)
		await tx.orgUnit.updateMany({ where: { id: { in: ids } }, data: { targetTags: tags } })
		const active = { orgUnitId: { in: ids }, OR: [{ validTo: null }, { validTo: { gt: new Date() } }] }
		const counted = tags.length
			? (await tx.membership.updateMany({ where: { ...active, tags: { hasSome: tags } }, data: { countsInTarget: true } })).count
			: (await tx.membership.updateMany({ where: active, data: { countsInTarget: true } })).count
		const excluded = tags.length ? (await tx.membership.updateMany({ where: { ...active, NOT: { tags: { hasSome: tags } } }, data: { countsInTarget: false } })).count : 0
		await audit(
			{ actorId: actor.actorId, action: 'orgunit.targets', targetType: 'OrgUnit', targetId: scope.id, orgUnitId: scope.id, request: actor.request, details: { tags, units: ids.length, counted, excluded } },
			tx,
		)
		return { units: ids.length, counted, excluded }
	})
}

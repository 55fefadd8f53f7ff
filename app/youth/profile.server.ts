// What kind of đoàn cơ sở a youth_grassroots unit is (commune/ward, school, agency, enterprise or industrial zone):
// shown and edited on the tree screens, like the education tree's EduUnitProfile on the classes screens.
import { audit } from '#app/auth/audit.server.ts'
import { db, type Prisma } from '#app/db.server.ts'
import { type GrassrootsType } from './schema.ts'

/** The types of the given units that have one, by unit id. */
export async function grassrootsTypes(unitIds: ReadonlyArray<number>) {
	if (unitIds.length === 0) return new Map<number, GrassrootsType>()
	const rows = await db.youthUnitProfile.findMany({ where: { orgUnitId: { in: [...unitIds] } } })
	return new Map(rows.map((r) => [r.orgUnitId, r.grassrootsType]))
}

/** Sets the type of a đoàn cơ sở (within the caller's transaction when given). Other kinds have none. */
export async function setGrassrootsType(
	unit: { id: number; tree: string; kind: string },
	grassrootsType: GrassrootsType,
	actor: { actorId: string; request?: Request },
	client?: Prisma.TransactionClient,
): Promise<{ ok: true } | { ok: false; error: 'bad-kind' }> {
	if (unit.tree !== 'YOUTH' || unit.kind !== 'youth_grassroots') return { ok: false, error: 'bad-kind' }
	if (!client) return db.$transaction((tx) => setGrassrootsType(unit, grassrootsType, actor, tx))
	await client.youthUnitProfile.upsert({ where: { orgUnitId: unit.id }, create: { orgUnitId: unit.id, grassrootsType }, update: { grassrootsType } })
	await audit({ actorId: actor.actorId, action: 'orgunit.youth-profile', targetType: 'OrgUnit', targetId: unit.id, orgUnitId: unit.id, request: actor.request, details: { grassrootsType } }, client)
	return { ok: true }
}

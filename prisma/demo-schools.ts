// The demo education tree's levels, school years and grades (decision 015), so the classes pages show them without
// guessing from names.
import { type PrismaClient } from '#app/generated/prisma/client.ts'

const SCHOOLS = { 'TH-KD': 'PRIMARY', 'THCS-LQD': 'LOWER_SECONDARY', 'THPT-MS': 'UPPER_SECONDARY' } as const
const CLASSES = { 'TH-KD-5A-2026': 5, 'TH-KD-5B-2026': 5, 'THCS-LQD-8A-2026': 8, 'THPT-MS-10A1-2026': 10 } as const

export async function seedDemoSchools(db: PrismaClient) {
	const units = await db.orgUnit.findMany({ where: { tree: 'EDU', code: { in: [...Object.keys(SCHOOLS), ...Object.keys(CLASSES)] } }, select: { id: true, code: true } })
	await db.eduUnitProfile.createMany({
		data: units.map((u) =>
			u.code in SCHOOLS
				? { orgUnitId: u.id, level: SCHOOLS[u.code as keyof typeof SCHOOLS] }
				: { orgUnitId: u.id, schoolYear: 2026, grade: CLASSES[u.code as keyof typeof CLASSES] },
		),
		skipDuplicates: true,
	})
	return units.length
}

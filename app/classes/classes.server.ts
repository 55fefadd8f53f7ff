// The education tree as schools and teachers see it: a department's schools by level, a school's classes by
// school year, a class's students. Permissions are the org tree's (requireOrgRole on the unit); this module only
// reads and writes what those pages show.
import { audit } from '#app/auth/audit.server.ts'
import { type Grant } from '#app/auth/permissions.ts'
import { db, Prisma, runSql } from '#app/db.server.ts'
import { SCHOOL_COUNTS } from './classes.sql.ts'
import { type OrgUnit, type SchoolLevel } from '#app/db-types.ts'
import { recordCreated } from '#app/org/unit-history.server.ts'
import { compareVi, foldVi, sortByViName } from '#app/ui/collation.ts'
import { vnClock } from '#app/ui/dates.ts'

export const SCHOOL_LEVELS = ['PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'VOCATIONAL'] as const satisfies ReadonlyArray<SchoolLevel>

type Unit = Pick<OrgUnit, 'id' | 'name' | 'code' | 'kind' | 'path' | 'tree'>
type Profile = { level: SchoolLevel | null; schoolYear: number | null; grade: number | null } | null

/** A school's level: from its profile, else from the words of its name (units made from tree files have none). */
export function schoolLevel(name: string, profile: Profile): SchoolLevel | null {
	if (profile?.level) return profile.level
	const n = foldVi(name)
	if (/tieu hoc/.test(n)) return 'PRIMARY'
	if (/thcs|trung hoc co so/.test(n)) return 'LOWER_SECONDARY'
	if (/thpt|trung hoc pho thong/.test(n)) return 'UPPER_SECONDARY'
	if (/gdnn|gdtx|giao duc nghe nghiep|giao duc thuong xuyen/.test(n)) return 'VOCATIONAL'
	return null
}

/** "5A" → 5, "10A1" → 10: the grade a class name starts with (1–12). */
export function gradeOf(className: string) {
	const m = /^\s*(?:lop\s+)?(\d{1,2})/.exec(foldVi(className))
	const grade = m ? Number(m[1]) : NaN
	return grade >= 1 && grade <= 12 ? grade : null
}

/** A class's school year (2026 = 2026–2027) and grade: from its profile, else from its name or code. */
export function classInfo(unit: Pick<OrgUnit, 'name' | 'code'>, profile: Profile) {
	const year = profile?.schoolYear ?? Number(/(20\d\d)\s*[–-]/.exec(unit.name)?.[1] ?? /-(20\d\d)$/.exec(unit.code)?.[1] ?? NaN)
	const short = unit.name.replace(/^Lớp\s+/i, '').replace(/\s*\(.*\)\s*$/, '')
	return { schoolYear: Number.isFinite(year) ? year : null, grade: profile?.grade ?? gradeOf(short), shortName: short }
}

/** The school year under way on a date: it starts in September. */
export function currentSchoolYear(at = new Date()) {
	const { year, month } = vnClock(at)
	return month >= 9 ? year : year - 1
}

export function classCode(schoolCode: string, className: string, schoolYear: number) {
	return `${schoolCode}-${className.toUpperCase().replace(/\s+/g, '')}-${schoolYear}`
}

export function className(shortName: string, schoolYear: number) {
	return `Lớp ${shortName} (${schoolYear}–${schoolYear + 1})`
}

const activeNow = () => ({ validFrom: { lte: new Date() }, OR: [{ validTo: null }, { validTo: { gt: new Date() } }] })

/** For a department (or the education root): its schools with level and numbers of classes and students. */
export async function listSchools(scope: Pick<OrgUnit, 'path'>) {
	const schools = await db.orgUnit.findMany({
		where: { tree: 'EDU', kind: 'school', path: { startsWith: scope.path }, validTo: null },
		select: { id: true, code: true, name: true, path: true, eduProfile: true },
		take: 2000,
	})
	const counts = await runSql(SCHOOL_COUNTS, { pathPrefix: scope.path + '%' })
	const byId = new Map(counts.map((c) => [c.school, c]))
	return schools
		.map((s) => ({ id: s.id, code: s.code, name: s.name, level: schoolLevel(s.name, s.eduProfile), classes: byId.get(s.id)?.classes ?? 0, students: byId.get(s.id)?.students ?? 0 }))
		.sort((a, b) => SCHOOL_LEVELS.indexOf(a.level ?? 'VOCATIONAL') - SCHOOL_LEVELS.indexOf(b.level ?? 'VOCATIONAL') || compareVi(a.name, b.name))
}

/** A school's classes, newest school year first, with their number of students. */
export async function listClasses(school: Pick<OrgUnit, 'id'>) {
	const classes = await db.orgUnit.findMany({
		where: { parentId: school.id, kind: 'class', validTo: null },
		select: { id: true, code: true, name: true, eduProfile: true, _count: { select: { memberships: { where: { ...activeNow(), user: { grants: { none: {} } } } } } } },
	})
	return classes
		.map((c) => ({ id: c.id, code: c.code, name: c.name, ...classInfo(c, c.eduProfile), students: c._count.memberships }))
		.sort((a, b) => (b.schoolYear ?? 0) - (a.schoolYear ?? 0) || (a.grade ?? 99) - (b.grade ?? 99) || compareVi(a.shortName, b.shortName))
}

export type CreateOutcome = { ok: true; unitId: number } | { ok: false; error: 'code-taken' | 'bad-parent' }

async function createEduUnit(
	parent: Unit & { depth: number },
	data: { kind: 'school' | 'class'; code: string; name: string; profile: { level?: SchoolLevel; schoolYear?: number; grade?: number | null } },
	actor: { actorId: string; request?: Request },
): Promise<CreateOutcome> {
	try {
		return await db.$transaction(async (tx) => {
			const unit = await tx.orgUnit.create({ data: { tree: 'EDU', kind: data.kind, code: data.code, name: data.name, parentId: parent.id, path: 'pending', depth: parent.depth + 1 } })
			const created = await tx.orgUnit.update({ where: { id: unit.id }, data: { path: `${parent.path}${unit.id}/` } })
			await tx.eduUnitProfile.create({ data: { orgUnitId: unit.id, level: data.profile.level ?? null, schoolYear: data.profile.schoolYear ?? null, grade: data.profile.grade ?? null } })
			await recordCreated(tx, created, actor.actorId)
			await audit({ actorId: actor.actorId, action: 'orgunit.create', targetType: 'OrgUnit', targetId: unit.id, orgUnitId: unit.id, request: actor.request, details: { code: data.code, name: data.name, kind: data.kind, parentId: parent.id, ...data.profile } }, tx)
			return { ok: true as const, unitId: unit.id }
		})
	} catch (error) {
		if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { ok: false, error: 'code-taken' }
		throw error
	}
}

export async function createSchool(parent: Unit & { depth: number }, input: { code: string; name: string; level: SchoolLevel }, actor: { actorId: string; request?: Request }) {
	if (parent.tree !== 'EDU' || parent.kind !== 'education_office') return { ok: false as const, error: 'bad-parent' as const }
	return createEduUnit(parent, { kind: 'school', code: input.code.toUpperCase(), name: input.name, profile: { level: input.level } }, actor)
}

export async function createClass(school: Unit & { depth: number }, input: { name: string; schoolYear: number }, actor: { actorId: string; request?: Request }) {
	if (school.tree !== 'EDU' || school.kind !== 'school') return { ok: false as const, error: 'bad-parent' as const }
	return createEduUnit(
		school,
		{ kind: 'class', code: classCode(school.code, input.name, input.schoolYear), name: className(input.name, input.schoolYear), profile: { schoolYear: input.schoolYear, grade: gradeOf(input.name) } },
		actor,
	)
}

/** The class's students (active memberships), by given name, with what their login card needs. */
export async function classStudents(classId: number) {
	const rows = await db.membership.findMany({
		where: { orgUnitId: classId, ...activeNow(), user: { grants: { none: {} } } },
		select: { user: { select: { id: true, fullName: true, username: true, birthYear: true, status: true, loginPin: { select: { issuedAt: true } } } } },
	})
	const seen = new Set<string>()
	const students = rows.map((r) => r.user).filter((u) => (seen.has(u.id) ? false : (seen.add(u.id), true)))
	return sortByViName(students, (s) => s.fullName).map((s) => ({ id: s.id, fullName: s.fullName, username: s.username, birthYear: s.birthYear, hasPin: !!s.loginPin, pinIssuedAt: s.loginPin?.issuedAt.toISOString() ?? null }))
}

/** Classes a teacher works with: those their TRAINER (or MANAGER/ADMIN) grants cover, most recent year first. */
export async function teacherClasses(grants: ReadonlyArray<Grant>) {
	const paths = grants.filter((g) => g.role === 'TRAINER' || g.role === 'MANAGER' || g.role === 'ADMIN').map((g) => g.path)
	if (!paths.length) return []
	const classes = await db.orgUnit.findMany({
		where: { tree: 'EDU', kind: 'class', validTo: null, OR: paths.map((p) => ({ path: { startsWith: p } })) },
		select: { id: true, code: true, name: true, eduProfile: true, parent: { select: { name: true } } },
		take: 300,
	})
	return classes
		.map((c) => ({ id: c.id, name: c.name, schoolName: c.parent?.name ?? '', ...classInfo(c, c.eduProfile) }))
		.sort((a, b) => (b.schoolYear ?? 0) - (a.schoolYear ?? 0) || compareVi(a.schoolName, b.schoolName) || compareVi(a.shortName, b.shortName))
}

/** A class unit, or null when the unit is not a class of the education tree. */
export async function getClass(classId: number) {
	const unit = await db.orgUnit.findUnique({ where: { id: classId }, include: { eduProfile: true, parent: { select: { id: true, name: true, code: true } } } })
	if (!unit || unit.tree !== 'EDU' || unit.kind !== 'class') return null
	return { ...unit, ...classInfo(unit, unit.eduProfile), schoolName: unit.parent?.name ?? '' }
}

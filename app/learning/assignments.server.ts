// Assignments are rules ("course C for unit U's subtree, tag T, due D"), never rows per person: who must take a
// course is derived from the roster when asked, so assigning to 100,000 people writes one row.
import { audit } from '#app/auth/audit.server.ts'
import { forbidden, notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { can } from '#app/auth/permissions.ts'
import { getCourse, listCourses } from '#app/content/courses.server.ts'
import { db, runSql } from '#app/db.server.ts'
import { type Audience } from '#app/content/audiences.ts'
import { type OrgTree, type Role } from '#app/db-types.ts'
import { compareVi } from '#app/ui/collation.ts'
import { REQUIRED_COURSES } from './assignments.sql.ts'
import { AssignmentIdSchema } from './schema.ts'

export type AssignmentInput = { courseSlug: string; audienceTag?: string; dueAt: Date; recurrenceMonths?: number }

/** Ancestor ids from a materialized path: "/1/20/57/" → [1, 20, 57]. */
export function pathIds(path: string) {
	return path.split('/').filter(Boolean).map(Number)
}

/** Distinct people counted in the target: active membership in the subtree, counted, with the tag if any. */
export async function countRequiredPeople(unitPath: string, audienceTag: string | null, at = new Date()) {
	return db.user.count({
		where: {
			memberships: {
				some: {
					countsInTarget: true,
					validFrom: { lte: at },
					OR: [{ validTo: null }, { validTo: { gt: at } }],
					orgUnit: { path: { startsWith: unitPath } },
					...(audienceTag ? { tags: { has: audienceTag } } : {}),
				},
			},
		},
	})
}

export async function createAssignment(input: AssignmentInput, unit: { id: number; path: string }, actorId: string, request: Request) {
	const course = await db.course.upsert({ where: { slug: input.courseSlug }, create: { slug: input.courseSlug }, update: {} })
	return db.$transaction(async (tx) => {
		const assignment = await tx.assignment.create({
			data: {
				courseId: course.id,
				orgUnitId: unit.id,
				audienceTag: input.audienceTag ?? null,
				dueAt: input.dueAt,
				recurrenceMonths: input.recurrenceMonths ?? null,
				createdById: actorId,
			},
		})
		await audit(
			{
				actorId,
				action: 'assignment.create',
				targetType: 'Assignment',
				targetId: assignment.id,
				orgUnitId: unit.id,
				request,
				details: { course: input.courseSlug, tag: input.audienceTag ?? null, dueAt: input.dueAt.toISOString() },
			},
			tx,
		)
		return assignment
	})
}

export async function closeAssignment(assignmentId: string, unit: { id: number; path: string }, actorId: string, request: Request) {
	return db.$transaction(async (tx) => {
		// Only an assignment made on this unit or inside its subtree can be closed from here.
		const closed = await tx.assignment.updateMany({
			where: { id: assignmentId, closedAt: null, orgUnit: { path: { startsWith: unit.path } } },
			data: { closedAt: new Date() },
		})
		if (closed.count === 1) {
			await audit({ actorId, action: 'assignment.close', targetType: 'Assignment', targetId: assignmentId, orgUnitId: unit.id, request }, tx)
		}
		return closed.count === 1
	})
}

/**
 * The page's unit and an assignment its viewer may administer. 404 when the assignment does not exist or is not
 * made inside the page's subtree; 403 when it was made on a unit outside the viewer's grants (another department's
 * rule, or a parent's rule seen as inherited), whichever page the request names.
 */
export async function requireAssignment(request: Request, unitId: number, assignmentId: unknown, roles: ReadonlyArray<Role>) {
	const access = await requireOrgRole(request, unitId, roles)
	const id = AssignmentIdSchema.safeParse(assignmentId)
	if (!id.success) notFound()
	const assignment = await db.assignment.findUnique({
		where: { id: id.data },
		include: { course: { select: { slug: true } }, orgUnit: { select: { id: true, name: true, path: true } } },
	})
	if (!assignment) notFound()
	if (!can(access.grants, assignment.orgUnit.path, roles)) forbidden()
	if (!assignment.orgUnit.path.startsWith(access.unit.path)) notFound()
	return { ...access, assignment }
}

export type AssignmentChange = { audienceTag: string | null; dueAt: Date; recurrenceMonths: number | null }
export type UpdateOutcome = 'updated' | 'unchanged' | 'closed' | 'not-found'

/**
 * Changes the audience tag, due date and recurrence of an open assignment made inside `scope`. Course and unit are
 * the rule's identity and stay: another course or unit is another assignment. The audit row carries before and
 * after, in the same transaction as the change.
 */
export async function updateAssignment(
	assignmentId: string,
	change: AssignmentChange,
	scope: { id: number; path: string },
	actorId: string,
	request?: Request,
): Promise<UpdateOutcome> {
	return db.$transaction(async (tx) => {
		// Row lock: two managers saving at once are applied one after the other, and each audit row's "from" is
		// the state the change really replaced.
		await tx.$queryRaw`SELECT id FROM "Assignment" WHERE id = ${assignmentId} FOR UPDATE`
		const current = await tx.assignment.findFirst({
			where: { id: assignmentId, orgUnit: { path: { startsWith: scope.path } } },
			include: { course: { select: { slug: true } } },
		})
		if (!current) return 'not-found'
		if (current.closedAt) return 'closed'
		const before: AssignmentChange = { audienceTag: current.audienceTag, dueAt: current.dueAt, recurrenceMonths: current.recurrenceMonths }
		const changed = (Object.keys(change) as Array<keyof AssignmentChange>).filter((k) => String(before[k]?.valueOf() ?? null) !== String(change[k]?.valueOf() ?? null))
		if (changed.length === 0) return 'unchanged'
		await tx.assignment.update({ where: { id: current.id }, data: change })
		const json = (v: AssignmentChange) => ({ tag: v.audienceTag, dueAt: v.dueAt.toISOString(), recurrenceMonths: v.recurrenceMonths })
		await audit(
			{
				actorId,
				action: 'assignment.update',
				targetType: 'Assignment',
				targetId: current.id,
				orgUnitId: current.orgUnitId,
				request,
				details: { course: current.course.slug, changed, from: json(before), to: json(change) },
			},
			tx,
		)
		return 'updated'
	})
}

/**
 * Assignments that reach a unit: made on it, on an ancestor, or inside its subtree; open ones first. "Required" is
 * always counted within the unit looked at: an assignment made on the province counts the department's people here.
 */
export async function listAssignmentsForUnit(unit: { id: number; path: string }) {
	const rows = await db.assignment.findMany({
		where: { OR: [{ orgUnitId: { in: pathIds(unit.path) } }, { orgUnit: { path: { startsWith: unit.path } } }] },
		include: { course: true, orgUnit: { select: { id: true, name: true, path: true } } },
		orderBy: [{ closedAt: { sort: 'desc', nulls: 'first' } }, { dueAt: 'asc' }],
	})
	return Promise.all(
		rows.map(async (a) => {
			const inherited = a.orgUnitId !== unit.id && unit.path.startsWith(a.orgUnit.path)
			return {
				id: a.id,
				courseSlug: a.course.slug,
				courseTitle: getCourse(a.course.slug)?.meta.title ?? a.course.slug,
				unit: { id: a.orgUnit.id, name: a.orgUnit.name },
				inherited,
				audienceTag: a.audienceTag,
				dueAt: a.dueAt.toISOString(),
				recurrenceMonths: a.recurrenceMonths,
				closedAt: a.closedAt?.toISOString() ?? null,
				required: await countRequiredPeople(inherited ? unit.path : a.orgUnit.path, a.audienceTag),
			}
		}),
	)
}

export function courseOptions() {
	return listCourses()
		.map((c) => ({ slug: c.slug, title: c.title }))
		.sort((a, b) => compareVi(a.title, b.title))
}

export type CourseGroupKey = 'youth' | 'staff' | 'staffForTeams' | 'pupils' | 'teachers'

// Who a tree's members are: the government's units hold civil servants; schools hold pupils and their teachers (staff);
// the Youth Union holds its members and, in community digital teams, staff. A course for nobody there is not offered.
const TREE_GROUPS: Record<OrgTree, Array<{ key: CourseGroupKey; audiences: ReadonlyArray<Audience> }>> = {
	GOV: [{ key: 'staff', audiences: ['staff'] }],
	EDU: [
		{ key: 'pupils', audiences: ['student-primary', 'student-secondary'] },
		{ key: 'teachers', audiences: ['staff'] },
	],
	YOUTH: [
		{ key: 'youth', audiences: ['youth'] },
		{ key: 'staffForTeams', audiences: ['staff'] },
	],
}

/**
 * The catalogue grouped for the assignment form of a unit of `tree`, by the audiences its members belong to: the
 * tree's own audience first (youth courses on the Youth Union's units, staff courses on the government's), then on
 * youth units the staff courses for community digital team members. A course for several audiences goes in the first
 * group it fits; a course for none of the tree's audiences (pupils' courses for a department) is not offered.
 */
export function courseGroups(tree: OrgTree): Array<{ key: CourseGroupKey; courses: Array<{ slug: string; title: string }> }> {
	const groups = TREE_GROUPS[tree].map((g) => ({ ...g, courses: [] as Array<{ slug: string; title: string }> }))
	for (const c of [...listCourses()].sort((a, b) => compareVi(a.title, b.title))) {
		const group = groups.find((g) => g.audiences.some((a) => c.audience.includes(a)))
		group?.courses.push({ slug: c.slug, title: c.title })
	}
	return groups.filter((g) => g.courses.length > 0).map(({ key, courses }) => ({ key, courses }))
}

/** Whether the course is offered to units of the tree (the same rule as the form's list). */
export function courseOfferedTo(tree: OrgTree, slug: string) {
	return courseGroups(tree).some((g) => g.courses.some((c) => c.slug === slug))
}

/** For each course required of the user: the earliest due date among the assignments that cover them. */
export async function requiredCoursesFor(userId: string, at = new Date()) {
	const rows = await runSql(REQUIRED_COURSES, { userId, at })
	return new Map(rows.map((r) => [r.slug, new Date(r.dueMs)]))
}

// What the completion dashboards need around the numbers of completion.server.ts: their filters from the query
// string (bad values give a message and the default, never an error page), the list of courses, the way up the tree.
import { z } from 'zod'
import { type Grant, grantCovers } from '#app/auth/permissions.ts'
import { db } from '#app/db.server.ts'
import { compareVi } from '#app/ui/collation.ts'
import { getCommunityTeams } from './community.server.ts'
import { courseTitles, getCourseBreakdown, getLevelRows, levelsBelow, type PeopleFilter, type UnitRef } from './completion.server.ts'
import { endOfDayVn } from './completion.ts'
import { vnDay } from '#app/ui/dates.ts'

/** Who may look at completion numbers of a unit (ADMIN always may). */
export const DASHBOARD_ROLES = ['MANAGER', 'AUDITOR', 'YOUTH_ADMIN'] as const

// The data begin with the product; a date after today is a question about the future.
export const EARLIEST_DAY = '2024-01-01'

export type DashboardFilters = { course: string | null; asOf: string | null; people: PeopleFilter; level: number }
export type FilterProblem = 'dash.error.course' | 'dash.error.asOf' | 'dash.error.people' | 'dash.error.level'

/** The ranking goes at most this many levels down (province → sở → phòng → … is four deep at most). */
export const MAX_LEVEL = 6

const PEOPLE_FILTERS = ['all', 'completed', 'in_progress', 'not_started', 'overdue'] as const

const RawFilters = z.object({
	course: z.string().optional(),
	asOf: z.string().optional(),
	people: z.string().optional(),
	level: z.string().optional(),
})

/** Reads ?course=&asOf=&people=&level=; each bad value is reported and replaced by its default. */
export async function readFilters(url: URL, now = new Date()): Promise<{ filters: DashboardFilters; courseId: string | null; at: Date | undefined; problems: Array<FilterProblem> }> {
	const raw = RawFilters.parse(Object.fromEntries(url.searchParams))
	const problems: Array<FilterProblem> = []
	let course: string | null = null
	let courseId: string | null = null
	if (raw.course) {
		const found = /^[a-z0-9-]{1,80}$/.test(raw.course) ? await db.course.findUnique({ where: { slug: raw.course }, select: { id: true } }) : null
		if (found) {
			course = raw.course
			courseId = found.id
		} else problems.push('dash.error.course')
	}
	let asOf: string | null = null
	let at: Date | undefined
	if (raw.asOf) {
		const today = vnDay(now)
		if (/^\d{4}-\d{2}-\d{2}$/.test(raw.asOf) && raw.asOf >= EARLIEST_DAY && raw.asOf <= today) {
			try {
				// Today asked for explicitly is computed live up to now: the blank date is "now" from the rollup, which
				// may be minutes old (decision 012); someone who just assigned a course or approved members asks this way.
				at = raw.asOf === today ? now : endOfDayVn(raw.asOf)
				asOf = raw.asOf
			} catch {
				problems.push('dash.error.asOf')
			}
		} else problems.push('dash.error.asOf')
	}
	let people: PeopleFilter = 'all'
	if (raw.people) {
		if ((PEOPLE_FILTERS as ReadonlyArray<string>).includes(raw.people)) people = raw.people as PeopleFilter
		else problems.push('dash.error.people')
	}
	let level = 1
	if (raw.level) {
		if (/^[1-9]$/.test(raw.level) && Number(raw.level) <= MAX_LEVEL) level = Number(raw.level)
		else problems.push('dash.error.level')
	}
	return { filters: { course, asOf, people, level }, courseId, at, problems }
}

/**
 * The courses a unit's figures can be about, by title: those assigned (now or once) to the unit, to a unit above it
 * (which covers it) or to a unit below it. A department is not offered the pupils' courses another tree assigned.
 */
export async function courseOptions(unit: { path: string }) {
	const above = unit.path.split('/').filter(Boolean).map(Number)
	const rows = await db.assignment.findMany({
		where: { OR: [{ orgUnitId: { in: above } }, { orgUnit: { path: { startsWith: unit.path } } }] },
		distinct: ['courseId'],
		select: { courseId: true },
	})
	const titles = await courseTitles(rows.map((r) => r.courseId))
	return [...titles.values()].sort((a, b) => compareVi(a.title, b.title))
}

/** The units above `unit` (root first) that the viewer may also look at, for the breadcrumb. */
export async function visibleAncestors(unit: { path: string; id: number }, grants: ReadonlyArray<Grant>) {
	const ids = unit.path
		.split('/')
		.filter(Boolean)
		.map(Number)
		.filter((id) => id !== unit.id)
	if (ids.length === 0) return []
	const rows = await db.orgUnit.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, path: true } })
	const byId = new Map(rows.map((r) => [r.id, r]))
	return ids
		.map((id) => byId.get(id))
		.filter((u): u is NonNullable<typeof u> => !!u)
		.filter((u) => grants.some((g) => (g.role === 'ADMIN' || (DASHBOARD_ROLES as ReadonlyArray<string>).includes(g.role)) && grantCovers(g, u.path)))
		.map((u) => ({ id: u.id, name: u.name }))
}

/**
 * What the dashboard and its XLSX show of a unit for the filters: the ranking at the chosen level (a level deeper
 * than the tree goes is the deepest there is), the per-course breakdown over all courses, and the community teams
 * of a youth unit.
 */
export async function dashboardFigures(unit: UnitRef, filters: Pick<DashboardFilters, 'level'>, courseId: string | null, at: Date | undefined) {
	const levels = Math.min(MAX_LEVEL, await levelsBelow(unit))
	const level = Math.max(1, Math.min(filters.level, levels))
	const [ranking, breakdown, teams] = await Promise.all([
		getLevelRows(unit.id, level, { courseId, at }),
		courseId ? null : getCourseBreakdown(unit.id, { at }),
		// The Youth Union also follows its community digital teams (issue 10); other trees have none.
		unit.tree === 'YOUTH' ? getCommunityTeams(unit, { courseId, at }) : null,
	])
	return { levels, level, ranking, breakdown, teams }
}

// Community digital teams (tổ công nghệ số cộng đồng) of a youth unit's subtree: how many there are, how many have
// every required member trained, and their members' numbers. No SQL of its own: the teams are rows of the level
// ranking (live or rollup, completion.server.ts) or of the month-end snapshots (snapshots.server.ts), picked out by
// kind, so the teams' figures are those of the completion rule everywhere else.
import { db } from '#app/db.server.ts'
import { type CompletionQuery, getLevelRows, rankRows, type UnitRef, type UnitRow } from './completion.server.ts'
import { type CompletionCounts, withRate, ZERO_COUNTS } from './completion.ts'
import { readSnapshots } from './snapshots.server.ts'

export type CommunityTeams = {
	/** Every team of the subtree (not closed), ranked; a team nobody is required in has a null rate. */
	teams: Array<UnitRow>
	/** Teams where somebody is required and everyone required has completed (100%). */
	full: number
	/** The teams added up (a person in two teams counts in each; over all courses: person × course requirements). */
	members: CompletionCounts
}

/** The depths (below the unit) where its subtree has community teams; most trees have one. */
async function teamDepths(unit: Pick<UnitRef, 'path' | 'depth'>) {
	const rows = await db.orgUnit.findMany({
		where: { path: { startsWith: unit.path }, kind: 'community_team', depth: { gt: unit.depth } },
		distinct: ['depth'],
		select: { depth: true },
		orderBy: { depth: 'asc' },
	})
	return rows.map((r) => r.depth)
}

export function summarizeTeams(rows: Array<UnitRow>): CommunityTeams {
	const teams = rankRows(rows.filter((r) => !r.direct && r.unit.kind === 'community_team'))
	const members = teams.reduce(
		(sum, t) => withRate({ target: sum.target + t.target, completed: sum.completed + t.completed, inProgress: sum.inProgress + t.inProgress, overdue: sum.overdue + t.overdue }),
		ZERO_COUNTS,
	)
	return { teams, full: teams.filter((t) => t.target > 0 && t.completed === t.target).length, members }
}

/** The teams below a youth unit now or at `query.at` (what the dashboard shows); null when the subtree has none. */
export async function getCommunityTeams(unit: Pick<UnitRef, 'id' | 'path' | 'depth'>, query: CompletionQuery = {}): Promise<CommunityTeams | null> {
	const depths = await teamDepths(unit)
	if (depths.length === 0) return null
	const levels = await Promise.all(depths.map((depth) => getLevelRows(unit.id, depth - unit.depth, query)))
	return summarizeTeams(levels.flatMap((l) => l?.rows ?? []))
}

/** The teams below a youth unit in the month-end snapshot of `period` (what the periodic report prints). */
export async function snapshotCommunityTeams(unit: Pick<UnitRef, 'id' | 'path' | 'depth'>, period: string, courseId: string | null): Promise<CommunityTeams | null> {
	const depths = await teamDepths(unit)
	if (depths.length === 0) return null
	const levels = await Promise.all(depths.map((depth) => readSnapshots(unit.id, { from: period, to: period }, { courseId, depth })))
	return summarizeTeams(levels.flatMap((l) => l?.periods[0]?.rows ?? []))
}

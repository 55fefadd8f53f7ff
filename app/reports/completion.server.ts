// The completion rule (DESIGN §5) for whole units at once, in SQL: who is required (the roster, the open assignments
// and their audience tags), who holds a certificate that counts, who is in progress and who is overdue, for a unit's
// subtree on any date. Every dashboard, export and snapshot reads its numbers from here (or from the rollup and the
// snapshots, which are computed by this same SQL), so that no two screens disagree. The per-person statement of the
// rule is app/reports/completion.ts; tests hold the two together.
//
// One statement per question, set-based, so that a province of 100,000 people is a few hash joins rather than
// 100,000 queries. See docs/decisions/012-completion-queries.md for the numbers and for the rollup.
import { z } from 'zod'
import { getCourse } from '#app/content/courses.server.ts'
import { jobsSettled, sendJob } from '#app/jobs/queue.server.ts'
import { checkRows, db, pgArray, runSql } from '#app/db.server.ts'
import { type OrgKind, type OrgTree } from '#app/db-types.ts'
import { compareVi, sortByViName } from '#app/ui/collation.ts'
import { type CompletionCounts, type Lapse, type PersonStatus, withRate, ZERO_COUNTS } from './completion.ts'
import {
	BY_COURSE,
	CHILDREN,
	LEVEL,
	PARTS_ALL,
	PARTS_OF,
	PEOPLE,
	PEOPLE_COUNTS,
	PEOPLE_NAMES,
	ROLLUP_CHILDREN,
	ROLLUP_CHILDREN_ALL,
	ROLLUP_COURSES,
	ROLLUP_DIRTY,
	ROLLUP_FROM_PARTS,
	ROLLUP_LEVEL,
	ROLLUP_LEVEL_ALL,
	ROLLUP_TOTALS,
	SNAPSHOT_CHILDREN,
	SNAPSHOT_CHILDREN_ALL,
	SNAPSHOT_COURSES,
	SNAPSHOT_LEVEL,
	SNAPSHOT_LEVEL_ALL,
	UNITS_AT_DEPTH,
	type Variants,
} from './completion.sql.ts'

export type UnitRef = { id: number; name: string; code: string; kind: OrgKind; tree: OrgTree; path: string; depth: number; parentId: number | null }

export type UnitRow = CompletionCounts & {
	unit: UnitRef
	/** The unit's own members only (people attached to it directly rather than to one of its sub-units). */
	direct: boolean
}

export type CourseRow = CompletionCounts & { courseId: string; slug: string; title: string }

export type PersonRow = {
	userId: string
	fullName: string
	/** The units of the subtree where the person is counted (several when they hold several posts in it). */
	units: Array<{ id: number; name: string }>
	/** For one course, the person's status; for all courses: completed when every required course is. */
	status: PersonStatus
	overdue: boolean
	/** The earliest due date among the courses not completed (recertification deadlines included). */
	dueAt: Date | null
	lastActivityAt: Date | null
	/** Courses required of the person in this view (1 for a course) and how many are completed, in progress, overdue. */
	required: number
	completed: number
	inProgress: number
	overdueCount: number
	/** One course only: the certificate that counts (latest issued) and its expiry. */
	certificate: { issuedAt: Date; expiresAt: Date | null } | null
	/** One course only, not completed: why a certificate the person holds does not count. */
	lapse: Lapse | null
}

export type Source = 'live' | 'rollup' | 'snapshot'

export type CompletionQuery = {
	/** One course, or every course (null / absent): then counts are person × course requirements. */
	courseId?: string | null
	/** The instant the rule is applied at. Absent: now, from the rollup when it is fresh enough. */
	at?: Date
	/** With `at`: computed from the data even when a month-end snapshot holds that instant (it is read otherwise). */
	recompute?: boolean
}

/**
 * Runs the variant of `set` for a scope, a date and one course or all. A whole tree (a root unit) reads
 * certificates and enrollments whole, by hash; anything smaller looks its people up through the user indexes.
 */
function runVariant<Row>(set: Variants<Row>, scope: { path: string; parentId: number | null }, at: Date, courseId: string | null | undefined, extra: { level?: number; ids?: Array<string> } = {}) {
	const everyone = scope.parentId === null
	const statement = courseId ? (everyone ? set.oneEveryone : set.one) : everyone ? set.allEveryone : set.all
	return runSql(statement, { path: scope.path, at, courseId: courseId ?? null, ...extra })
}

// ——— the rollup ———
// Province-wide views over every course cannot be recomputed within a page's budget (≈ 900,000 person × course
// requirements for 100,000 people), so "now" is served from a table holding EVERY_UNIT_SQL's result, replaced as a
// whole at most every ROLLUP_MAX_AGE_MS. An explicit date, and the people lists, are always computed live.

export const ROLLUP_MAX_AGE_MS = 10 * 60_000

/**
 * For the whole-province statements (rollup, snapshots), inside their transaction: enough memory for their hash
 * tables over ~1 million person × course rows not to spill to disk, which the default 4 MB made them do.
 */
export const REFRESH_SETTINGS = `SET LOCAL work_mem = '64MB'`
// Any constant shared by every process: only one of them recomputes at a time, the others keep reading.
const ROLLUP_LOCK = 11_011_001
const LOCK = z.object({ locked: z.boolean() })

/**
 * Above this share of the tree's units reached by changes, an incremental refresh recomputes every unit instead: the
 * per-unit statement looks people up by index, which past a third of the tree costs more than reading everything by hash.
 */
export const INCREMENTAL_MAX_SHARE = 0.3

const DIRTY = z.object({ everything: z.boolean(), units: z.array(z.number().int()), groups: z.array(z.number().int()) })

/**
 * Recomputes the rollup as of `at` in one transaction (readers keep the previous rows until it commits). Null when
 * another process is already at it, or when `unlessNewerThan` is given and the rollup already is: checked AFTER
 * taking the lock, so that a refresh asked for while another ran does not recompute the province right after it.
 *
 * Incremental (decision 028) when the previous refresh left its parts and `at` is not before it: only the units
 * reached by the changes recorded since, or by what changed with time alone (ROLLUP_DIRTY), are recomputed into
 * CompletionPart, and only their ancestors' rollup rows are summed up again. Otherwise, or when a change reaches
 * everything or more than `maxShare` (INCREMENTAL_MAX_SHARE) of the units, every unit is. `full` forces the latter.
 */
export async function refreshCompletionRollup(
	at = new Date(),
	{
		unlessNewerThan,
		onlyIfChanged,
		full = false,
		maxShare = INCREMENTAL_MAX_SHARE,
	}: { unlessNewerThan?: Date; onlyIfChanged?: boolean; full?: boolean; maxShare?: number } = {},
) {
	return db.$transaction(
		async (tx) => {
			const [lock] = checkRows('rollup-lock', LOCK, await tx.$queryRawUnsafe<Array<unknown>>(`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}) AS locked`))
			if (!lock?.locked) return null
			const state = await tx.completionRollupState.findUnique({ where: { id: 1 } })
			if (unlessNewerThan && state && state.asOf >= unlessNewerThan) return null
			// Timed from here: the wait for the lock is not the refresh's cost.
			const started = performance.now()
			at = unlessNewerThan ? new Date() : at
			if (onlyIfChanged && !(await tx.completionChange.findFirst({ where: { at: { lte: at } }, select: { id: true } }))) return null
			await tx.$executeRawUnsafe(REFRESH_SETTINGS)
			const [dirty] = state?.fullAsOf && state.asOf <= at && !full
				? checkRows('rollup-dirty', DIRTY, await tx.$queryRawUnsafe<Array<unknown>>(ROLLUP_DIRTY.text, ...ROLLUP_DIRTY.values({ since: state.asOf, until: at })))
				: []
			const unitCount = dirty && !dirty.everything ? await tx.orgUnit.count() : 0
			const incremental = !!dirty && !dirty.everything && dirty.units.length <= maxShare * unitCount
			// The changes this snapshot sees and that have taken effect are folded in; one committed after it stays and
			// marks the new rollup as older than the data (repeatable read: the DELETE and the reads see the same rows).
			await tx.$executeRawUnsafe(`DELETE FROM "CompletionChange" WHERE at <= $1::timestamp(3)`, at.toISOString())
			let units: number
			if (incremental) {
				units = dirty.units.length
				const ids = pgArray(dirty.units)
				const groups = pgArray(dirty.groups)
				await tx.$executeRawUnsafe(`DELETE FROM "CompletionPart" WHERE "orgUnitId" = ANY($1::int[])`, ids)
				if (units > 0) {
					// The ids as one array literal (pgArray): up to a third of the tree's units.
					await tx.$executeRawUnsafe(`INSERT INTO "CompletionPart" ${PARTS_OF.text}`, '/', at.toISOString(), ids)
				}
				await tx.$executeRawUnsafe(`DELETE FROM "CompletionRollup" WHERE "orgUnitId" = ANY($1::int[])`, groups)
				await tx.$executeRawUnsafe(`DELETE FROM "CompletionRollupTotal" WHERE "orgUnitId" = ANY($1::int[])`, groups)
				if (dirty.groups.length > 0) {
					await tx.$executeRawUnsafe(
						`INSERT INTO "CompletionRollup" ("orgUnitId", direct, "courseId", target, completed, "inProgress", overdue) ${ROLLUP_FROM_PARTS.text}`,
						groups,
					)
					await tx.$executeRawUnsafe(`INSERT INTO "CompletionRollupTotal" ("orgUnitId", direct, target, completed, "inProgress", overdue) ${ROLLUP_TOTALS.text}`, groups)
				}
			} else {
				units = unitCount || (await tx.orgUnit.count())
				await tx.$executeRawUnsafe(`DELETE FROM "CompletionPart"`)
				await tx.$executeRawUnsafe(`INSERT INTO "CompletionPart" ${PARTS_ALL.text}`, '/', at.toISOString())
				await tx.$executeRawUnsafe(`DELETE FROM "CompletionRollup"`)
				await tx.$executeRawUnsafe(`DELETE FROM "CompletionRollupTotal"`)
				// In course order: a ranking of every division for one course then reads a few contiguous pages.
				await tx.$executeRawUnsafe(
					`INSERT INTO "CompletionRollup" ("orgUnitId", direct, "courseId", target, completed, "inProgress", overdue) ${ROLLUP_FROM_PARTS.text} ORDER BY "courseId"`,
					null,
				)
				await tx.$executeRawUnsafe(`INSERT INTO "CompletionRollupTotal" ("orgUnitId", direct, target, completed, "inProgress", overdue) ${ROLLUP_TOTALS.text}`, null)
			}
			const rows = await tx.completionRollup.count()
			const durationMs = Math.round(performance.now() - started)
			const fullAsOf = incremental ? state!.fullAsOf : at
			const data = { asOf: at, rows, durationMs, fullAsOf, units, incremental }
			await tx.completionRollupState.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data })
			return data
		},
		{ maxWait: 10_000, timeout: 10 * 60_000, isolationLevel: 'RepeatableRead' },
	)
}

/** The queue's `rollup.refresh` job (one waiting and one running at most, decision 020). */
export const ROLLUP_JOB = 'rollup.refresh'

/** Settles when the background refresh asked for by reads (if any) is done; for tests and scripts. */
export function rollupRefreshSettled() {
	return jobsSettled(ROLLUP_JOB)
}

/**
 * A refresh asked for because the data changed waits this long after the previous one: in a deadline week changes
 * never stop, and back-to-back refreshes of a province would keep a database core busy. Small units do not wait
 * (they are computed live, below); a large one shows its figures' time and that newer changes are coming.
 */
export const ROLLUP_MIN_INTERVAL_MS = 60_000

/**
 * Up to this many person × course requirements (about 1,000 people), a unit whose rollup figures are older than the
 * data is computed live: 12–60 ms in decision 012's measurements, so the manager who just imported, revoked or
 * assigned sees the result on the next view. Larger units (a big department, the province) keep the rollup.
 */
export const LIVE_WHEN_CHANGED_MAX_TARGET = 10_000

type RollupState = { asOf: Date; changed: boolean }

/**
 * What "now" is served from: the rollup whatever its age, as long as there is one (the page states its time). A
 * rollup older than ROLLUP_MAX_AGE_MS, or older than the data (a CompletionChange row exists) and not refreshed in
 * the last ROLLUP_MIN_INTERVAL_MS, asks the queue for one refresh in the background; the request itself never
 * computes a whole tree. Null only before the very first refresh of a new database: the caller then computes live.
 */
async function rollupIfFresh(now = new Date()): Promise<RollupState | null> {
	const [state, change] = await Promise.all([
		db.completionRollupState.findUnique({ where: { id: 1 } }),
		db.completionChange.findFirst({ where: { at: { lte: now } }, select: { id: true } }),
	])
	const age = state ? now.getTime() - state.asOf.getTime() : Infinity
	const changed = change !== null
	const old = age > ROLLUP_MAX_AGE_MS || age < 0
	if (old || (changed && age >= ROLLUP_MIN_INTERVAL_MS)) {
		const data = old ? { requestedAt: now.toISOString() } : { changed: true }
		await sendJob(ROLLUP_JOB, data).catch((error: unknown) =>
			console.error('Không yêu cầu được việc làm mới bảng tổng hợp hoàn thành (CompletionRollup):', error),
		)
	}
	return state ? { asOf: state.asOf, changed } : null
}

/**
 * The rollup for a unit's figures, or null to compute them live: for an explicit date, before the first refresh,
 * and for a unit small enough to count live when the data changed after the rollup (decision 024).
 */
async function rollupFor(unit: UnitRef, query: { at?: Date }): Promise<RollupState | null> {
	if (query.at) return null
	const state = await rollupIfFresh()
	if (!state?.changed) return state
	const size = await db.completionRollup.aggregate({ where: { orgUnitId: unit.id, direct: false }, _sum: { target: true } })
	return (size._sum.target ?? 0) <= LIVE_WHEN_CHANGED_MAX_TARGET ? null : state
}

/**
 * The month-end snapshot taken at exactly `at`, if any: "as of" a month's last day (end of day in Vietnam, the
 * snapshot's instant) is read from it rather than recomputed (30 s for a province of 1,000,000 staff). The frozen
 * figures are the official ones; a live recomputation would apply today's tags and tree (decision 012).
 */
async function snapshotAt(at: Date | undefined): Promise<{ period: string; asOf: Date } | null> {
	if (!at) return null
	return db.completionSnapshotPeriod.findFirst({ where: { asOf: at }, select: { period: true, asOf: true } })
}

/**
 * Where a reader takes its figures from: the rollup ("now", fresh enough), else the month-end snapshot taken at
 * `query.at` (unless `recompute`), else the rule applied live at `asOf`.
 */
async function figuresFrom(unit: UnitRef, query: CompletionQuery) {
	const [fromRollup, snapshot] = await Promise.all([rollupFor(unit, query), snapshotAt(query.recompute ? undefined : query.at)])
	const source: Source = fromRollup ? 'rollup' : snapshot ? 'snapshot' : 'live'
	return { fromRollup, snapshot, source, asOf: fromRollup?.asOf ?? query.at ?? new Date(), pending: fromRollup?.changed ?? false }
}

// ——— reading ———

export const UNIT_SELECT = { id: true, name: true, code: true, kind: true, tree: true, path: true, depth: true, parentId: true, validFrom: true, validTo: true } as const

async function findUnit(unitId: number): Promise<UnitRef | null> {
	const unit = await db.orgUnit.findUnique({ where: { id: unitId }, select: UNIT_SELECT })
	return unit ? toRef(unit) : null
}

export function toRef(u: UnitRef & { validFrom?: Date; validTo?: Date | null }): UnitRef {
	return { id: u.id, name: u.name, code: u.code, kind: u.kind, tree: u.tree, path: u.path, depth: u.depth, parentId: u.parentId }
}

type CountsRow = { target: number; completed: number; inProgress: number; overdue: number }

function counts(row: CountsRow | undefined): CompletionCounts {
	return row ? withRate({ target: row.target, completed: row.completed, inProgress: row.inProgress, overdue: row.overdue }) : ZERO_COUNTS
}

/** Highest rate first; units with nobody required last; ties by Vietnamese name. */
export function rankRows<T extends CompletionCounts & { unit: { name: string } }>(rows: Array<T>) {
	return rows.sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || compareVi(a.unit.name, b.unit.name))
}

/** `pending`: served from a rollup that leaves out changes made after `asOf` (the page says so). */
export type ChildRows = { unit: UnitRef; asOf: Date; source: Source; pending: boolean; total: CompletionCounts; rows: Array<UnitRow> }

/**
 * Ranking and drill-down: one row per child unit (not closed by the date, or with people required in it), plus a `direct`
 * row for people attached to the unit itself when there are any, ranked by rate. `total` is the unit's own figure:
 * a person in two children counts in each child but once in the total, so the rows may add up to more than it.
 */
export async function getChildRows(unitId: number, query: CompletionQuery = {}): Promise<ChildRows | null> {
	const unit = await findUnit(unitId)
	if (!unit) return null
	const { fromRollup, snapshot, source, asOf, pending } = await figuresFrom(unit, query)
	const [children, groups] = await Promise.all([
		db.orgUnit.findMany({ where: { parentId: unit.id }, select: UNIT_SELECT }),
		fromRollup
			? query.courseId
				? runSql(ROLLUP_CHILDREN, { unitId: unit.id, courseId: query.courseId })
				: runSql(ROLLUP_CHILDREN_ALL, { unitId: unit.id })
			: snapshot
				? query.courseId
					? runSql(SNAPSHOT_CHILDREN, { unitId: unit.id, period: snapshot.period, courseId: query.courseId })
					: runSql(SNAPSHOT_CHILDREN_ALL, { unitId: unit.id, period: snapshot.period })
				: runVariant(CHILDREN, unit, asOf, query.courseId),
	])
	const byChild = new Map(groups.filter((r) => r.kind === 'child' && r.groupId !== null).map((r) => [r.groupId!, counts(r)]))
	const direct = counts(groups.find((r) => r.kind === 'direct'))
	const total = counts(groups.find((r) => r.kind === 'total'))
	// Children closed by the date drop out unless people were still required in them. Not their validFrom: a unit's
	// record is often created after the memberships back-dated into it, and an empty row harms nobody.
	const rows: Array<UnitRow> = children
		.filter((c) => c.validTo === null || c.validTo > asOf || byChild.has(c.id))
		.map((c) => ({ unit: toRef(c), direct: false, ...(byChild.get(c.id) ?? ZERO_COUNTS) }))
	if (direct.target > 0) rows.push({ unit, direct: true, ...direct })
	return { unit, asOf, source, pending, total, rows: rankRows(rows) }
}

/** How many levels below a unit its tree goes (the choices of the ranking's "level" filter). */
export async function levelsBelow(unit: { path: string; depth: number }) {
	const deepest = await db.orgUnit.aggregate({ where: { path: { startsWith: unit.path } }, _max: { depth: true } })
	return Math.max(0, (deepest._max.depth ?? unit.depth) - unit.depth)
}

/**
 * The ranking of the units `level` levels below the unit (1: its children, as getChildRows). Units there are
 * counted over their own subtrees; people attached to the levels in between belong to no row, only to the total.
 */
export async function getLevelRows(unitId: number, level: number, query: CompletionQuery = {}): Promise<ChildRows | null> {
	if (level <= 1) return getChildRows(unitId, query)
	const unit = await findUnit(unitId)
	if (!unit) return null
	const depth = unit.depth + level
	const { fromRollup, snapshot, source, asOf, pending } = await figuresFrom(unit, query)
	const at = { unitId: unit.id, path: unit.path, depth }
	// The units and their figures at once: every division of a province is 13,000 rows of each.
	const [units, groups] = await Promise.all([
		runSql(UNITS_AT_DEPTH, { path: unit.path, depth }),
		fromRollup
			? query.courseId
				? runSql(ROLLUP_LEVEL, { ...at, courseId: query.courseId })
				: runSql(ROLLUP_LEVEL_ALL, at)
			: snapshot
				? query.courseId
					? runSql(SNAPSHOT_LEVEL, { ...at, period: snapshot.period, courseId: query.courseId })
					: runSql(SNAPSHOT_LEVEL_ALL, { ...at, period: snapshot.period })
				: runVariant(LEVEL, unit, asOf, query.courseId, { level }),
	])
	const byUnit = new Map(groups.filter((r) => r.kind === 'child' && r.groupId !== null).map((r) => [r.groupId!, counts(r)]))
	const rows: Array<UnitRow> = units
		.filter((u) => u.validTo === null || u.validTo > asOf || byUnit.has(u.id))
		.map((u) => ({ unit: toRef(u), direct: false, ...(byUnit.get(u.id) ?? ZERO_COUNTS) }))
	return { unit, asOf, source, pending, total: counts(groups.find((r) => r.kind === 'total')), rows: rankRows(rows) }
}

export type CourseBreakdown = { unit: UnitRef; asOf: Date; source: Source; pending: boolean; total: CompletionCounts; courses: Array<CourseRow> }

/**
 * The unit's subtree per course (each person once per course), and the total over all courses (person × course
 * requirements). For the province's root this is the province total. Courses ordered by title.
 */
export async function getCourseBreakdown(unitId: number, query: Omit<CompletionQuery, 'courseId'> = {}): Promise<CourseBreakdown | null> {
	const unit = await findUnit(unitId)
	if (!unit) return null
	const { fromRollup, snapshot, source, asOf, pending } = await figuresFrom(unit, query)
	const rows = fromRollup
		? await runSql(ROLLUP_COURSES, { unitId: unit.id })
		: snapshot
			? await runSql(SNAPSHOT_COURSES, { unitId: unit.id, period: snapshot.period })
			: await runVariant(BY_COURSE, unit, asOf, null)
	const titles = await courseTitles(rows.map((r) => r.courseId))
	const courses = rows
		.map((r) => ({ courseId: r.courseId, slug: titles.get(r.courseId)?.slug ?? r.courseId, title: titles.get(r.courseId)?.title ?? r.courseId, ...counts(r) }))
		.sort((a, b) => compareVi(a.title, b.title))
	const total = courses.reduce(
		(sum, c) => withRate({ target: sum.target + c.target, completed: sum.completed + c.completed, inProgress: sum.inProgress + c.inProgress, overdue: sum.overdue + c.overdue }),
		ZERO_COUNTS,
	)
	return { unit, asOf, source, pending, total, courses }
}

/** The unit's figure for one course or for all of them (the province total when it is the root). */
export async function getUnitTotal(unitId: number, query: CompletionQuery = {}) {
	if (query.courseId) {
		const result = await getChildRows(unitId, query)
		return result ? { unit: result.unit, asOf: result.asOf, source: result.source, pending: result.pending, counts: result.total } : null
	}
	const result = await getCourseBreakdown(unitId, query)
	return result ? { unit: result.unit, asOf: result.asOf, source: result.source, pending: result.pending, counts: result.total } : null
}

/** Titles of courses as their latest version names them (the content build may not know load-test or retired courses). */
export async function courseTitles(courseIds: Array<string>) {
	if (courseIds.length === 0) return new Map<string, { slug: string; title: string }>()
	const rows = await db.course.findMany({
		where: { id: { in: [...new Set(courseIds)] } },
		select: { id: true, slug: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { title: true } } },
	})
	// A course assigned but never started has no version row yet: its title is the catalogue's, never its slug.
	return new Map(rows.map((c) => [c.id, { slug: c.slug, title: c.versions[0]?.title ?? getCourse(c.slug)?.meta.title ?? c.slug }]))
}

type PersonSqlRow = {
	userId: string
	fullName: string
	unitIds: Array<number>
	required: number
	completed: number
	inProgress: number
	overdue: number
	dueAtMs: number | null
	lastActivityAtMs: number | null
	completedAtMs: number | null
	expiresAtMs: number | null
	lapse: Lapse | null
}

const toDate = (ms: number | null) => (ms === null ? null : new Date(ms))

export type PeopleFilter = 'all' | 'completed' | 'in_progress' | 'not_started' | 'overdue'

/**
 * The people required in the unit's subtree (always live: a manager who just reminded someone expects to see them
 * move), in Vietnamese name order (given name first), optionally filtered by status.
 */
export async function getUnitPeople(
	unitId: number,
	query: CompletionQuery & { filter?: PeopleFilter; page?: { offset: number; limit: number } } = {},
) {
	const unit = await findUnit(unitId)
	if (!unit) return null
	const asOf = query.at ?? new Date()
	const filter = query.filter ?? 'all'
	const unitNames = db.orgUnit
		.findMany({ where: { path: { startsWith: unit.path } }, select: { id: true, name: true } })
		.then((units) => new Map(units.map((u) => [u.id, u.name])))
	// Name order, the database's order between namesakes made stable by the id.
	const inOrder = <T extends { userId: string; fullName: string }>(rows: Array<T>) => sortByViName(rows.sort((a, b) => (a.userId < b.userId ? -1 : 1)), (r) => r.fullName)
	// Who is listed first (names only, or with their counts when a filter needs statuses), in order; then the details
	// of the page's people only. An agency of 2,400 people over all courses is ~17,000 person × course rows: details
	// for all of them would cost several times the page's.
	const candidates =
		filter === 'all'
			? runVariant(PEOPLE_NAMES, unit, asOf, query.courseId)
			: runVariant(PEOPLE_COUNTS, unit, asOf, query.courseId).then((rows) =>
					rows.filter((r) => (filter === 'overdue' ? r.overdue > 0 : statusOf(r) === filter)),
				)
	const [listed, names] = await Promise.all([candidates.then(inOrder), unitNames])
	const shown = query.page ? listed.slice(query.page.offset, query.page.offset + query.page.limit) : listed
	const rows = shown.length ? await runVariant(PEOPLE, unit, asOf, query.courseId, { ids: shown.map((p) => p.userId) }) : []
	const byId = new Map(rows.map((r) => [r.userId, r]))
	const people = shown.flatMap((p) => {
		const row = byId.get(p.userId)
		return row ? [toPerson(row, names, !!query.courseId)] : []
	})
	return { unit, asOf, people, total: listed.length }
}

/** Above this many memberships in scope the dashboard does not count people by status (see getPeopleSummary). */
export const PEOPLE_SUMMARY_LIMIT = 5_000

export type PeopleSummary = { people: number; completed: number; inProgress: number; notStarted: number; overdue: number }

/**
 * The people behind a unit's figures, with each person's status decided exactly as the people list decides it (the
 * same per-person statement and statusOf; "overdue": some required course overdue). A person owes one "lượt" per
 * required course, so these differ from the course-place counts of the rollup. The statement reads every requirement
 * of the scope: null when the scope has more than `limit` memberships (a province), where it would cost seconds.
 */
export async function getPeopleSummary(unitId: number, query: CompletionQuery & { limit?: number } = {}): Promise<PeopleSummary | null> {
	const unit = await findUnit(unitId)
	if (!unit) return null
	const asOf = query.at ?? new Date()
	const memberships = await db.membership.count({
		where: { orgUnit: { path: { startsWith: unit.path } }, validFrom: { lte: asOf }, OR: [{ validTo: null }, { validTo: { gt: asOf } }] },
	})
	if (memberships > (query.limit ?? PEOPLE_SUMMARY_LIMIT)) return null
	const rows = await runVariant(PEOPLE_COUNTS, unit, asOf, query.courseId)
	const summary: PeopleSummary = { people: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0 }
	for (const r of rows) {
		summary.people++
		const status = statusOf(r)
		summary[status === 'completed' ? 'completed' : status === 'in_progress' ? 'inProgress' : 'notStarted']++
		if (r.overdue > 0) summary.overdue++
	}
	return summary
}

/** All required courses completed; else some started or completed; else not started. */
function statusOf(r: { required: number; completed: number; inProgress: number }): PersonStatus {
	return r.completed === r.required ? 'completed' : r.inProgress > 0 || r.completed > 0 ? 'in_progress' : 'not_started'
}

function toPerson(r: PersonSqlRow, names: Map<number, string>, oneCourse: boolean): PersonRow {
	return {
		userId: r.userId,
		fullName: r.fullName,
		units: r.unitIds.map((id) => ({ id, name: names.get(id) ?? '' })).sort((a, b) => compareVi(a.name, b.name)),
		status: statusOf(r),
		overdue: r.overdue > 0,
		dueAt: toDate(r.dueAtMs),
		lastActivityAt: toDate(r.lastActivityAtMs),
		required: r.required,
		completed: r.completed,
		inProgress: r.inProgress,
		overdueCount: r.overdue,
		certificate: oneCourse && r.completedAtMs !== null ? { issuedAt: new Date(r.completedAtMs), expiresAt: toDate(r.expiresAtMs) } : null,
		lapse: oneCourse ? r.lapse : null,
	}
}

// The completion rule (DESIGN §5) for whole units at once, in SQL: who is required (the roster, the open assignments
// and their audience tags), who holds a certificate that counts, who is in progress and who is overdue, for a unit's
// subtree on any date. Every dashboard, export and snapshot reads its numbers from here (or from the rollup and the
// snapshots, which are computed by this same SQL), so that no two screens disagree. The per-person statement of the
// rule is app/reports/completion.ts; tests hold the two together.
//
// One statement per question, set-based, so that a province of 100,000 people is a few hash joins rather than
// 100,000 queries. See docs/decisions/012-completion-queries.md for the numbers and for the rollup.
import { getCourse } from '#app/content/courses.server.ts'
import { jobsSettled, sendJob } from '#app/jobs/queue.server.ts'
import { db, sql } from '#app/db.server.ts'
import { type OrgKind, type OrgTree } from '#app/generated/prisma/enums.ts'
import { RECERTIFICATION_MONTHS } from '#app/learning/my-courses.server.ts'
import { compareVi, sortByViName } from '#app/ui/collation.ts'
import { type CompletionCounts, type Lapse, type PersonStatus, withRate, ZERO_COUNTS } from './completion.ts'

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

export type Source = 'live' | 'rollup'

export type CompletionQuery = {
	/** One course, or every course (null / absent): then counts are person × course requirements. */
	courseId?: string | null
	/** The instant the rule is applied at. Absent: now, from the rollup when it is fresh enough. */
	at?: Date
}

// ——— the SQL ———
// $1 the scope's materialized path ("/1/7/"; "/" for every tree), $2 the instant as ISO text (timestamps are stored
// as UTC without time zone, so "…Z"::timestamp is exact), $3 the course id in the one-course variants. One course
// and all courses are separate statements (and prepared plans): with the course known, the planner reaches that
// course's certificates through their version index instead of reading every certificate.

const AT = `$2::timestamp(3)`

// A version stops counting when a later version that requires recertification is published (by the date).
// The recertification deadline is that publication plus RECERTIFICATION_MONTHS, added the way setUTCMonth adds months
// (decision 006; completion.ts addMonthsUtc), hence the month arithmetic on the first of the month.
const recertDue = (col: string) =>
	`date_trunc('month', ${col}) + interval '${RECERTIFICATION_MONTHS} months' + (${col} - date_trunc('month', ${col}))`

// isCertificateValid (app/certificates/validity.ts) spelt out, issuedAt being filtered in the WHERE clause.
const DATE_VALID = `(c."revokedAt" IS NULL OR c."revokedAt" > ${AT}) AND (c."expiresAt" IS NULL OR c."expiresAt" > ${AT})`
// An enrollment started (filtered apart) and not finished by the date.
const OPEN = `(e."completedAt" IS NULL OR e."completedAt" > ${AT})`

/**
 * oneCourse: the statement takes $3, a course id. everyone: the scope is a whole tree (rollup, snapshots, a root
 * unit), so certificates and enrollments are read whole rather than looked up person by person.
 */
type Variant = { oneCourse: boolean; everyone?: boolean }

// The person's status for a course, over `required r` joined to `facts h` (or one relation with both).
const done = (h = 'h') => `coalesce(${h}.completed, false)`
const inProgress = (h = 'h') => `(NOT ${done(h)} AND coalesce(${h}.open, false))`
const due = (r = 'r', h = 'h') => `greatest(${r}.due_at, CASE WHEN NOT ${done(h)} AND ${h}.superseded_at IS NOT NULL THEN ${recertDue(`${h}.superseded_at`)} END)`
const DONE = done()
const IN_PROGRESS = inProgress()
const DUE = due()
const ACTIVE_COUNTED = `m."countsInTarget" AND m."validFrom" <= ${AT} AND (m."validTo" IS NULL OR m."validTo" > ${AT})`

/**
 * Per course (and person, unless `userId` names the one person to look at): a certificate that counts at the date;
 * of those still valid by their dates but whose version was superseded, when that happened (the holder has until
 * the recertification deadline); an enrollment started by the date and not finished by it. Certificates and
 * enrollments are read in one pass; needs the `versions` CTE. Without `detail`, only the rows that can count are read:
 * certificates valid by their dates and enrollments still open (most enrollments are finished, most rows of the scan).
 */
type FactsInput = { detail: boolean; userId: string | null; ofRequired: (column: string) => string }
function factsOf(input: FactsInput) {
	const { detail, userId } = input
	return `SELECT ${userId ? '' : 'user_id, '}course_id,
			${FACT_AGGREGATES}${
				detail
					? `,
			max(happened_at) FILTER (WHERE cert AND valid AND superseded_at IS NULL) AS completed_at,
			(array_agg(expires_at ORDER BY happened_at DESC) FILTER (WHERE cert AND valid AND superseded_at IS NULL))[1] AS expires_at,
			bool_or(cert AND revoked) AS any_revoked,
			bool_or(cert AND expired) AS any_expired,
			max(last_activity_at) AS last_activity_at`
					: ''
			}
		FROM (${factRows(input)}) f
		GROUP BY ${userId ? 'course_id' : 'user_id, course_id'}`
}

// What factsOf folds per course, over `factRows` (rows of other relations may join in with NULL cert).
const FACT_AGGREGATES = `bool_or(cert AND valid AND superseded_at IS NULL) AS completed,
			max(superseded_at) FILTER (WHERE cert AND valid) AS superseded_at,
			bool_or(NOT cert AND open) AS open`

/** The certificates and enrollments factsOf folds: (user_id, course_id, cert, valid, superseded_at, open, …). */
function factRows({ detail, userId, ofRequired }: FactsInput) {
	const who = (column: string) => (userId ? ` AND ${column} = ${userId}` : ofRequired(column))
	return `
			SELECT c."userId" AS user_id, v.course_id, true AS cert, ${DATE_VALID} AS valid, v.superseded_at, NULL::boolean AS open,
				c."issuedAt" AS happened_at, c."expiresAt" AS expires_at,
				(c."revokedAt" IS NOT NULL AND c."revokedAt" <= ${AT}) AS revoked,
				(c."expiresAt" IS NOT NULL AND c."expiresAt" <= ${AT}) AS expired, NULL::timestamp(3) AS last_activity_at
			FROM "Certificate" c JOIN versions v ON v.id = c."courseVersionId"
			WHERE c."issuedAt" <= ${AT}${detail ? '' : ` AND ${DATE_VALID}`}${who('c."userId"')}
			UNION ALL
			SELECT e."userId", v.course_id, false, NULL, NULL, ${OPEN},
				NULL, NULL, NULL, NULL, ${detail ? 'e."lastActivityAt"' : 'NULL'}
			FROM "Enrollment" e JOIN versions v ON v.id = e."courseVersionId"
			WHERE e."startedAt" <= ${AT}${detail ? '' : ` AND ${OPEN}`}${who('e."userId"')}`
}

// A membership is required to take a course of `unit_courses uc` when an assignment reaches everyone in its unit or
// one of the assignment's tags is on the membership.
const REQUIRED_BY = `(uc.due_all IS NOT NULL OR uc.tags && m.tags)`

/** The scope's units and, per unit and course, the assignments that reach it at the date. */
function scopeCtes({ oneCourse }: Variant) {
	return `
	scope_units AS (
		SELECT o.id, o.path FROM "OrgUnit" o WHERE starts_with(o.path, $1::text)
	),
	unit_courses AS (
		-- For each unit of the scope and course, the assignments open at the date that reach the unit (made on it or
		-- on an ancestor): the earliest due date for everyone, and the tagged ones with their due dates.
		SELECT u.id AS unit_id, a."courseId" AS course_id,
			min(a."dueAt") FILTER (WHERE a."audienceTag" IS NULL) AS due_all,
			array_agg(a."audienceTag") FILTER (WHERE a."audienceTag" IS NOT NULL) AS tags,
			array_agg(a."dueAt") FILTER (WHERE a."audienceTag" IS NOT NULL) AS tag_dues
		FROM scope_units u
		CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')::int[]) AS anc(id)
		JOIN "Assignment" a ON a."orgUnitId" = anc.id
		WHERE a."createdAt" <= ${AT} AND (a."closedAt" IS NULL OR a."closedAt" > ${AT})${oneCourse ? ` AND a."courseId" = $3::text` : ''}
		GROUP BY 1, 2
	)`
}

// Facts of the people in `required` only, unless the scope is a whole tree (then everyone's, read by hash).
const ofRequiredIn = (everyone: boolean) => (column: string) => (everyone ? '' : ` AND ${column} IN (SELECT user_id FROM required)`)

/**
 * `onlyIds`: the SQL of a text[] parameter; only those people are looked at (a page of a people list), through the
 * membership user index instead of every membership of the scope. `perPerson`: the statement groups by person
 * itself, so `required.multi` (for countsBy) is not worked out.
 */
function baseCtes(v: Variant & { onlyIds?: string; perPerson?: boolean }) {
	const { oneCourse, everyone = false, onlyIds, perPerson = false } = v
	const ofRequired = ofRequiredIn(everyone)
	const only = onlyIds ? ` AND m."userId" = ANY(${onlyIds})` : ''
	const multi = perPerson
		? ''
		: `
	multi AS MATERIALIZED (
		-- People with several counted posts in the scope: the only ones who need deduplicating (see countsBy).
		-- Materialized: inlined, a generic plan that expects one row may run it again for every membership.
		SELECT m.user_id FROM members m GROUP BY 1 HAVING count(*) > 1
	),`
	return `${scopeCtes(v)},
	members AS MATERIALIZED (
		-- The counted memberships of the scope active at the date, read once (by unit: a membership then meets each
		-- of its unit's courses in a hash join rather than an index scan per unit and course).
		SELECT m."orgUnitId" AS unit_id, m."userId" AS user_id, m.tags FROM "Membership" m JOIN scope_units u ON u.id = m."orgUnitId"
		WHERE ${ACTIVE_COUNTED}${only}
	),${multi}
	required AS (
		-- One row per counted membership active at the date and course required of it (a tagged assignment needs
		-- the tag on that membership), with the earliest due date among the assignments that cover it.
		SELECT m.unit_id, m.user_id, uc.course_id, ${perPerson ? 'NULL::boolean' : 'x.user_id IS NOT NULL'} AS multi,
			CASE WHEN uc.tags && m.tags
				THEN least(uc.due_all, (SELECT min(t.due) FROM unnest(uc.tags, uc.tag_dues) AS t(tag, due) WHERE t.tag = ANY (m.tags)))
				ELSE uc.due_all END AS due_at
		FROM members m
		JOIN unit_courses uc ON uc.unit_id = m.unit_id
		${perPerson ? '' : 'LEFT JOIN multi x ON x.user_id = m.user_id'}
		WHERE ${REQUIRED_BY}
	),
	versions AS (
		SELECT v.id, v."courseId" AS course_id,
			(SELECT min(w."publishedAt") FROM "CourseVersion" w
			 WHERE w."courseId" = v."courseId" AND w.version > v.version AND w."requiresRecertification" AND w."publishedAt" <= ${AT}) AS superseded_at
		FROM "CourseVersion" v${oneCourse ? ` WHERE v."courseId" = $3::text` : ''}
	),
	facts AS (
		-- Per person and course, from their certificates and enrollments in one pass (see factsOf).
		${factsOf({ detail: false, userId: null, ofRequired })}
	),
	status AS (
		SELECT r.unit_id, r.user_id, r.course_id, r.multi, ${DONE} AS done, ${IN_PROGRESS} AS in_progress, ${DUE} AS due_at
		FROM required r
		LEFT JOIN facts h ON h.user_id = r.user_id AND h.course_id = r.course_id
	)`
}

/**
 * Counts per group (`kind`, `group_id`) and optionally per course, from `group_map (unit_id, kind, group_id)`: which
 * groups a unit's members count in. A person counts once per group: people with a single counted post in the scope
 * (nearly everyone) are added up per unit first, which is cheap; only people with several posts are deduplicated
 * group by group, keeping their earliest due date.
 */
function countsBy(groupMap: string, byCourse: boolean) {
	return `
	group_map AS (${groupMap}),
	single_counts AS (
		SELECT s.unit_id, s.course_id, count(*) AS target, count(*) FILTER (WHERE s.done) AS completed,
			count(*) FILTER (WHERE s.in_progress) AS in_progress, count(*) FILTER (WHERE NOT s.done AND s.due_at < ${AT}) AS overdue
		FROM status s WHERE NOT s.multi
		GROUP BY 1, 2
	),
	-- Materialized so that the few people with several posts are picked out before their rows are multiplied by groups.
	multi_status AS MATERIALIZED (
		SELECT * FROM status WHERE multi
	),
	multi_rows AS (
		SELECT g.kind, g.group_id, s.user_id, s.course_id, bool_or(s.done) AS done, bool_or(s.in_progress) AS in_progress, min(s.due_at) AS due_at
		FROM multi_status s JOIN group_map g ON g.unit_id = s.unit_id
		GROUP BY 1, 2, 3, 4
	),
	parts AS (
		SELECT g.kind, g.group_id, c.course_id, c.target, c.completed, c.in_progress, c.overdue
		FROM single_counts c JOIN group_map g ON g.unit_id = c.unit_id
		UNION ALL
		SELECT kind, group_id, course_id, 1, done::int, in_progress::int, (NOT done AND due_at < ${AT})::int FROM multi_rows
	)
	SELECT kind, group_id AS "groupId",${byCourse ? ` course_id AS "courseId",` : ''}
		sum(target)::int AS target, sum(completed)::int AS completed, sum(in_progress)::int AS "inProgress", sum(overdue)::int AS overdue
	FROM parts
	GROUP BY 1, 2${byCourse ? ', 3' : ''}`
}

type CountsRow = { target: number; completed: number; inProgress: number; overdue: number }
type GroupRow = CountsRow & { kind: 'child' | 'direct' | 'total'; groupId: number | null }

type Statement = { name: string; text: string }
type Variants = Record<'one' | 'all' | 'oneEveryone' | 'allEveryone', Statement>
const variants = (name: string, build: (v: Variant) => string): Variants => ({
	one: { name: `${name}-course`, text: build({ oneCourse: true }) },
	all: { name: `${name}-all`, text: build({ oneCourse: false }) },
	oneEveryone: { name: `${name}-course-everyone`, text: build({ oneCourse: true, everyone: true }) },
	allEveryone: { name: `${name}-all-everyone`, text: build({ oneCourse: false, everyone: true }) },
})

/** The children of the scope ('child'), the scope's own members ('direct') and the whole scope ('total'). */
const CHILDREN = variants(
	'completion-children',
	(v) => `WITH ${baseCtes(v)},
	${countsBy(
		`SELECT u.id AS unit_id, CASE WHEN u.path = $1::text THEN 'direct' ELSE 'child' END AS kind,
			CASE WHEN u.path = $1::text THEN NULL ELSE split_part(substr(u.path, length($1::text) + 1), '/', 1)::int END AS group_id
		FROM scope_units u
		UNION ALL
		SELECT u.id, 'total', NULL FROM scope_units u`,
		false,
	)}`,
)

/**
 * The units `k` levels below the scope ($3 for all courses, $4 for one): each unit of the subtree counts in its
 * ancestor at that depth, and the scope as a whole is the 'total'.
 */
const LEVEL = variants('completion-level', (v) => {
	const k = `$${v.oneCourse ? 4 : 3}::int`
	return `WITH ${baseCtes(v)},
	${countsBy(
		`SELECT u.id AS unit_id, 'child' AS kind, split_part(substr(u.path, length($1::text) + 1), '/', ${k})::int AS group_id
		FROM scope_units u WHERE split_part(substr(u.path, length($1::text) + 1), '/', ${k}) <> ''
		UNION ALL
		SELECT u.id, 'total', NULL FROM scope_units u`,
		false,
	)}`
})

/** The scope as a whole, per course. */
const BY_COURSE = variants('completion-by-course', (v) => `WITH ${baseCtes(v)}, ${countsBy(`SELECT u.id AS unit_id, 'total' AS kind, NULL::int AS group_id FROM scope_units u`, true)}`)

const epoch = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::float8`

/**
 * The details of the people whose ids are the statement's last parameter (a page of a people list, or everyone a
 * filter kept): their courses are found through the membership user index, and each person's certificates and
 * enrollments through the user indexes, person by person (LATERAL).
 */
function peopleStatement(v: Variant) {
	const ids = `$${v.oneCourse ? 4 : 3}::text[]`
	return `WITH ${baseCtes({ ...v, onlyIds: ids, perPerson: true })},
	per_course AS (SELECT user_id, course_id, min(due_at) AS due_at FROM required GROUP BY 1, 2),
	people AS (SELECT user_id, array_agg(course_id) AS course_ids, array_agg(due_at) AS dues FROM per_course GROUP BY 1),
	person_units AS (SELECT user_id, array_agg(DISTINCT unit_id) AS unit_ids FROM required GROUP BY 1)
	SELECT p.user_id AS "userId", u."fullName", pu.unit_ids AS "unitIds", s.*
	FROM people p
	JOIN person_units pu ON pu.user_id = p.user_id
	JOIN "User" u ON u.id = p.user_id
	CROSS JOIN LATERAL (
		SELECT count(*)::int AS required,
			count(*) FILTER (WHERE x.done)::int AS completed,
			count(*) FILTER (WHERE x.in_progress)::int AS "inProgress",
			count(*) FILTER (WHERE NOT x.done AND x.due_at < ${AT})::int AS overdue,
			${epoch('min(x.due_at) FILTER (WHERE NOT x.done)')} AS "dueAtMs",
			${epoch('max(x.last_activity_at)')} AS "lastActivityAtMs",
			${epoch('max(x.completed_at)')} AS "completedAtMs",
			${epoch('(array_agg(x.expires_at ORDER BY x.completed_at DESC) FILTER (WHERE x.done))[1]')} AS "expiresAtMs",
			(array_agg(x.lapse) FILTER (WHERE x.lapse IS NOT NULL))[1] AS lapse
		FROM (
			SELECT ${DONE} AS done, ${IN_PROGRESS} AS in_progress, ${DUE} AS due_at, h.last_activity_at, h.completed_at, h.expires_at,
				CASE WHEN ${DONE} THEN NULL WHEN h.any_revoked THEN 'revoked' WHEN h.superseded_at IS NOT NULL THEN 'superseded'
					WHEN h.any_expired THEN 'expired' END AS lapse
			FROM unnest(p.course_ids, p.dues) AS r(course_id, due_at)
			LEFT JOIN (${factsOf({ detail: true, userId: 'p.user_id', ofRequired: () => '' })}) h ON h.course_id = r.course_id
		) x
	) s`
}
const PEOPLE = variants('completion-people', peopleStatement)

/**
 * Everyone required in the scope with their name, without statuses: what a page of the list is cut from.
 * A membership needs one course required of it, so courses are not multiplied out (`required` would be ~7 rows a
 * person over all courses).
 */
const PEOPLE_NAMES = variants(
	'completion-people-names',
	(v) => `WITH ${scopeCtes(v)}
	SELECT DISTINCT m."userId", u."fullName"
	FROM "Membership" m
	JOIN scope_units s ON s.id = m."orgUnitId"
	JOIN "User" u ON u.id = m."userId"
	WHERE ${ACTIVE_COUNTED} AND EXISTS (SELECT 1 FROM unit_courses uc WHERE uc.unit_id = m."orgUnitId" AND ${REQUIRED_BY})`,
)

/**
 * Everyone required in the scope with their name and how many of their courses are completed, in progress and
 * overdue: what a filtered list is cut from (set-based, like the unit counts), before the page's details.
 */
const PEOPLE_COUNTS = variants(
	'completion-people-counts',
	(v) => `WITH ${baseCtes({ ...v, perPerson: true })},
	per_course AS (
		-- Requirements and facts folded in one pass per person × course (a person with several posts has several
		-- requirement rows, the earliest due date counts).
		SELECT user_id, course_id, min(due_at) AS due_at, ${FACT_AGGREGATES}
		FROM (
			SELECT user_id, course_id, due_at, NULL::boolean AS cert, NULL::boolean AS valid, NULL::timestamp(3) AS superseded_at, NULL::boolean AS open
			FROM required
			UNION ALL
			SELECT user_id, course_id, NULL, cert, valid, superseded_at, open FROM (${factRows({ detail: false, userId: null, ofRequired: ofRequiredIn(!!v.everyone) })}) f
		) x
		GROUP BY 1, 2 HAVING count(due_at) > 0
	),
	per_person AS (
		SELECT p.user_id, count(*)::int AS required, count(*) FILTER (WHERE ${done('p')})::int AS completed,
			count(*) FILTER (WHERE ${inProgress('p')})::int AS "inProgress", count(*) FILTER (WHERE NOT ${done('p')} AND ${due('p', 'p')} < ${AT})::int AS overdue
		FROM per_course p GROUP BY 1
	)
	SELECT p.user_id AS "userId", u."fullName", p.required, p.completed, p."inProgress", p.overdue
	FROM per_person p JOIN "User" u ON u.id = p.user_id`,
)

/**
 * Every unit of the scope ('subtree': the unit and everything under it; 'direct': its own members) and every course,
 * as rows ("orgUnitId", direct, "courseId", target, completed, "inProgress", overdue). What the rollup and the
 * month-end snapshots store; `INSERT … SELECT` puts it straight into their tables. Parameters $1 and $2 only.
 */
export const EVERY_UNIT_SQL = `SELECT e."groupId" AS "orgUnitId", e.kind = 'direct' AS direct, e."courseId", e.target, e.completed, e."inProgress", e.overdue
	FROM (WITH ${baseCtes({ oneCourse: false, everyone: true })},
	${countsBy(
		`SELECT u.id AS unit_id, 'subtree' AS kind, anc.id AS group_id
		FROM scope_units u CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')::int[]) AS anc(id)
		WHERE anc.id IN (SELECT id FROM scope_units)
		UNION ALL
		SELECT u.id, 'direct', u.id FROM scope_units u`,
		true,
	)}) e`

/**
 * The statement and its parameters for a scope, a date and one course or all. A whole tree (a root unit) reads
 * certificates and enrollments whole, by hash; anything smaller looks its people up through the user indexes.
 */
function statement(set: Variants, scope: { path: string; parentId: number | null }, at: Date, courseId: string | null | undefined): [Statement, Array<unknown>] {
	const everyone = scope.parentId === null
	return courseId
		? [everyone ? set.oneEveryone : set.one, [scope.path, at.toISOString(), courseId]]
		: [everyone ? set.allEveryone : set.all, [scope.path, at.toISOString()]]
}

/** The statements themselves, for benches that EXPLAIN them. */
export const COMPLETION_STATEMENTS = { children: CHILDREN, byCourse: BY_COURSE, people: PEOPLE, peopleNames: PEOPLE_NAMES, peopleCounts: PEOPLE_COUNTS, everyUnit: { name: 'completion-every-unit', text: EVERY_UNIT_SQL } }

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

/**
 * Recomputes the rollup as of `at` in one transaction (readers keep the previous rows until it commits). Null when
 * another process is already at it, or when `unlessNewerThan` is given and the rollup already is: checked AFTER
 * taking the lock, so that a refresh asked for while another ran does not recompute the province right after it.
 */
export async function refreshCompletionRollup(at = new Date(), { unlessNewerThan }: { unlessNewerThan?: Date } = {}) {
	return db.$transaction(
		async (tx) => {
			const [lock] = await tx.$queryRawUnsafe<Array<{ locked: boolean }>>(`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}) AS locked`)
			if (!lock?.locked) return null
			if (unlessNewerThan) {
				const state = await tx.completionRollupState.findUnique({ where: { id: 1 }, select: { asOf: true } })
				if (state && state.asOf >= unlessNewerThan) return null
			}
			// Timed from here: the wait for the lock is not the refresh's cost.
			const started = performance.now()
			at = unlessNewerThan ? new Date() : at
			await tx.$executeRawUnsafe(REFRESH_SETTINGS)
			await tx.$executeRawUnsafe(`DELETE FROM "CompletionRollup"`)
			const rows = await tx.$executeRawUnsafe(
				`INSERT INTO "CompletionRollup" ("orgUnitId", direct, "courseId", target, completed, "inProgress", overdue) ${EVERY_UNIT_SQL}`,
				'/',
				at.toISOString(),
			)
			const durationMs = Math.round(performance.now() - started)
			await tx.completionRollupState.upsert({ where: { id: 1 }, create: { id: 1, asOf: at, rows, durationMs }, update: { asOf: at, rows, durationMs } })
			return { asOf: at, rows, durationMs }
		},
		{ maxWait: 10_000, timeout: 10 * 60_000 },
	)
}

/** The queue's `rollup.refresh` job (one waiting and one running at most, decision 020). */
export const ROLLUP_JOB = 'rollup.refresh'

/** Settles when the background refresh asked for by reads (if any) is done; for tests and scripts. */
export function rollupRefreshSettled() {
	return jobsSettled(ROLLUP_JOB)
}

/**
 * What "now" is served from: the rollup whatever its age, as long as there is one (the page states its time). A
 * rollup older than ROLLUP_MAX_AGE_MS asks the queue for one refresh in the background; the request itself never
 * computes a whole tree. Null only before the very first refresh of a new database: the caller then computes live.
 */
async function rollupIfFresh(now = new Date()) {
	const state = await db.completionRollupState.findUnique({ where: { id: 1 } })
	const fresh = state && now.getTime() - state.asOf.getTime() <= ROLLUP_MAX_AGE_MS && state.asOf <= now
	if (!fresh) {
		await sendJob(ROLLUP_JOB, { requestedAt: now.toISOString() }).catch((error: unknown) =>
			console.error('Không yêu cầu được việc làm mới bảng tổng hợp hoàn thành (CompletionRollup):', error),
		)
	}
	return state ? { asOf: state.asOf } : null
}

const ROLLUP_CHILDREN = {
	name: 'rollup-children',
	text: `
		SELECT CASE WHEN o.id = $1::int THEN (CASE WHEN r.direct THEN 'direct' ELSE 'total' END) ELSE 'child' END AS kind,
			CASE WHEN o.id = $1::int THEN NULL ELSE o.id END AS "groupId",
			sum(r.target)::int AS target, sum(r.completed)::int AS completed, sum(r."inProgress")::int AS "inProgress", sum(r.overdue)::int AS overdue
		FROM "CompletionRollup" r JOIN "OrgUnit" o ON o.id = r."orgUnitId"
		WHERE (o.id = $1::int OR (o."parentId" = $1::int AND NOT r.direct)) AND ($2::text IS NULL OR r."courseId" = $2::text)
		GROUP BY 1, 2`,
}

const ROLLUP_LEVEL = {
	name: 'rollup-level',
	text: `
		SELECT CASE WHEN o.id = $1::int THEN 'total' ELSE 'child' END AS kind, CASE WHEN o.id = $1::int THEN NULL ELSE o.id END AS "groupId",
			sum(r.target)::int AS target, sum(r.completed)::int AS completed, sum(r."inProgress")::int AS "inProgress", sum(r.overdue)::int AS overdue
		FROM "CompletionRollup" r JOIN "OrgUnit" o ON o.id = r."orgUnitId"
		WHERE NOT r.direct AND (o.id = $1::int OR (starts_with(o.path, $2::text) AND o.depth = $3::int)) AND ($4::text IS NULL OR r."courseId" = $4::text)
		GROUP BY 1, 2`,
}

const ROLLUP_COURSES = {
	name: 'rollup-courses',
	text: `SELECT "courseId", target, completed, "inProgress", overdue FROM "CompletionRollup" WHERE "orgUnitId" = $1::int AND NOT direct`,
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

function counts(row: CountsRow | undefined): CompletionCounts {
	return row ? withRate({ target: row.target, completed: row.completed, inProgress: row.inProgress, overdue: row.overdue }) : ZERO_COUNTS
}

/** Highest rate first; units with nobody required last; ties by Vietnamese name. */
export function rankRows<T extends CompletionCounts & { unit: { name: string } }>(rows: Array<T>) {
	return rows.sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || compareVi(a.unit.name, b.unit.name))
}

export type ChildRows = { unit: UnitRef; asOf: Date; source: Source; total: CompletionCounts; rows: Array<UnitRow> }

/**
 * Ranking and drill-down: one row per child unit (not closed by the date, or with people required in it), plus a `direct`
 * row for people attached to the unit itself when there are any, ranked by rate. `total` is the unit's own figure:
 * a person in two children counts in each child but once in the total, so the rows may add up to more than it.
 */
export async function getChildRows(unitId: number, query: CompletionQuery = {}): Promise<ChildRows | null> {
	const unit = await findUnit(unitId)
	if (!unit) return null
	const children = await db.orgUnit.findMany({ where: { parentId: unit.id }, select: UNIT_SELECT })
	const fromRollup = query.at ? null : await rollupIfFresh()
	const asOf = fromRollup?.asOf ?? query.at ?? new Date()
	const groups = fromRollup
		? await sql<GroupRow>(ROLLUP_CHILDREN, [unit.id, query.courseId ?? null])
		: await sql<GroupRow>(...statement(CHILDREN, unit, asOf, query.courseId))
	const byChild = new Map(groups.filter((r) => r.kind === 'child' && r.groupId !== null).map((r) => [r.groupId!, counts(r)]))
	const direct = counts(groups.find((r) => r.kind === 'direct'))
	const total = counts(groups.find((r) => r.kind === 'total'))
	// Children closed by the date drop out unless people were still required in them. Not their validFrom: a unit's
	// record is often created after the memberships back-dated into it, and an empty row harms nobody.
	const rows: Array<UnitRow> = children
		.filter((c) => c.validTo === null || c.validTo > asOf || byChild.has(c.id))
		.map((c) => ({ unit: toRef(c), direct: false, ...(byChild.get(c.id) ?? ZERO_COUNTS) }))
	if (direct.target > 0) rows.push({ unit, direct: true, ...direct })
	const source: Source = fromRollup ? 'rollup' : 'live'
	return { unit, asOf, source, total, rows: rankRows(rows) }
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
	const units = await db.orgUnit.findMany({ where: { path: { startsWith: unit.path }, depth: unit.depth + level }, select: UNIT_SELECT })
	const fromRollup = query.at ? null : await rollupIfFresh()
	const asOf = fromRollup?.asOf ?? query.at ?? new Date()
	const groups = fromRollup
		? await sql<GroupRow>(ROLLUP_LEVEL, [unit.id, unit.path, unit.depth + level, query.courseId ?? null])
		: await sql<GroupRow>(...withLevel(statement(LEVEL, unit, asOf, query.courseId), level))
	const byUnit = new Map(groups.filter((r) => r.kind === 'child' && r.groupId !== null).map((r) => [r.groupId!, counts(r)]))
	const rows: Array<UnitRow> = units
		.filter((u) => u.validTo === null || u.validTo > asOf || byUnit.has(u.id))
		.map((u) => ({ unit: toRef(u), direct: false, ...(byUnit.get(u.id) ?? ZERO_COUNTS) }))
	return { unit, asOf, source: fromRollup ? 'rollup' : 'live', total: counts(groups.find((r) => r.kind === 'total')), rows: rankRows(rows) }
}

function withLevel([statement_, params]: [Statement, Array<unknown>], level: number): [Statement, Array<unknown>] {
	return [statement_, [...params, level]]
}

export type CourseBreakdown = { unit: UnitRef; asOf: Date; source: Source; total: CompletionCounts; courses: Array<CourseRow> }

/**
 * The unit's subtree per course (each person once per course), and the total over all courses (person × course
 * requirements). For the province's root this is the province total. Courses ordered by title.
 */
export async function getCourseBreakdown(unitId: number, query: Omit<CompletionQuery, 'courseId'> = {}): Promise<CourseBreakdown | null> {
	const unit = await findUnit(unitId)
	if (!unit) return null
	const fromRollup = query.at ? null : await rollupIfFresh()
	const asOf = fromRollup?.asOf ?? query.at ?? new Date()
	const rows = fromRollup
		? await sql<CountsRow & { courseId: string }>(ROLLUP_COURSES, [unit.id])
		: await sql<CountsRow & { courseId: string }>(...statement(BY_COURSE, unit, asOf, null))
	const titles = await courseTitles(rows.map((r) => r.courseId))
	const courses = rows
		.map((r) => ({ courseId: r.courseId, slug: titles.get(r.courseId)?.slug ?? r.courseId, title: titles.get(r.courseId)?.title ?? r.courseId, ...counts(r) }))
		.sort((a, b) => compareVi(a.title, b.title))
	const total = courses.reduce(
		(sum, c) => withRate({ target: sum.target + c.target, completed: sum.completed + c.completed, inProgress: sum.inProgress + c.inProgress, overdue: sum.overdue + c.overdue }),
		ZERO_COUNTS,
	)
	return { unit, asOf, source: fromRollup ? 'rollup' : 'live', total, courses }
}

/** The unit's figure for one course or for all of them (the province total when it is the root). */
export async function getUnitTotal(unitId: number, query: CompletionQuery = {}) {
	if (query.courseId) {
		const result = await getChildRows(unitId, query)
		return result ? { unit: result.unit, asOf: result.asOf, source: result.source, counts: result.total } : null
	}
	const result = await getCourseBreakdown(unitId, query)
	return result ? { unit: result.unit, asOf: result.asOf, source: result.source, counts: result.total } : null
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
	type Candidate = { userId: string; fullName: string }
	const candidates =
		filter === 'all'
			? sql<Candidate>(...statement(PEOPLE_NAMES, unit, asOf, query.courseId))
			: sql<Candidate & CountsRow & { required: number }>(...statement(PEOPLE_COUNTS, unit, asOf, query.courseId)).then((rows) =>
					rows.filter((r) => (filter === 'overdue' ? r.overdue > 0 : statusOf(r) === filter)),
				)
	const [listed, names] = await Promise.all([candidates.then(inOrder), unitNames])
	const shown = query.page ? listed.slice(query.page.offset, query.page.offset + query.page.limit) : listed
	const [statement_, params] = statement(PEOPLE, unit, asOf, query.courseId)
	const rows = shown.length ? await sql<PersonSqlRow>(statement_, [...params, shown.map((p) => p.userId)]) : []
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
	const rows = await sql<CountsRow & { required: number }>(...statement(PEOPLE_COUNTS, unit, asOf, query.courseId))
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

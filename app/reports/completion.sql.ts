// The completion statements of completion.server.ts (DESIGN §5 for whole units at once; decision 012; docs/database.md):
// one set-based statement per question, in four variants each (one course or all, a subtree or a whole tree), and
// the rollup's readers.
import { z } from 'zod'
import { defineSql, type SqlInputs, type SqlStatement } from '#app/db.server.ts'
import { type OrgKind, type OrgTree } from '#app/db-types.ts'
import { RECERTIFICATION_MONTHS } from '#app/learning/versions.server.ts'

// Inputs, by name: `path` the scope's materialized path ("/1/7/"; "/" for every tree), `at` the instant (sent as ISO
// text: timestamps are stored as UTC without time zone, so "…Z"::timestamp is exact), `courseId` in the one-course
// variants, then `level` or `ids` where a statement takes them. The fragments below are shared by every variant, so
// they spell the first three as PATH, AT and COURSE; `variants` checks at load time that these are the placeholders
// defineSql gives those inputs. One course
// and all courses are separate statements (and prepared plans): with the course known, the planner reaches that
// course's certificates through their version index instead of reading every certificate.

const PATH = `$1::text`
const AT = `$2::timestamp(3)`
const COURSE = `$3::text`

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
type Variant = { oneCourse: boolean; everyone?: boolean; units?: string }

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
function scopeCtes({ oneCourse, units }: Variant) {
	return `
	scope_units AS (
		SELECT o.id, o.path FROM "OrgUnit" o WHERE starts_with(o.path, ${PATH})${units ? ` AND o.id = ANY(${units})` : ''}
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
		WHERE a."createdAt" <= ${AT} AND (a."closedAt" IS NULL OR a."closedAt" > ${AT})${oneCourse ? ` AND a."courseId" = ${COURSE}` : ''}
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
		: v.units
			? `
	multi AS MATERIALIZED (
		-- Some units of the tree only (an incremental refresh): several counted posts anywhere, as in the whole tree.
		SELECT m."userId" AS user_id FROM "Membership" m
		WHERE m."userId" IN (SELECT user_id FROM members) AND ${ACTIVE_COUNTED}
		GROUP BY 1 HAVING count(*) > 1
	),`
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
		FROM "CourseVersion" v${oneCourse ? ` WHERE v."courseId" = ${COURSE}` : ''}
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

const COUNTS = { target: z.number().int(), completed: z.number().int(), inProgress: z.number().int(), overdue: z.number().int() }
const GROUP_ROW = z.object({ kind: z.enum(['child', 'direct', 'total']), groupId: z.number().int().nullable(), ...COUNTS })
const COURSE_ROW = z.object({ kind: z.literal('total'), groupId: z.null(), courseId: z.string(), ...COUNTS })

type Placeholder = (input: 'level' | 'ids') => string
type Inputs = { path: 'text'; at: 'timestamp'; courseId?: 'text'; level?: 'int'; ids?: 'text[]' }
/** The four statements of one question: one course or all, a subtree or a whole tree (see Variant). */
export type Variants<Row> = Record<'one' | 'all' | 'oneEveryone' | 'allEveryone', SqlStatement<SqlInputs, Row>>
function variants<Row>(name: string, row: z.ZodType<Row>, build: (v: Variant, $: Placeholder) => string, extra?: { level: 'int' } | { ids: 'text[]' }, check: 'all' | 'first' = 'all'): Variants<Row> {
	const one = (v: Variant, suffix: string) => {
		const inputs: Inputs = { path: 'text', at: 'timestamp', ...(v.oneCourse ? { courseId: 'text' } : {}), ...extra }
		const statement = defineSql({
			name: `${name}-${suffix}`,
			inputs: inputs as SqlInputs,
			row,
			check,
			text: ($) => {
				if ($('path') !== PATH || $('at') !== AT || (v.oneCourse && $('courseId') !== COURSE)) throw new Error(`${name}: inputs out of order`)
				return build(v, $ as Placeholder)
			},
		})
		return statement
	}
	return {
		one: one({ oneCourse: true }, 'course'),
		all: one({ oneCourse: false }, 'all'),
		oneEveryone: one({ oneCourse: true, everyone: true }, 'course-everyone'),
		allEveryone: one({ oneCourse: false, everyone: true }, 'all-everyone'),
	}
}

/** The children of the scope ('child'), the scope's own members ('direct') and the whole scope ('total'). */
export const CHILDREN = variants(
	'completion-children',
	GROUP_ROW,
	(v) => `WITH ${baseCtes(v)},
	${countsBy(
		`SELECT u.id AS unit_id, CASE WHEN u.path = ${PATH} THEN 'direct' ELSE 'child' END AS kind,
			CASE WHEN u.path = ${PATH} THEN NULL ELSE split_part(substr(u.path, length(${PATH}) + 1), '/', 1)::int END AS group_id
		FROM scope_units u
		UNION ALL
		SELECT u.id, 'total', NULL FROM scope_units u`,
		false,
	)}`,
)

/**
 * The units `level` levels below the scope: each unit of the subtree counts in its ancestor at that depth, and the
 * scope as a whole is the 'total'.
 */
export const LEVEL = variants(
	'completion-level',
	GROUP_ROW,
	(v, $) => {
		const k = $('level')
		return `WITH ${baseCtes(v)},
	${countsBy(
		`SELECT u.id AS unit_id, 'child' AS kind, split_part(substr(u.path, length(${PATH}) + 1), '/', ${k})::int AS group_id
		FROM scope_units u WHERE split_part(substr(u.path, length(${PATH}) + 1), '/', ${k}) <> ''
		UNION ALL
		SELECT u.id, 'total', NULL FROM scope_units u`,
		false,
	)}`
	},
	{ level: 'int' },
)

/** The scope as a whole, per course. */
export const BY_COURSE = variants('completion-by-course', COURSE_ROW, (v) => `WITH ${baseCtes(v)}, ${countsBy(`SELECT u.id AS unit_id, 'total' AS kind, NULL::int AS group_id FROM scope_units u`, true)}`)

const epoch = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::float8`

/**
 * The details of the people whose ids are the statement's last parameter (a page of a people list, or everyone a
 * filter kept): their courses are found through the membership user index, and each person's certificates and
 * enrollments through the user indexes, person by person (LATERAL).
 */
function peopleStatement(v: Variant, $: Placeholder) {
	const ids = $('ids')
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
const PERSON_ROW = z.object({
	userId: z.string(),
	fullName: z.string(),
	unitIds: z.array(z.number().int()),
	required: z.number().int(),
	completed: z.number().int(),
	inProgress: z.number().int(),
	overdue: z.number().int(),
	dueAtMs: z.number().nullable(),
	lastActivityAtMs: z.number().nullable(),
	completedAtMs: z.number().nullable(),
	expiresAtMs: z.number().nullable(),
	lapse: z.enum(['revoked', 'expired', 'superseded']).nullable(),
})
export const PEOPLE = variants('completion-people', PERSON_ROW, peopleStatement, { ids: 'text[]' })

/**
 * Everyone required in the scope with their name, without statuses: what a page of the list is cut from.
 * A membership needs one course required of it, so courses are not multiplied out (`required` would be ~7 rows a
 * person over all courses).
 */
// A whole tree's people may be listed: the first row is checked, not all of them.
export const PEOPLE_NAMES = variants(
	'completion-people-names',
	z.object({ userId: z.string(), fullName: z.string() }),
	(v) => `WITH ${scopeCtes(v)}
	SELECT DISTINCT m."userId", u."fullName"
	FROM "Membership" m
	JOIN scope_units s ON s.id = m."orgUnitId"
	JOIN "User" u ON u.id = m."userId"
	WHERE ${ACTIVE_COUNTED} AND EXISTS (SELECT 1 FROM unit_courses uc WHERE uc.unit_id = m."orgUnitId" AND ${REQUIRED_BY})`,
	undefined,
	'first',
)

/**
 * Everyone required in the scope with their name and how many of their courses are completed, in progress and
 * overdue: what a filtered list is cut from (set-based, like the unit counts), before the page's details.
 */
export const PEOPLE_COUNTS = variants(
	'completion-people-counts',
	z.object({ userId: z.string(), fullName: z.string(), required: z.number().int(), completed: z.number().int(), inProgress: z.number().int(), overdue: z.number().int() }),
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
	undefined,
	'first',
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

/** EVERY_UNIT_SQL as a statement of its own (the PREPARE test checks it; the rollup and snapshots embed the text). */
export const EVERY_UNIT = defineSql({
	name: 'completion-every-unit',
	inputs: { path: 'text', at: 'timestamp' },
	row: z.object({ orgUnitId: z.number().int(), direct: z.boolean(), courseId: z.string(), ...COUNTS }),
	text: ($) => {
		if ($('path') !== PATH || $('at') !== AT) throw new Error('completion-every-unit: inputs out of order')
		return EVERY_UNIT_SQL
	},
})

// ——— the rollup, from per-unit parts (decision 028) ———

const PART_ROW = z.object({ orgUnitId: z.number().int(), courseId: z.string(), userId: z.string(), ...COUNTS, pastDue: z.boolean() })

/**
 * CompletionPart's rows for the units of the tree, or for the units `units` (an int[] parameter) only: per unit and
 * course, the people with one counted post added up (userId ''), and each person with several posts apart (their
 * status in that unit, posts in it folded), so that summing up the tree counts them once per group as countsBy does.
 * One pass over the statuses: grouped by unit, course and (several posts only) person.
 */
function partsSql(units: string | null) {
	const uid = `CASE WHEN s.multi THEN s.user_id ELSE '' END`
	const single = (expr: string, folded: string) => `CASE WHEN ${uid} = '' THEN ${expr} ELSE ${folded} END::int`
	const pastDue = `coalesce(bool_or(s.due_at < ${AT}), false)`
	return `WITH ${baseCtes({ oneCourse: false, everyone: units === null, ...(units ? { units } : {}) })}
	SELECT s.unit_id AS "orgUnitId", s.course_id AS "courseId", ${uid} AS "userId",
		${single('count(*)', '1')} AS target,
		${single('count(*) FILTER (WHERE s.done)', 'bool_or(s.done)::int')} AS completed,
		${single('count(*) FILTER (WHERE s.in_progress)', 'bool_or(s.in_progress)::int')} AS "inProgress",
		${single(`count(*) FILTER (WHERE NOT s.done AND s.due_at < ${AT})`, `(NOT bool_or(s.done) AND ${pastDue})::int`)} AS overdue,
		${uid} <> '' AND ${pastDue} AS "pastDue"
	FROM status s
	GROUP BY 1, 2, 3`
}

/** Every unit's parts ($1 '/', $2 the instant): a full refresh. */
export const PARTS_ALL = defineSql({
	name: 'rollup-parts-all',
	inputs: { path: 'text', at: 'timestamp' },
	row: PART_ROW,
	check: 'first',
	text: ($) => {
		if ($('path') !== PATH || $('at') !== AT) throw new Error('rollup-parts-all: inputs out of order')
		return partsSql(null)
	},
})

/** The parts of the units `units` only ($1 '/', $2 the instant): an incremental refresh. */
export const PARTS_OF = defineSql({
	name: 'rollup-parts-of',
	inputs: { path: 'text', at: 'timestamp', units: 'int[]' },
	row: PART_ROW,
	check: 'first',
	text: ($) => {
		if ($('path') !== PATH || $('at') !== AT) throw new Error('rollup-parts-of: inputs out of order')
		return partsSql($('units'))
	},
})

/**
 * The rollup's rows ("orgUnitId", direct, "courseId", counts) of the units `groups` (every unit when null), summed up
 * the tree from CompletionPart: a unit's subtree row adds the parts of every unit under it, its direct row its own.
 * A person with several posts counts once per group (done or in progress in any post; overdue when not done and
 * some post's due date has passed), exactly as countsBy does over the live statuses.
 */
export const ROLLUP_FROM_PARTS = defineSql({
	name: 'rollup-from-parts',
	inputs: { groups: 'int[]' },
	row: z.object({ orgUnitId: z.number().int(), direct: z.boolean(), courseId: z.string(), ...COUNTS }),
	check: 'first',
	text: ($) => {
		const groups = $('groups')
		const wanted = (column: string) => `(${groups} IS NULL OR ${column} = ANY(${groups}))`
		// Units in the tree, as EVERY_UNIT's scope "/" has them (a unit being created holds a placeholder path until
		// its transaction sets it; PGlite's single session can show it to a refresh).
		return `WITH units AS (SELECT o.id, o.path FROM "OrgUnit" o WHERE starts_with(o.path, '/')),
	group_map AS (
		SELECT u.id AS unit_id, false AS direct, anc.id AS group_id
		FROM units u CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')::int[]) AS anc(id)
		WHERE anc.id IN (SELECT id FROM units) AND ${wanted('anc.id')}
		UNION ALL
		SELECT u.id, true, u.id FROM units u WHERE ${wanted('u.id')}
	),
	singles AS (
		SELECT g.direct, g.group_id, p."courseId", sum(p.target) AS target, sum(p.completed) AS completed,
			sum(p."inProgress") AS in_progress, sum(p.overdue) AS overdue
		FROM "CompletionPart" p JOIN group_map g ON g.unit_id = p."orgUnitId"
		WHERE p."userId" = ''
		GROUP BY 1, 2, 3
	),
	several AS (
		SELECT g.direct, g.group_id, p."courseId", bool_or(p.completed > 0) AS done, bool_or(p."inProgress" > 0) AS in_progress, bool_or(p."pastDue") AS past_due
		FROM "CompletionPart" p JOIN group_map g ON g.unit_id = p."orgUnitId"
		WHERE p."userId" <> ''
		GROUP BY 1, 2, 3, p."userId"
	)
	SELECT group_id AS "orgUnitId", direct, "courseId", sum(target)::int AS target, sum(completed)::int AS completed,
		sum(in_progress)::int AS "inProgress", sum(overdue)::int AS overdue
	FROM (
		SELECT * FROM singles
		UNION ALL
		SELECT direct, group_id, "courseId", 1, done::int, in_progress::int, (NOT done AND past_due)::int FROM several
	) x
	GROUP BY 1, 2, 3`
	},
})

// Any instant in [since, until]: the windows are closed, which recomputes a unit at worst once too often.
const within = (column: string, since: string, until: string) => `(${column} >= ${since} AND ${column} <= ${until})`

/**
 * What an incremental refresh from `since` (the rollup's instant) to `until` must recompute: the units reached by the
 * changes recorded up to `until` (a person: every unit they have a post in; a unit; a subtree) and by what changed
 * with time alone in between (certificates expiring; assignments opening, closing or falling due). `everything`:
 * a change no unit list covers (a course version, a tree edit, a version published or its recertification deadline
 * passed in between, a deleted unit that had counts). `groups`: the rollup rows to recompute, the units of the dirty
 * units' paths.
 */
export const ROLLUP_DIRTY = defineSql({
	name: 'rollup-dirty',
	inputs: { since: 'timestamp', until: 'timestamp' },
	row: z.object({ everything: z.boolean(), units: z.array(z.number().int()), groups: z.array(z.number().int()) }),
	text: ($) => {
		const since = $('since')
		const until = $('until')
		const published = `w."publishedAt"`
		return `WITH ch AS (SELECT "userId", "orgUnitId", path FROM "CompletionChange" WHERE at <= ${until}),
	people AS (
		SELECT "userId" AS id FROM ch WHERE "userId" IS NOT NULL
		UNION
		SELECT c."userId" FROM "Certificate" c WHERE ${within('c."expiresAt"', since, until)}
	),
	paths AS (
		SELECT path FROM ch WHERE path IS NOT NULL
		UNION
		SELECT o.path FROM "Assignment" a JOIN "OrgUnit" o ON o.id = a."orgUnitId"
		WHERE ${within('a."createdAt"', since, until)} OR ${within('a."closedAt"', since, until)} OR ${within('a."dueAt"', since, until)}
	),
	dirty AS (
		SELECT m."orgUnitId" AS id FROM "Membership" m WHERE m."userId" IN (SELECT id FROM people)
		UNION
		SELECT "orgUnitId" FROM ch WHERE "orgUnitId" IS NOT NULL
		UNION
		SELECT o.id FROM "OrgUnit" o WHERE EXISTS (SELECT 1 FROM paths p WHERE starts_with(o.path, p.path))
	)
	SELECT
		EXISTS (SELECT 1 FROM paths WHERE path = '/')
		OR EXISTS (
			SELECT 1 FROM "CourseVersion" w
			WHERE w."requiresRecertification" AND (${within(published, since, until)} OR ${within(recertDue(published), since, until)})
		)
		OR EXISTS (SELECT 1 FROM dirty d JOIN "CompletionPart" p ON p."orgUnitId" = d.id WHERE NOT EXISTS (SELECT 1 FROM "OrgUnit" o WHERE o.id = d.id))
		AS everything,
		coalesce((SELECT array_agg(id ORDER BY id) FROM dirty), '{}') AS units,
		coalesce((
			SELECT array_agg(DISTINCT anc.id)
			FROM "OrgUnit" o CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::int[]) AS anc(id)
			WHERE o.id IN (SELECT id FROM dirty) AND starts_with(o.path, '/')
		), '{}') AS groups`
	},
})

// ——— the rollup's readers ———

// One course reads CompletionRollup by its course index; all courses read CompletionRollupTotal, one row a unit
// (summing every course of 13,000 divisions took ~200 ms at 1,000,000 staff). Either way a unit has one row per
// `direct`, so the readers below sum nothing.
const rollupSource = (course: string | null) =>
	course ? `(SELECT * FROM "CompletionRollup" WHERE "courseId" = ${course})` : `"CompletionRollupTotal"`

function rollupChildren(unitId: string, course: string | null, source = rollupSource(course)) {
	return `
		SELECT CASE WHEN o.id = ${unitId} THEN (CASE WHEN r.direct THEN 'direct' ELSE 'total' END) ELSE 'child' END AS kind,
			CASE WHEN o.id = ${unitId} THEN NULL ELSE o.id END AS "groupId", r.target, r.completed, r."inProgress", r.overdue
		FROM ${source} r JOIN "OrgUnit" o ON o.id = r."orgUnitId"
		WHERE (o.id = ${unitId} OR (o."parentId" = ${unitId} AND NOT r.direct))`
}
export const ROLLUP_CHILDREN = defineSql({
	name: 'rollup-children',
	inputs: { unitId: 'int', courseId: 'text' },
	row: GROUP_ROW,
	text: ($) => rollupChildren($('unitId'), $('courseId')),
})
export const ROLLUP_CHILDREN_ALL = defineSql({
	name: 'rollup-children-all',
	inputs: { unitId: 'int' },
	row: GROUP_ROW,
	text: ($) => rollupChildren($('unitId'), null),
})

// The rows of the course (or the totals) are read first, whole: the generic plan expects a few dozen units at a
// depth under a path and looked each one's row up by index, 13,000 times for every division of a province (110 ms).
function rollupLevel(unitId: string, path: string, depth: string, course: string | null, source = rollupSource(course)) {
	return `
		WITH r AS MATERIALIZED (SELECT * FROM ${source} r WHERE NOT r.direct)
		SELECT CASE WHEN o.id = ${unitId} THEN 'total' ELSE 'child' END AS kind, CASE WHEN o.id = ${unitId} THEN NULL ELSE o.id END AS "groupId",
			r.target, r.completed, r."inProgress", r.overdue
		FROM r JOIN "OrgUnit" o ON o.id = r."orgUnitId"
		WHERE o.id = ${unitId} OR (starts_with(o.path, ${path}) AND o.depth = ${depth})`
}
export const ROLLUP_LEVEL = defineSql({
	name: 'rollup-level',
	inputs: { unitId: 'int', path: 'text', depth: 'int', courseId: 'text' },
	row: GROUP_ROW,
	check: 'first',
	text: ($) => rollupLevel($('unitId'), $('path'), $('depth'), $('courseId')),
})
export const ROLLUP_LEVEL_ALL = defineSql({
	name: 'rollup-level-all',
	inputs: { unitId: 'int', path: 'text', depth: 'int' },
	row: GROUP_ROW,
	check: 'first',
	text: ($) => rollupLevel($('unitId'), $('path'), $('depth'), null),
})

// ——— month-end snapshots for "as of" a month's last day (the same instant as the snapshot's) ———

/** A month's snapshot rows shaped like the rollup's: one course, or its per-unit totals over every course. */
function snapshotSource(period: string, course: string | null) {
	const columns = `"orgUnitId", direct, target, completed, "inProgress", overdue`
	return course
		? `(SELECT ${columns} FROM "CompletionSnapshot" WHERE period = ${period} AND "courseId" = ${course})`
		: `(SELECT ${columns} FROM "CompletionSnapshotTotal" WHERE period = ${period})`
}

export const SNAPSHOT_CHILDREN = defineSql({
	name: 'snapshot-children',
	inputs: { unitId: 'int', period: 'text', courseId: 'text' },
	row: GROUP_ROW,
	text: ($) => rollupChildren($('unitId'), null, snapshotSource($('period'), $('courseId'))),
})
export const SNAPSHOT_CHILDREN_ALL = defineSql({
	name: 'snapshot-children-all',
	inputs: { unitId: 'int', period: 'text' },
	row: GROUP_ROW,
	text: ($) => rollupChildren($('unitId'), null, snapshotSource($('period'), null)),
})
export const SNAPSHOT_LEVEL = defineSql({
	name: 'snapshot-level',
	inputs: { unitId: 'int', path: 'text', depth: 'int', period: 'text', courseId: 'text' },
	row: GROUP_ROW,
	check: 'first',
	text: ($) => rollupLevel($('unitId'), $('path'), $('depth'), null, snapshotSource($('period'), $('courseId'))),
})
export const SNAPSHOT_LEVEL_ALL = defineSql({
	name: 'snapshot-level-all',
	inputs: { unitId: 'int', path: 'text', depth: 'int', period: 'text' },
	row: GROUP_ROW,
	check: 'first',
	text: ($) => rollupLevel($('unitId'), $('path'), $('depth'), null, snapshotSource($('period'), null)),
})
export const SNAPSHOT_COURSES = defineSql({
	name: 'snapshot-courses',
	inputs: { unitId: 'int', period: 'text' },
	row: z.object({ courseId: z.string(), ...COUNTS }),
	text: ($) => `SELECT "courseId", target, completed, "inProgress", overdue FROM "CompletionSnapshot"
		WHERE "orgUnitId" = ${$('unitId')} AND period = ${$('period')} AND NOT direct`,
})

/** The units of a subtree at one depth (every division of a province: 13,000 rows, read without Prisma's per-row cost). */
export const UNITS_AT_DEPTH = defineSql({
	name: 'units-at-depth',
	inputs: { path: 'text', depth: 'int' },
	row: z.object({
		id: z.number().int(),
		name: z.string(),
		code: z.string(),
		// The columns' enum types hold only OrgKind and OrgTree values.
		kind: z.custom<OrgKind>((v) => typeof v === 'string'),
		tree: z.custom<OrgTree>((v) => typeof v === 'string'),
		path: z.string(),
		depth: z.number().int(),
		parentId: z.number().int().nullable(),
		validTo: z.date().nullable(),
	}),
	check: 'first',
	text: ($) => `SELECT id, name, code, kind::text AS kind, tree::text AS tree, path, depth, "parentId", "validTo"
		FROM "OrgUnit" WHERE starts_with(path, ${$('path')}) AND depth = ${$('depth')}`,
})

/** The rollup summed over courses, for the units `groups` (every unit when null), from CompletionRollup. */
export const ROLLUP_TOTALS = defineSql({
	name: 'rollup-totals',
	inputs: { groups: 'int[]' },
	row: z.object({ orgUnitId: z.number().int(), direct: z.boolean(), ...COUNTS }),
	check: 'first',
	text: ($) => `SELECT "orgUnitId", direct, sum(target)::int AS target, sum(completed)::int AS completed, sum("inProgress")::int AS "inProgress",
			sum(overdue)::int AS overdue
		FROM "CompletionRollup" WHERE ${$('groups')} IS NULL OR "orgUnitId" = ANY(${$('groups')})
		GROUP BY 1, 2`,
})

export const ROLLUP_COURSES = defineSql({
	name: 'rollup-courses',
	inputs: { unitId: 'int' },
	row: z.object({ courseId: z.string(), ...COUNTS }),
	text: ($) => `SELECT "courseId", target, completed, "inProgress", overdue FROM "CompletionRollup" WHERE "orgUnitId" = ${$('unitId')} AND NOT direct`,
})

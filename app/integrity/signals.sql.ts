// The signals of proxy completion (issue 22) as set-based statements over a scan's range [from, to) of completions.
// Each returns evidence rows (enrollment, completedAt, signal, message key, vars) for completions in the range; the
// scan (scan.server.ts) merges them into CompletionReview. Every threshold comes from thresholds.ts, written into the
// text (the statements stay constant, so PostgreSQL prepares them once per connection).
// Traces are found through LearningTrace's indexes: (at) for a range of submits or logins, (deviceHash, at) and
// (networkHash, at) for neighbours, (enrollmentId) for a completion's lessons. Groups that cannot reach a threshold
// (a browser or network with fewer accounts in the whole range than the signal needs) are dropped before any pair
// is formed, so the pairwise part only ever sees the few shared browsers and addresses.
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { EVIDENCE_KEYS } from './evidence.ts'
import { THRESHOLDS as T } from './thresholds.ts'

const minutes = (n: number) => `interval '${n} minutes'`
const SPAN_MINUTES = (span: string) => `greatest(1, ceil(extract(epoch FROM ${span}) / 60))::int`

/** A completion reported by a statement: only ONLINE completions can be done by someone else's hands. */
const completedIn = (e: string, from: string, to: string) =>
	`${e}.status = 'COMPLETED' AND ${e}.source = 'ONLINE' AND ${e}."completedAt" >= ${from} AND ${e}."completedAt" < ${to}`

/**
 * Submits of passed attempts in [lo, hi): a completion's quiz (a voided attempt belongs to a withdrawn completion).
 * Columns: userId, enrollmentId, at, deviceHash, networkHash, quizAttemptId.
 */
const passesIn = (lo: string, hi: string, extra = '') => `SELECT t."userId", t."enrollmentId", t.at, t."deviceHash", t."networkHash", t."quizAttemptId"
		FROM "LearningTrace" t JOIN "QuizAttempt" q ON q.id = t."quizAttemptId"
		WHERE t.kind = 'QUIZ_SUBMIT' AND t.at >= ${lo} AND t.at < ${hi} AND q.passed AND q."voidedAt" IS NULL ${extra}`

/**
 * The speed of the completion of row `s` (enrollmentId, completedAt), as two LATERAL joins through the trace index on
 * enrollmentId: `ls` (lessons, fast) over the last "done" of each lesson before the completion, and `qs` (seconds,
 * questions) of the last submit. Per row, so that the plan does not depend on how many rows the planner expects.
 * A lesson is fast below a quarter of its reading time: seconds < share × words / wpm × 60.
 */
const speedJoins = (s: string) => `CROSS JOIN LATERAL (
			SELECT count(*)::int AS lessons,
				count(*) FILTER (WHERE l.seconds::float8 * ${T.speed.wordsPerMinute} < ${T.speed.fastShareOfReadingTime} * l.size * 60)::int AS fast
			FROM (
				SELECT DISTINCT ON (t."lessonSlug") t.seconds, t.size FROM "LearningTrace" t
				WHERE t."enrollmentId" = ${s}."enrollmentId" AND t.kind = 'LESSON_DONE' AND t.at <= ${s}."completedAt" AND t.seconds IS NOT NULL AND t.size > 0
				ORDER BY t."lessonSlug", t.at DESC
			) l
		) ls
		LEFT JOIN LATERAL (
			SELECT t.seconds, t.size AS questions FROM "LearningTrace" t
			WHERE t."enrollmentId" = ${s}."enrollmentId" AND t.kind = 'QUIZ_SUBMIT' AND t.at <= ${s}."completedAt" + interval '1 minute'
				AND t.seconds IS NOT NULL AND t.size > 0
			ORDER BY t.at DESC LIMIT 1
		) qs ON true`

const LESSONS_FAST = (ls: string) => `(${ls}.fast > 0 AND ${ls}.fast >= ${T.speed.fastLessonsShare} * ${ls}.lessons)`
const QUIZ_FAST = (qs: string) => `(${qs}.seconds < ${T.speed.quizSecondsPerQuestion} * ${qs}.questions)`

/**
 * Windows over CTE `rows` (group columns `by`, time `at`, person `userId`): every window [start, start + width]
 * that starts at one of its rows and holds at least `least` distinct people; then, for each row of `rows` inside
 * one, the largest such window (and the shortest of equals). Yields CTE `${name}` (columns `keep` of `rows`,
 * accounts, span, and with `list` the distinct values of that column of `rows` in the window, as `${list}s`). A window of `least` people holds at least `least` rows, so only rows whose (least − 1)-th
 * successor in their group comes within `width` can start one: that one sort keeps the pairwise part to the few
 * busy moments of a browser, a network or a unit.
 */
function windowCtes(name: string, rows: string, by: Array<string>, width: number, least: number, keep: Array<string>, list?: string) {
	const on = (a: string, b: string) => by.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ')
	const cols = (a: string) => by.map((c) => `${a}.${c}`).join(', ')
	const listed = list ? `, array_agg(DISTINCT x.${list} ORDER BY x.${list}) AS ${list}s` : ''
	return `${name}_anchors AS MATERIALIZED (
			SELECT DISTINCT ${by.join(', ')}, at FROM (
				SELECT ${by.join(', ')}, at, lead(at, ${least - 1}) OVER (PARTITION BY ${by.join(', ')} ORDER BY at) AS nth FROM ${rows}
			) x WHERE nth <= at + ${minutes(width)}
		), ${name}_rows AS MATERIALIZED (
			SELECT r.* FROM ${rows} r WHERE EXISTS (
				SELECT 1 FROM ${name}_anchors s WHERE ${on('s', 'r')} AND r.at BETWEEN s.at AND s.at + ${minutes(width)}
			)
		), ${name}_windows AS MATERIALIZED (
			SELECT ${cols('s')}, s.at AS start, max(x.at) AS finish, count(DISTINCT x."userId")::int AS accounts${listed}
			FROM ${name}_anchors s
			JOIN ${name}_rows x ON ${on('x', 's')} AND x.at >= s.at AND x.at <= s.at + ${minutes(width)}
			GROUP BY ${cols('s')}, s.at HAVING count(DISTINCT x."userId") >= ${least}
		), ${name} AS (
			SELECT DISTINCT ON (${keep.map((k) => `r.${k}`).join(', ')}) ${keep.map((k) => `r.${k}`).join(', ')}, w.accounts, w.finish - w.start AS span${list ? `, w.${list}s` : ''}
			FROM ${name}_rows r JOIN ${name}_windows w ON ${on('w', 'r')} AND r.at BETWEEN w.start AND w.finish
			ORDER BY ${keep.map((k) => `r.${k}`).join(', ')}, w.accounts DESC, w.finish - w.start
		)`
}

const Evidence = z.object({
	enrollmentId: z.string(),
	completedAt: z.date(),
	signal: z.string(),
	key: z.string(),
	vars: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
})
export type EvidenceRow = z.infer<typeof Evidence>

const RANGE = { from: 'time', to: 'time' } as const

/** Speed: half the lessons under a quarter of their reading time, or the quiz under 4 s a question. */
export const SIGNAL_SPEED = defineSql({
	name: 'integrity-signal-speed',
	inputs: RANGE,
	row: Evidence,
	text: ($) => `WITH done AS (
			SELECT d."enrollmentId", d."completedAt", ls.lessons, ls.fast, qs.seconds, qs.questions
			FROM (
				SELECT e.id AS "enrollmentId", e."completedAt" FROM "Enrollment" e
				WHERE ${completedIn('e', $('from'), $('to'))}
			) d ${speedJoins('d')}
			WHERE ls.lessons > 0 OR qs.seconds IS NOT NULL
		)
		SELECT ls."enrollmentId", ls."completedAt", 'speed' AS signal, '${EVIDENCE_KEYS.speed}' AS key,
			jsonb_build_object('fast', ls.fast, 'lessons', ls.lessons) AS vars
		FROM done ls WHERE ${LESSONS_FAST('ls')}
		UNION ALL
		SELECT qs."enrollmentId", qs."completedAt", 'speed', '${EVIDENCE_KEYS['speed-quiz']}',
			jsonb_build_object('seconds', qs.seconds, 'questions', qs.questions)
		FROM done qs WHERE ${QUIZ_FAST('qs')}`,
})

/**
 * One browser, many people: at least 3 accounts passing a quiz on one device within 2 hours, with the titles of the
 * courses passed in that window (the people need not have passed the same one).
 */
export const SIGNAL_DEVICE = defineSql({
	name: 'integrity-signal-device',
	inputs: RANGE,
	row: Evidence,
	text: ($) => `WITH passes AS (
			SELECT p.*, v.title AS course FROM (
				${passesIn(`${$('from')} - ${minutes(T.device.windowMinutes)}`, $('to'), 'AND t."deviceHash" IS NOT NULL')}
			) p JOIN "Enrollment" e ON e.id = p."enrollmentId" JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		), ${windowCtes('hits', 'passes', ['"deviceHash"'], T.device.windowMinutes, T.device.accounts, ['"enrollmentId"'], 'course')}
		SELECT e.id AS "enrollmentId", e."completedAt", 'device' AS signal, '${EVIDENCE_KEYS.device}' AS key,
			jsonb_build_object('accounts', h.accounts, 'minutes', ${SPAN_MINUTES('h.span')}, 'courses', to_jsonb(h.courses)) AS vars
		FROM hits h JOIN "Enrollment" e ON e.id = h."enrollmentId"
		WHERE ${completedIn('e', $('from'), $('to'))}`,
})

/**
 * Login chain: the completion's account logged in, on the browser where the quiz was passed, within a day before,
 * and that login is one of at least 3 accounts logging in on that browser within an hour.
 */
export const SIGNAL_LOGIN_CHAIN = defineSql({
	name: 'integrity-signal-login-chain',
	inputs: RANGE,
	row: Evidence,
	text: ($) => `WITH logins AS (
			SELECT t."userId", t."deviceHash", t.at FROM "LearningTrace" t
			WHERE t.kind = 'LOGIN' AND t."deviceHash" IS NOT NULL
				AND t.at >= ${$('from')} - ${minutes(T.loginChain.reachMinutes + T.loginChain.windowMinutes)} AND t.at < ${$('to')}
		), ${windowCtes('chained', 'logins', ['"deviceHash"'], T.loginChain.windowMinutes, T.loginChain.accounts, ['"userId"', '"deviceHash"', 'at'])},
		passes AS (
			${passesIn($('from'), $('to'), 'AND t."deviceHash" IS NOT NULL')}
		), hits AS (
			SELECT DISTINCT ON (p."enrollmentId") p."enrollmentId", c.accounts, c.span
			FROM passes p JOIN chained c ON c."userId" = p."userId" AND c."deviceHash" = p."deviceHash"
				AND c.at <= p.at AND c.at > p.at - ${minutes(T.loginChain.reachMinutes)}
			ORDER BY p."enrollmentId", c.accounts DESC, c.span
		)
		SELECT e.id AS "enrollmentId", e."completedAt", 'login-chain' AS signal, '${EVIDENCE_KEYS['login-chain']}' AS key,
			jsonb_build_object('accounts', h.accounts, 'minutes', ${SPAN_MINUTES('h.span')}) AS vars
		FROM hits h JOIN "Enrollment" e ON e.id = h."enrollmentId"
		WHERE ${completedIn('e', $('from'), $('to'))}`,
})

/**
 * One network, many fast people: at least 4 accounts passing the same course from one network address within 15
 * minutes, each of them fast by the speed signal. An agency's NAT address alone never flags.
 */
export const SIGNAL_NETWORK = defineSql({
	name: 'integrity-signal-network',
	inputs: RANGE,
	row: Evidence,
	text: ($) => `WITH passes AS (
			SELECT p.*, e."completedAt", v."courseId", v.title AS course FROM (
				${passesIn(`${$('from')} - ${minutes(T.network.windowMinutes)}`, $('to'), 'AND t."networkHash" IS NOT NULL')}
			) p JOIN "Enrollment" e ON e.id = p."enrollmentId" JOIN "CourseVersion" v ON v.id = e."courseVersionId"
			WHERE e.status = 'COMPLETED'
		), crowded AS (
			SELECT p.* FROM passes p JOIN (
				SELECT "networkHash", "courseId" FROM passes GROUP BY 1, 2 HAVING count(DISTINCT "userId") >= ${T.network.accounts}
			) g ON g."networkHash" = p."networkHash" AND g."courseId" = p."courseId"
		), fast AS (
			SELECT c.* FROM crowded c ${speedJoins('c')}
			WHERE ${LESSONS_FAST('ls')} OR coalesce(${QUIZ_FAST('qs')}, false)
		), ${windowCtes('hits', 'fast', ['"networkHash"', '"courseId"'], T.network.windowMinutes, T.network.accounts, ['"enrollmentId"', 'course'])}
		SELECT e.id AS "enrollmentId", e."completedAt", 'network' AS signal, '${EVIDENCE_KEYS.network}' AS key,
			jsonb_build_object('accounts', h.accounts, 'minutes', ${SPAN_MINUTES('h.span')}, 'course', h.course) AS vars
		FROM hits h JOIN "Enrollment" e ON e.id = h."enrollmentId"
		WHERE ${completedIn('e', $('from'), $('to'))}`,
})

/**
 * Same answers: passed attempts of two different people on the same course within 6 hours, with the same choice on
 * every question both were drawn (at least 5), at least 2 of them the same wrong choice. Answers are stored as the
 * choice's index in the bank (app/learning/quiz.ts), so they compare across shuffled orders. `keys` is the answer
 * key, { courseSlug: { questionId: index } }. Pairs come only from shared wrong answers (rare), never from all
 * pairs of attempts.
 */
export const SIGNAL_SAME_ANSWERS = defineSql({
	name: 'integrity-signal-same-answers',
	inputs: { ...RANGE, keys: 'jsonb' },
	row: Evidence,
	text: ($) => `WITH attempts AS (
			SELECT p."quizAttemptId" AS id, p."userId", p.at, p."enrollmentId", c.slug, q."questionIds", q.answers
			FROM (${passesIn(`${$('from')} - ${minutes(T.sameAnswers.windowMinutes)}`, $('to'))}) p
			JOIN "QuizAttempt" q ON q.id = p."quizAttemptId"
			JOIN "Enrollment" e ON e.id = q."enrollmentId" JOIN "CourseVersion" v ON v.id = e."courseVersionId" JOIN "Course" c ON c.id = v."courseId"
			WHERE ${$('keys')} ? c.slug
		), wrong_all AS (
			SELECT a.id, a."userId", a.at, a.slug, x.key AS question, x.value AS choice, count(*) OVER (PARTITION BY a.id) AS n
			FROM attempts a CROSS JOIN LATERAL jsonb_each_text(a.answers) x
			WHERE (${$('keys')} -> a.slug ->> x.key) IS DISTINCT FROM x.value AND (${$('keys')} -> a.slug) ? x.key
		), wrong AS MATERIALIZED (
			-- Only attempts with enough wrong answers to share that many: most passed attempts have one or none.
			SELECT * FROM wrong_all WHERE n >= ${T.sameAnswers.minSharedWrong}
		), pairs AS (
			SELECT w1.id AS mine, w2.id AS theirs, count(*)::int AS wrong
			FROM wrong w1 JOIN wrong w2 ON w2.slug = w1.slug AND w2.question = w1.question AND w2.choice = w1.choice
				AND w2.id <> w1.id AND w2."userId" <> w1."userId"
				AND w2.at BETWEEN w1.at - ${minutes(T.sameAnswers.windowMinutes)} AND w1.at + ${minutes(T.sameAnswers.windowMinutes)}
			GROUP BY 1, 2 HAVING count(*) >= ${T.sameAnswers.minSharedWrong}
		), alike AS (
			SELECT p.mine, p.theirs, p.wrong, s.shared FROM pairs p
			JOIN attempts a1 ON a1.id = p.mine JOIN attempts a2 ON a2.id = p.theirs
			CROSS JOIN LATERAL (
				SELECT count(*)::int AS shared, count(*) FILTER (WHERE (a1.answers ->> qid) IS DISTINCT FROM (a2.answers ->> qid))::int AS differ
				FROM unnest(a1."questionIds") qid WHERE qid = ANY (a2."questionIds")
			) s
			WHERE s.shared >= ${T.sameAnswers.minSharedQuestions} AND s.differ = 0
		), hits AS (
			SELECT a.mine, count(DISTINCT o."userId")::int AS others, max(a.shared)::int AS shared, max(a.wrong)::int AS wrong
			FROM alike a JOIN attempts o ON o.id = a.theirs GROUP BY a.mine
		)
		SELECT e.id AS "enrollmentId", e."completedAt", 'same-answers' AS signal, '${EVIDENCE_KEYS['same-answers']}' AS key,
			jsonb_build_object('others', h.others, 'shared', h.shared, 'wrong', h.wrong, 'hours', ${Math.round(T.sameAnswers.windowMinutes / 60)}) AS vars
		FROM hits h JOIN attempts a ON a.id = h.mine JOIN "Enrollment" e ON e.id = a."enrollmentId"
		WHERE ${completedIn('e', $('from'), $('to'))}`,
})

/** The unit a completion counts for: its certificate's unit (issued with the completion). */
const certificateUnit = (e: string) => `LATERAL (
			SELECT c."orgUnitId" FROM "Certificate" c
			WHERE c."userId" = ${e}."userId" AND c."courseVersionId" = ${e}."courseVersionId" AND c."issuedAt" <= ${e}."completedAt"
			ORDER BY c."issuedAt" DESC LIMIT 1
		) cu`

/** Burst: at least 10 completions counted for one unit within 10 minutes. */
export const SIGNAL_BURST = defineSql({
	name: 'integrity-signal-burst',
	inputs: RANGE,
	row: Evidence,
	text: ($) => `WITH done AS (
			SELECT e.id AS "enrollmentId", e."completedAt" AS at, e."userId", cu."orgUnitId"
			FROM "Enrollment" e CROSS JOIN ${certificateUnit('e')}
			WHERE ${completedIn('e', `${$('from')} - ${minutes(T.burst.windowMinutes)}`, $('to'))} AND cu."orgUnitId" IS NOT NULL
		), ${windowCtes('hits', 'done', ['"orgUnitId"'], T.burst.windowMinutes, T.burst.completions, ['"enrollmentId"'])}
		SELECT e.id AS "enrollmentId", e."completedAt", 'burst' AS signal, '${EVIDENCE_KEYS.burst}' AS key,
			jsonb_build_object('count', h.accounts, 'minutes', ${SPAN_MINUTES('h.span')}) AS vars
		FROM hits h JOIN "Enrollment" e ON e.id = h."enrollmentId"
		WHERE ${completedIn('e', $('from'), $('to'))}`,
})

/**
 * Off hours before a deadline: completed between 22:00 and 05:00 Vietnam time (UTC+7, no daylight saving) within 3
 * days before the due date of an open assignment of the course that covers the completion's unit.
 */
export const SIGNAL_OFF_HOURS = defineSql({
	name: 'integrity-signal-off-hours',
	inputs: RANGE,
	row: Evidence,
	text: ($) => `SELECT e.id AS "enrollmentId", e."completedAt", 'off-hours' AS signal, '${EVIDENCE_KEYS['off-hours']}' AS key,
			jsonb_build_object('time', to_char(e."completedAt" + interval '7 hours', 'HH24:MI'), 'date', to_char(e."completedAt" + interval '7 hours', 'DD/MM/YYYY'),
				'hours', greatest(1, floor(extract(epoch FROM due.at - e."completedAt") / 3600))::int) AS vars
		FROM "Enrollment" e JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		CROSS JOIN ${certificateUnit('e')}
		JOIN "OrgUnit" o ON o.id = cu."orgUnitId"
		CROSS JOIN LATERAL (
			SELECT min(a."dueAt") AS at FROM "Assignment" a
			WHERE a."courseId" = v."courseId" AND a."orgUnitId" = ANY (string_to_array(trim(BOTH '/' FROM o.path), '/')::int[])
				AND a."dueAt" > e."completedAt" AND a."dueAt" <= e."completedAt" + interval '${T.offHours.daysBeforeDue} days'
				AND a."createdAt" <= e."completedAt" AND (a."closedAt" IS NULL OR a."closedAt" > e."completedAt")
		) due
		WHERE ${completedIn('e', $('from'), $('to'))} AND due.at IS NOT NULL
			AND (extract(hour FROM e."completedAt" + interval '7 hours') >= ${T.offHours.startHour}
				OR extract(hour FROM e."completedAt" + interval '7 hours') < ${T.offHours.endHour})`,
})

export const SIGNAL_STATEMENTS = {
	speed: SIGNAL_SPEED,
	device: SIGNAL_DEVICE,
	'login-chain': SIGNAL_LOGIN_CHAIN,
	network: SIGNAL_NETWORK,
	burst: SIGNAL_BURST,
	'off-hours': SIGNAL_OFF_HOURS,
} as const

/**
 * Writes the evidence of one scan: `rows` is [{ id, enrollmentId, completedAt (ISO), evidence: [items] }]. A
 * completion without a review gets one (OPEN, its unit the certificate's); an OPEN review gets the new items merged
 * into its evidence (an item of the same signal and key is replaced by its newer numbers) and only when that changes
 * anything; a decided review (VERIFIED, REDO) is never touched. A completion withdrawn or redone since (its
 * completedAt no longer the one scanned) is skipped.
 */
export const UPSERT_REVIEWS = defineSql({
	name: 'integrity-upsert-reviews',
	inputs: { rows: 'jsonb', now: 'time' },
	row: z.object({ inserted: z.number(), updated: z.number() }),
	text: ($) => `WITH input AS (
			SELECT x.id, x."enrollmentId", x."completedAt"::timestamp(3) AS "completedAt", x.evidence
			FROM jsonb_to_recordset(${$('rows')}) AS x(id text, "enrollmentId" text, "completedAt" text, evidence jsonb)
		), target AS (
			SELECT i.*, e."userId", e."courseVersionId", cu."orgUnitId"
			FROM input i JOIN "Enrollment" e ON e.id = i."enrollmentId" AND e."completedAt" = i."completedAt" AND e.status = 'COMPLETED'
			LEFT JOIN ${certificateUnit('e')} ON true
		), merged AS (
			SELECT t.*, r.id AS "reviewId", r.status AS "reviewStatus", r.evidence AS "oldEvidence",
				(SELECT jsonb_agg(item ORDER BY item ->> 'signal', item ->> 'key') FROM (
					SELECT old.item FROM jsonb_array_elements(coalesce(r.evidence, '[]'::jsonb)) AS old(item)
					WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(t.evidence) n WHERE n ->> 'signal' = old.item ->> 'signal' AND n ->> 'key' = old.item ->> 'key')
					UNION ALL
					SELECT n FROM jsonb_array_elements(t.evidence) n
				) items) AS "newEvidence"
			FROM target t LEFT JOIN "CompletionReview" r ON r."enrollmentId" = t."enrollmentId" AND r."completedAt" = t."completedAt"
		), inserted AS (
			INSERT INTO "CompletionReview" (id, "enrollmentId", "userId", "courseVersionId", "orgUnitId", "completedAt", signals, evidence, status, "flaggedAt", "updatedAt")
			SELECT m.id, m."enrollmentId", m."userId", m."courseVersionId", m."orgUnitId", m."completedAt",
				ARRAY(SELECT DISTINCT i ->> 'signal' FROM jsonb_array_elements(m."newEvidence") i ORDER BY 1), m."newEvidence", 'OPEN', ${$('now')}, ${$('now')}
			FROM merged m WHERE m."reviewId" IS NULL
			ON CONFLICT ("enrollmentId", "completedAt") DO NOTHING
			RETURNING 1
		), updated AS (
			UPDATE "CompletionReview" r
			SET evidence = m."newEvidence", signals = ARRAY(SELECT DISTINCT i ->> 'signal' FROM jsonb_array_elements(m."newEvidence") i ORDER BY 1), "updatedAt" = ${$('now')}
			FROM merged m
			WHERE r.id = m."reviewId" AND r.status = 'OPEN' AND r.evidence IS DISTINCT FROM m."newEvidence"
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM updated)::int AS updated`,
})

/** Where a first scan starts: the oldest trace (completions before any trace have no evidence to read). */
export const FIRST_TRACE = defineSql({
	name: 'integrity-first-trace',
	inputs: {},
	row: z.object({ at: z.date().nullable() }),
	text: () => `SELECT min(at) AS at FROM "LearningTrace"`,
})

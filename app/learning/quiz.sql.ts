// The statements of quiz.server.ts: a whole department or class starts, shows and submits at the same minute, so
// each request is a few prepared statements (decision 014). The submit's write is the completion path's
// (completion.sql.ts: QUIZ_SUBMIT). Timestamps travel as epoch milliseconds: the two drivers do not return Date the
// same way (db-adapters.server.ts).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { issuingUnitSql } from './completion.sql.ts'

const ATTEMPT_COLUMNS = `a.id, a."enrollmentId", a."questionIds", a."choiceOrder", a.answers, a.score, a.passed,
	(extract(epoch FROM a."startedAt") * 1000)::float8 AS "startedAtMs",
	(extract(epoch FROM a."submittedAt") * 1000)::float8 AS "submittedAtMs", a."idempotencyKey"`

const attemptRow = z.object({
	id: z.string(),
	enrollmentId: z.string(),
	questionIds: z.array(z.string()),
	choiceOrder: z.unknown(),
	answers: z.unknown(),
	score: z.number().nullable(),
	passed: z.boolean().nullable(),
	startedAtMs: z.number(),
	submittedAtMs: z.number().nullable(),
	idempotencyKey: z.string(),
})

const recentRow = z.object({ passed: z.boolean().nullable(), submittedAtMs: z.number() })

// An attempt voided when its completion was withdrawn after review (issue 22) is neither a pass nor a failure: the
// attempt gate does not see it, and a replay of its submission does not report it passed.

/** The enrollment's last `limit` submitted attempts that are not voided, newest first. */
export const RECENT = defineSql({
	name: 'quiz-recent-attempts',
	inputs: { enrollmentId: 'text', limit: 'int' },
	row: recentRow,
	text: ($) => `SELECT a.passed, (extract(epoch FROM a."submittedAt") * 1000)::float8 AS "submittedAtMs"
		FROM "QuizAttempt" a WHERE a."enrollmentId" = ${$('enrollmentId')} AND a."submittedAt" IS NOT NULL AND a."voidedAt" IS NULL
		ORDER BY a."submittedAt" DESC LIMIT ${$('limit')}`,
})

/** The learner's latest enrollment in the course (as findEnrollment), its completed lessons, its open attempt, its
 * last `recent` submitted attempts that are not voided, in one statement. */
export const START_CONTEXT = defineSql({
	name: 'quiz-start-context',
	inputs: { userId: 'text', slug: 'text', recent: 'int' },
	row: z.object({ id: z.string(), lessonsDone: z.array(z.string()), openId: z.string().nullable(), recent: z.array(recentRow) }),
	text: ($) => `SELECT e.id,
			ARRAY(SELECT lp."lessonSlug" FROM "LessonProgress" lp WHERE lp."enrollmentId" = e.id AND lp."completedAt" IS NOT NULL) AS "lessonsDone",
			(SELECT a.id FROM "QuizAttempt" a WHERE a."enrollmentId" = e.id AND a."submittedAt" IS NULL ORDER BY a."startedAt" DESC LIMIT 1) AS "openId",
			COALESCE((SELECT json_agg(json_build_object('passed', r.passed, 'submittedAtMs', r.ms))
				FROM (SELECT a.passed, (extract(epoch FROM a."submittedAt") * 1000)::float8 AS ms FROM "QuizAttempt" a
					WHERE a."enrollmentId" = e.id AND a."submittedAt" IS NOT NULL AND a."voidedAt" IS NULL ORDER BY a."submittedAt" DESC LIMIT ${$('recent')}) r), '[]') AS recent
		FROM "Enrollment" e
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "Course" c ON c.id = v."courseId"
		WHERE e."userId" = ${$('userId')} AND c.slug = ${$('slug')}
		ORDER BY e."startedAt" DESC LIMIT 1`,
})

export const ATTEMPT_BY_ID = defineSql({
	name: 'quiz-attempt-by-id',
	inputs: { attemptId: 'text' },
	row: attemptRow,
	text: ($) => `SELECT ${ATTEMPT_COLUMNS} FROM "QuizAttempt" a WHERE a.id = ${$('attemptId')}`,
})

/** `committedAt`: when the learner ticked the commitment; `reauthAt`: when they re-entered their password (or null). */
export const INSERT_ATTEMPT = defineSql({
	name: 'quiz-insert-attempt',
	inputs: { id: 'text', enrollmentId: 'text', questionIds: 'text[]', choiceOrder: 'jsonb', startedAt: 'time', idempotencyKey: 'text', committedAt: 'time', reauthAt: 'time' },
	row: attemptRow,
	text: ($) => `INSERT INTO "QuizAttempt" AS a (id, "enrollmentId", "questionIds", "choiceOrder", answers, "startedAt", "idempotencyKey", "committedAt", "reauthAt")
		VALUES (${$('id')}, ${$('enrollmentId')}, ${$('questionIds')}, ${$('choiceOrder')}, '{}'::jsonb, ${$('startedAt')}, ${$('idempotencyKey')}, ${$('committedAt')}, ${$('reauthAt')})
		RETURNING ${ATTEMPT_COLUMNS}`,
})

/** An attempt of this learner in this course (another user's attempt id is simply not found). */
export const LEARNER_ATTEMPT = defineSql({
	name: 'quiz-learner-attempt',
	inputs: { attemptId: 'text', userId: 'text', slug: 'text' },
	row: attemptRow.extend({ userId: z.string(), courseVersionId: z.string(), passMark: z.number(), voided: z.boolean() }),
	text: ($) => `SELECT ${ATTEMPT_COLUMNS}, e."userId", e."courseVersionId", v."passMark", a."voidedAt" IS NOT NULL AS voided
		FROM "QuizAttempt" a
		JOIN "Enrollment" e ON e.id = a."enrollmentId"
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "Course" c ON c.id = v."courseId"
		WHERE a.id = ${$('attemptId')} AND e."userId" = ${$('userId')} AND c.slug = ${$('slug')}`,
})

/** Merges answers into what was saved before; ignored once submitted. */
export const SAVE_ANSWERS = defineSql({
	name: 'quiz-save-answers',
	inputs: { attemptId: 'text', answers: 'jsonb' },
	text: ($) => `UPDATE "QuizAttempt" SET answers = answers || ${$('answers')} WHERE id = ${$('attemptId')} AND "submittedAt" IS NULL`,
})

/** What grading and a certificate need: the enrollment, its pinned version, completed lessons, and the holder's name
 * and the unit the certificate would be issued in at `at` (the completion rule: issuingUnitSql). */
const submitContextRow = z.object({
	status: z.string(),
	userId: z.string(),
	courseVersionId: z.string(),
	version: z.number(),
	title: z.string(),
	passMark: z.number(),
	validityMonths: z.number().nullable(),
	lessonsDone: z.array(z.string()),
	fullName: z.string(),
	orgUnitId: z.number().nullable(),
	orgName: z.string().nullable(),
})

export type SubmitContext = z.infer<typeof submitContextRow>

// Over e (the enrollment), v (its version), u (the learner) and m (the unit, issuingUnitSql).
const SUBMIT_CONTEXT_COLUMNS = `e.status::text AS status, v.version, v.title, v."validityMonths",
			ARRAY(SELECT lp."lessonSlug" FROM "LessonProgress" lp WHERE lp."enrollmentId" = e.id AND lp."completedAt" IS NOT NULL) AS "lessonsDone",
			u."fullName", m.id AS "orgUnitId", m.name AS "orgName"`

export const SUBMIT_CONTEXT = defineSql({
	name: 'quiz-submit-context',
	inputs: { enrollmentId: 'text', at: 'time' },
	row: submitContextRow,
	text: ($) => `SELECT e."userId", e."courseVersionId", v."passMark", ${SUBMIT_CONTEXT_COLUMNS}
		FROM "Enrollment" e
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "User" u ON u.id = e."userId"
		LEFT JOIN ${issuingUnitSql('u.id', 'v."courseId"', $('at'))} m ON true
		WHERE e.id = ${$('enrollmentId')}`,
})

/** An attempt of this learner in this course (as LEARNER_ATTEMPT) with what its submission needs (as SUBMIT_CONTEXT),
 * in one round trip: a submit is the busiest write of a deadline. */
export const ATTEMPT_TO_SUBMIT = defineSql({
	name: 'quiz-attempt-to-submit',
	inputs: { attemptId: 'text', userId: 'text', slug: 'text', at: 'time' },
	row: attemptRow.extend({ userId: z.string(), courseVersionId: z.string(), passMark: z.number(), voided: z.boolean() }).extend(submitContextRow.shape),
	text: ($) => `SELECT ${ATTEMPT_COLUMNS}, e."userId", e."courseVersionId", v."passMark", a."voidedAt" IS NOT NULL AS voided, ${SUBMIT_CONTEXT_COLUMNS}
		FROM "QuizAttempt" a
		JOIN "Enrollment" e ON e.id = a."enrollmentId"
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "Course" c ON c.id = v."courseId"
		JOIN "User" u ON u.id = e."userId"
		LEFT JOIN ${issuingUnitSql('u.id', 'v."courseId"', $('at'))} m ON true
		WHERE a.id = ${$('attemptId')} AND e."userId" = ${$('userId')} AND c.slug = ${$('slug')}`,
})

/** A submission that lost the race (or a replay): the outcome the winner recorded. */
export const SUBMITTED = defineSql({
	name: 'quiz-submitted-outcome',
	inputs: { attemptId: 'text' },
	row: z.object({ passed: z.boolean().nullable(), status: z.string(), serial: z.string().nullable() }),
	text: ($) => `SELECT (a.passed AND a."voidedAt" IS NULL) AS passed, e.status::text AS status,
			(SELECT ce.serial FROM "Certificate" ce WHERE ce."userId" = e."userId" AND ce."courseVersionId" = e."courseVersionId" AND ce."revokedAt" IS NULL LIMIT 1) AS serial
		FROM "QuizAttempt" a JOIN "Enrollment" e ON e.id = a."enrollmentId"
		WHERE a.id = ${$('attemptId')}`,
})

// The statements of progress.server.ts on the path of "Hoàn thành bài học", pressed by a whole department within the
// same minutes: the learner's enrollment and the lesson's completion are one prepared statement each instead of five
// Prisma queries (issue 21 §1; decision 014 did the same for the quiz). Times travel as epoch milliseconds.
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { EnrollmentStatus } from '#app/db-enums.ts'

/** The learner's latest enrollment in the course (as findEnrollment), with its pinned version and its lessons. */
export const ENROLLMENT_OF = defineSql({
	name: 'progress-enrollment-of',
	inputs: { userId: 'text', slug: 'text' },
	row: z.object({
		id: z.string(),
		userId: z.string(),
		courseVersionId: z.string(),
		status: z.enum(EnrollmentStatus),
		version: z.number(),
		lessons: z.array(z.object({ lessonSlug: z.string(), completedAtMs: z.number().nullable() })),
	}),
	text: ($) => `SELECT e.id, e."userId", e."courseVersionId", e.status::text AS status, v.version,
			COALESCE((SELECT json_agg(json_build_object('lessonSlug', lp."lessonSlug", 'completedAtMs', (extract(epoch FROM lp."completedAt") * 1000)::float8))
				FROM "LessonProgress" lp WHERE lp."enrollmentId" = e.id), '[]') AS lessons
		FROM "Enrollment" e
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "Course" c ON c.id = v."courseId"
		WHERE e."userId" = ${$('userId')} AND c.slug = ${$('slug')}
		ORDER BY e."startedAt" DESC LIMIT 1`,
})

/**
 * "Hoàn thành bài học" in one statement: the lesson's row is made if it was never opened (its clock starts now), marked
 * done once at least `minMs` after its opening, with the time from opening to now capped at `maxSeconds`; a lesson
 * already done keeps its first completion. The enrollment's last activity moves when the lesson is done. `wasDone`:
 * whether it was done before this statement (a replay, or another press that won).
 */
export const COMPLETE_LESSON = defineSql({
	name: 'progress-complete-lesson',
	inputs: { id: 'text', enrollmentId: 'text', lessonSlug: 'text', now: 'time', minMs: 'float8', maxSeconds: 'int' },
	row: z.object({ startedAtMs: z.number(), completedAtMs: z.number().nullable(), secondsSpent: z.number(), wasDone: z.boolean() }),
	text: ($) => `WITH before AS (
			SELECT lp."completedAt" FROM "LessonProgress" lp WHERE lp."enrollmentId" = ${$('enrollmentId')} AND lp."lessonSlug" = ${$('lessonSlug')}
		), up AS (
			INSERT INTO "LessonProgress" AS lp (id, "enrollmentId", "lessonSlug", "startedAt", "completedAt", "secondsSpent")
			VALUES (${$('id')}, ${$('enrollmentId')}, ${$('lessonSlug')}, ${$('now')}, CASE WHEN ${$('minMs')} <= 0 THEN ${$('now')} END, 0)
			ON CONFLICT ("enrollmentId", "lessonSlug") DO UPDATE SET
				"completedAt" = CASE WHEN lp."completedAt" IS NULL AND GREATEST(0, extract(epoch FROM ${$('now')} - lp."startedAt") * 1000) >= ${$('minMs')}
					THEN ${$('now')} ELSE lp."completedAt" END,
				"secondsSpent" = CASE WHEN lp."completedAt" IS NULL AND GREATEST(0, extract(epoch FROM ${$('now')} - lp."startedAt") * 1000) >= ${$('minMs')}
					THEN LEAST(${$('maxSeconds')}, GREATEST(0, round(extract(epoch FROM ${$('now')} - lp."startedAt"))))::int ELSE lp."secondsSpent" END
			RETURNING lp."startedAt", lp."completedAt", lp."secondsSpent"
		), activity AS (
			UPDATE "Enrollment" SET "lastActivityAt" = ${$('now')}
			WHERE id = ${$('enrollmentId')} AND EXISTS (SELECT 1 FROM up WHERE up."completedAt" IS NOT NULL)
		)
		SELECT (extract(epoch FROM up."startedAt") * 1000)::float8 AS "startedAtMs",
			(extract(epoch FROM up."completedAt") * 1000)::float8 AS "completedAtMs", up."secondsSpent",
			EXISTS (SELECT 1 FROM before WHERE before."completedAt" IS NOT NULL) AS "wasDone"
		FROM up`,
})

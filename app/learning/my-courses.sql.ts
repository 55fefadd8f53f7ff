// The statement of my-courses.server.ts: "Khoá học của tôi" is what a whole agency opens on the morning of a deadline,
// so it is one prepared statement instead of the five Prisma queries it was (issue 21: 15.8 ms of server CPU per page,
// most of it Prisma compiling queries). Its required courses are requiredCoursesFor's, from the same fragment
// (assignments.sql.ts).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { EnrollmentStatus } from '#app/db-enums.ts'
import { requiredCoursesCtes } from './assignments.sql.ts'

/** Per course: its earliest due date if required, and the latest enrollment of the person in it, if any. */
export const MY_COURSES = defineSql({
	name: 'my-courses',
	inputs: { userId: 'text', at: 'time' },
	row: z.object({
		slug: z.string(),
		dueMs: z.number().nullable(),
		enrollmentId: z.string().nullable(),
		status: z.enum(EnrollmentStatus).nullable(),
		version: z.number().nullable(),
		lessonsDone: z.array(z.string()),
		quizPassed: z.boolean(),
		withdrawnAtMs: z.number().nullable(),
		withdrawnReason: z.string().nullable(),
		serial: z.string().nullable(),
		issuedAtMs: z.number().nullable(),
		expiresAtMs: z.number().nullable(),
	}),
	text: ($) => `WITH ${requiredCoursesCtes($('userId'), $('at'))}, latest AS (
			SELECT DISTINCT ON (c.slug) c.slug, e.id, e.status, e."courseVersionId", e."withdrawnAt", e."withdrawnReason", v.version
			FROM "Enrollment" e
			JOIN "CourseVersion" v ON v.id = e."courseVersionId"
			JOIN "Course" c ON c.id = v."courseId"
			WHERE e."userId" = ${$('userId')}
			ORDER BY c.slug, e."startedAt" DESC
		)
		SELECT COALESCE(l.slug, r.slug) AS slug, (extract(epoch FROM r.due) * 1000)::float8 AS "dueMs",
			l.id AS "enrollmentId", l.status::text AS status, l.version,
			ARRAY(SELECT lp."lessonSlug" FROM "LessonProgress" lp WHERE lp."enrollmentId" = l.id AND lp."completedAt" IS NOT NULL) AS "lessonsDone",
			EXISTS (SELECT 1 FROM "QuizAttempt" qa WHERE qa."enrollmentId" = l.id AND qa.passed AND qa."voidedAt" IS NULL) AS "quizPassed",
			(extract(epoch FROM l."withdrawnAt") * 1000)::float8 AS "withdrawnAtMs", l."withdrawnReason",
			cert.serial, cert."issuedAtMs", cert."expiresAtMs"
		FROM latest l
		FULL JOIN required r ON r.slug = l.slug
		LEFT JOIN LATERAL (
			SELECT ce.serial, (extract(epoch FROM ce."issuedAt") * 1000)::float8 AS "issuedAtMs",
				(extract(epoch FROM ce."expiresAt") * 1000)::float8 AS "expiresAtMs"
			FROM "Certificate" ce
			WHERE ce."userId" = ${$('userId')} AND ce."courseVersionId" = l."courseVersionId" AND ce."revokedAt" IS NULL
			ORDER BY ce."issuedAt" DESC LIMIT 1
		) cert ON true`,
})

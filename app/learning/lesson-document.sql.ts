// The statement of lesson-document.server.ts, the lesson page's one round trip (decision 009; docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { Role, UserStatus } from '#app/db-enums.ts'

/**
 * Session, user, roles, the learner's latest enrollment in the course (the one progress.server.ts findEnrollment
 * picks) and their progress in the lesson, in one round trip. Times as epoch milliseconds (see SqlQuery).
 */
export const LESSON_VISIT = defineSql({
	name: 'lesson-visit',
	inputs: { sessionId: 'text', courseSlug: 'text', lessonSlug: 'text' },
	row: z.object({
		userId: z.string(),
		status: z.enum(UserStatus),
		expiresAtMs: z.number(),
		roles: z.array(z.enum(Role)),
		enrollmentId: z.string().nullable(),
		lastActivityAtMs: z.number().nullable(),
		opened: z.boolean(),
		done: z.boolean(),
	}),
	text: ($) => `
		SELECT u.id AS "userId", u.status::text AS status, (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresAtMs",
			ARRAY(SELECT g.role::text FROM "RoleGrant" g WHERE g."userId" = u.id) AS roles,
			e.id AS "enrollmentId", (extract(epoch FROM e."lastActivityAt") * 1000)::float8 AS "lastActivityAtMs",
			(lp.id IS NOT NULL) AS opened, (lp."completedAt" IS NOT NULL) AS done
		FROM "Session" s
		JOIN "User" u ON u.id = s."userId"
		LEFT JOIN LATERAL (
			SELECT en.id, en."lastActivityAt" FROM "Enrollment" en
			JOIN "CourseVersion" v ON v.id = en."courseVersionId"
			JOIN "Course" c ON c.id = v."courseId"
			WHERE en."userId" = u.id AND c.slug = ${$('courseSlug')}
			ORDER BY en."startedAt" DESC LIMIT 1
		) e ON true
		LEFT JOIN "LessonProgress" lp ON lp."enrollmentId" = e.id AND lp."lessonSlug" = ${$('lessonSlug')}
		WHERE s.id = ${$('sessionId')}`,
})

// The statement of requiredCoursesFor (assignments.server.ts), and its rule as a fragment my-courses.sql.ts reads in
// the same statement as the rest of "Khoá học của tôi": one rule for which courses a person must take, not two.
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

/**
 * Two CTEs: `m`, the person's memberships current at `at`, and `required`, each course they must take with its
 * earliest due date — an open assignment of a unit above (or at) one of those memberships, whose audience tag, if
 * any, that membership carries. `user` and `at` are placeholders of the enclosing statement.
 */
export function requiredCoursesCtes(user: string, at: string) {
	return `m AS (
			SELECT m.tags, u.path FROM "Membership" m JOIN "OrgUnit" u ON u.id = m."orgUnitId"
			WHERE m."userId" = ${user} AND m."validFrom" <= ${at} AND (m."validTo" IS NULL OR m."validTo" > ${at})
		), required AS (
			SELECT c.slug, min(a."dueAt") AS due
			FROM "Assignment" a
			JOIN "OrgUnit" au ON au.id = a."orgUnitId"
			JOIN "Course" c ON c.id = a."courseId"
			WHERE a."closedAt" IS NULL
				AND a."orgUnitId" IN (SELECT unnest(string_to_array(trim(BOTH '/' FROM m.path), '/')::int[]) FROM m)
				AND EXISTS (SELECT 1 FROM m WHERE starts_with(m.path, au.path) AND (a."audienceTag" IS NULL OR a."audienceTag" = ANY (m.tags)))
			GROUP BY c.slug
		)`
}

export const REQUIRED_COURSES = defineSql({
	name: 'required-courses',
	inputs: { userId: 'text', at: 'time' },
	row: z.object({ slug: z.string(), dueMs: z.number() }),
	text: ($) => `WITH ${requiredCoursesCtes($('userId'), $('at'))}
		SELECT r.slug, (extract(epoch FROM r.due) * 1000)::float8 AS "dueMs" FROM required r`,
})

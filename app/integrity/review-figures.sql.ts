// The dashboard's "of which under review": a subset of the completions its headline counts, so only the open reviews
// of completions that headline counts — a person who is an active, counted member of the unit's subtree, required to
// take the course by an open assignment covering their membership (with its audience tag, if any), whose enrollment
// is still complete. The walk of issue 22 found the first count taking every open review of the subtree: a review of
// a course nobody there was assigned showed as "of which 1" under figures that did not contain it.
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

export const OPEN_REVIEWS_OF_REQUIRED = defineSql({
	name: 'integrity-open-reviews-of-required',
	inputs: { path: 'text', courseId: 'text', at: 'time' },
	row: z.object({ open: z.number().int() }),
	text: ($) => `SELECT count(*)::int AS open
		FROM "CompletionReview" r
		JOIN "Enrollment" e ON e.id = r."enrollmentId" AND e.status = 'COMPLETED'
		JOIN "CourseVersion" v ON v.id = r."courseVersionId"
		WHERE r.status = 'OPEN'
			AND (${$('courseId')}::text IS NULL OR v."courseId" = ${$('courseId')})
			AND EXISTS (
				SELECT 1 FROM "Membership" m
				JOIN "OrgUnit" mu ON mu.id = m."orgUnitId"
				JOIN "Assignment" a ON a."courseId" = v."courseId" AND a."closedAt" IS NULL
				JOIN "OrgUnit" au ON au.id = a."orgUnitId"
				WHERE m."userId" = r."userId" AND m."countsInTarget"
					AND m."validFrom" <= ${$('at')} AND (m."validTo" IS NULL OR m."validTo" > ${$('at')})
					AND starts_with(mu.path, ${$('path')}) AND starts_with(mu.path, au.path)
					AND (a."audienceTag" IS NULL OR a."audienceTag" = ANY (m.tags)))`,
})

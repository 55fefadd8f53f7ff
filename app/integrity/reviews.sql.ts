// The statements of reviews.server.ts (docs/database.md): the list of a unit's reviews and the counts the dashboard
// and the periodic report show. A unit's reviews are those whose completion counts for a unit of its subtree
// (CompletionReview.orgUnitId, the certificate's unit), as every figure of the unit is counted.
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

const REVIEW_ROW = z.object({
	id: z.string(),
	userId: z.string(),
	fullName: z.string(),
	enrollmentId: z.string(),
	courseTitle: z.string(),
	courseSlug: z.string(),
	orgUnitId: z.number().int(),
	unitName: z.string(),
	completedAt: z.date(),
	signals: z.array(z.string()),
	evidence: z.unknown(),
	status: z.enum(['OPEN', 'VERIFIED', 'REDO']),
	flaggedAt: z.date(),
	decidedAt: z.date().nullable(),
	decidedBy: z.string().nullable(),
	decisionNote: z.string().nullable(),
	total: z.number().int(),
})

/**
 * One page of a subtree's reviews with the given statuses: the waiting ones oldest completion first (the longest
 * waiting is decided first), decided ones latest decision first. `total` is the number before the limit.
 */
export const REVIEWS_OF_SUBTREE = defineSql({
	name: 'integrity-reviews-of-subtree',
	inputs: { path: 'text', statuses: 'text[]', limit: 'int' },
	row: REVIEW_ROW,
	text: ($) => `SELECT r.id, r."userId", u."fullName", r."enrollmentId", v.title AS "courseTitle", c.slug AS "courseSlug", r."orgUnitId", o.name AS "unitName",
			r."completedAt", r.signals, r.evidence, r.status::text AS status, r."flaggedAt", r."decidedAt", d."fullName" AS "decidedBy", r."decisionNote",
			(count(*) OVER ())::int AS total
		FROM "CompletionReview" r
		JOIN "OrgUnit" o ON o.id = r."orgUnitId"
		JOIN "User" u ON u.id = r."userId"
		JOIN "CourseVersion" v ON v.id = r."courseVersionId"
		JOIN "Course" c ON c.id = v."courseId"
		LEFT JOIN "User" d ON d.id = r."decidedById"
		WHERE o.path LIKE ${$('path')} || '%' AND r.status::text = ANY (${$('statuses')})
		ORDER BY r."decidedAt" DESC NULLS FIRST, r."completedAt", r.id
		LIMIT ${$('limit')}`,
})

/**
 * Completions of a subtree under review now (for one course or all), for the dashboard's "trong đó … đang xem lại".
 * Reads only the OPEN reviews (index on status), each joined to its unit by key: the waiting reviews of a whole
 * province are a few hundred rows, whatever its size.
 */
export const OPEN_REVIEWS_OF_SUBTREE = defineSql({
	name: 'integrity-open-reviews-of-subtree',
	inputs: { path: 'text', courseId: 'text' },
	row: z.object({ open: z.number().int() }),
	text: ($) => `SELECT count(*)::int AS open
		FROM "CompletionReview" r JOIN "OrgUnit" o ON o.id = r."orgUnitId"
		WHERE r.status = 'OPEN' AND o.path LIKE ${$('path')} || '%'
			AND (${$('courseId')} IS NULL OR r."courseVersionId" IN (SELECT v.id FROM "CourseVersion" v WHERE v."courseId" = ${$('courseId')}))`,
})

/**
 * The dashboard's "of which under review": a subset of the completions its headline counts, so only the open reviews
 * of completions that headline counts — a person who is an active, counted member of the unit's subtree, required to
 * take the course by an open assignment covering their membership (with its audience tag, if any), whose enrollment
 * is still complete. The walk of issue 22 found the first count taking every open review of the subtree: a review of
 * a course nobody there was assigned showed as "of which 1" under figures that did not contain it.
 */
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

/**
 * Reviews of a subtree decided in [from, to): how many completions were reviewed, found valid, withdrawn. A decision
 * is never changed afterwards, so a past period's counts stay what a report once said.
 */
export const DECIDED_REVIEWS_OF_SUBTREE = defineSql({
	name: 'integrity-decided-reviews-of-subtree',
	inputs: { path: 'text', courseId: 'text', from: 'time', to: 'time' },
	row: z.object({ verified: z.number().int(), withdrawn: z.number().int() }),
	text: ($) => `SELECT count(*) FILTER (WHERE r.status = 'VERIFIED')::int AS verified, count(*) FILTER (WHERE r.status = 'REDO')::int AS withdrawn
		FROM "CompletionReview" r JOIN "OrgUnit" o ON o.id = r."orgUnitId"
		WHERE r.status <> 'OPEN' AND r."decidedAt" >= ${$('from')} AND r."decidedAt" < ${$('to')} AND o.path LIKE ${$('path')} || '%'
			AND (${$('courseId')} IS NULL OR r."courseVersionId" IN (SELECT v.id FROM "CourseVersion" v WHERE v."courseId" = ${$('courseId')}))`,
})

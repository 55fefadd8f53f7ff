// The statements of results.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

/** Every class of the education subtree under `pathPrefix` ('/1/5/%') with its school and its four counts. */
export const CLASS_RESULTS = defineSql({
	name: 'education-class-results',
	inputs: { pathPrefix: 'text' },
	row: z.object({
		id: z.number().int(),
		name: z.string(),
		code: z.string(),
		schoolId: z.number().int(),
		schoolName: z.string(),
		students: z.number().int(),
		sessions: z.number().int(),
		reached: z.number().int(),
		completed: z.number().int(),
	}),
	text: ($) => `SELECT c.id, c.name, c.code, s.id AS "schoolId", s.name AS "schoolName",
			(SELECT count(DISTINCT m."userId") FROM "Membership" m WHERE m."orgUnitId" = c.id AND m."validFrom" <= now() AND (m."validTo" IS NULL OR m."validTo" > now())
				AND NOT EXISTS (SELECT 1 FROM "RoleGrant" g WHERE g."userId" = m."userId"))::int AS students,
			(SELECT count(*) FROM "TrainingEvent" e WHERE e."orgUnitId" = c.id AND e.kind = 'CLASS_SESSION' AND e."closedAt" IS NOT NULL)::int AS sessions,
			(SELECT count(DISTINCT a."userId") FROM "Attendance" a JOIN "TrainingEvent" e ON e.id = a."eventId" WHERE e."orgUnitId" = c.id AND e.kind = 'CLASS_SESSION' AND a.present)::int AS reached,
			(SELECT count(DISTINCT (a."userId", e."courseId")) FROM "Attendance" a JOIN "TrainingEvent" e ON e.id = a."eventId" WHERE e."orgUnitId" = c.id AND e.kind = 'CLASS_SESSION' AND a.present AND a.passed)::int AS completed
		FROM "OrgUnit" c JOIN "OrgUnit" s ON s.id = c."parentId"
		WHERE c.tree = 'EDU' AND c.kind = 'class' AND c.path LIKE ${$('pathPrefix')}`,
})

/** People on a tree's roster now (under `pathPrefix`), and how many of them have completed at least one course. */
export const TREE_COMPLETION = defineSql({
	name: 'tree-completion-summary',
	inputs: { pathPrefix: 'text' },
	row: z.object({ people: z.number().int(), done: z.number().int() }),
	text: ($) => `WITH p AS (SELECT DISTINCT m."userId" FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId"
				WHERE o.path LIKE ${$('pathPrefix')} AND m."validFrom" <= now() AND (m."validTo" IS NULL OR m."validTo" > now()))
			SELECT (SELECT count(*) FROM p)::int AS people,
				(SELECT count(*) FROM p WHERE EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."userId" = p."userId" AND e.status = 'COMPLETED'))::int AS done`,
})

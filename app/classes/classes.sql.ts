// The statements of classes.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

/** Per school of the education subtree under `pathPrefix`: its classes and its students now (role holders are staff). */
export const SCHOOL_COUNTS = defineSql({
	name: 'school-class-counts',
	inputs: { pathPrefix: 'text' },
	row: z.object({ school: z.number().int(), classes: z.number().int(), students: z.number().int() }),
	text: ($) => `SELECT s.id AS school, count(DISTINCT c.id)::int AS classes, count(DISTINCT m."userId")::int AS students
		FROM "OrgUnit" s JOIN "OrgUnit" c ON c."parentId" = s.id AND c.kind = 'class'
		LEFT JOIN "Membership" m ON m."orgUnitId" = c.id AND m."validFrom" <= now() AND (m."validTo" IS NULL OR m."validTo" > now())
			AND NOT EXISTS (SELECT 1 FROM "RoleGrant" g WHERE g."userId" = m."userId")
		WHERE s.tree = 'EDU' AND s.kind = 'school' AND s.path LIKE ${$('pathPrefix')}
		GROUP BY s.id`,
})

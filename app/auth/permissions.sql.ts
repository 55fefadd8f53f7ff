// The statements of permissions.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { Role } from '#app/db-enums.ts'

/** Read on most pages (the root loader): a prepared statement rather than a Prisma query (decision 009). */
export const GRANTS_OF_USER = defineSql({
	name: 'grants-of-user',
	inputs: { userId: 'text' },
	row: z.object({ role: z.enum(Role), orgUnitId: z.number().int(), path: z.string() }),
	// A grant of a role bound to another tree (ROLE_TREE in permissions.ts: YOUTH_ADMIN on a non-youth unit) is ignored.
	text: ($) => `SELECT g.role::text AS role, g."orgUnitId", u.path FROM "RoleGrant" g JOIN "OrgUnit" u ON u.id = g."orgUnitId"
		WHERE g."userId" = ${$('userId')} AND (g.role <> 'YOUTH_ADMIN' OR u.tree = 'YOUTH')`,
})

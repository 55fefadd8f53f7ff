// The statements of session.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { Role, UserKind, UserStatus } from '#app/db-enums.ts'

const sessionRow = z.object({
	userId: z.string(),
	expiresAtMs: z.number(),
	fullName: z.string(),
	kind: z.enum(UserKind),
	status: z.enum(UserStatus),
	locale: z.string(),
})

const SESSION_COLUMNS = `u.id AS "userId", (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresAtMs",
		u."fullName", u.kind::text AS kind, u.status::text AS status, u.locale`

/** Every request of a signed-in person starts here: a prepared statement instead of a Prisma query (decision 009).
 * Times as epoch milliseconds: the two drivers do not return timestamps alike. */
export const SESSION_AND_USER = defineSql({
	name: 'session-and-user',
	inputs: { sessionId: 'text' },
	row: sessionRow,
	text: ($) => `SELECT ${SESSION_COLUMNS}
		FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = ${$('sessionId')}`,
})

/** The same, with the person's roles: what the site's header shows, for pages served without Remix (decision 027). */
export const SESSION_WITH_ROLES = defineSql({
	name: 'session-with-roles',
	inputs: { sessionId: 'text' },
	row: sessionRow.extend({ roles: z.array(z.enum(Role)) }),
	text: ($) => `SELECT ${SESSION_COLUMNS}, ARRAY(SELECT g.role::text FROM "RoleGrant" g WHERE g."userId" = u.id) AS roles
		FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = ${$('sessionId')}`,
})

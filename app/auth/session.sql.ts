// The statements of session.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { UserKind, UserStatus } from '#app/db-enums.ts'

/** Every request of a signed-in person starts here: a prepared statement instead of a Prisma query (decision 009).
 * Times as epoch milliseconds: the two drivers do not return timestamps alike. */
export const SESSION_AND_USER = defineSql({
	name: 'session-and-user',
	inputs: { sessionId: 'text' },
	row: z.object({
		userId: z.string(),
		expiresAtMs: z.number(),
		fullName: z.string(),
		kind: z.enum(UserKind),
		status: z.enum(UserStatus),
		locale: z.string(),
	}),
	text: ($) => `SELECT u.id AS "userId", (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresAtMs",
		u."fullName", u.kind::text AS kind, u.status::text AS status, u.locale
		FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = ${$('sessionId')}`,
})

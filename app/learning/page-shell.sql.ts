// The statement of page-shell.server.ts: who is asking, as far as the site's header shows it (decision 027).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'
import { Role, UserKind, UserStatus } from '#app/db-enums.ts'

/** The session's user, their account state and roles; times as epoch milliseconds (see SqlQuery). */
export const SESSION_VIEWER = defineSql({
	name: 'session-viewer',
	inputs: { sessionId: 'text' },
	row: z.object({
		userId: z.string(),
		kind: z.enum(UserKind),
		status: z.enum(UserStatus),
		expiresAtMs: z.number(),
		roles: z.array(z.enum(Role)),
	}),
	text: ($) => `
		SELECT u.id AS "userId", u.kind::text AS kind, u.status::text AS status, (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresAtMs",
			ARRAY(SELECT g.role::text FROM "RoleGrant" g WHERE g."userId" = u.id) AS roles
		FROM "Session" s
		JOIN "User" u ON u.id = s."userId"
		WHERE s.id = ${$('sessionId')}`,
})

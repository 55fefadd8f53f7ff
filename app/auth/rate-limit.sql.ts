// The statements of rate-limit.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

/** Asked before every login and every class join; the window is compared with the database's clock, the one hit() wrote it with. */
export const RATE_LIMIT_PEEK = defineSql({
	name: 'rate-limit-peek',
	inputs: { key: 'text' },
	row: z.object({ count: z.number().int(), secondsLeft: z.number() }),
	text: ($) => `SELECT count, (extract(epoch FROM ("resetAt" - now())))::float8 AS "secondsLeft" FROM "RateLimit" WHERE key = ${$('key')} AND "resetAt" > now()`,
})

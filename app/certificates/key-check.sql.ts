// The statements of key-check.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

/** The distinct signing key ids of the certificates, by a loose index scan (one index probe per key, not per row). */
export const SIGNING_KEY_IDS = defineSql({
	name: 'certificate-signing-key-ids',
	inputs: {},
	row: z.object({ id: z.string() }),
	text: () => `WITH RECURSIVE k(id) AS (
			(SELECT "signingKeyId" FROM "Certificate" WHERE "signingKeyId" IS NOT NULL ORDER BY 1 LIMIT 1)
			UNION ALL
			SELECT (SELECT "signingKeyId" FROM "Certificate" WHERE "signingKeyId" > k.id ORDER BY 1 LIMIT 1) FROM k WHERE k.id IS NOT NULL
		) SELECT id FROM k WHERE id IS NOT NULL`,
})

export const CERTIFICATES_BY_KEY = defineSql({
	name: 'certificate-count-by-key',
	inputs: { keyIds: 'text[]' },
	row: z.object({ id: z.string(), n: z.number().int() }),
	text: ($) => `SELECT "signingKeyId" AS id, count(*)::int AS n FROM "Certificate" WHERE "signingKeyId" = ANY(${$('keyIds')}) GROUP BY 1`,
})

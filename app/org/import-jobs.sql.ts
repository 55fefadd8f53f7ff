// The statements of import-jobs.server.ts (see docs/database.md).
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

/** The stored upload's size in bytes (null while no file is stored), read before it is fetched piece by piece. */
export const IMPORT_FILE_SIZE = defineSql({
	name: 'import-file-size',
	inputs: { jobId: 'text' },
	row: z.object({ size: z.number().int().nullable() }),
	text: ($) => `SELECT length(file) AS size FROM "ImportJob" WHERE id = ${$('jobId')}`,
})

/** One piece of the stored upload, as base64 text: `from` counts from 1, as SQL's substring does. */
export const IMPORT_FILE_PIECE = defineSql({
	name: 'import-file-piece',
	inputs: { jobId: 'text', from: 'int', length: 'int' },
	row: z.object({ data: z.string().nullable() }),
	text: ($) => `SELECT encode(substring(file from ${$('from')} for ${$('length')}), 'base64') AS data FROM "ImportJob" WHERE id = ${$('jobId')}`,
})

// The statements of traces.server.ts: one INSERT on the learner's action (the hot path), and the installation's key
// for hashing network addresses, read once per process.
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

/** One learning action as the signals of proxy completion read it (issue 22); no foreign keys, nothing read back. */
export const INSERT_TRACE = defineSql({
	name: 'integrity-insert-trace',
	inputs: {
		userId: 'text',
		kind: '"TraceKind"',
		at: 'time',
		deviceHash: 'text',
		networkHash: 'text',
		enrollmentId: 'text',
		courseVersionId: 'text',
		lessonSlug: 'text',
		quizAttemptId: 'text',
		seconds: 'int',
		size: 'int',
	},
	text: ($) => `INSERT INTO "LearningTrace" ("userId", kind, at, "deviceHash", "networkHash", "enrollmentId", "courseVersionId", "lessonSlug", "quizAttemptId", seconds, size)
		VALUES (${$('userId')}, ${$('kind')}, ${$('at')}, ${$('deviceHash')}, ${$('networkHash')}, ${$('enrollmentId')}, ${$('courseVersionId')}, ${$('lessonSlug')}, ${$('quizAttemptId')}, ${$('seconds')}, ${$('size')})`,
})

/**
 * The installation's key, made by whichever process asks first: `key` is a fresh random key, kept only when there
 * is none yet. A process that lost the race to insert may see no row in this statement's snapshot; it asks again.
 */
export const INTEGRITY_KEY = defineSql({
	name: 'integrity-key',
	inputs: { key: 'text' },
	row: z.object({ key: z.string() }),
	text: ($) => `WITH made AS (
			INSERT INTO "IntegrityKey" (id, key) VALUES (1, ${$('key')}) ON CONFLICT (id) DO NOTHING RETURNING key
		)
		SELECT key FROM made UNION ALL SELECT key FROM "IntegrityKey" WHERE id = 1 LIMIT 1`,
})

// The SQL of the one completion path (completion.server.ts). Two things live here:
// - the rule for the unit a certificate is issued in, as a fragment that the quiz's one-statement submit embeds;
//   its TypeScript twin is `issuingUnit` in completion.server.ts, and tests/learning/completion.test.ts holds the
//   two equal on generated cases;
// - the write of a completion, whatever its source: complete the enrollment (unless it already is), issue the
//   certificate, audit it and put the completion in the outbox (CompletionEvent, decision 022), as data-modifying
//   CTEs of one statement, so in one transaction and one round trip.
// Inputs are named (defineSql, docs/database.md), and rows checked, as for every named statement.
import { z } from 'zod'
import { defineSql, type SqlInputs, type SqlValues } from '#app/db.server.ts'

/**
 * The unit a certificate is issued in, for the person `user`, the course `course` at the instant `at` (SQL
 * expressions): the oldest current membership that an open assignment of the course covers (made on its unit or one
 * above it, for everyone or for a tag the membership has), else the oldest current membership; equal starts are
 * ordered by membership id. Someone on a government roster and in a chi đoàn thus gets each certificate where the
 * course was required of them (issue 10). A LATERAL subquery of (id, name), no row for someone with no membership.
 */
export function issuingUnitSql(user: string, course: string, at: string) {
	return `LATERAL (
			SELECT o.id, o.name FROM "Membership" ms JOIN "OrgUnit" o ON o.id = ms."orgUnitId"
			WHERE ms."userId" = ${user} AND ms."validFrom" <= ${at} AND (ms."validTo" IS NULL OR ms."validTo" > ${at})
			ORDER BY EXISTS (
				SELECT 1 FROM "Assignment" a
				WHERE a."courseId" = ${course} AND a."orgUnitId" = ANY (string_to_array(trim(BOTH '/' FROM o.path), '/')::int[])
					AND a."createdAt" <= ${at} AND (a."closedAt" IS NULL OR a."closedAt" > ${at})
					AND (a."audienceTag" IS NULL OR a."audienceTag" = ANY (ms.tags))
			) DESC, ms."validFrom", ms.id COLLATE "C"
			LIMIT 1
		)`
}

/** What the write of one completion needs: the enrollment, the signed certificate, its audit event, the outbox row. */
export const COMPLETION_INPUTS = {
	// The id of the enrollment row if there is none yet (in-person and class completions of people who never
	// started online); an existing enrollment keeps its id.
	enrollmentId: 'text',
	userId: 'text',
	courseVersionId: 'text',
	courseSlug: 'text',
	courseVersion: 'int',
	source: '"CompletionSource"',
	at: 'time',
	certificateId: 'text',
	serial: 'text',
	holderName: 'text',
	orgUnitId: 'int',
	orgName: 'text',
	courseTitle: 'text',
	expiresAt: 'time',
	signature: 'text',
	auditId: 'text',
	// When the completion is recorded: the audit log's time. `at` is when it happened (a training's day).
	recordedAt: 'time',
	actorId: 'text',
	action: 'text',
	targetType: 'text',
	ip: 'text',
	details: 'jsonb',
	eventId: 'text',
} as const satisfies SqlInputs

export type CompletionValues = SqlValues<typeof COMPLETION_INPUTS>

/**
 * The CTEs `completed`, `certificate`, `audited` and `outbox` of a completion. `gate` ends the SELECT that feeds the
 * enrollment's upsert (a FROM/WHERE, or '' to complete unconditionally). The upsert changes nothing when the
 * enrollment is already completed, and then nothing else is written: a replay issues no second certificate, audit
 * row or outbox row. Of two concurrent completions the second waits for the first's row lock and then finds it
 * completed.
 */
function completionCtes($: (name: keyof typeof COMPLETION_INPUTS) => string, gate: string) {
	return `completed AS (
			INSERT INTO "Enrollment" AS e (id, "userId", "courseVersionId", status, source, "startedAt", "lastActivityAt", "completedAt")
			SELECT ${$('enrollmentId')}, ${$('userId')}, ${$('courseVersionId')}, 'COMPLETED', ${$('source')}, ${$('at')}, ${$('at')}, ${$('at')}
			${gate}
			ON CONFLICT ("userId", "courseVersionId") DO UPDATE
				SET status = 'COMPLETED', source = EXCLUDED.source, "completedAt" = EXCLUDED."completedAt", "lastActivityAt" = EXCLUDED."lastActivityAt",
					"withdrawnAt" = NULL, "withdrawnReason" = NULL
				WHERE e.status <> 'COMPLETED'
			RETURNING e.id
		), certificate AS (
			INSERT INTO "Certificate" (id, serial, "userId", "courseVersionId", "holderName", "orgUnitId", "orgName", "courseTitle", source, "issuedAt", "expiresAt", signature)
			SELECT ${$('certificateId')}, ${$('serial')}, ${$('userId')}, ${$('courseVersionId')}, ${$('holderName')}, ${$('orgUnitId')}, ${$('orgName')},
				${$('courseTitle')}, ${$('source')}, ${$('at')}, ${$('expiresAt')}, ${$('signature')}
			FROM completed
			RETURNING serial
		), audited AS (
			INSERT INTO "AuditEvent" (id, "actorId", action, "targetType", "targetId", "orgUnitId", ip, at, details)
			SELECT ${$('auditId')}, ${$('actorId')}, ${$('action')}, ${$('targetType')}, serial, ${$('orgUnitId')}, ${$('ip')}, ${$('recordedAt')}, ${$('details')}
			FROM certificate
		), outbox AS (
			INSERT INTO "CompletionEvent" (id, "enrollmentId", "userId", "courseVersionId", "courseSlug", "courseVersion", source, "occurredAt", "certificateSerial")
			SELECT ${$('eventId')}, completed.id, ${$('userId')}, ${$('courseVersionId')}, ${$('courseSlug')}, ${$('courseVersion')}, ${$('source')}, ${$('at')}, certificate.serial
			FROM completed, certificate
		)`
}

/** A completion from any source but the quiz (in person, a class session, later imports and LTI): the new serial,
 * or null when the enrollment was already completed. */
export const COMPLETE = defineSql({
	name: 'completion-complete',
	inputs: COMPLETION_INPUTS,
	row: z.object({ serial: z.string().nullable() }),
	text: ($) => `WITH ${completionCtes($, '')}
		SELECT (SELECT serial FROM certificate) AS serial`,
})

/**
 * The quiz's submit: claim the attempt (only while unsubmitted: of two concurrent submissions the second waits for
 * the first's row lock and then matches nothing), then — only if it was claimed and `completes` says the course is
 * now complete — the completion. One statement: a whole class submits at the same minute (decision 014).
 */
export const QUIZ_SUBMIT = defineSql({
	name: 'completion-quiz-submit',
	inputs: { attemptId: 'text', answers: 'jsonb', score: 'int', passed: 'boolean', completes: 'boolean', ...COMPLETION_INPUTS },
	row: z.object({ claimed: z.number(), serial: z.string().nullable() }),
	text: ($) => `WITH claimed AS (
			UPDATE "QuizAttempt" SET answers = ${$('answers')}, score = ${$('score')}, passed = ${$('passed')}, "submittedAt" = ${$('at')}
			WHERE id = ${$('attemptId')} AND "submittedAt" IS NULL
			RETURNING "enrollmentId"
		), ${completionCtes($, `FROM claimed WHERE ${$('completes')}`)}
		SELECT (SELECT count(*) FROM claimed)::int AS claimed, (SELECT serial FROM certificate) AS serial`,
})

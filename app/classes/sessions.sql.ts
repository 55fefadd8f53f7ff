// The students' side of a class session (sessions.server.ts): a whole class joins, follows and answers at once, so
// each is one prepared statement (decision 009). Times are the database's clock, in UTC as Prisma stores them.
import { z } from 'zod'
import { defineSql } from '#app/db.server.ts'

const UTC_NOW = `(now() AT TIME ZONE 'UTC')`

/** Joins the student to the session with this code if it is open and theirs; joining twice is harmless. */
export const JOIN = defineSql({
	name: 'class-session-join',
	inputs: { code: 'text', userId: 'text', id: 'text' },
	row: z.object({ id: z.string(), closed: z.boolean(), expired: z.boolean(), member: z.boolean() }),
	text: ($) => `WITH e AS (
			SELECT id, "orgUnitId", "closedAt" IS NOT NULL AS closed, ("endsAt" IS NOT NULL AND "endsAt" <= ${UTC_NOW}) AS expired
			FROM "TrainingEvent" WHERE "joinCode" = ${$('code')} AND kind = 'CLASS_SESSION'
		), member AS (
			SELECT 1 FROM "Membership" m JOIN e ON m."orgUnitId" = e."orgUnitId"
			WHERE m."userId" = ${$('userId')} AND m."validFrom" <= ${UTC_NOW} AND (m."validTo" IS NULL OR m."validTo" > ${UTC_NOW}) LIMIT 1
		), ins AS (
			INSERT INTO "ClassSessionJoin" (id, "eventId", "userId", "joinedAt")
			SELECT ${$('id')}, e.id, ${$('userId')}, ${UTC_NOW} FROM e WHERE NOT e.closed AND NOT e.expired AND EXISTS (SELECT 1 FROM member)
			ON CONFLICT ("eventId", "userId") DO NOTHING RETURNING id
		)
		SELECT e.id, e.closed, e.expired, EXISTS (SELECT 1 FROM member) AS member FROM e`,
})

/** What a student sees at /join/<code>: the step on screen and their own answer to it. */
export const VIEW = defineSql({
	name: 'class-session-view',
	inputs: { code: 'text', userId: 'text' },
	row: z.object({
		id: z.string(),
		step: z.number(),
		orgUnitId: z.number(),
		className: z.string(),
		courseSlug: z.string(),
		closed: z.boolean(),
		expired: z.boolean(),
		joined: z.boolean(),
		myChoice: z.number().nullable(),
	}),
	text: ($) => `SELECT e.id, e.step, e."orgUnitId", o.name AS "className", c.slug AS "courseSlug",
			e."closedAt" IS NOT NULL AS closed, ("endsAt" IS NOT NULL AND "endsAt" <= ${UTC_NOW}) AS expired,
			EXISTS (SELECT 1 FROM "ClassSessionJoin" j WHERE j."eventId" = e.id AND j."userId" = ${$('userId')}) AS joined,
			(SELECT a.choice FROM "ClassSessionAnswer" a WHERE a."eventId" = e.id AND a."userId" = ${$('userId')} AND a.step = e.step) AS "myChoice"
		FROM "TrainingEvent" e JOIN "OrgUnit" o ON o.id = e."orgUnitId" JOIN "Course" c ON c.id = e."courseId"
		WHERE e."joinCode" = ${$('code')} AND e.kind = 'CLASS_SESSION'`,
})

/** The first answer to the question on screen, only while it is on screen and the session open. */
export const ANSWER = defineSql({
	name: 'class-session-answer',
	inputs: { eventId: 'text', userId: 'text', id: 'text', step: 'int', choice: 'int', correct: 'boolean' },
	row: z.object({ id: z.string() }),
	text: ($) => `INSERT INTO "ClassSessionAnswer" (id, "eventId", "userId", step, choice, correct, "answeredAt")
		SELECT ${$('id')}, e.id, ${$('userId')}, ${$('step')}, ${$('choice')}, ${$('correct')}, ${UTC_NOW}
		FROM "TrainingEvent" e JOIN "ClassSessionJoin" j ON j."eventId" = e.id AND j."userId" = ${$('userId')}
		WHERE e.id = ${$('eventId')} AND e.step = ${$('step')} AND e."closedAt" IS NULL AND (e."endsAt" IS NULL OR e."endsAt" > ${UTC_NOW})
		ON CONFLICT ("eventId", "userId", step) DO NOTHING RETURNING id`,
})

// Quiz attempts: drawn and stored on the server (a reload shows the same questions), answers saved as the learner
// goes, graded once. Submitting is idempotent: the first submission grades, any replay returns that result.
//
// Starting, showing and submitting an attempt are what a whole department or class does at the same minute, so they
// run as a few prepared statements (sql()) instead of a dozen Prisma queries each: Prisma's per-statement CPU was
// most of a submit's time (decision 014). Grading and the completion decision are computed here in TypeScript; the
// submit's write is the completion path's (completion.server.ts): the claim of the attempt and, when it completes the
// course, the completion of every source, in one statement.
import { randomBytes } from 'node:crypto'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { type Quiz } from '#app/content/schema.ts'
import { newId, sql, SQL_TIME } from '#app/db.server.ts'
import { type Completion, submitQuizAttempt } from './completion.server.ts'
import { issuingUnitSql } from './completion.sql.ts'
import { progressFromDone } from './progress.server.ts'
import { drawAttempt, grade, type Answers, type DrawnAttempt } from './quiz.ts'

export type AttemptRow = {
	id: string
	enrollmentId: string
	questionIds: Array<string>
	choiceOrder: unknown
	answers: unknown
	score: number | null
	passed: boolean | null
	startedAt: Date
	submittedAt: Date | null
	idempotencyKey: string
}

/** An attempt with what its pages need of the enrollment it belongs to. */
export type LearnerAttempt = AttemptRow & { userId: string; courseVersionId: string; passMark: number }

export function asDrawn(row: { questionIds: Array<string>; choiceOrder: unknown }): DrawnAttempt {
	return { questionIds: row.questionIds, choiceOrder: (row.choiceOrder ?? {}) as Record<string, Array<number>> }
}

export function savedAnswers(row: { answers: unknown }): Answers {
	return (row.answers ?? {}) as Answers
}

// Timestamps travel as epoch milliseconds: the two drivers do not return Date the same way (db-adapters.server.ts).
const ATTEMPT_COLUMNS = `a.id, a."enrollmentId", a."questionIds", a."choiceOrder", a.answers, a.score, a.passed,
	(extract(epoch FROM a."startedAt") * 1000)::float8 AS "startedAtMs",
	(extract(epoch FROM a."submittedAt") * 1000)::float8 AS "submittedAtMs", a."idempotencyKey"`

type RawAttempt = Omit<AttemptRow, 'startedAt' | 'submittedAt'> & { startedAtMs: number; submittedAtMs: number | null }

function fromRaw<T extends RawAttempt>({ startedAtMs, submittedAtMs, ...rest }: T) {
	return { ...rest, startedAt: new Date(startedAtMs), submittedAt: submittedAtMs == null ? null : new Date(submittedAtMs) }
}

export type AttemptGate =
	| { allowed: true }
	| { allowed: false; reason: 'lessons-unfinished' }
	| { allowed: false; reason: 'cooldown'; until: Date }

type RecentAttempt = { passed: boolean | null; submittedAt: Date }

/** Lessons first; then at most `maxAttempts` failures in a row before a cool-down. `recent`: submitted, newest first. */
function gate(recent: Array<RecentAttempt>, quiz: Quiz, lessonsDone: boolean, now: Date): AttemptGate {
	if (!lessonsDone) return { allowed: false, reason: 'lessons-unfinished' }
	if (!quiz.maxAttempts || recent.length < quiz.maxAttempts || recent.some((a) => a.passed)) return { allowed: true }
	const until = new Date(recent[0]!.submittedAt.getTime() + (quiz.cooldownMinutes ?? 60) * 60_000)
	return until > now ? { allowed: false, reason: 'cooldown', until } : { allowed: true }
}

const RECENT = {
	name: 'quiz-recent-attempts',
	text: `SELECT a.passed, (extract(epoch FROM a."submittedAt") * 1000)::float8 AS "submittedAtMs"
		FROM "QuizAttempt" a WHERE a."enrollmentId" = $1 AND a."submittedAt" IS NOT NULL
		ORDER BY a."submittedAt" DESC LIMIT $2`,
}

export async function attemptGate(enrollmentId: string, quiz: Quiz, lessonsDone: boolean, now = new Date()): Promise<AttemptGate> {
	if (!lessonsDone || !quiz.maxAttempts) return gate([], quiz, lessonsDone, now)
	const rows = await sql<{ passed: boolean | null; submittedAtMs: number }>(RECENT, [enrollmentId, quiz.maxAttempts])
	return gate(rows.map((r) => ({ passed: r.passed, submittedAt: new Date(r.submittedAtMs) })), quiz, lessonsDone, now)
}

// The learner's latest enrollment in the course (as findEnrollment), its completed lessons, its open attempt and
// its last $3 submitted attempts, in one statement.
const START_CONTEXT = {
	name: 'quiz-start-context',
	text: `SELECT e.id,
			ARRAY(SELECT lp."lessonSlug" FROM "LessonProgress" lp WHERE lp."enrollmentId" = e.id AND lp."completedAt" IS NOT NULL) AS "lessonsDone",
			(SELECT a.id FROM "QuizAttempt" a WHERE a."enrollmentId" = e.id AND a."submittedAt" IS NULL ORDER BY a."startedAt" DESC LIMIT 1) AS "openId",
			COALESCE((SELECT json_agg(json_build_object('passed', r.passed, 'submittedAtMs', r.ms))
				FROM (SELECT a.passed, (extract(epoch FROM a."submittedAt") * 1000)::float8 AS ms FROM "QuizAttempt" a
					WHERE a."enrollmentId" = e.id AND a."submittedAt" IS NOT NULL ORDER BY a."submittedAt" DESC LIMIT $3) r), '[]') AS recent
		FROM "Enrollment" e
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "Course" c ON c.id = v."courseId"
		WHERE e."userId" = $1 AND c.slug = $2
		ORDER BY e."startedAt" DESC LIMIT 1`,
}

const ATTEMPT_BY_ID = { name: 'quiz-attempt-by-id', text: `SELECT ${ATTEMPT_COLUMNS} FROM "QuizAttempt" a WHERE a.id = $1` }

const INSERT_ATTEMPT = {
	name: 'quiz-insert-attempt',
	text: `INSERT INTO "QuizAttempt" AS a (id, "enrollmentId", "questionIds", "choiceOrder", answers, "startedAt", "idempotencyKey")
		VALUES ($1, $2, $3::text[], $4::jsonb, '{}'::jsonb, ${SQL_TIME(5)}, $6)
		RETURNING ${ATTEMPT_COLUMNS}`,
}

type StartContext = { id: string; lessonsDone: Array<string>; openId: string | null; recent: Array<{ passed: boolean | null; submittedAtMs: number }> }

/** The open (unsubmitted) attempt, or a new one when the gate allows it. */
export async function startAttempt(userId: string, slug: string, now = new Date()) {
	const quiz = getQuiz(slug)
	const [enrollment] = quiz ? await sql<StartContext>(START_CONTEXT, [userId, slug, quiz.maxAttempts ?? 0]) : []
	if (!quiz || !enrollment) return { ok: false as const, reason: 'not-enrolled' as const }
	if (enrollment.openId) {
		const [open] = await sql<RawAttempt>(ATTEMPT_BY_ID, [enrollment.openId])
		if (open) return { ok: true as const, attempt: fromRaw(open) }
	}
	const progress = progressFromDone(slug, enrollment.lessonsDone)
	const recent = enrollment.recent.map((r) => ({ passed: r.passed, submittedAt: new Date(r.submittedAtMs) }))
	const verdict = gate(recent, quiz, !!progress && progress.resumeLesson === null, now)
	if (!verdict.allowed) return { ok: false as const, reason: verdict.reason, until: verdict.reason === 'cooldown' ? verdict.until : undefined }
	const drawn = drawAttempt(quiz.bank, quiz.draw)
	const [row] = await sql<RawAttempt>(INSERT_ATTEMPT, [
		newId(now.getTime()),
		enrollment.id,
		drawn.questionIds,
		JSON.stringify(drawn.choiceOrder),
		now.getTime(),
		randomBytes(16).toString('base64url'),
	])
	return { ok: true as const, attempt: fromRaw(row!) }
}

const LEARNER_ATTEMPT = {
	name: 'quiz-learner-attempt',
	text: `SELECT ${ATTEMPT_COLUMNS}, e."userId", e."courseVersionId", v."passMark"
		FROM "QuizAttempt" a
		JOIN "Enrollment" e ON e.id = a."enrollmentId"
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "Course" c ON c.id = v."courseId"
		WHERE a.id = $1 AND e."userId" = $2 AND c.slug = $3`,
}

/** An attempt of this learner in this course, or null (another user's attempt id is simply not found). */
export async function getAttempt(userId: string, slug: string, attemptId: string): Promise<LearnerAttempt | null> {
	const [row] = await sql<RawAttempt & { userId: string; courseVersionId: string; passMark: number }>(LEARNER_ATTEMPT, [attemptId, userId, slug])
	return row ? fromRaw(row) : null
}

const SAVE_ANSWERS = {
	name: 'quiz-save-answers',
	text: `UPDATE "QuizAttempt" SET answers = answers || $2::jsonb WHERE id = $1 AND "submittedAt" IS NULL`,
}

/** Saves answers while the learner works (merged into what was saved before); ignored once submitted. */
export async function saveAnswers(attemptId: string, answers: Answers) {
	await sql(SAVE_ANSWERS, [attemptId, JSON.stringify(answers)])
}

export type SubmitOutcome = { graded: boolean; passed: boolean; completed: boolean; certificateSerial: string | null }

// What grading and a certificate need: the enrollment, its pinned version, completed lessons, and the holder's
// name and the unit the certificate would be issued in at `$2` (the completion rule: issuingUnitSql).
const SUBMIT_CONTEXT = {
	name: 'quiz-submit-context',
	text: `SELECT e.status::text AS status, e."userId", e."courseVersionId", v.version, v.title, v."passMark", v."validityMonths",
			ARRAY(SELECT lp."lessonSlug" FROM "LessonProgress" lp WHERE lp."enrollmentId" = e.id AND lp."completedAt" IS NOT NULL) AS "lessonsDone",
			u."fullName", m.id AS "orgUnitId", m.name AS "orgName"
		FROM "Enrollment" e
		JOIN "CourseVersion" v ON v.id = e."courseVersionId"
		JOIN "User" u ON u.id = e."userId"
		LEFT JOIN ${issuingUnitSql('u.id', 'v."courseId"', SQL_TIME(2))} m ON true
		WHERE e.id = $1`,
}

type SubmitContext = {
	status: string
	userId: string
	courseVersionId: string
	version: number
	title: string
	passMark: number
	validityMonths: number | null
	lessonsDone: Array<string>
	fullName: string
	orgUnitId: number | null
	orgName: string | null
}

// A submission that lost the race (or a replay): the outcome the winner recorded.
const SUBMITTED = {
	name: 'quiz-submitted-outcome',
	text: `SELECT a.passed, e.status::text AS status,
			(SELECT ce.serial FROM "Certificate" ce WHERE ce."userId" = e."userId" AND ce."courseVersionId" = e."courseVersionId" AND ce."revokedAt" IS NULL LIMIT 1) AS serial
		FROM "QuizAttempt" a JOIN "Enrollment" e ON e.id = a."enrollmentId"
		WHERE a.id = $1`,
}

/** Grades the attempt once; passing with every lesson done completes the course and issues its certificate. */
export async function submitAttempt(
	attempt: AttemptRow,
	slug: string,
	answers: Answers,
	userId: string,
	request: Request,
	now = new Date(),
): Promise<SubmitOutcome> {
	const quiz = getQuiz(slug)
	if (!quiz || !getCourse(slug)) throw new Error(`Course ${slug} is not in the content build`)
	const all = { ...savedAnswers(attempt), ...answers }
	const [context] = await sql<SubmitContext>(SUBMIT_CONTEXT, [attempt.enrollmentId, now.getTime()])
	if (!context) throw new Error(`Enrollment ${attempt.enrollmentId} of attempt ${attempt.id} does not exist`)
	const result = grade(quiz.bank, asDrawn(attempt), all, context.passMark)
	const progress = progressFromDone(slug, context.lessonsDone, result.passed)
	const completes = result.passed && !!progress && progress.resumeLesson === null && context.status !== 'COMPLETED'
	const completion: Completion | null = completes
		? {
				userId: context.userId,
				source: 'ONLINE',
				at: now,
				recordedAt: now,
				holder: { fullName: context.fullName, unit: context.orgUnitId == null ? null : { id: context.orgUnitId, name: context.orgName ?? '' } },
				version: { id: context.courseVersionId, slug, version: context.version, title: context.title, validityMonths: context.validityMonths },
				audit: { actorId: userId, request, details: { course: slug, version: context.version, score: result.score } },
			}
		: null
	const written = await submitQuizAttempt({ attemptId: attempt.id, answers: all, score: result.score, passed: result.passed, at: now }, completion)
	if (!written.claimed) {
		const [outcome] = await sql<{ passed: boolean | null; status: string; serial: string | null }>(SUBMITTED, [attempt.id])
		return { graded: false, passed: !!outcome?.passed, completed: outcome?.status === 'COMPLETED', certificateSerial: outcome?.serial ?? null }
	}
	// Not completed by this statement although it should have been: another attempt completed the course first.
	return { graded: true, passed: result.passed, completed: completes || context.status === 'COMPLETED', certificateSerial: written.serial }
}

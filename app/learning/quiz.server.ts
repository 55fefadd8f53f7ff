// Quiz attempts: drawn and stored on the server (a reload shows the same questions), answers saved as the learner
// goes, graded once. Submitting is idempotent: the first submission grades, any replay returns that result.
//
// Starting, showing and submitting an attempt are what a whole department or class does at the same minute, so they
// run as a few prepared statements (quiz.sql.ts) instead of a dozen Prisma queries each: Prisma's per-statement CPU was
// most of a submit's time (decision 014). Grading and the completion decision are computed here in TypeScript; the
// submit's write is the completion path's (completion.server.ts): the claim of the attempt and, when it completes the
// course, the completion of every source, in one statement.
import { randomBytes } from 'node:crypto'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { type Quiz } from '#app/content/schema.ts'
import { newId, runSql } from '#app/db.server.ts'
import { type Completion, submitQuizAttempt } from './completion.server.ts'
import { progressFromDone } from './progress.server.ts'
import { ATTEMPT_BY_ID, INSERT_ATTEMPT, LEARNER_ATTEMPT, RECENT, SAVE_ANSWERS, START_CONTEXT, SUBMIT_CONTEXT, SUBMITTED } from './quiz.sql.ts'
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

export async function attemptGate(enrollmentId: string, quiz: Quiz, lessonsDone: boolean, now = new Date()): Promise<AttemptGate> {
	if (!lessonsDone || !quiz.maxAttempts) return gate([], quiz, lessonsDone, now)
	const rows = await runSql(RECENT, { enrollmentId, limit: quiz.maxAttempts })
	return gate(rows.map((r) => ({ passed: r.passed, submittedAt: new Date(r.submittedAtMs) })), quiz, lessonsDone, now)
}

/** The open (unsubmitted) attempt, or a new one when the gate allows it. */
export async function startAttempt(userId: string, slug: string, now = new Date()) {
	const quiz = getQuiz(slug)
	const [enrollment] = quiz ? await runSql(START_CONTEXT, { userId, slug, recent: quiz.maxAttempts ?? 0 }) : []
	if (!quiz || !enrollment) return { ok: false as const, reason: 'not-enrolled' as const }
	if (enrollment.openId) {
		const [open] = await runSql(ATTEMPT_BY_ID, { attemptId: enrollment.openId })
		if (open) return { ok: true as const, attempt: fromRaw(open) }
	}
	const progress = progressFromDone(slug, enrollment.lessonsDone)
	const recent = enrollment.recent.map((r) => ({ passed: r.passed, submittedAt: new Date(r.submittedAtMs) }))
	const verdict = gate(recent, quiz, !!progress && progress.resumeLesson === null, now)
	if (!verdict.allowed) return { ok: false as const, reason: verdict.reason, until: verdict.reason === 'cooldown' ? verdict.until : undefined }
	const drawn = drawAttempt(quiz.bank, quiz.draw)
	const [row] = await runSql(INSERT_ATTEMPT, {
		id: newId(now.getTime()),
		enrollmentId: enrollment.id,
		questionIds: drawn.questionIds,
		choiceOrder: drawn.choiceOrder,
		startedAt: now,
		idempotencyKey: randomBytes(16).toString('base64url'),
	})
	return { ok: true as const, attempt: fromRaw(row!) }
}

/** An attempt of this learner in this course, or null (another user's attempt id is simply not found). */
export async function getAttempt(userId: string, slug: string, attemptId: string): Promise<LearnerAttempt | null> {
	const [row] = await runSql(LEARNER_ATTEMPT, { attemptId, userId, slug })
	return row ? fromRaw(row) : null
}

/** Saves answers while the learner works (merged into what was saved before); ignored once submitted. */
export async function saveAnswers(attemptId: string, answers: Answers) {
	await runSql(SAVE_ANSWERS, { attemptId, answers })
}

export type SubmitOutcome = { graded: boolean; passed: boolean; completed: boolean; certificateSerial: string | null }

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
	const [context] = await runSql(SUBMIT_CONTEXT, { enrollmentId: attempt.enrollmentId, at: now })
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
		const [outcome] = await runSql(SUBMITTED, { attemptId: attempt.id })
		return { graded: false, passed: !!outcome?.passed, completed: outcome?.status === 'COMPLETED', certificateSerial: outcome?.serial ?? null }
	}
	// Not completed by this statement although it should have been: another attempt completed the course first.
	return { graded: true, passed: result.passed, completed: completes || context.status === 'COMPLETED', certificateSerial: written.serial }
}

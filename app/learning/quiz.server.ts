// Quiz attempts: drawn and stored on the server (a reload shows the same questions), answers saved as the learner
// goes, graded once. Submitting is idempotent: the first submission grades, any replay returns that result.
//
// Starting, showing and submitting an attempt are what a whole department or class does at the same minute, so they
// run as a few prepared statements (quiz.sql.ts) instead of a dozen Prisma queries each: Prisma's per-statement CPU was
// most of a submit's time (decision 014). Grading and the completion decision are computed here in TypeScript; the
// submit's write is the completion path's (completion.server.ts): the claim of the attempt and, when it completes the
// course, the completion of every source, in one statement.
import { randomBytes } from 'node:crypto'
import { verifyPassword } from '#app/auth/password.server.ts'
import { LOGIN_LIMITS, reset, take } from '#app/auth/rate-limit.server.ts'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { type Quiz } from '#app/content/schema.ts'
import { db, newId, runSql } from '#app/db.server.ts'
import { type Completion, submitQuizAttempt } from './completion.server.ts'
import { progressFromDone } from './progress.server.ts'
import { ATTEMPT_BY_ID, ATTEMPT_TO_SUBMIT, INSERT_ATTEMPT, LEARNER_ATTEMPT, RECENT, SAVE_ANSWERS, START_CONTEXT, SUBMIT_CONTEXT, SUBMITTED, type SubmitContext } from './quiz.sql.ts'
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

/** An attempt with what its pages need of the enrollment it belongs to; `voided`: a pass withdrawn after review. */
export type LearnerAttempt = AttemptRow & { userId: string; courseVersionId: string; passMark: number; voided: boolean }

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

/** Whether the lessons let the quiz open: all done, or the course lets it open before them (safeguards.quizAfterAllLessons). */
export function lessonsAllowQuiz(slug: string, lessonsDone: boolean) {
	return lessonsDone || getCourse(slug)?.meta.safeguards.quizAfterAllLessons === false
}

/** `lessonsDone`: whether the lessons let the quiz open (lessonsAllowQuiz). */
export async function attemptGate(enrollmentId: string, quiz: Quiz, lessonsDone: boolean, now = new Date()): Promise<AttemptGate> {
	if (!lessonsDone || !quiz.maxAttempts) return gate([], quiz, lessonsDone, now)
	const rows = await runSql(RECENT, { enrollmentId, limit: quiz.maxAttempts })
	return gate(rows.map((r) => ({ passed: r.passed, submittedAt: new Date(r.submittedAtMs) })), quiz, lessonsDone, now)
}

/** The moments a new attempt records: the commitment ticked, the password re-entered (issue 22). */
export type AttemptPledge = { committedAt?: Date | null; reauthAt?: Date | null }

/**
 * The open (unsubmitted) attempt, or a new one when the gate allows it. The learner's way in is beginGradedAttempt,
 * which asks the commitment and, where the course wants it, the password first.
 */
export async function startAttempt(userId: string, slug: string, now = new Date(), pledge: AttemptPledge = {}) {
	const quiz = getQuiz(slug)
	const [enrollment] = quiz ? await runSql(START_CONTEXT, { userId, slug, recent: quiz.maxAttempts ?? 0 }) : []
	if (!quiz || !enrollment) return { ok: false as const, reason: 'not-enrolled' as const }
	if (enrollment.openId) {
		const [open] = await runSql(ATTEMPT_BY_ID, { attemptId: enrollment.openId })
		if (open) return { ok: true as const, attempt: fromRaw(open) }
	}
	const progress = progressFromDone(slug, enrollment.lessonsDone)
	const recent = enrollment.recent.map((r) => ({ passed: r.passed, submittedAt: new Date(r.submittedAtMs) }))
	const verdict = gate(recent, quiz, lessonsAllowQuiz(slug, !!progress && progress.resumeLesson === null), now)
	if (!verdict.allowed) return { ok: false as const, reason: verdict.reason, until: verdict.reason === 'cooldown' ? verdict.until : undefined }
	const drawn = drawAttempt(quiz.bank, quiz.draw)
	const [row] = await runSql(INSERT_ATTEMPT, {
		id: newId(now.getTime()),
		enrollmentId: enrollment.id,
		questionIds: drawn.questionIds,
		choiceOrder: drawn.choiceOrder,
		startedAt: now,
		idempotencyKey: randomBytes(16).toString('base64url'),
		committedAt: pledge.committedAt ?? null,
		reauthAt: pledge.reauthAt ?? null,
	})
	return { ok: true as const, attempt: fromRaw(row!) }
}

/** Whether starting an attempt of this course asks this learner's password again (accounts without one are exempt). */
export async function reauthRequired(userId: string, slug: string) {
	if (!getCourse(slug)?.meta.safeguards.reauthBeforeQuiz) return false
	return (await db.password.count({ where: { userId } })) > 0
}

export type ReauthCheck = { status: 'confirmed' | 'exempt' | 'invalid' | 'missing' } | { status: 'rate-limited'; retryAfterSeconds: number }

/**
 * The learner's password typed again. A wrong one counts against the same per-account limit as the login page (the
 * key login.server.ts gives an account it found: `user:<id>`), so the quiz is no way around it; a right one clears
 * the count, as a login does. Accounts without a password (pupils with a PIN) are exempt.
 */
async function confirmPassword(userId: string, password: string | undefined): Promise<ReauthCheck> {
	const record = await db.password.findUnique({ where: { userId }, select: { hash: true } })
	if (!record) return { status: 'exempt' }
	if (!password) return { status: 'missing' }
	const limit = LOGIN_LIMITS.perAccount(`user:${userId}`)
	const slot = await take(limit)
	if (!slot.allowed) return { status: 'rate-limited', retryAfterSeconds: slot.retryAfterSeconds }
	if (!(await verifyPassword(record.hash, password))) return slot.blocked ? { status: 'rate-limited', retryAfterSeconds: slot.retryAfterSeconds } : { status: 'invalid' }
	await reset(limit.key)
	return { status: 'confirmed' }
}

/**
 * A learner starting a graded attempt from the quiz page: the commitment "Tôi cam kết tự mình học và làm bài" must be
 * ticked, and a course with `safeguards.reauthBeforeQuiz` asks the password again; both moments are stored with the
 * attempt. An open attempt is returned as it is (it was pledged when it began).
 */
export async function beginGradedAttempt(input: { userId: string; slug: string; committed: boolean; password?: string }, now = new Date()) {
	if (!input.committed) return { ok: false as const, reason: 'not-committed' as const }
	let reauthAt: Date | null = null
	if (getCourse(input.slug)?.meta.safeguards.reauthBeforeQuiz) {
		const check = await confirmPassword(input.userId, input.password)
		if (check.status === 'rate-limited') return { ok: false as const, reason: 'reauth-rate-limited' as const, retryAfterSeconds: check.retryAfterSeconds }
		if (check.status === 'invalid' || check.status === 'missing') return { ok: false as const, reason: `reauth-${check.status}` as const }
		if (check.status === 'confirmed') reauthAt = now
	}
	return startAttempt(input.userId, input.slug, now, { committedAt: now, reauthAt })
}

/** An attempt of this learner in this course, or null (another user's attempt id is simply not found). */
export async function getAttempt(userId: string, slug: string, attemptId: string): Promise<LearnerAttempt | null> {
	const [row] = await runSql(LEARNER_ATTEMPT, { attemptId, userId, slug })
	return row ? fromRaw(row) : null
}

/** getAttempt, with what submitting it needs read in the same statement (the quiz page's submit). */
export async function getAttemptToSubmit(userId: string, slug: string, attemptId: string, now = new Date()): Promise<(LearnerAttempt & { context: SubmitContext }) | null> {
	const [row] = await runSql(ATTEMPT_TO_SUBMIT, { attemptId, userId, slug, at: now })
	if (!row) return null
	const { status, version, title, validityMonths, lessonsDone, fullName, orgUnitId, orgName, ...attempt } = row
	const context = { status, userId: row.userId, courseVersionId: row.courseVersionId, version, title, passMark: row.passMark, validityMonths, lessonsDone, fullName, orgUnitId, orgName }
	return { ...fromRaw(attempt), context }
}

/** Saves answers while the learner works (merged into what was saved before); ignored once submitted. */
export async function saveAnswers(attemptId: string, answers: Answers) {
	await runSql(SAVE_ANSWERS, { attemptId, answers })
}

export type SubmitOutcome = { graded: boolean; passed: boolean; completed: boolean; certificateSerial: string | null }

/**
 * Grades the attempt once; passing with every lesson done completes the course and issues its certificate. An attempt
 * from getAttemptToSubmit brings its enrollment's context; otherwise it is read here.
 */
export async function submitAttempt(
	attempt: AttemptRow & { context?: SubmitContext },
	slug: string,
	answers: Answers,
	userId: string,
	request: Request,
	now = new Date(),
): Promise<SubmitOutcome> {
	const quiz = getQuiz(slug)
	if (!quiz || !getCourse(slug)) throw new Error(`Course ${slug} is not in the content build`)
	const all = { ...savedAnswers(attempt), ...answers }
	const [context] = attempt.context ? [attempt.context] : await runSql(SUBMIT_CONTEXT, { enrollmentId: attempt.enrollmentId, at: now })
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

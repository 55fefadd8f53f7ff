// Quiz attempts: drawn and stored on the server (a reload shows the same questions), answers saved as the learner
// goes, graded once. Submitting is idempotent: the first submission grades, any replay returns that result.
import { randomBytes } from 'node:crypto'
import { audit } from '#app/auth/audit.server.ts'
import { issueCertificate } from '#app/certificates/issue.server.ts'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { type Quiz } from '#app/content/schema.ts'
import { db, type Prisma } from '#app/db.server.ts'
import { describeProgress, findEnrollment } from './progress.server.ts'
import { drawAttempt, grade, type Answers, type DrawnAttempt } from './quiz.ts'

type AttemptRow = { id: string; questionIds: Array<string>; choiceOrder: Prisma.JsonValue; answers: Prisma.JsonValue }

export function asDrawn(row: AttemptRow): DrawnAttempt {
	return { questionIds: row.questionIds, choiceOrder: (row.choiceOrder ?? {}) as Record<string, Array<number>> }
}

export function savedAnswers(row: AttemptRow): Answers {
	return (row.answers ?? {}) as Answers
}

export type AttemptGate =
	| { allowed: true }
	| { allowed: false; reason: 'lessons-unfinished' }
	| { allowed: false; reason: 'cooldown'; until: Date }

/** Lessons first; then at most `maxAttempts` failures in a row before a cool-down. */
export async function attemptGate(enrollmentId: string, quiz: Quiz, lessonsDone: boolean, now = new Date()): Promise<AttemptGate> {
	if (!lessonsDone) return { allowed: false, reason: 'lessons-unfinished' }
	if (!quiz.maxAttempts) return { allowed: true }
	const recent = await db.quizAttempt.findMany({
		where: { enrollmentId, submittedAt: { not: null } },
		orderBy: { submittedAt: 'desc' },
		take: quiz.maxAttempts,
		select: { passed: true, submittedAt: true },
	})
	if (recent.length < quiz.maxAttempts || recent.some((a) => a.passed)) return { allowed: true }
	const until = new Date(recent[0]!.submittedAt!.getTime() + (quiz.cooldownMinutes ?? 60) * 60_000)
	return until > now ? { allowed: false, reason: 'cooldown', until } : { allowed: true }
}

/** The open (unsubmitted) attempt, or a new one when the gate allows it. */
export async function startAttempt(userId: string, slug: string) {
	const quiz = getQuiz(slug)
	const enrollment = await findEnrollment(userId, slug)
	if (!quiz || !enrollment) return { ok: false as const, reason: 'not-enrolled' as const }
	const open = await db.quizAttempt.findFirst({ where: { enrollmentId: enrollment.id, submittedAt: null }, orderBy: { startedAt: 'desc' } })
	if (open) return { ok: true as const, attempt: open }
	const progress = describeProgress(slug, enrollment)
	const gate = await attemptGate(enrollment.id, quiz, !!progress && progress.resumeLesson === null)
	if (!gate.allowed) return { ok: false as const, reason: gate.reason, until: gate.reason === 'cooldown' ? gate.until : undefined }
	const drawn = drawAttempt(quiz.bank, quiz.draw)
	const attempt = await db.quizAttempt.create({
		data: {
			enrollmentId: enrollment.id,
			questionIds: drawn.questionIds,
			choiceOrder: drawn.choiceOrder,
			idempotencyKey: randomBytes(16).toString('base64url'),
		},
	})
	return { ok: true as const, attempt }
}

/** An attempt of this learner in this course, or null (another user's attempt id is simply not found). */
export async function getAttempt(userId: string, slug: string, attemptId: string) {
	const attempt = await db.quizAttempt.findUnique({
		where: { id: attemptId },
		include: { enrollment: { include: { courseVersion: { include: { course: true } } } } },
	})
	if (!attempt || attempt.enrollment.userId !== userId || attempt.enrollment.courseVersion.course.slug !== slug) return null
	return attempt
}

/** Saves answers while the learner works (merged into what was saved before); ignored once submitted. */
export async function saveAnswers(attemptId: string, answers: Answers) {
	await db.$transaction(async (tx) => {
		const row = await tx.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } })
		if (row.submittedAt) return
		await tx.quizAttempt.updateMany({
			where: { id: attemptId, submittedAt: null },
			data: { answers: { ...savedAnswers(row), ...answers } },
		})
	})
}

export type SubmitOutcome = { graded: boolean; passed: boolean; completed: boolean; certificateSerial: string | null }

/**
 * Grades the attempt once. A conditional update decides which of two concurrent submissions (double click,
 * resubmit after a dropped connection) grades; the other just reads the result.
 */
export async function submitAttempt(
	attempt: AttemptRow & { enrollmentId: string },
	slug: string,
	answers: Answers,
	userId: string,
	request: Request,
): Promise<SubmitOutcome> {
	const quiz = getQuiz(slug)
	const course = getCourse(slug)
	if (!quiz || !course) throw new Error(`Course ${slug} is not in the content build`)
	const all = { ...savedAnswers(attempt), ...answers }
	return db.$transaction(async (tx) => {
		const enrollment = await tx.enrollment.findUniqueOrThrow({
			where: { id: attempt.enrollmentId },
			include: { courseVersion: true, lessons: true },
		})
		const result = grade(quiz.bank, asDrawn(attempt), all, enrollment.courseVersion.passMark)
		const now = new Date()
		const claimed = await tx.quizAttempt.updateMany({
			where: { id: attempt.id, submittedAt: null },
			data: { answers: all, score: result.score, passed: result.passed, submittedAt: now },
		})
		if (claimed.count === 0) {
			// Another request graded it. Read its outcome afresh: on PostgreSQL (read committed) the enrollment read
			// above may predate that request's commit.
			const done = await tx.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })
			const current = await tx.enrollment.findUniqueOrThrow({ where: { id: attempt.enrollmentId }, select: { status: true } })
			const cert = await tx.certificate.findFirst({ where: { userId, courseVersionId: enrollment.courseVersionId, revokedAt: null } })
			return { graded: false, passed: !!done.passed, completed: current.status === 'COMPLETED', certificateSerial: cert?.serial ?? null }
		}
		const progress = describeProgress(slug, enrollment, result.passed)
		if (!result.passed || !progress || progress.resumeLesson !== null || enrollment.status === 'COMPLETED') {
			return { graded: true, passed: result.passed, completed: enrollment.status === 'COMPLETED', certificateSerial: null }
		}
		await tx.enrollment.update({ where: { id: enrollment.id }, data: { status: 'COMPLETED', completedAt: now, lastActivityAt: now } })
		const certificate = await issueCertificate(tx, { userId, courseVersionId: enrollment.courseVersionId, source: 'ONLINE', at: now })
		await audit(
			{
				actorId: userId,
				action: 'certificate.issue',
				targetType: 'Certificate',
				targetId: certificate.serial,
				request,
				details: { course: slug, version: enrollment.courseVersion.version, score: result.score },
			},
			tx,
		)
		return { graded: true, passed: true, completed: true, certificateSerial: certificate.serial }
	})
}

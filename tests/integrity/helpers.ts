// Completions with their traces, written straight into the tables the scan reads (the capture side writes the same
// rows in the requests; here every time, device and answer is chosen).
import { db } from '#app/db.server.ts'
import { createCourse } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'

let counter = 0
const next = () => ++counter

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
/** Monday 2 November 2026, 09:00 in Vietnam. */
export const MONDAY_9 = new Date('2026-11-02T02:00:00Z')
export const at = (base: Date, ms: number) => new Date(base.getTime() + ms)

export const QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']
/** The answer key of every course made here: q1 → 0, q2 → 1, q3 → 2, q4 → 3, q5 → 0, … */
export const KEY: Record<string, number> = Object.fromEntries(QUESTIONS.map((q, i) => [q, i % 4]))
export const keysFor = (...slugs: Array<string>) => Object.fromEntries(slugs.map((s) => [s, KEY]))
export const allCorrect = (questions = QUESTIONS) => Object.fromEntries(questions.map((q) => [q, KEY[q]!]))

export async function setting() {
	const province = await createUnit(`Tỉnh ${next()}`)
	const course = await createCourse(`khoa-tin-${next()}`)
	return { province, course, version: course.versions[0]! }
}

export type Completion = {
	unit: { id: number }
	version: { id: string }
	at: Date
	user?: { id: string }
	device?: string | null
	network?: string | null
	/** When the person logged in before (on `device`); null: no login trace. Default an hour before. */
	loginAt?: Date | null
	lessons?: number
	words?: number
	/** Seconds per lesson; default the full reading time at 200 words a minute. */
	lessonSeconds?: number
	quizSeconds?: number
	questions?: Array<string>
	answers?: Record<string, number>
}

/** One ONLINE completion with its certificate (in `unit`), passed attempt and traces. */
export async function complete(c: Completion) {
	const user = c.user ?? (await createUser({ unitId: c.unit.id, password: null }))
	const words = c.words ?? 600
	const lessons = c.lessons ?? 4
	const lessonSeconds = c.lessonSeconds ?? Math.round((words / 200) * 60)
	const questions = c.questions ?? QUESTIONS
	const answers = c.answers ?? allCorrect(questions)
	const quizSeconds = c.quizSeconds ?? questions.length * 30
	const device = c.device === undefined ? `may-rieng-${user.id}` : c.device
	const network = c.network === undefined ? `nha-${user.id}` : c.network
	const enrollment = await db.enrollment.create({
		data: { userId: user.id, courseVersionId: c.version.id, status: 'COMPLETED', source: 'ONLINE', startedAt: at(c.at, -DAY), lastActivityAt: c.at, completedAt: c.at },
	})
	const version = await db.courseVersion.findUniqueOrThrow({ where: { id: c.version.id } })
	await db.certificate.create({
		data: {
			serial: `TIN-${next()}`,
			userId: user.id,
			courseVersionId: c.version.id,
			holderName: 'Người học',
			orgUnitId: c.unit.id,
			orgName: 'Đơn vị',
			courseTitle: version.title,
			issuedAt: c.at,
		},
	})
	const attempt = await db.quizAttempt.create({
		data: {
			enrollmentId: enrollment.id,
			questionIds: questions,
			choiceOrder: Object.fromEntries(questions.map((q) => [q, [3, 2, 1, 0]])),
			answers,
			score: 100,
			passed: true,
			startedAt: at(c.at, -quizSeconds * 1000),
			submittedAt: c.at,
			idempotencyKey: `k-${next()}`,
		},
	})
	const base = { userId: user.id, deviceHash: device, networkHash: network }
	if (c.loginAt !== null) await db.learningTrace.create({ data: { ...base, kind: 'LOGIN', at: c.loginAt ?? at(c.at, -HOUR) } })
	for (let i = 0; i < lessons; i++) {
		await db.learningTrace.create({
			data: {
				...base,
				kind: 'LESSON_DONE',
				at: at(c.at, -(lessons - i) * 60_000 - quizSeconds * 1000),
				enrollmentId: enrollment.id,
				courseVersionId: c.version.id,
				lessonSlug: `bai-${i + 1}`,
				seconds: lessonSeconds,
				size: words,
			},
		})
	}
	await db.learningTrace.create({
		data: { ...base, kind: 'QUIZ_SUBMIT', at: c.at, enrollmentId: enrollment.id, courseVersionId: c.version.id, quizAttemptId: attempt.id, seconds: quizSeconds, size: questions.length },
	})
	return { user, enrollment, attempt }
}

export type Done = Awaited<ReturnType<typeof complete>>

// The learner's side of issue 22: the commitment before a graded attempt, the course's safeguards (minimum time per
// lesson, the quiz before the lessons, the password again), and a withdrawn completion (voided passes count nowhere;
// the learner is told why). Through the routes where the learner meets them, on the fixture course 'mau' built with
// safeguards of its own.
import { beforeAll, expect, test } from 'vitest'
import { authenticate } from '#app/auth/login.server.ts'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { getMyCourses } from '#app/learning/my-courses.server.ts'
import { completeLesson, describeProgress, finishLesson, quizPassed, startEnrollment } from '#app/learning/progress.server.ts'
import { beginGradedAttempt, startAttempt, submitAttempt } from '#app/learning/quiz.server.ts'
import { answerIndex } from '#app/learning/quiz.ts'
import { loader as courseLoader } from '#app/routes/courses.$courseSlug._index.tsx'
import { action as lessonAction } from '#app/routes/courses.$courseSlug.lessons.$lessonSlug.tsx'
import { action as startAction, loader as startLoader } from '#app/routes/courses.$courseSlug.quiz._index.tsx'
import { createUnit, createUser, requestAs, TEST_PASSWORD } from '#tests/factories/org.ts'
import { courseBuilds, courseYaml, rewrite } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
const courses = courseBuilds('vms-safeguards-')

beforeAll(async () => {
	// Both fixture lessons are estimated at 5 minutes; one minute is well within them.
	await courses.build('guarded', {
		edit: (source) => rewrite(courseYaml(source, 'mau'), (text) => `${text}safeguards:\n  minSecondsPerLesson: 60\n  reauthBeforeQuiz: true\n`),
	})
	await courses.build('quiz-first', {
		edit: (source) => rewrite(courseYaml(source, 'mau'), (text) => `${text}safeguards:\n  quizAfterAllLessons: false\n`),
	})
	await courses.build('plain')
})

const form = (fields: Record<string, string>) => ({
	method: 'POST',
	body: new URLSearchParams(fields),
	headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
})

async function postLesson(userId: string, lessonSlug: string) {
	const url = `http://localhost/courses/mau/lessons/${lessonSlug}`
	return lessonAction({ request: await requestAs(userId, url, form({})), params: { courseSlug: 'mau', lessonSlug }, context: {} })
}

async function postStart(userId: string, fields: Record<string, string>) {
	const url = 'http://localhost/courses/mau/quiz'
	return startAction({ request: await requestAs(userId, url, form(fields)), params: { courseSlug: 'mau' }, context: {} })
}

/** A learner with every lesson done (the clock moved back past the minimum: the tests do not wait a minute). */
async function readyLearner(options: { password?: string | null } = {}) {
	const unit = await createUnit('Sở Thử')
	const user = await createUser({ unitId: unit.id, password: options.password === undefined ? TEST_PASSWORD : options.password })
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	const past = new Date(Date.now() - 10 * 60_000)
	for (const lesson of getCourse('mau')!.lessons) await completeLesson(enrollment.id, lesson.slug, past)
	return { user, enrollment }
}

function rightAnswers(attempt: { questionIds: Array<string> }) {
	const bank = getQuiz('mau')!.bank
	return Object.fromEntries(attempt.questionIds.map((id) => [id, answerIndex(bank.find((q) => q.id === id)!)]))
}
const wrongAnswers = (attempt: { questionIds: Array<string> }) =>
	Object.fromEntries(Object.entries(rightAnswers(attempt)).map(([id, a]) => [id, (a + 1) % 4]))

test('"Hoàn thành bài học" before the minimum is refused with the time left and records nothing; after it, the lesson is done', async () => {
	courses.use('guarded')
	const user = await createUser()
	const refused = (await postLesson(user.id, 'bai-mot')) as Response
	expect(refused.status).toBe(409)
	expect(await refused.json()).toEqual({ error: 'Bạn mở bài học này chưa đủ lâu nên bài chưa được đánh dấu hoàn thành. Hãy đọc tiếp: còn 1 phút nữa.' })
	const progress = await db.lessonProgress.findFirstOrThrow({ where: { lessonSlug: 'bai-mot', enrollment: { userId: user.id } } })
	// The clock started (the lesson was posted without having been opened), nothing else.
	expect(progress).toMatchObject({ completedAt: null, secondsSpent: 0 })
	expect(await db.learningTrace.count({ where: { userId: user.id } })).toBe(0)

	// 35 seconds later: 25 left, said in seconds.
	await db.lessonProgress.update({ where: { id: progress.id }, data: { startedAt: new Date(Date.now() - 35_000) } })
	const again = (await postLesson(user.id, 'bai-mot')) as Response
	expect((await again.json()).error).toMatch(/còn 2[456] giây nữa\.$/)

	await db.lessonProgress.update({ where: { id: progress.id }, data: { startedAt: new Date(Date.now() - 95_000) } })
	const done = (await postLesson(user.id, 'bai-mot')) as Response
	expect(done.status).toBe(302)
	expect(done.headers.get('Location')).toBe('/courses/mau/lessons/bai-hai')
	const after = await db.lessonProgress.findUniqueOrThrow({ where: { id: progress.id } })
	expect(after.completedAt).not.toBeNull()
	expect(after.secondsSpent).toBeGreaterThanOrEqual(95)
})

test('the time left is exact at the second, and a course without a minimum marks at once', async () => {
	courses.use('guarded')
	const user = await createUser()
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	const opened = new Date('2026-12-01T08:00:00Z')
	// Opened (the clock starts) at `opened`.
	expect(await completeLesson(enrollment.id, 'bai-mot', opened, 60)).toEqual({ done: false, remainingSeconds: 60 })
	expect(await finishLesson(enrollment, 'mau', 'bai-mot', undefined, new Date(opened.getTime() + 59_001))).toEqual({ done: false, remainingSeconds: 1 })
	expect(await finishLesson(enrollment, 'mau', 'bai-mot', undefined, new Date(opened.getTime() + 60_000))).toEqual({ done: true, first: true, seconds: 60 })
	expect(await finishLesson(enrollment, 'mau', 'bai-mot', undefined, new Date(opened.getTime() + 90_000))).toEqual({ done: true, first: false, seconds: 60 })

	courses.use('plain')
	const other = await createUser()
	const theirs = (await startEnrollment(other.id, 'mau'))!
	expect(await finishLesson(theirs, 'mau', 'bai-mot')).toMatchObject({ done: true, first: true })
})

test('a graded attempt starts only with the commitment ticked, and stores when it was', async () => {
	courses.use('plain')
	const { user, enrollment } = await readyLearner()
	const page = await (await startLoader({ request: await requestAs(user.id, 'http://localhost/courses/mau/quiz'), params: { courseSlug: 'mau' }, context: {} })).json()
	expect(page.reauth).toBe(false)

	const refused = (await postStart(user.id, {})) as Response
	expect(refused.status).toBe(400)
	expect(await refused.json()).toEqual({ error: 'Hãy đánh dấu ô «Tôi cam kết tự mình học và làm bài» trước khi bắt đầu làm bài.' })
	expect(await db.quizAttempt.count({ where: { enrollmentId: enrollment.id } })).toBe(0)
	// A value other than the checkbox's is not a tick, and is answered as a missing one (not as a wrong password).
	const forged = (await postStart(user.id, { committed: 'yes' })) as Response
	expect(forged.status).toBe(400)
	expect(await forged.json()).toEqual({ error: 'Hãy đánh dấu ô «Tôi cam kết tự mình học và làm bài» trước khi bắt đầu làm bài.' })
	const overlong = (await postStart(user.id, { committed: 'on', password: 'x'.repeat(201) })) as Response
	expect(overlong.status).toBe(400)
	expect(await overlong.json()).toEqual({ error: 'Mật khẩu không đúng. Hãy nhập mật khẩu bạn dùng để đăng nhập.' })

	const before = Date.now()
	const started = (await postStart(user.id, { committed: 'on' })) as Response
	expect(started.status).toBe(302)
	const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollmentId: enrollment.id } })
	expect(started.headers.get('Location')).toBe(`/courses/mau/quiz/${attempt.id}`)
	expect(attempt.committedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)
	expect(attempt.reauthAt).toBeNull()
})

test('a course asking for the password: missing or wrong is refused (and counted by the login limit), right is stored', async () => {
	courses.use('guarded')
	const { user, enrollment } = await readyLearner()
	const page = await (await startLoader({ request: await requestAs(user.id, 'http://localhost/courses/mau/quiz'), params: { courseSlug: 'mau' }, context: {} })).json()
	expect(page.reauth).toBe(true)

	const missing = (await postStart(user.id, { committed: 'on' })) as Response
	expect(missing.status).toBe(400)
	expect((await missing.json()).error).toBe('Khoá học này yêu cầu nhập lại mật khẩu trước mỗi lần làm bài kiểm tra. Hãy nhập mật khẩu của bạn.')
	const wrong = (await postStart(user.id, { committed: 'on', password: 'sai-mat-khau' })) as Response
	expect(wrong.status).toBe(401)
	expect((await wrong.json()).error).toBe('Mật khẩu không đúng. Hãy nhập mật khẩu bạn dùng để đăng nhập.')
	expect(await db.quizAttempt.count({ where: { enrollmentId: enrollment.id } })).toBe(0)
	// The same counter as the login page's for this account.
	expect(await db.rateLimit.findUnique({ where: { key: `login:acct:user:${user.id}` } })).toMatchObject({ count: 1 })

	const right = (await postStart(user.id, { committed: 'on', password: TEST_PASSWORD })) as Response
	expect(right.status).toBe(302)
	const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollmentId: enrollment.id } })
	expect(attempt.committedAt).not.toBeNull()
	expect(attempt.reauthAt).not.toBeNull()
	// A right password clears the count, as a login does.
	expect(await db.rateLimit.findUnique({ where: { key: `login:acct:user:${user.id}` } })).toBeNull()
})

test('wrong passwords at the quiz lock the login too: the quiz is no way around the limit', async () => {
	courses.use('guarded')
	const { user } = await readyLearner()
	for (let i = 0; i < 4; i++) expect(((await postStart(user.id, { committed: 'on', password: `sai-${i}` })) as Response).status).toBe(401)
	// The fifth wrong one uses the last slot: from now on the account is locked, at the quiz and at the login.
	const fifth = (await postStart(user.id, { committed: 'on', password: 'sai-4' })) as Response
	expect(fifth.status).toBe(429)
	expect((await fifth.json()).error).toMatch(/^Bạn đã nhập sai quá nhiều lần\. Vui lòng thử lại sau \d+ phút\.$/)
	const login = await authenticate(await requestAs(null, 'http://localhost/login'), user.username!, TEST_PASSWORD)
	expect(login).toMatchObject({ ok: false, reason: 'rate-limited' })
	expect(((await postStart(user.id, { committed: 'on', password: TEST_PASSWORD })) as Response).status).toBe(429)
})

test('an account without a password (a pupil with a PIN) is not asked for one', async () => {
	courses.use('guarded')
	const { user, enrollment } = await readyLearner({ password: null })
	const page = await (await startLoader({ request: await requestAs(user.id, 'http://localhost/courses/mau/quiz'), params: { courseSlug: 'mau' }, context: {} })).json()
	expect(page.reauth).toBe(false)
	expect(((await postStart(user.id, { committed: 'on' })) as Response).status).toBe(302)
	const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollmentId: enrollment.id } })
	expect(attempt).toMatchObject({ reauthAt: null })
	expect(attempt.committedAt).not.toBeNull()
})

test('quizAfterAllLessons: false opens the quiz before the lessons; the course completes at the last lesson, not before', async () => {
	courses.use('quiz-first')
	const unit = await createUnit('Sở Thử')
	const user = await createUser({ unitId: unit.id })
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	const page = await (await startLoader({ request: await requestAs(user.id, 'http://localhost/courses/mau/quiz'), params: { courseSlug: 'mau' }, context: {} })).json()
	expect(page.gate).toEqual({ allowed: true })
	expect(page.lessonsStillNeeded).toBe(true)

	const started = await beginGradedAttempt({ userId: user.id, slug: 'mau', committed: true })
	if (!started.ok) throw new Error(`attempt refused: ${started.reason}`)
	const outcome = await submitAttempt(started.attempt, 'mau', rightAnswers(started.attempt), user.id, await requestAs(null))
	expect(outcome).toMatchObject({ graded: true, passed: true, completed: false, certificateSerial: null })

	expect(((await postLesson(user.id, 'bai-mot')) as Response).status).toBe(302)
	expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).status).toBe('IN_PROGRESS')
	expect(((await postLesson(user.id, 'bai-hai')) as Response).status).toBe(302)
	expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).toMatchObject({ status: 'COMPLETED' })
	expect(await db.certificate.count({ where: { userId: user.id, revokedAt: null } })).toBe(1)
	expect(await db.auditEvent.count({ where: { action: 'certificate.issue', actorId: user.id } })).toBe(1)

	// The default keeps the quiz closed until the lessons are done.
	courses.use('plain')
	const other = await createUser()
	await startEnrollment(other.id, 'mau')
	expect(await beginGradedAttempt({ userId: other.id, slug: 'mau', committed: true })).toMatchObject({ ok: false, reason: 'lessons-unfinished' })
})

/** What withdrawCompletion does to an enrollment (issue 22, helper E), written directly: this file tests the reading. */
async function withdraw(enrollmentId: string, reason: string, at: Date) {
	await db.quizAttempt.updateMany({ where: { enrollmentId, passed: true, voidedAt: null }, data: { voidedAt: at } })
	await db.lessonProgress.updateMany({ where: { enrollmentId }, data: { completedAt: null, secondsSpent: 0, startedAt: at } })
	const enrollment = await db.enrollment.update({ where: { id: enrollmentId }, data: { status: 'IN_PROGRESS', completedAt: null, withdrawnAt: at, withdrawnReason: reason } })
	await db.certificate.updateMany({ where: { userId: enrollment.userId, courseVersionId: enrollment.courseVersionId }, data: { revokedAt: at } })
}

test('a voided pass counts nowhere, and the learner is told when and why the course must be redone', async () => {
	courses.use('plain')
	const { user, enrollment } = await readyLearner()
	const first = await startAttempt(user.id, 'mau')
	if (!first.ok) throw new Error('attempt refused')
	expect(await submitAttempt(first.attempt, 'mau', rightAnswers(first.attempt), user.id, await requestAs(null))).toMatchObject({ completed: true })
	expect(await quizPassed(enrollment.id)).toBe(true)

	await withdraw(enrollment.id, 'Hoàn thành 5 bài trong 2 phút trên máy của người khác.', new Date('2026-12-05T03:00:00Z'))
	expect(await quizPassed(enrollment.id)).toBe(false)
	// A replay of the voided attempt's submission no longer reports a pass.
	expect(await submitAttempt(first.attempt, 'mau', rightAnswers(first.attempt), user.id, await requestAs(null))).toMatchObject({ graded: false, passed: false })

	const mine = await getMyCourses(user.id, 'STAFF')
	const card = [...mine.required, ...mine.optional, ...mine.completed].find((c) => c.slug === 'mau')!
	expect(card).toMatchObject({ status: 'in-progress', percent: 0, withdrawn: { at: '2026-12-05T03:00:00.000Z', reason: 'Hoàn thành 5 bài trong 2 phút trên máy của người khác' } })
	const page = await (await courseLoader({ request: await requestAs(user.id, 'http://localhost/courses/mau'), params: { courseSlug: 'mau' }, context: {} })).json()
	expect(page.learner).toMatchObject({ completed: false, withdrawn: card.withdrawn, progress: { quizPassed: false, percent: 0 } })
	const enrollmentNow = await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id }, include: { lessons: true } })
	expect(describeProgress('mau', enrollmentNow, await quizPassed(enrollment.id))?.percent).toBe(0)

	// Redone: the notice goes once the course is completed again.
	const past = new Date(Date.now() - 10 * 60_000)
	for (const lesson of getCourse('mau')!.lessons) await completeLesson(enrollment.id, lesson.slug, past)
	const second = await startAttempt(user.id, 'mau')
	if (!second.ok) throw new Error(`attempt refused: ${second.reason}`)
	expect(second.attempt.id).not.toBe(first.attempt.id)
	expect(await submitAttempt(second.attempt, 'mau', rightAnswers(second.attempt), user.id, await requestAs(null))).toMatchObject({ completed: true })
	const redone = (await getMyCourses(user.id, 'STAFF')).completed.find((c) => c.slug === 'mau')!
	expect(redone.withdrawn).toBeNull()
})

test('a voided pass does not break a run of failures: the cool-down still comes after three failures that count', async () => {
	courses.use('plain')
	const { user, enrollment } = await readyLearner()
	const submit = async (answers: typeof rightAnswers) => {
		const started = await startAttempt(user.id, 'mau')
		if (!started.ok) throw new Error(`attempt refused: ${started.reason}`)
		await submitAttempt(started.attempt, 'mau', answers(started.attempt), user.id, await requestAs(null))
	}
	await submit(wrongAnswers)
	await submit(wrongAnswers)
	await submit(rightAnswers)
	await withdraw(enrollment.id, 'Thi hộ', new Date())
	const past = new Date(Date.now() - 10 * 60_000)
	for (const lesson of getCourse('mau')!.lessons) await completeLesson(enrollment.id, lesson.slug, past)
	await submit(wrongAnswers)
	// Newest first, voided left out: three failures, so the cool-down applies (with the pass counted, it would not).
	expect(await startAttempt(user.id, 'mau')).toMatchObject({ ok: false, reason: 'cooldown' })
})

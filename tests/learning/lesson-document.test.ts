// The lesson page served from rendered documents: who sees which page, what a view writes, when Remix takes over.
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { beforeAll, beforeEach, expect, test } from 'vitest'
import { getCourse } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { clearLessonDocuments, type LessonViewer, serveLessonDocument } from '#app/learning/lesson-document.server.ts'
import { completeLesson, startEnrollment } from '#app/learning/progress.server.ts'
import { loader as rootLoader } from '#app/root.tsx'
import { loader as lessonLoader } from '#app/routes/courses.$courseSlug.lessons.$lessonSlug.tsx'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'

let lessonSlug: string

useTestDb()
useFixtureCourses()
beforeAll(() => {
	lessonSlug = getCourse('mau')!.lessons[0]!.slug
})
beforeEach(() => clearLessonDocuments())

/** A stand-in for the Remix render that records what it was asked for. */
function recordingRender(status = 200) {
	const calls: Array<{ cookie: string; viewer: LessonViewer }> = []
	const render = async (cookie: string, viewer: LessonViewer) => {
		calls.push({ cookie, viewer })
		const html = `<!doctype html><p>${cookie} ${JSON.stringify(viewer)} ${'bài học '.repeat(50)}</p>`
		return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
	}
	return { calls, render }
}

async function cookieOf(userId: string) {
	return (await requestAs(userId)).headers.get('Cookie')!
}

function serve(cookie: string | undefined, render: ReturnType<typeof recordingRender>['render'], options: { lesson?: string; encoding?: string } = {}) {
	return serveLessonDocument({ cookie, courseSlug: 'mau', lessonSlug: options.lesson ?? lessonSlug, acceptEncoding: options.encoding ?? 'gzip, deflate, br', render })
}

test('a visitor without a session gets the anonymous page, rendered once and then served from memory', async () => {
	const { calls, render } = recordingRender()
	const first = await serve(undefined, render)
	const second = await serve(undefined, render)
	expect(first?.status).toBe(200)
	expect(calls).toEqual([{ cookie: 'vms_lang=vi', viewer: { signedIn: false, canAudit: false, canTeach: false, done: false } }])
	expect(second?.body.equals(first!.body)).toBe(true)
	expect(first?.headers['Content-Encoding']).toBe('br')
	expect(brotliDecompressSync(first!.body).toString()).toContain('"signedIn":false')
})

test('the body follows Accept-Encoding (br, gzip, none) and the language cookie picks the language', async () => {
	const { calls, render } = recordingRender()
	const gz = await serve('vms_lang=en', render, { encoding: 'gzip' })
	const plain = await serve('vms_lang=en', render, { encoding: '' })
	expect(gz?.headers['Content-Encoding']).toBe('gzip')
	expect(plain?.headers['Content-Encoding']).toBeUndefined()
	expect(gunzipSync(gz!.body).equals(plain!.body)).toBe(true)
	expect(calls.map((c) => c.cookie)).toEqual(['vms_lang=en'])
})

test('an enrolled learner: the first view records the opening once; later views write nothing', async () => {
	const learner = await createUser()
	const cookie = await cookieOf(learner.id)
	const enrollment = (await startEnrollment(learner.id, 'mau'))!
	// Make the last activity old, as if the learner came back the next day.
	const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000)
	await db.enrollment.update({ where: { id: enrollment.id }, data: { lastActivityAt: yesterday } })
	const { calls, render } = recordingRender()

	expect((await serve(cookie, render))?.status).toBe(200)
	const progress = await db.lessonProgress.findUniqueOrThrow({ where: { enrollmentId_lessonSlug: { enrollmentId: enrollment.id, lessonSlug } } })
	const touched = await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })
	expect(touched.lastActivityAt.getTime()).toBeGreaterThan(yesterday.getTime())

	await serve(cookie, render)
	const again = await db.lessonProgress.findUniqueOrThrow({ where: { id: progress.id } })
	expect(again.startedAt).toEqual(progress.startedAt)
	expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).lastActivityAt).toEqual(touched.lastActivityAt)
	expect(calls.map((c) => c.viewer)).toEqual([{ signedIn: true, canAudit: false, canTeach: false, done: false }])

	await completeLesson(enrollment.id, lessonSlug)
	await serve(cookie, render)
	expect(calls.at(-1)?.viewer).toEqual({ signedIn: true, canAudit: false, canTeach: false, done: true })
})

test('a signed-in person who has not started the course: no enrollment and no progress are created', async () => {
	const person = await createUser()
	const { calls, render } = recordingRender()
	await serve(await cookieOf(person.id), render)
	expect(calls[0]?.viewer).toEqual({ signedIn: true, canAudit: false, canTeach: false, done: false })
	expect(await db.enrollment.count({ where: { userId: person.id } })).toBe(0)
})

test('the audit link: managers and auditors see it, learners do not', async () => {
	const unit = await createUnit('Sở Kiểm Tra')
	const manager = await createUser({ unitId: unit.id, role: 'MANAGER' })
	const { calls, render } = recordingRender()
	await serve(await cookieOf(manager.id), render)
	expect(calls[0]?.viewer.canAudit).toBe(true)
})

test('the "Lớp học" link: teachers see it on lesson pages too, managers do not (issue 18 item 16)', async () => {
	const unit = await createUnit('Trường Có Lớp')
	const teacher = await createUser({ unitId: unit.id, role: 'TRAINER' })
	const { calls, render } = recordingRender()
	await serve(await cookieOf(teacher.id), render)
	expect(calls[0]?.viewer).toMatchObject({ canTeach: true, canAudit: false })
	// A department's manager has no class to teach: no link.
	const manager = recordingRender()
	await serve(await cookieOf((await createUser({ unitId: unit.id, role: 'MANAGER' })).id), manager.render)
	expect(manager.calls[0]?.viewer.canTeach).toBe(false)
})

test('sessions that need work (to extend or to end), unknown sessions, unknown lessons and failed renders go to Remix', async () => {
	const { calls, render } = recordingRender()
	const learner = await createUser()
	const cookie = await cookieOf(learner.id)
	const sessionId = /vms_session=([^;]+)/.exec(cookie)![1]!

	await db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() + 3 * 24 * 60 * 60 * 1000) } })
	expect(await serve(cookie, render)).toBeNull()
	await db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } })
	expect(await serve(cookie, render)).toBeNull()
	await db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() + 13 * 24 * 60 * 60 * 1000) } })
	await db.user.update({ where: { id: learner.id }, data: { status: 'DISABLED' } })
	expect(await serve(cookie, render)).toBeNull()
	expect(await serve('vms_session=khong-ton-tai', render)).toBeNull()
	expect(await serve(undefined, render, { lesson: 'khong-co-bai-nay' })).toBeNull()
	expect(await serve(undefined, render, { lesson: 'Bad..Slug' })).toBeNull()
	expect(calls).toEqual([])

	const failing = recordingRender(500)
	expect(await serve(undefined, failing.render)).toBeNull()
	expect(await serve(undefined, failing.render)).toBeNull()
	expect(failing.calls).toHaveLength(2) // not kept: each view tries again
})

test('the viewer the documents compute is what the Remix loaders compute for the same person', async () => {
	const unit = await createUnit('Sở So Sánh')
	const auditor = await createUser({ unitId: unit.id, role: 'AUDITOR' })
	const learner = await createUser()
	const done = await createUser()
	const finished = (await startEnrollment(done.id, 'mau'))!
	await completeLesson(finished.id, lessonSlug)
	await startEnrollment(learner.id, 'mau')

	const teacher = await createUser({ unitId: unit.id, role: 'TRAINER' })
	for (const userId of [null, auditor.id, learner.id, done.id, teacher.id]) {
		clearLessonDocuments()
		const request = await requestAs(userId, `http://localhost/courses/mau/lessons/${lessonSlug}`)
		const { calls, render } = recordingRender()
		await serve(request.headers.get('Cookie') ?? undefined, render)
		const args = { request, params: { courseSlug: 'mau', lessonSlug }, context: {} }
		const root = await (await rootLoader(args)).json()
		const lesson = await (await lessonLoader(args)).json()
		expect(calls[0]?.viewer, `user ${userId}`).toEqual({ signedIn: root.signedIn, canAudit: root.canAudit, canTeach: root.canTeach, done: lesson.learner?.done ?? false })
	}
})

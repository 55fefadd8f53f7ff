// Capture for the signals of proxy completion (issue 22): the vms_device cookie, the hashed device and network, and the
// one trace each login, lesson done and graded quiz writes — through the routes that do them.
import { createHash, createHmac } from 'node:crypto'
import { expect, test } from 'vitest'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { DEVICE_COOKIE, deviceCookie, deviceOf, readDeviceId } from '#app/integrity/device.server.ts'
import { integrityKey, recordTrace } from '#app/integrity/traces.server.ts'
import { startEnrollment } from '#app/learning/progress.server.ts'
import { startAttempt } from '#app/learning/quiz.server.ts'
import { answerIndex } from '#app/learning/quiz.ts'
import { action as lessonAction } from '#app/routes/courses.$courseSlug.lessons.$lessonSlug.tsx'
import { action as attemptAction } from '#app/routes/courses.$courseSlug.quiz.$attemptId.tsx'
import { issueActivationCode } from '#app/auth/activation.server.ts'
import { action as activateAction } from '#app/routes/activate.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { createUser, requestAs, TEST_PASSWORD } from '#tests/factories/org.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
useFixtureCourses()

const DEVICE = 'AAAAAAAAAAAAAAAAAAAAAA'
const ADDRESS = '203.0.113.7'
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

function request(cookie: string | null, init: RequestInit = {}, url = 'http://localhost/') {
	const headers = new Headers(init.headers)
	headers.set('x-vms-client-ip', ADDRESS)
	if (cookie) headers.set('Cookie', cookie)
	return new Request(url, { ...init, headers })
}

/** A request of `userId`'s session that also carries a device cookie (or none). */
async function signedIn(userId: string, device: string | null, url: string, init: RequestInit = {}) {
	const session = (await requestAs(userId)).headers.get('Cookie')!
	return request(device ? `${session}; ${DEVICE_COOKIE}=${device}` : session, init, url)
}

const post = (fields: Record<string, string>) => ({
	method: 'POST',
	body: new URLSearchParams(fields),
	headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
})

const deviceCookies = (response: Response) => response.headers.getSetCookie().filter((c) => c.startsWith(`${DEVICE_COOKIE}=`))

test('a browser without a device id gets a random one: 128 bits, HttpOnly, SameSite=Lax, for 400 days', () => {
	const first = deviceOf(request(null))
	const second = deviceOf(request(null))
	expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
	expect(first.id).not.toBe(second.id)
	expect(first.setCookie).toBe(`vms_device=${first.id}; Path=/; Max-Age=34560000; HttpOnly; SameSite=Lax`)
	// One it already has is kept, and nothing is sent.
	expect(deviceOf(request(`vms_lang=vi; ${DEVICE_COOKIE}=${DEVICE}`))).toEqual({ id: DEVICE, setCookie: null })
	// A value this app did not make is not taken as an id.
	expect(readDeviceId(request(`${DEVICE_COOKIE}=<script>`))).toBeNull()
	expect(deviceOf(request(`${DEVICE_COOKIE}=short`)).setCookie).toMatch(/^vms_device=[A-Za-z0-9_-]{22}; /)
	expect(deviceCookie(DEVICE)).toContain('HttpOnly')
})

test('a trace stores the device and the address only hashed: sha256 of the id, HMAC of the address under the installation key', async () => {
	const user = await createUser()
	const setCookie = await recordTrace(request(`${DEVICE_COOKIE}=${DEVICE}`), { userId: user.id, kind: 'LOGIN' }, new Date('2026-12-01T08:00:00Z'))
	expect(setCookie).toBeNull()
	const [trace] = await db.learningTrace.findMany({ where: { userId: user.id } })
	const key = (await db.integrityKey.findUniqueOrThrow({ where: { id: 1 } })).key
	expect(key.length).toBeGreaterThanOrEqual(43)
	expect(trace).toMatchObject({
		kind: 'LOGIN',
		at: new Date('2026-12-01T08:00:00Z'),
		deviceHash: sha256(DEVICE),
		networkHash: createHmac('sha256', key).update(ADDRESS).digest('hex'),
		enrollmentId: null,
		seconds: null,
	})
	// Neither raw value is anywhere in the row, nor is the address hashed without the key.
	const row = JSON.stringify(trace, (_, v) => (typeof v === 'bigint' ? String(v) : v))
	expect(row).not.toContain(DEVICE)
	expect(row).not.toContain(ADDRESS)
	expect(row).not.toContain(sha256(ADDRESS))
})

test('the installation key is made once and kept: traces from one address at the same moment share one network hash', async () => {
	const user = await createUser()
	await Promise.all(Array.from({ length: 5 }, () => recordTrace(request(null), { userId: user.id, kind: 'LOGIN' })))
	expect(await db.integrityKey.count()).toBe(1)
	const hashes = new Set((await db.learningTrace.findMany({ where: { userId: user.id } })).map((t) => t.networkHash))
	expect(hashes.size).toBe(1)
	expect(await integrityKey()).toBe((await db.integrityKey.findUniqueOrThrow({ where: { id: 1 } })).key)
	// Five browsers without a device id: five different ids, so five different device hashes.
	expect(new Set((await db.learningTrace.findMany({ where: { userId: user.id } })).map((t) => t.deviceHash)).size).toBe(5)
})

test('an unknown address is stored as no network, not as one network shared by everyone unknown', async () => {
	const user = await createUser()
	await recordTrace(new Request('http://localhost/'), { userId: user.id, kind: 'LOGIN' })
	expect(await db.learningTrace.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({ networkHash: null })
})

test('logging in writes a LOGIN trace and gives the browser its device id beside the session', async () => {
	const user = await createUser({ username: 'dang.nhap.vet' })
	const response = (await loginAction({
		request: request(null, post({ identifier: 'dang.nhap.vet', password: TEST_PASSWORD, redirectTo: '/' }), 'http://localhost/login'),
		params: {},
		context: {},
	})) as Response
	expect(response.status).toBe(302)
	const cookies = response.headers.getSetCookie()
	expect(cookies.some((c) => c.startsWith('vms_session='))).toBe(true)
	const [device] = deviceCookies(response)
	const id = device!.split(';')[0]!.split('=')[1]!
	const traces = await db.learningTrace.findMany({ where: { userId: user.id } })
	expect(traces).toHaveLength(1)
	expect(traces[0]).toMatchObject({ kind: 'LOGIN', deviceHash: sha256(id) })

	// A wrong password writes nothing.
	await loginAction({ request: request(null, post({ identifier: 'dang.nhap.vet', password: 'sai', redirectTo: '/' }), 'http://localhost/login'), params: {}, context: {} })
	expect(await db.learningTrace.count({ where: { userId: user.id } })).toBe(1)
})

test('activating an account signs the person in: one LOGIN trace and a device id, as the login page gives', async () => {
	const user = await createUser({ username: 'kich.hoat.vet', status: 'PENDING', password: null })
	const { code } = await issueActivationCode(user.id, null)
	const fields = { identifier: 'kich.hoat.vet', code, password: 'mat-khau-moi-123', confirm: 'mat-khau-moi-123' }
	const response = (await activateAction({ request: request(null, post(fields), 'http://localhost/activate'), params: {}, context: {} })) as Response
	expect(response.status).toBe(302)
	expect(response.headers.getSetCookie().some((c) => c.startsWith('vms_session='))).toBe(true)
	const [device] = deviceCookies(response)
	const id = device!.split(';')[0]!.split('=')[1]!
	expect(await db.learningTrace.findMany({ where: { userId: user.id }, select: { kind: true, deviceHash: true } })).toEqual([{ kind: 'LOGIN', deviceHash: sha256(id) }])
})

test('a lesson marked done writes one LESSON_DONE trace with its seconds and its words; pressing again writes none', async () => {
	const user = await createUser()
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	await db.lessonProgress.create({ data: { enrollmentId: enrollment.id, lessonSlug: 'bai-hai', startedAt: new Date(Date.now() - 125_000) } })
	const url = 'http://localhost/courses/mau/lessons/bai-hai'
	const params = { courseSlug: 'mau', lessonSlug: 'bai-hai' }
	const response = (await lessonAction({ request: await signedIn(user.id, DEVICE, url, post({})), params, context: {} })) as Response
	expect(response.status).toBe(302)
	expect(deviceCookies(response)).toEqual([])
	const words = getCourse('mau')!.lessons.find((l) => l.slug === 'bai-hai')!.words
	expect(words).toBe(6)
	const [trace] = await db.learningTrace.findMany({ where: { userId: user.id } })
	expect(trace).toMatchObject({ kind: 'LESSON_DONE', enrollmentId: enrollment.id, courseVersionId: enrollment.courseVersionId, lessonSlug: 'bai-hai', size: 6, deviceHash: sha256(DEVICE) })
	expect(trace!.seconds).toBeGreaterThanOrEqual(125)
	expect(trace!.seconds).toBeLessThan(135)

	// Done already: nothing new to say. A browser without a device id is not given one for nothing.
	const again = (await lessonAction({ request: await signedIn(user.id, null, url, post({})), params, context: {} })) as Response
	expect(again.status).toBe(302)
	expect(deviceCookies(again)).toEqual([])
	expect(await db.learningTrace.count({ where: { userId: user.id } })).toBe(1)
})

test('a graded quiz writes one QUIZ_SUBMIT trace with its seconds and the questions drawn; a replay writes none', async () => {
	const user = await createUser()
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	const past = new Date(Date.now() - 10 * 60_000)
	for (const lesson of getCourse('mau')!.lessons) await db.lessonProgress.create({ data: { enrollmentId: enrollment.id, lessonSlug: lesson.slug, startedAt: past, completedAt: past } })
	const started = await startAttempt(user.id, 'mau', new Date(Date.now() - 42_000))
	if (!started.ok) throw new Error('attempt refused')
	const attempt = started.attempt
	const bank = getQuiz('mau')!.bank
	const fields = { intent: 'submit', submitKey: attempt.idempotencyKey, ...Object.fromEntries(attempt.questionIds.map((id) => [`answer.${id}`, String(answerIndex(bank.find((q) => q.id === id)!))])) }
	const url = `http://localhost/courses/mau/quiz/${attempt.id}`
	const params = { courseSlug: 'mau', attemptId: attempt.id }
	// This browser had no device id: the response gives it the one the trace was written with.
	const response = (await attemptAction({ request: await signedIn(user.id, null, url, post(fields)), params, context: {} })) as Response
	expect(response.status).toBe(302)
	const [device] = deviceCookies(response)
	const id = device!.split(';')[0]!.split('=')[1]!
	const [trace] = await db.learningTrace.findMany({ where: { userId: user.id } })
	expect(trace).toMatchObject({ kind: 'QUIZ_SUBMIT', enrollmentId: enrollment.id, quizAttemptId: attempt.id, size: attempt.questionIds.length, deviceHash: sha256(id) })
	expect(trace!.seconds).toBeGreaterThanOrEqual(42)
	expect(trace!.seconds).toBeLessThan(52)

	const replay = (await attemptAction({ request: await signedIn(user.id, id, url, post(fields)), params, context: {} })) as Response
	expect(replay.status).toBe(302)
	expect(await db.learningTrace.count({ where: { userId: user.id } })).toBe(1)
})

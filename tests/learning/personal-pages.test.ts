// "Khoá học của tôi" and an open quiz attempt served without a Remix render (decision 027): the same bytes as the
// route renders for the same learner, the shell rendered once per kind of viewer, and Remix left to answer whatever
// the fast way does not take.
import { createRequestHandler } from '@remix-run/node'
import { beforeEach, expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { type ShellViewer, clearPageShells } from '#app/learning/page-shell.server.ts'
import { servePersonalPage } from '#app/learning/personal-pages.server.ts'
import { completeLesson, startEnrollment } from '#app/learning/progress.server.ts'
import { saveAnswers, startAttempt, submitAttempt } from '#app/learning/quiz.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import * as myCoursesRoute from '#app/routes/my-courses.tsx'
import * as attemptRoute from '#app/routes/courses.$courseSlug.quiz.$attemptId.tsx'
import { appBuild } from '#tests/http/app-build.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
useFixtureCourses()
beforeEach(() => clearPageShells())

const handler = createRequestHandler(
	appBuild([
		{ id: 'routes/my-courses', path: 'my-courses', module: myCoursesRoute as unknown as Record<string, unknown> },
		{ id: 'routes/quiz-attempt', path: 'courses/:courseSlug/quiz/:attemptId', module: attemptRoute as unknown as Record<string, unknown> },
	]),
	'production',
)
const ORIGIN = 'http://localhost'

/** The Remix render, counting the shells it was asked for. */
function renderer() {
	const shells: Array<{ path: string; cookie: string; viewer: ShellViewer }> = []
	const render = (path: string, cookie: string, viewer: ShellViewer) => {
		shells.push({ path, cookie, viewer })
		return handler(new Request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } }), { pageShell: viewer })
	}
	return { shells, render }
}

async function cookieOf(userId: string, lang?: 'en') {
	const session = (await requestAs(userId)).headers.get('Cookie')!
	return lang ? `${session}; vms_lang=${lang}` : session
}

/** The page as Remix renders it for this cookie. */
async function remixPage(path: string, cookie: string) {
	const response = await handler(new Request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } }), { cspNonce: 'n' })
	expect(response.status).toBe(200)
	return response.text()
}

async function fastPage(path: string, cookie: string | undefined, render = renderer().render) {
	const page = await servePersonalPage({ path, cookie, acceptEncoding: '', render })
	return page ? page.body.toString('utf8') : null
}

async function learnerInProgress(options: { role?: 'MANAGER' } = {}) {
	const unit = await createUnit(`Sở ${Math.random().toString(36).slice(2, 8)}`)
	const learner = await createUser({ unitId: unit.id, role: options.role })
	const enrollment = (await startEnrollment(learner.id, 'mau'))!
	await completeLesson(enrollment.id, getCourse('mau')!.lessons[0]!.slug)
	return { learner, enrollment }
}

async function readyForQuiz() {
	const { learner, enrollment } = await learnerInProgress()
	for (const lesson of getCourse('mau')!.lessons) await completeLesson(enrollment.id, lesson.slug)
	const started = await startAttempt(learner.id, 'mau')
	if (!started.ok) throw new Error('attempt refused')
	return { learner, attempt: started.attempt }
}

test('"Khoá học của tôi" comes out byte for byte as the route renders it, in both languages and for a manager', async () => {
	const { learner } = await learnerInProgress()
	const { learner: manager } = await learnerInProgress({ role: 'MANAGER' })
	for (const cookie of [await cookieOf(learner.id), await cookieOf(learner.id, 'en'), await cookieOf(manager.id)]) {
		const fast = await fastPage('/my-courses', cookie)
		expect(fast).not.toBeNull()
		expect(fast).toBe(await remixPage('/my-courses', cookie))
	}
	const page = (await fastPage('/my-courses', await cookieOf(manager.id)))!
	expect(page).toContain('href="/admin/audit"')
	expect(page).toMatch(/href="\/courses\/mau\/lessons\/[^"]+"/)
	// A document: no app scripts, no loader data.
	expect(page).not.toContain('__remixContext')
})

test('an open attempt comes out byte for byte as the route renders it, with the saved answers chosen', async () => {
	const { learner, attempt } = await readyForQuiz()
	await saveAnswers(attempt.id, { [attempt.questionIds[0]!]: 1 })
	const path = `/courses/mau/quiz/${attempt.id}`
	const cookie = await cookieOf(learner.id)
	const fast = await fastPage(path, cookie)
	expect(fast).toBe(await remixPage(path, cookie))
	expect(fast).toContain(`name="submitKey" value="${attempt.idempotencyKey}"`)
	expect(fast).toContain(`checked="" value="1"`)
	// The header's language switch brings the learner back to this attempt, not to the shell's placeholder.
	expect(fast).toContain(`name="redirectTo" value="${path}"`)
	expect(fast).not.toContain('VmsAttemptSlot')
	expect(fast).toContain('<script src="/quiz-autosave.js" defer="">')
})

test('the shell is rendered once per kind of viewer, from a request without a session', async () => {
	const { shells, render } = renderer()
	const one = await readyForQuiz()
	const two = await readyForQuiz()
	await fastPage(`/courses/mau/quiz/${one.attempt.id}`, await cookieOf(one.learner.id), render)
	await fastPage(`/courses/mau/quiz/${two.attempt.id}`, await cookieOf(two.learner.id), render)
	await fastPage('/my-courses', await cookieOf(one.learner.id), render)
	await fastPage('/my-courses', await cookieOf(two.learner.id, 'en'), render)
	expect(shells).toEqual([
		{ path: '/courses/mau/quiz/VmsAttemptSlot', cookie: 'vms_lang=vi', viewer: { signedIn: true, canAudit: false, canTeach: false } },
		{ path: '/my-courses', cookie: 'vms_lang=vi', viewer: { signedIn: true, canAudit: false, canTeach: false } },
		{ path: '/my-courses', cookie: 'vms_lang=en', viewer: { signedIn: true, canAudit: false, canTeach: false } },
	])
})

test('Remix answers what the fast way does not take: no session, an old session, a disabled account, ids not the learner’s, a submitted attempt', async () => {
	const { learner, attempt } = await readyForQuiz()
	const other = await readyForQuiz()
	const cookie = await cookieOf(learner.id)
	const path = `/courses/mau/quiz/${attempt.id}`
	expect(await fastPage('/my-courses', undefined)).toBeNull()
	expect(await fastPage('/my-courses', 'vms_session=not-a-session')).toBeNull()
	// Another learner's attempt, an unknown course, an id that is not one.
	expect(await fastPage(`/courses/mau/quiz/${other.attempt.id}`, cookie)).toBeNull()
	expect(await fastPage(`/courses/khong-co/quiz/${attempt.id}`, cookie)).toBeNull()
	expect(await fastPage('/courses/mau/quiz/..%2F..', cookie)).toBeNull()
	// A session in the second half of its life must be extended (a new cookie): that is Remix's to do.
	const sessionId = cookie.split('=')[1]!
	await db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() + 24 * 60 * 60 * 1000) } })
	expect(await fastPage(path, cookie)).toBeNull()
	const fresh = await cookieOf(learner.id)
	expect(await fastPage(path, fresh)).not.toBeNull()
	// A submitted attempt shows its result, rendered by Remix.
	await submitAttempt(attempt, 'mau', {}, learner.id, await requestAs(null))
	expect(await fastPage(path, fresh)).toBeNull()
	await db.user.update({ where: { id: learner.id }, data: { status: 'DISABLED' } })
	expect(await fastPage('/my-courses', fresh)).toBeNull()
})

// @vitest-environment jsdom
// The quiz pages (issue 18 item 15): a submission with unanswered questions comes back with those questions marked
// and the first one focused by the page itself (autofocus and an anchor, no JavaScript needed); the start page
// states the attempt limit and the cool-down before the first attempt.
import { createRemixStub } from '@remix-run/testing'
import { renderToString } from 'react-dom/server'
import { expect, test, vi as vitest } from 'vitest'
import { getCourse } from '#app/content/courses.server.ts'
import { completeLesson, startEnrollment } from '#app/learning/progress.server.ts'
import { startAttempt } from '#app/learning/quiz.server.ts'
import AttemptPage, { action as attemptAction, loader as attemptLoader } from '#app/routes/courses.$courseSlug.quiz.$attemptId.tsx'
import QuizStartPage, { loader as startLoader } from '#app/routes/courses.$courseSlug.quiz._index.tsx'
import { vi } from '#app/ui/i18n/vi.ts'
import { createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

const SLUG = 'bao-ve-bi-mat-nha-nuoc'
useTestDb()

/** The page as the server sends it to a browser without JavaScript. */
function serverHtml(Component: () => JSX.Element, path: string, url: string, loaderData: object, actionData?: object) {
	const root = { lang: 'vi', messages: vi }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path, Component, loader: () => loaderData }] }])
	// React warns that the router's layout effects do nothing on the server: that is the point here.
	const quiet = vitest.spyOn(console, 'error').mockImplementation((message: unknown) => {
		if (!String(message).includes('useLayoutEffect')) process.stderr.write(`${String(message)}\n`)
	})
	const html = renderToString(<Stub initialEntries={[url]} hydrationData={{ loaderData: { root, page: loaderData }, ...(actionData ? { actionData: { page: actionData } } : {}) }} />)
	quiet.mockRestore()
	return new DOMParser().parseFromString(html, 'text/html')
}

async function readyLearner() {
	const user = await createUser({ fullName: 'Trần Thị Mai' })
	const enrollment = (await startEnrollment(user.id, SLUG))!
	for (const lesson of getCourse(SLUG)!.lessons) await completeLesson(enrollment.id, lesson.slug)
	return user
}

test('the start page states the attempt limit and the cool-down before the first attempt', async () => {
	const user = await readyLearner()
	const request = await requestAs(user.id, `http://localhost/courses/${SLUG}/quiz`)
	const data = await (await startLoader({ request, params: { courseSlug: SLUG }, context: {} })).json()
	expect(data.history).toEqual([])
	const doc = serverHtml(QuizStartPage, '/courses/:courseSlug/quiz', `/courses/${SLUG}/quiz`, data)
	expect(doc.querySelector('#quiz-rules')?.textContent).toBe('Bạn được làm bài nhiều lần. Nếu 5 lần liên tiếp chưa đạt, bạn phải chờ 60 phút rồi mới được làm lại.')
	// Stated above the start button, not only once the learner is locked out.
	const rules = doc.querySelector('#quiz-rules')!
	const start = [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Bắt đầu làm bài')!
	expect(rules.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
})

test('unanswered questions are marked and the first one is focused when the page comes back', async () => {
	const user = await readyLearner()
	const started = await startAttempt(user.id, SLUG)
	if (!started.ok) throw new Error('attempt refused')
	const ids = started.attempt.questionIds
	expect(ids.length).toBe(10)
	const url = `http://localhost/courses/${SLUG}/quiz/${started.attempt.id}`
	const params = { courseSlug: SLUG, attemptId: started.attempt.id }
	const loaded = await (await attemptLoader({ request: await requestAs(user.id, url), params, context: {} })).json()
	if (loaded.shell) throw new Error('a shell without a viewer in the load context')
	// Everything answered except the third and the sixth question as shown.
	const shown = loaded.questions.map((q: { id: string }) => q.id) as Array<string>
	const skipped = [shown[2]!, shown[5]!]
	const form = new URLSearchParams({ submitKey: loaded.submitKey ?? '', intent: 'submit' })
	for (const id of shown) if (!skipped.includes(id)) form.set(`answer.${id}`, '0')
	const response = await attemptAction({
		request: await requestAs(user.id, url, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
		params,
		context: {},
	})
	expect(response.status).toBe(400)
	const actionData = await response.json()
	expect(actionData.missing).toEqual(skipped)

	const again = await (await attemptLoader({ request: await requestAs(user.id, url), params, context: {} })).json()
	const doc = serverHtml(AttemptPage, '/courses/:courseSlug/quiz/:attemptId', `/courses/${SLUG}/quiz/${started.attempt.id}`, again, actionData)
	const alert = doc.querySelector('[role="alert"]')!
	expect(alert.textContent).toContain('Còn 2 câu chưa trả lời.')
	expect([...alert.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
		['Câu 3', `#q-${skipped[0]}`],
		['Câu 6', `#q-${skipped[1]}`],
	])
	for (const id of shown) {
		const item = doc.getElementById(`q-${id}`)!
		const marked = skipped.includes(id)
		expect(item.querySelector('fieldset')!.getAttribute('aria-invalid') === 'true').toBe(marked)
		expect(item.textContent!.includes('Bạn chưa trả lời câu này.')).toBe(marked)
	}
	// Exactly one control has autofocus: the first choice of the first unanswered question (the browser focuses and
	// scrolls to it on load, with or without JavaScript).
	const focused = [...doc.querySelectorAll('[autofocus]')]
	expect(focused).toHaveLength(1)
	expect(focused[0]!.closest('li')!.id).toBe(`q-${skipped[0]}`)
	// The answers already given are still checked.
	expect(doc.querySelectorAll('input[type="radio"][checked]').length).toBe(8)
})

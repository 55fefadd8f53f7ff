// @vitest-environment jsdom
// The quiz start page of a course with safeguards (issue 22), as a browser without JavaScript gets it: the commitment
// is a labelled, required checkbox; the state-secrets course asks the password in a labelled field; a refusal comes
// back as an alert above the form.
import { createRemixStub } from '@remix-run/testing'
import { renderToString } from 'react-dom/server'
import { expect, test, vi as vitest } from 'vitest'
import { getCourse } from '#app/content/courses.server.ts'
import { completeLesson, startEnrollment } from '#app/learning/progress.server.ts'
import QuizStartPage, { action as startAction, loader as startLoader } from '#app/routes/courses.$courseSlug.quiz._index.tsx'
import { vi } from '#app/ui/i18n/vi.ts'
import { createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

const SLUG = 'bao-ve-bi-mat-nha-nuoc'
useTestDb()

function serverHtml(loaderData: object, actionData?: object) {
	const root = { lang: 'vi', messages: vi }
	const Stub = createRemixStub([
		{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path: '/courses/:courseSlug/quiz', Component: QuizStartPage, loader: () => loaderData }] },
	])
	// React warns that the router's layout effects do nothing on the server: that is the point here.
	const quiet = vitest.spyOn(console, 'error').mockImplementation((message: unknown) => {
		if (!String(message).includes('useLayoutEffect')) process.stderr.write(`${String(message)}\n`)
	})
	const html = renderToString(
		<Stub
			initialEntries={[`/courses/${SLUG}/quiz`]}
			hydrationData={{ loaderData: { root, page: loaderData }, ...(actionData ? { actionData: { page: actionData } } : {}) }}
		/>,
	)
	quiet.mockRestore()
	return new DOMParser().parseFromString(html, 'text/html')
}

async function readyLearner(password?: null) {
	const user = await createUser({ fullName: 'Phạm Văn Cam', ...(password === null ? { password: null } : {}) })
	const enrollment = (await startEnrollment(user.id, SLUG))!
	const past = new Date(Date.now() - 60 * 60_000)
	for (const lesson of getCourse(SLUG)!.lessons) await completeLesson(enrollment.id, lesson.slug, past)
	return user
}

const labelled = (doc: Document, text: string) => {
	const label = [...doc.querySelectorAll('label')].find((l) => l.textContent?.trim() === text)
	return label?.control ?? label?.querySelector('input') ?? null
}

test('the state-secrets course: a required commitment checkbox and a password field, both labelled, before the start button', async () => {
	expect(getCourse(SLUG)!.meta.safeguards).toEqual({ minSecondsPerLesson: 180, quizAfterAllLessons: true, reauthBeforeQuiz: true })
	const user = await readyLearner()
	const request = await requestAs(user.id, `http://localhost/courses/${SLUG}/quiz`)
	const data = await (await startLoader({ request, params: { courseSlug: SLUG }, context: {} })).json()
	const doc = serverHtml(data)
	const commitment = labelled(doc, 'Tôi cam kết tự mình học và làm bài') as HTMLInputElement
	expect(commitment).toMatchObject({ type: 'checkbox', name: 'committed', value: 'on', required: true, checked: false })
	const password = labelled(doc, 'Nhập lại mật khẩu của bạn') as HTMLInputElement
	expect(password).toMatchObject({ type: 'password', name: 'password', required: true })
	expect(password.getAttribute('autocomplete')).toBe('current-password')
	expect(doc.getElementById(password.getAttribute('aria-describedby')!)?.textContent).toContain('nhập lại mật khẩu trước mỗi lần làm bài kiểm tra')
	const start = [...doc.querySelectorAll('button')].find((b) => b.textContent === 'Bắt đầu làm bài')!
	expect(start.form).toBe(commitment.form)
	expect(commitment.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
})

test('a start without the commitment comes back with the reason as an alert; an account without a password sees no password field', async () => {
	const user = await readyLearner()
	const url = `http://localhost/courses/${SLUG}/quiz`
	const post = { method: 'POST', body: new URLSearchParams({ password: 'x' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }
	const refused = (await startAction({ request: await requestAs(user.id, url, post), params: { courseSlug: SLUG }, context: {} })) as Response
	expect(refused.status).toBe(400)
	const data = await (await startLoader({ request: await requestAs(user.id, url), params: { courseSlug: SLUG }, context: {} })).json()
	const doc = serverHtml(data, await refused.json())
	expect(doc.querySelector('[role="alert"]')?.textContent).toBe('Hãy đánh dấu ô «Tôi cam kết tự mình học và làm bài» trước khi bắt đầu làm bài.')

	const pupil = await readyLearner(null)
	const theirs = await (await startLoader({ request: await requestAs(pupil.id, url), params: { courseSlug: SLUG }, context: {} })).json()
	const page = serverHtml(theirs)
	expect(labelled(page, 'Tôi cam kết tự mình học và làm bài')).not.toBeNull()
	expect(page.querySelector('input[type="password"]')).toBeNull()
})

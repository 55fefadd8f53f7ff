// Issue 19: craft advice may cite nothing. The quiz result page shows "Nguồn" with the document for a question that
// cites one ("Căn cứ: …"), and no such line (nor "undefined") for a question that does not.
import path from 'node:path'
import { createRemixStub } from '@remix-run/testing'
import { within } from '@testing-library/dom'
import { JSDOM } from 'jsdom'
import { renderToString } from 'react-dom/server'
import { beforeAll, expect, test } from 'vitest'
import { getQuiz } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { completeLesson, startEnrollment } from '#app/learning/progress.server.ts'
import { getAttempt, startAttempt, submitAttempt } from '#app/learning/quiz.server.ts'
import { answerIndex } from '#app/learning/quiz.ts'
import AttemptPage, { loader } from '#app/routes/courses.$courseSlug.quiz.$attemptId.tsx'
import { createUser, requestAs } from '#tests/factories/org.ts'
import { courseBuilds, rewrite } from '#tests/setup/content.ts'
import { ignoreConsoleErrorInFile } from '#tests/setup/console.ts'
import { useTestDb } from '#tests/setup/db.ts'

// React Router's links warn about useLayoutEffect on the server; the page itself renders there in production too.
ignoreConsoleErrorInFile('useLayoutEffect')
useTestDb()
const courses = courseBuilds('vms-quiz-result-')
beforeAll(async () => {
	// The valid fixture with q02 turned into craft advice: no cite, an explanation that names no law.
	await courses.build('craft', {
		edit: (source) =>
			rewrite(path.join(source, 'courses/mau/quiz.yaml'), (quiz) =>
				quiz.replace(/(  - id: q02\n[\s\S]*?)    explanation: .*\n    cite: .*\n/, '$1    explanation: Tiêu đề ngắn, nói điều mới nhất trước.\n'),
			),
	})
	courses.use('craft')
})

test('the result lists the source of a cited question and no source line for an uncited one', async () => {
	expect(getQuiz('mau')!.bank.find((q) => q.id === 'q02')!.cite).toBeUndefined()
	const user = await createUser()
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	await completeLesson(enrollment.id, 'bai-mot')
	await completeLesson(enrollment.id, 'bai-hai')
	const started = await startAttempt(user.id, 'mau')
	if (!started.ok) throw new Error('attempt refused')
	// The fixture draws one question at random; this attempt holds the cited q01 and the uncited q02, in that order.
	await db.quizAttempt.update({
		where: { id: started.attempt.id },
		data: { questionIds: ['q01', 'q02'], choiceOrder: { q01: [0, 1, 2, 3], q02: [0, 1, 2, 3] } },
	})
	const attempt = (await getAttempt(user.id, 'mau', started.attempt.id))!
	const bank = getQuiz('mau')!.bank
	const right = Object.fromEntries(['q01', 'q02'].map((id) => [id, answerIndex(bank.find((q) => q.id === id)!)]))
	await submitAttempt(attempt, 'mau', right, user.id, await requestAs(null))

	const url = `http://localhost/courses/mau/quiz/${attempt.id}`
	const response = await loader({ request: await requestAs(user.id, url), params: { courseSlug: 'mau', attemptId: attempt.id }, context: {} })
	const data = await response.json()
	if (data.shell) throw new Error('a shell without a viewer in the load context')
	expect(data.result!.review.map((r) => [r.id, r.cite])).toEqual([
		['q01', { source: 'luat-mau-2025', article: 'Điều 1' }],
		['q02', null],
	])
	// Only the cited document's registry entry goes to the page.
	expect(data.sources.map((s) => s.id)).toEqual(['luat-mau-2025'])

	const root = { lang: 'vi', messages: null }
	const path = `/courses/mau/quiz/${attempt.id}`
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path: 'courses/mau/quiz/:attemptId', Component: AttemptPage, loader: () => data }] }])
	const html = renderToString(<Stub initialEntries={[path]} hydrationData={{ loaderData: { root, page: data } }} />)
	expect(html).not.toMatch(/undefined|\[object Object\]/)
	const screen = within(new JSDOM(html).window.document.body)
	const [cited, craft] = screen.getAllByRole('listitem')
	expect(cited).toHaveTextContent('Câu 1. Câu hỏi số 1?')
	expect(cited).toHaveTextContent('Căn cứ: Điều 1, Luật Mẫu số 1/2025/QH15')
	expect(within(cited!).getByRole('link', { name: 'Điều 1, Luật Mẫu số 1/2025/QH15' })).toHaveAttribute('href', '/legal-sources#luat-mau-2025')
	expect(craft).toHaveTextContent('Câu 2. Câu hỏi số 2?')
	expect(craft).toHaveTextContent('Tiêu đề ngắn, nói điều mới nhất trước.')
	expect(craft).not.toHaveTextContent('Căn cứ')
	expect(within(craft!).queryByRole('link')).toBeNull()
})

// Issue 18 item 1: a learner's home page lists the required courses /my-courses lists (same cards), with due dates
// as dd/mm/yyyy, the overdue mark and the one next step (start, continue the lesson, take the quiz).
import { createRemixStub } from '@remix-run/testing'
import { within } from '@testing-library/dom'
import { JSDOM } from 'jsdom'
import { renderToString } from 'react-dom/server'
import { expect, test } from 'vitest'
import { getCourse } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { createAssignment } from '#app/learning/assignments.server.ts'
import { getMyCourses } from '#app/learning/my-courses.server.ts'
import { completeLesson, startEnrollment } from '#app/learning/progress.server.ts'
import HomePage, { loader } from '#app/routes/_index.tsx'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { ignoreConsoleErrorInFile } from '#tests/setup/console.ts'
import { useTestDb } from '#tests/setup/db.ts'

// React Router's links warn about useLayoutEffect on the server; the page itself renders there in production too.
ignoreConsoleErrorInFile('useLayoutEffect')
useTestDb()
useFixtureCourses()

async function renderHome(userId: string) {
	const response = await loader({ request: await requestAs(userId), params: {}, context: {} })
	const data = await response.json()
	const root = { lang: 'vi', messages: null }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', index: true, Component: HomePage, loader: () => data }] }])
	// Rendered on the server as the page is (the content build's esbuild cannot run under a jsdom environment).
	const html = renderToString(<Stub initialEntries={['/']} hydrationData={{ loaderData: { root, page: data } }} />)
	return { data, screen: within(new JSDOM(html).window.document.body) }
}

test('a learner with an overdue required course sees it on the home page with its due date and next step', async () => {
	const root = await createUnit('Tỉnh Trang Chủ')
	const dept = await createUnit('Sở Trang Chủ', root)
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	const learner = await createUser({ fullName: 'Lê Văn Học', unitId: dept.id })
	await createAssignment({ courseSlug: 'mau', dueAt: new Date('2025-03-04T16:59:59Z') }, dept, manager.id, await requestAs(null))

	const { data, screen } = await renderHome(learner.id)
	// The same cards as /my-courses: not a second query with its own idea of "required".
	expect(data.required).toEqual((await getMyCourses(learner.id, 'STAFF')).required)
	const section = screen.getByRole('region', { name: 'Khoá học bắt buộc của bạn' })
	const title = getCourse('mau')!.meta.title
	expect(within(section).getByRole('link', { name: title })).toHaveAttribute('href', '/courses/mau')
	expect(section).toHaveTextContent('Hạn hoàn thành 04/03/2025')
	expect(within(section).getByText('Quá hạn')).toBeInTheDocument()
	expect(within(section).getByRole('link', { name: 'Bắt đầu học' })).toHaveAttribute('href', '/courses/mau')
	expect(screen.queryByText(/sẽ hiện ở đây khi đơn vị giao khoá học/)).toBeNull()
	expect(screen.getByRole('link', { name: 'Xem tất cả khoá học của tôi' })).toHaveAttribute('href', '/my-courses')

	// Started: the next step is the first lesson not done; every lesson done: the quiz.
	const enrollment = (await startEnrollment(learner.id, 'mau'))!
	const lessons = getCourse('mau')!.lessons
	const started = (await renderHome(learner.id)).screen
	expect(started.getByRole('link', { name: 'Tiếp tục học' })).toHaveAttribute('href', `/courses/mau/lessons/${lessons[0]!.slug}`)
	for (const lesson of lessons) await completeLesson(enrollment.id, lesson.slug)
	const lessonsDone = (await renderHome(learner.id)).screen
	expect(lessonsDone.getByRole('link', { name: 'Làm bài kiểm tra' })).toHaveAttribute('href', '/courses/mau/quiz')
})

test('a person with nothing required is told so, not that courses will appear later', async () => {
	const unit = await createUnit('Tỉnh Không Giao')
	const person = await createUser({ unitId: unit.id })
	const { screen } = await renderHome(person.id)
	expect(screen.getByText('Hiện bạn chưa được giao khoá học bắt buộc nào.')).toBeInTheDocument()
})

test('a learner who has completed every required course is told so, not that nothing was assigned', async () => {
	// The walk of issue 18: after both required courses, home and /my-courses said "chưa được giao" although both
	// were assigned and listed under "Đã hoàn thành".
	const unit = await createUnit('Tỉnh Đã Học Xong')
	const manager = await createUser({ unitId: unit.id, role: 'MANAGER' })
	const learner = await createUser({ unitId: unit.id })
	await createAssignment({ courseSlug: 'mau', dueAt: new Date('2030-01-31T16:59:59Z') }, unit, manager.id, await requestAs(null))
	const enrollment = (await startEnrollment(learner.id, 'mau'))!
	await db.enrollment.update({ where: { id: enrollment.id }, data: { status: 'COMPLETED', completedAt: new Date() } })

	const courses = await getMyCourses(learner.id, 'STAFF')
	expect(courses.required).toEqual([])
	expect(courses.requiredDone).toBe(1)
	const { screen } = await renderHome(learner.id)
	expect(screen.getByText(/Bạn đã hoàn thành tất cả khoá học bắt buộc được giao \(1 khoá\)/)).toBeInTheDocument()
	expect(screen.getByRole('link', { name: 'Xem chứng nhận của bạn' })).toHaveAttribute('href', '/certificates')
	expect(screen.queryByText('Hiện bạn chưa được giao khoá học bắt buộc nào.')).toBeNull()
})

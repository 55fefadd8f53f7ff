// "Khoá học của tôi" and an open quiz attempt, served without a Remix render (decision 027; the mechanism is in
// page-shell.server.ts). They are what a whole agency opens in the same hour before a deadline. Each returns null
// when Remix should answer instead: no steady session, an id that is not the learner's, a submitted attempt (its
// result page), a query string (server.ts sends only plain paths here).
import { createElement } from 'react'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { getMyCourses } from './my-courses.server.ts'
import { MyCoursesView } from './my-courses-view.tsx'
import { personalPage, readVisitor, type PersonalPage, type RenderShell } from './page-shell.server.ts'
import { asDrawn, getAttempt, savedAnswers } from './quiz.server.ts'
import { presentAttempt } from './quiz.ts'
import { AttemptForm } from './quiz-attempt-view.tsx'

const QUIZ_PATH = /^\/courses\/([a-z0-9-]{1,80})\/quiz\/([a-z0-9]{1,40})$/
// In the shell's URL instead of the attempt id (the header's language switch comes back to the page): a word no id
// or course slug contains (both are lower case).
const ATTEMPT_PLACEHOLDER = 'VmsAttemptSlot'

type Request = { path: string; cookie: string | undefined; acceptEncoding: string | undefined; render: RenderShell }

/** The page for a GET of `path` (no query string), or null when Remix should answer. */
export async function servePersonalPage(request: Request): Promise<PersonalPage | null> {
	if (request.path === '/my-courses') return serveMyCourses(request)
	const quiz = QUIZ_PATH.exec(request.path)
	return quiz ? serveQuizAttempt(request, quiz[1]!, quiz[2]!) : null
}

async function serveMyCourses({ path, cookie, acceptEncoding, render }: Request) {
	const visitor = await readVisitor(cookie)
	if (!visitor) return null
	const courses = await getMyCourses(visitor.userId, visitor.kind)
	const content = createElement(MyCoursesView, { t: translator(visitor.lang), courses })
	return personalPage({ page: 'my-courses', path, visitor, render, content, acceptEncoding })
}

async function serveQuizAttempt({ cookie, acceptEncoding, render }: Request, slug: string, attemptId: string) {
	const course = getCourse(slug)
	const quiz = getQuiz(slug)
	if (!course || !quiz) return null
	const visitor = await readVisitor(cookie)
	if (!visitor) return null
	const attempt = await getAttempt(visitor.userId, slug, attemptId)
	if (!attempt || attempt.submittedAt) return null
	const content = createElement(AttemptForm, {
		t: translator(visitor.lang),
		attempt: {
			course: { slug, title: course.meta.title },
			questions: presentAttempt(quiz.bank, asDrawn(attempt)),
			submitKey: attempt.idempotencyKey,
			chosen: savedAnswers(attempt),
		},
	})
	return personalPage({
		page: `quiz|${slug}`,
		path: `/courses/${slug}/quiz/${ATTEMPT_PLACEHOLDER}`,
		visitor,
		render,
		content,
		acceptEncoding,
		placeholder: { text: ATTEMPT_PLACEHOLDER, value: attemptId },
	})
}

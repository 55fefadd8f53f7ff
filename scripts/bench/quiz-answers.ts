// The answers and request of the quiz-submit fault runs (scripts/bench/faults.ts and its child process), in one
// place so that a retry after the kill sends what the killed process was sending.
import { getQuiz } from '#app/content/courses.server.ts'
import { answerIndex } from '#app/learning/quiz.ts'

/** A learner of run `tag`, number `i`: the number ends the e-mail's local part (every fourth one fails). */
export const quizEmail = (tag: string, i: number) => `qz${tag}-${String(i).padStart(4, '0')}@example.vn`

export const quizFails = (email: string) => Number(/(\d+)@/.exec(email)?.[1] ?? 0) % 4 === 3

/** All right, or for a failing learner all wrong. */
export function quizAnswers(slug: string, questionIds: Array<string>, email: string) {
	const bank = getQuiz(slug)!.bank
	const fails = quizFails(email)
	return Object.fromEntries(
		questionIds.map((id) => {
			const question = bank.find((q) => q.id === id)!
			const right = answerIndex(question)
			return [id, fails ? (right + 1) % question.choices.length : right]
		}),
	)
}

/** What the page's request gives the audit row: the client address. */
export function quizRequest() {
	return new Request('https://vanminhso.example.vn/', { headers: { 'x-vms-client-ip': '127.0.0.1' } })
}

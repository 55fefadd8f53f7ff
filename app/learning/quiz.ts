// The quiz engine's pure part: drawing an attempt, presenting it without answer keys, grading it.
// Choices travel as their index in the bank (0–3) in a per-attempt shuffled order, so what the browser sees
// reveals nothing about which one is right.
import { randomInt } from 'node:crypto'
import { ANSWERS, type Question } from '#app/content/schema.ts'

export type DrawnAttempt = { questionIds: Array<string>; choiceOrder: Record<string, Array<number>> }
export type Answers = Record<string, number>

type RandomInt = (maxExclusive: number) => number

function shuffle<T>(items: ReadonlyArray<T>, random: RandomInt): Array<T> {
	const out = [...items]
	for (let i = out.length - 1; i > 0; i--) {
		const j = random(i + 1)
		;[out[i], out[j]] = [out[j] as T, out[i] as T]
	}
	return out
}

/** Draws `count` distinct questions and a choice order for each (crypto-random unless a test passes its own). */
export function drawAttempt(bank: ReadonlyArray<Question>, count: number, random: RandomInt = randomInt): DrawnAttempt {
	const questionIds = shuffle(
		bank.map((q) => q.id),
		random,
	).slice(0, Math.min(count, bank.length))
	const choiceOrder: Record<string, Array<number>> = {}
	for (const id of questionIds) {
		const question = bank.find((q) => q.id === id)!
		choiceOrder[id] = shuffle(
			question.choices.map((_, i) => i),
			random,
		)
	}
	return { questionIds, choiceOrder }
}

export type PresentedQuestion = { id: string; prompt: string; choices: Array<{ value: number; text: string }> }

/** What the learner's browser receives: prompts and choices in the attempt's order, no answers, no explanations. */
export function presentAttempt(bank: ReadonlyArray<Question>, attempt: DrawnAttempt): Array<PresentedQuestion> {
	return attempt.questionIds.map((id) => {
		const question = bank.find((q) => q.id === id)
		if (!question) throw new Error(`Question ${id} of this attempt is no longer in the bank`)
		const order = attempt.choiceOrder[id] ?? question.choices.map((_, i) => i)
		return { id, prompt: question.prompt, choices: order.map((value) => ({ value, text: question.choices[value]! })) }
	})
}

export function answerIndex(question: Question) {
	return ANSWERS.indexOf(question.answer)
}

export type AnswerProblem = { kind: 'unknown-question'; questionId: string } | { kind: 'bad-choice'; questionId: string }

/**
 * Reads posted answers ("answer.<questionId>" = choice index). Anything that does not belong to this attempt is a
 * problem, never silently dropped: a tampered form must not be graded.
 */
export function readAnswers(attempt: DrawnAttempt, entries: Iterable<[string, unknown]>): { answers: Answers; problems: Array<AnswerProblem> } {
	const answers: Answers = {}
	const problems: Array<AnswerProblem> = []
	for (const [name, raw] of entries) {
		if (!name.startsWith('answer.')) continue
		const questionId = name.slice('answer.'.length)
		if (!attempt.questionIds.includes(questionId)) {
			problems.push({ kind: 'unknown-question', questionId })
			continue
		}
		const value = typeof raw === 'string' && /^\d$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : NaN
		if (!Number.isInteger(value) || !(attempt.choiceOrder[questionId] ?? []).includes(value)) {
			problems.push({ kind: 'bad-choice', questionId })
			continue
		}
		answers[questionId] = value
	}
	return { answers, problems }
}

export type GradedQuestion = { id: string; chosen: number | null; correct: number; isCorrect: boolean }
export type Grade = { correct: number; total: number; score: number; passed: boolean; questions: Array<GradedQuestion> }

/** Score in whole percent; passing compares exactly (7 of 9 against 78% passes only if 7/9 ≥ 0.78). */
export function grade(bank: ReadonlyArray<Question>, attempt: DrawnAttempt, answers: Answers, passMark: number): Grade {
	const questions = attempt.questionIds.map((id) => {
		const question = bank.find((q) => q.id === id)
		if (!question) throw new Error(`Question ${id} of this attempt is no longer in the bank`)
		const correct = answerIndex(question)
		const chosen = answers[id] ?? null
		return { id, chosen, correct, isCorrect: chosen === correct }
	})
	const correct = questions.filter((q) => q.isCorrect).length
	const total = questions.length
	return { correct, total, score: Math.round((correct * 100) / total), passed: correct * 100 >= passMark * total, questions }
}

import { expect, test } from 'vitest'
import { type Question } from '#app/content/schema.ts'
import { drawAttempt, grade, presentAttempt, readAnswers } from '#app/learning/quiz.ts'

const bank: Array<Question> = Array.from({ length: 30 }, (_, i) => ({
	id: `q${String(i + 1).padStart(2, '0')}`,
	prompt: `Câu hỏi ${i + 1}?`,
	choices: ['Phương án một', 'Phương án hai', 'Phương án ba', 'Phương án bốn'],
	answer: (['A', 'B', 'C', 'D'] as const)[i % 4]!,
	explanation: 'Vì…',
	cite: { source: 'luat-bvbmnn-2025' },
	difficulty: 'medium',
}))

test('an attempt draws distinct questions from the bank and a permutation of choices for each', () => {
	const attempt = drawAttempt(bank, 10)
	expect(attempt.questionIds).toHaveLength(10)
	expect(new Set(attempt.questionIds).size).toBe(10)
	for (const id of attempt.questionIds) {
		expect(bank.some((q) => q.id === id)).toBe(true)
		expect([...attempt.choiceOrder[id]!].sort()).toEqual([0, 1, 2, 3])
	}
})

test('two attempts rarely draw the same questions', () => {
	const draws = Array.from({ length: 50 }, () => drawAttempt(bank, 10).questionIds.slice().sort().join(','))
	expect(new Set(draws).size).toBeGreaterThan(45)
})

test('the presented attempt carries no answer key or explanation', () => {
	const attempt = drawAttempt(bank, 10)
	const presented = presentAttempt(bank, attempt)
	const json = JSON.stringify(presented)
	expect(json).not.toContain('"answer"')
	expect(json).not.toContain('explanation')
	expect(presented[0]!.choices.map((c) => c.value)).toEqual(attempt.choiceOrder[presented[0]!.id])
})

test('grading counts right answers and compares with the pass mark exactly', () => {
	const attempt = { questionIds: ['q01', 'q02', 'q03', 'q04', 'q05', 'q06', 'q07', 'q08', 'q09'], choiceOrder: {} }
	// q01 → A(0), q02 → B(1), q03 → C(2), q04 → D(3)…
	const right = { q01: 0, q02: 1, q03: 2, q04: 3, q05: 0, q06: 1, q07: 2 }
	const g = grade(bank, attempt, { ...right, q08: 0 }, 78)
	expect(g).toMatchObject({ correct: 7, total: 9, score: 78 })
	expect(g.passed).toBe(false) // 7/9 = 77.8% < 78%
	expect(grade(bank, attempt, { ...right, q08: 3 }, 78).passed).toBe(true)
	expect(g.questions.find((q) => q.id === 'q09')).toEqual({ id: 'q09', chosen: null, correct: 0, isCorrect: false })
})

test('answers for questions outside the attempt or choices that do not exist are reported, not graded', () => {
	const attempt = drawAttempt(bank, 3)
	const [a, b] = attempt.questionIds
	const { answers, problems } = readAnswers(attempt, [
		[`answer.${a}`, '2'],
		[`answer.${b}`, '7'],
		['answer.q99', '1'],
		['answer.../x', '1'],
		['intent', 'submit'],
	])
	expect(answers).toEqual({ [a!]: 2 })
	expect(problems).toEqual([
		{ kind: 'bad-choice', questionId: b },
		{ kind: 'unknown-question', questionId: 'q99' },
		{ kind: 'unknown-question', questionId: '../x' },
	])
})

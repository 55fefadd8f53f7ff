// What a class session's live counts ("N em đã trả lời, M em đúng") become once it ends: every quick question with
// how many answered, how many were right and what they chose, and every student's answers. Read from the answers
// recorded while the session ran, so it is the same during the session and any time after it.
import { db } from '#app/db.server.ts'
import { sortByViName } from '#app/ui/collation.ts'
import { type ClassSession, classMembers } from './sessions.server.ts'

export type SummaryQuestion = {
	/** Index of the step in the session (answers are stored by step). */
	step: number
	number: number
	lessonTitle: string
	prompt: string
	choices: Array<string>
	answer: number
	answered: number
	correct: number
	/** How many chose each choice. */
	chosen: Array<number>
	/** False when the class never reached the question and nobody answered it. */
	asked: boolean
}

export type SummaryStudent = {
	id: string
	fullName: string
	joined: boolean
	/** One entry per question, in order: the choice made and whether it was right, or null when not answered. */
	answers: Array<{ choice: number; correct: boolean } | null>
	answered: number
	correct: number
}

export async function sessionSummary(event: Pick<ClassSession, 'id' | 'orgUnitId' | 'steps' | 'step' | 'closedAt'>) {
	const [members, joins, answers] = await Promise.all([
		// The class as it was when the session ended (or now, while it runs).
		classMembers(event.orgUnitId, event.closedAt ?? new Date()),
		db.classSessionJoin.findMany({ where: { eventId: event.id }, select: { user: { select: { id: true, fullName: true } } } }),
		db.classSessionAnswer.findMany({ where: { eventId: event.id }, select: { step: true, choice: true, correct: true, user: { select: { id: true, fullName: true } } } }),
	])
	const questions: Array<SummaryQuestion> = []
	event.steps.forEach((step, index) => {
		if (step.kind !== 'question') return
		const here = answers.filter((a) => a.step === index)
		questions.push({
			step: index,
			number: questions.length + 1,
			lessonTitle: step.lessonTitle,
			prompt: step.prompt,
			choices: step.choices,
			answer: step.answer,
			answered: here.length,
			correct: here.filter((a) => a.correct).length,
			chosen: step.choices.map((_, c) => here.filter((a) => a.choice === c).length),
			asked: here.length > 0 || index <= event.step,
		})
	})
	// Students on the list, and anyone who joined or answered and has left the class since.
	const people = new Map(members.map((m) => [m.id, m]))
	for (const j of joins) people.set(j.user.id, j.user)
	for (const a of answers) people.set(a.user.id, a.user)
	const joined = new Set(joins.map((j) => j.user.id))
	const students: Array<SummaryStudent> = sortByViName([...people.values()], (p) => p.fullName).map((p) => {
		const mine = questions.map((q) => {
			const a = answers.find((x) => x.user.id === p.id && x.step === q.step)
			return a ? { choice: a.choice, correct: a.correct } : null
		})
		return { id: p.id, fullName: p.fullName, joined: joined.has(p.id), answers: mine, answered: mine.filter(Boolean).length, correct: mine.filter((a) => a?.correct).length }
	})
	return { questions, students, joinedCount: joined.size }
}

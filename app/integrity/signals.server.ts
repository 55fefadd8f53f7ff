// Runs every signal over a range of completions and gathers their evidence per completion.
import { listCourses, getQuiz } from '#app/content/courses.server.ts'
import { ANSWERS } from '#app/content/schema.ts'
import { runSql } from '#app/db.server.ts'
import { type EvidenceItem, type Signal, sortEvidence } from './evidence.ts'
import { type EvidenceRow, SIGNAL_SAME_ANSWERS, SIGNAL_STATEMENTS } from './signals.sql.ts'

/** The answer key of every course in the content build: { courseSlug: { questionId: choice index } } (the index
 * answers are stored as, app/learning/quiz.ts). */
export type AnswerKeys = Record<string, Record<string, number>>

export function contentAnswerKeys(): AnswerKeys {
	const keys: AnswerKeys = {}
	for (const course of listCourses()) {
		const quiz = getQuiz(course.slug)
		if (!quiz) continue
		keys[course.slug] = Object.fromEntries(quiz.bank.map((q) => [q.id, ANSWERS.indexOf(q.answer)]))
	}
	return keys
}

export type FlaggedCompletion = { enrollmentId: string; completedAt: Date; evidence: Array<EvidenceItem> }
export type SignalRun = { flagged: Array<FlaggedCompletion>; timings: Record<Signal, number>; rows: Record<Signal, number> }

/**
 * Every signal over the completions in [from, to), one statement each (in turn: the job shares the database with
 * the site, and one statement at a time keeps it to one connection and one core). `answerKeys` defaults to the
 * content build's.
 */
export async function computeSignals(range: { from: Date; to: Date }, answerKeys: AnswerKeys = contentAnswerKeys()): Promise<SignalRun> {
	const timings = {} as Record<Signal, number>
	const rows = {} as Record<Signal, number>
	const all: Array<EvidenceRow> = []
	const timed = async (signal: Signal, run: () => Promise<Array<EvidenceRow>>) => {
		const started = performance.now()
		const found = await run()
		timings[signal] = Math.round(performance.now() - started)
		rows[signal] = found.length
		all.push(...found)
	}
	for (const [signal, statement] of Object.entries(SIGNAL_STATEMENTS) as Array<[Signal, (typeof SIGNAL_STATEMENTS)[keyof typeof SIGNAL_STATEMENTS]]>) {
		await timed(signal, () => runSql(statement, range))
	}
	await timed('same-answers', () => runSql(SIGNAL_SAME_ANSWERS, { ...range, keys: answerKeys }))

	const byCompletion = new Map<string, FlaggedCompletion>()
	for (const row of all) {
		const id = `${row.enrollmentId}@${row.completedAt.toISOString()}`
		let entry = byCompletion.get(id)
		if (!entry) byCompletion.set(id, (entry = { enrollmentId: row.enrollmentId, completedAt: row.completedAt, evidence: [] }))
		entry.evidence.push({ signal: row.signal as Signal, key: row.key as EvidenceItem['key'], vars: row.vars })
	}
	const flagged = [...byCompletion.values()].map((f) => ({ ...f, evidence: sortEvidence(f.evidence) }))
	return { flagged, timings, rows }
}

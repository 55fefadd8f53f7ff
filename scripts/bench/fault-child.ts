/**
 * A process to kill: the fault tests and `npm run bench:faults` start it on a database (DATABASE_URL), wait for the
 * line it prints when it is in the middle of its work, and kill -9 it there.
 *
 *   tsx scripts/bench/fault-child.ts import <unitId> <actorId> <rows> [tag]
 *     uploads a roster of <rows> new people to the unit, waits for the check, confirms it and prints
 *     "WRITING <jobId>" once the queue's job is writing it; then stays alive until killed.
 *
 *   tsx scripts/bench/fault-child.ts quiz <slug> <tag> <lanes>
 *     the learners whose e-mail starts with "qz<tag>-" take the course's quiz, <lanes> at a time, as the quiz page's
 *     action does (the open or a new attempt, then one submit of all answers): it prints "SUBMITTING <attemptId>
 *     <userId>" before each submit and "SUBMITTED <attemptId>" once it returned (the learner's 2xx), written
 *     synchronously so that a line printed is a line the killer can read. Every fourth learner answers wrongly.
 */
import { writeSync } from 'node:fs'
import { db } from '#app/db.server.ts'
import { startAttempt, submitAttempt } from '#app/learning/quiz.server.ts'
import { confirmRosterImport, startRosterImport } from '#app/org/import-jobs.server.ts'
import { rosterCsv } from '#tests/factories/roster-files.ts'
import { quizAnswers, quizRequest } from './quiz-answers.ts'

const [mode, ...args] = process.argv.slice(2)

/** Names may not contain digits: 0 → "A", 27 → "BB", … */
/** The tag in letters (names may not contain digits), so that each run's people have names of their own. */
const nameTag = (tag: string) => tag.replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)]!).toUpperCase()
const letters = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letters(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)))

if (mode === 'import') {
	const [unitId, actorId, count] = [Number(args[0]), String(args[1]), Number(args[2] ?? 20_000)]
	const scope = await db.orgUnit.findUniqueOrThrow({ where: { id: unitId }, select: { id: true, path: true, tree: true, name: true, code: true, kind: true } })
	const tag = args[3] ?? Math.random().toString(36).slice(2, 8)
	const rows = Array.from({ length: count }, (_, i) => [`Người Gián Đoạn ${nameTag(tag)} ${letters(i)}`, '', `gd${tag}${i}@example.vn`, '', scope.code, '', '', ''])
	const jobId = await startRosterImport({ bytes: rosterCsv(rows), fileName: 'gian-doan.csv', scope, actorId, mode: 'upsert', effectiveAt: new Date(Date.now() - 60_000), wait: true })
	// The write runs in one transaction whose statements may starve this process's timers, and on the embedded
	// database no other statement gets through until it ends: the line is written synchronously from the progress
	// report itself, once rows are already written inside the transaction.
	const { progressListeners } = await import('#app/jobs/import-progress.server.ts')
	progressListeners.add((id, phase, done) => {
		if (id !== jobId || phase !== 'writing' || done === 0) return
		progressListeners.clear()
		writeSync(1, `WRITING ${jobId}\n`)
	})
	if (!(await confirmRosterImport({ jobId, scope, actorId, wait: true }))) throw new Error(`job ${jobId} could not be confirmed`)
	// Not killed in time (the write ended first): the caller sees this line instead.
	writeSync(1, `FINISHED ${jobId}\n`)
	setInterval(() => undefined, 60_000)
} else if (mode === 'quiz') {
	const [slug, tag, lanes] = [String(args[0]), String(args[1]), Number(args[2] ?? 4)]
	const learners = await db.user.findMany({ where: { email: { startsWith: `qz${tag}-` } }, select: { id: true, email: true }, orderBy: { email: 'asc' } })
	let next = 0
	const lane = async () => {
		while (next < learners.length) {
			const learner = learners[next++]!
			const started = await startAttempt(learner.id, slug)
			if (!started.ok) {
				writeSync(1, `REFUSED ${learner.id} ${started.reason}\n`)
				continue
			}
			writeSync(1, `SUBMITTING ${started.attempt.id} ${learner.id}\n`)
			await submitAttempt(started.attempt, slug, quizAnswers(slug, started.attempt.questionIds, learner.email!), learner.id, quizRequest())
			writeSync(1, `SUBMITTED ${started.attempt.id}\n`)
		}
	}
	await Promise.all(Array.from({ length: lanes }, lane))
	writeSync(1, 'FINISHED\n')
	setInterval(() => undefined, 60_000)
} else {
	console.error('usage: tsx scripts/bench/fault-child.ts import <unitId> <actorId> <rows> [tag] | quiz <slug> <tag> <lanes>')
	process.exit(2)
}


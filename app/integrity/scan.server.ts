// The scan of the job `integrity.scan` (every 15 minutes): the completions since the last scan's end, minus a
// lookback so that a pattern finished by later completions is seen whole, through every signal; the evidence goes
// into CompletionReview (one per completion, merged into an OPEN one, never touching a decided one). Running it
// twice over the same data changes nothing the second time.
import { db, newId, runSql } from '#app/db.server.ts'
import { type AnswerKeys, computeSignals } from './signals.server.ts'
import { FIRST_TRACE, UPSERT_REVIEWS } from './signals.sql.ts'
import { LOOKBACK_MINUTES } from './thresholds.ts'

export type ScanResult = {
	from: Date
	to: Date
	flagged: number
	inserted: number
	updated: number
	durationMs: number
	timings: Record<string, number>
	rows: Record<string, number>
}

// Reviews are written in slices: one statement with a whole first scan's evidence would hold its locks for long.
const WRITE_SLICE = 2000

export async function scanCompletions(options: { now?: Date; answerKeys?: AnswerKeys } = {}): Promise<ScanResult> {
	const started = performance.now()
	const to = options.now ?? new Date()
	const state = await db.integrityScanState.findUnique({ where: { id: 1 } })
	const lookback = LOOKBACK_MINUTES * 60_000
	let from: Date
	if (state) from = new Date(state.scannedTo.getTime() - lookback)
	else {
		const [first] = await runSql(FIRST_TRACE, {})
		from = first?.at && first.at < to ? first.at : new Date(to.getTime() - lookback)
	}
	const run = await computeSignals({ from, to }, options.answerKeys)
	let inserted = 0
	let updated = 0
	for (let i = 0; i < run.flagged.length; i += WRITE_SLICE) {
		const rows = run.flagged.slice(i, i + WRITE_SLICE).map((f) => ({ id: newId(), enrollmentId: f.enrollmentId, completedAt: f.completedAt.toISOString(), evidence: f.evidence }))
		const [result] = await runSql(UPSERT_REVIEWS, { rows, now: to })
		inserted += result?.inserted ?? 0
		updated += result?.updated ?? 0
	}
	const durationMs = Math.round(performance.now() - started)
	// scannedTo never moves back (a scan with an earlier `now`, as tests and the bench pass, keeps the later end).
	const scannedTo = state && state.scannedTo > to ? state.scannedTo : to
	await db.integrityScanState.upsert({
		where: { id: 1 },
		create: { id: 1, scannedTo, durationMs, flagged: run.flagged.length },
		update: { scannedTo, durationMs, flagged: run.flagged.length },
	})
	return { from, to, flagged: run.flagged.length, inserted, updated, durationMs, timings: run.timings, rows: run.rows }
}

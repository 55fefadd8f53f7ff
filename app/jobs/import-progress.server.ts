// What an import job is doing, in its ImportJob row: progress (so that every instance shows the same bar) and a
// heartbeat (so that a job whose process died — kill -9, out of memory, a lost machine — is recognised and
// resolved within a minute, instead of showing "running" for ever with the roster kept in the row).
import { db } from '#app/db.server.ts'

export type ImportPhase = 'reading' | 'checking' | 'writing'

/** The worker renews its jobs' heartbeat this often… */
export const HEARTBEAT_MS = 5_000
/** …and a busy job whose heartbeat is older than this was abandoned by a process that no longer runs. */
export const ABANDONED_MS = 30_000

const latest = new Map<string, { phase: ImportPhase; done: number; total: number }>()
/** Jobs this process works on now: never swept as abandoned by this process, whatever their heartbeat says (on
 * PGlite the heartbeat waits behind the import's own transaction). */
const working = new Set<string>()

/** Called on every progress report of this process (the fault bench kills it in the middle of a write). */
export const progressListeners = new Set<(jobId: string, phase: ImportPhase, done: number, total: number) => void>()

/** Remembers the job's progress; written to its row with the next heartbeat (not on every row). */
export function reportProgress(jobId: string, phase: ImportPhase, done: number, total: number) {
	latest.set(jobId, { phase, done, total })
	for (const listener of progressListeners) listener(jobId, phase, done, total)
}

async function beat(jobId: string) {
	const p = latest.get(jobId)
	await db.importJob.updateMany({
		where: { id: jobId, status: { in: ['VALIDATING', 'RUNNING'] } },
		data: { heartbeatAt: new Date(), ...(p ? { progressPhase: p.phase, progressDone: p.done, progressTotal: p.total } : {}) },
	})
}

/**
 * Runs `work` for an import job with its heartbeat renewed meanwhile. The beats are not awaited by the work: on the
 * embedded database they wait until its transaction commits, and must not hold it up.
 */
export async function withHeartbeat<T>(jobId: string, work: () => Promise<T>): Promise<T> {
	working.add(jobId)
	let pending: Promise<unknown> = beat(jobId).catch(() => undefined)
	const timer = setInterval(() => {
		pending = pending.then(() => beat(jobId).catch(() => undefined))
	}, HEARTBEAT_MS)
	try {
		return await work()
	} finally {
		clearInterval(timer)
		working.delete(jobId)
		latest.delete(jobId)
		await pending
		await db.importJob.updateMany({ where: { id: jobId }, data: { progressPhase: null } }).catch(() => undefined)
	}
}

/**
 * Busy jobs (VALIDATING, RUNNING) that no process renews any more become FAILED with a message, and their file is
 * deleted: the write transaction of a killed process rolled back, so nothing of the import was written. `all`:
 * every busy job not run by this process (the embedded database, where no other process can be running one).
 */
export async function resolveAbandonedImports({ all = false, now = new Date() } = {}) {
	const before = new Date(now.getTime() - ABANDONED_MS)
	const abandoned = all ? {} : { OR: [{ heartbeatAt: { lt: before } }, { heartbeatAt: null, startedAt: { lt: before } }] }
	let resolved = 0
	for (const [status, key] of [
		['VALIDATING', 'import.failed.interruptedCheck'],
		['RUNNING', 'import.failed.interruptedRun'],
	] as const) {
		// One conditional statement: a job whose heartbeat was renewed meanwhile no longer matches and is left alone.
		const done = await db.importJob.updateMany({
			where: { status, id: { notIn: [...working] }, ...abandoned },
			data: { status: 'FAILED', errors: { total: 1, items: [{ key }] }, file: null, finishedAt: now, progressPhase: null },
		})
		resolved += done.count
	}
	return resolved
}

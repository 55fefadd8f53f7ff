// The server's part of the queue (server.ts calls this once at start, through the build's entry module, so that
// the queue and the routes share one module instance): workers, cron schedules, pg-boss maintenance, and the sweep
// that resolves imports whose process died.
import { db, rawDatabase } from '#app/db.server.ts'
import { ROLLUP_JOB } from '#app/reports/completion.server.ts'
import { resolveAbandonedImports } from './import-progress.server.ts'
import { every, sendJob, startQueue } from './queue.server.ts'
import { retentionSettings } from './retention.server.ts'

/** How often each instance looks for imports abandoned by a dead process (their heartbeat is 30 s old). */
const SWEEP_MS = 15_000

export async function startJobServer() {
	retentionSettings()
	// Embedded database: this process is the only opener of its directory (db-lock.server.ts), so any import still
	// busy was cut off by the previous process and is resolved now (before our workers start) rather than after its
	// heartbeat ages.
	if (rawDatabase().kind === 'pglite') await resolveAbandonedImports({ all: true })
	await startQueue({ server: true })
	await every(SWEEP_MS, () => resolveAbandonedImports())
	// A new (or just restored) database gets its first rollup now, not on the first dashboard view.
	if (!(await db.completionRollupState.findUnique({ where: { id: 1 }, select: { id: true } }))) await sendJob(ROLLUP_JOB)
}

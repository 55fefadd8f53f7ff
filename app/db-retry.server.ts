// A pooled PostgreSQL connection can be dead when it is handed out: the server ended it (restart, failover,
// pg_terminate_backend) and the pool has not noticed yet. Without this, each termination failed 6–8 requests with a
// 500 (issue 17 item 6). A statement that only reads is sent once more, on another connection, when it failed
// because its connection died; anything that may write is not (it may have been applied), and fails as before.
import type pg from 'pg'

/** Long enough for the event loop to process the pending socket errors of the pool's idle connections. */
const RETRY_PAUSE_MS = 25

const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED'])

/** The connection itself failed (ended by the server, reset, unreachable), not the statement. */
export function isConnectionError(error: unknown): boolean {
	const e = error as { code?: string; message?: string; cause?: unknown } | null
	if (!e) return false
	if (e.code && CONNECTION_CODES.has(e.code)) return true
	if (/Connection terminated|connection error and is not queryable|terminating connection/i.test(e.message ?? '')) return true
	return e.cause !== undefined && e.cause !== error && isConnectionError(e.cause)
}

/** Plain reads: SELECT (not FOR UPDATE/SHARE) and WITH … SELECT without a data-modifying part. */
export function isReadOnlyStatement(text: string) {
	const sql = text.trimStart()
	if (!/^(SELECT|WITH)\b/i.test(sql)) return false
	return !/\b(INSERT|UPDATE|DELETE|MERGE|FOR\s+(UPDATE|SHARE|NO\s+KEY|KEY))\b|nextval\(|pg_advisory|set_config\(/i.test(sql)
}

/** Makes `pool.query` send a read once more after a connection error (the statements Prisma runs outside transactions). */
export function retryReadsOnce<P extends pg.Pool>(pool: P): P {
	const query = pool.query.bind(pool) as (...args: Array<unknown>) => Promise<unknown>
	const patched = async (...args: Array<unknown>) => {
		const first = args[0]
		const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '')
		try {
			return await query(...args)
		} catch (error) {
			if (!isConnectionError(error) || !isReadOnlyStatement(text) || typeof args.at(-1) === 'function') throw error
			// A moment for the pool to read the other ended connections' errors and drop them, so that the second
			// attempt does not get one of them.
			await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS))
			return query(...args)
		}
	}
	;(pool as unknown as { query: typeof patched }).query = patched
	return pool
}

/**
 * Runs an idempotent write (a conditional status change) again after a connection error, up to `attempts` times:
 * marking a job FAILED must not be lost to the same termination that failed the job.
 */
export async function retryIdempotent<T>(write: () => Promise<T>, attempts = 3): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await write()
		} catch (error) {
			if (attempt >= attempts || !isConnectionError(error)) throw error
			await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS * attempt))
		}
	}
}

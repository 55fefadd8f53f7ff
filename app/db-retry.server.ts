// A pooled PostgreSQL connection can be dead when it is handed out: the server ended it (restart, failover,
// pg_terminate_backend) and the pool has not noticed yet. Without this, each termination failed 6–8 requests with a
// 500 (issue 17 item 6). A statement that only reads is sent once more, on another connection, when it failed
// because its connection died; anything that may write is not (it may have been applied), and fails as before.
//
// What a retry cannot save is noted on the request (`watchDatabase`): the HTTP layer (server/db-unavailable.ts)
// runs a GET's loader once more when the request has only read, and otherwise answers with a 503 page that says the
// change was not saved, instead of the generic 500.
import { AsyncLocalStorage } from 'node:async_hooks'
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

/** Statements that neither read nor write data: a transaction's frame. */
const TRANSACTION_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET\s+TRANSACTION|DEALLOCATE)\b/i

/** What the database layer saw while one HTTP request was handled. */
export type DatabaseWatch = {
	/** Connection failures that reached the app's code (a read that its retry saved is not counted). */
	lost: number
	/** A statement that may change data was sent (whether or not it was applied). */
	wrote: boolean
}

// On globalThis: the production server (dist/server.js) and the Remix build (build/server) each bundle a copy of
// this module, and both must see the same store.
const WATCH_KEY = Symbol.for('vms.database-watch')
const watches = ((globalThis as Record<symbol, unknown>)[WATCH_KEY] ??= new AsyncLocalStorage<DatabaseWatch>()) as AsyncLocalStorage<DatabaseWatch>

/** Runs `fn` (one HTTP request) with a fresh DatabaseWatch that the database layer fills in. */
export function watchDatabase<T>(fn: () => T): T {
	return watches.run({ lost: 0, wrote: false }, fn)
}

/** The current request's DatabaseWatch; undefined outside watchDatabase (scripts, jobs). */
export function databaseWatch(): DatabaseWatch | undefined {
	return watches.getStore()
}

function statementText(first: unknown) {
	return typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '')
}

function noteStatement(text: string) {
	const watch = watches.getStore()
	if (watch && !watch.wrote && !isReadOnlyStatement(text) && !TRANSACTION_CONTROL.test(text)) watch.wrote = true
}

function noteFailure(error: unknown) {
	const watch = watches.getStore()
	if (watch && isConnectionError(error)) watch.lost++
}

const WATCHED = Symbol('vms.watched-client')
const CHECKOUT = Symbol('vms.checkout')

type Checkout = { released: boolean; release: (error?: Error | boolean) => void }
type WatchedClient = pg.PoolClient & { [WATCHED]?: true; [CHECKOUT]?: Checkout }

/**
 * Gives the pool back a client whose connection died, at once: Prisma's transaction sends ROLLBACK before it releases
 * its client, and when that ROLLBACK fails on the dead connection it never releases it. Each transaction cut by a
 * termination would keep one of the pool's connections for ever, and after DB_POOL_SIZE of them every request would
 * wait. A later release() of the same checkout is then a no-op.
 */
function releaseDead(client: WatchedClient, error: unknown) {
	const checkout = client[CHECKOUT]
	if (!checkout || checkout.released || !isConnectionError(error)) return
	checkout.released = true
	checkout.release(error instanceof Error ? error : true)
}

/**
 * A client checked out with `pool.connect()` (Prisma's transactions): its promise-style statements are noted. A
 * statement of a transaction is never sent again here: the transaction died with its connection (and was rolled
 * back by the server), so only the whole request can be redone.
 */
function watchClient<C extends pg.PoolClient>(client: C): C {
	const marked = client as C & WatchedClient
	// pg-pool sets a new release() on each checkout.
	const checkout: Checkout = { released: false, release: client.release.bind(client) }
	marked[CHECKOUT] = checkout
	marked.release = (error?: Error | boolean) => {
		if (checkout.released) return
		checkout.released = true
		checkout.release(error)
	}
	if (marked[WATCHED]) return client
	marked[WATCHED] = true
	const query = client.query.bind(client) as (...args: Array<unknown>) => unknown
	;(client as unknown as { query: (...args: Array<unknown>) => unknown }).query = (...args: Array<unknown>) => {
		// The callback form is pg-pool's own (pool.query, noted there); its callback may run in another request's
		// context, so it is not noted here.
		if (typeof args.at(-1) === 'function') return query(...args)
		noteStatement(statementText(args[0]))
		const out = query(...args)
		if (!(out instanceof Promise)) return out
		return out.catch((error: unknown) => {
			noteFailure(error)
			releaseDead(marked, error)
			throw error
		})
	}
	return client
}

/**
 * Makes `pool.query` send a read once more after a connection error (the statements Prisma runs outside
 * transactions), and notes on the current request what it sent and which connection failures reached the app.
 */
export function retryReadsOnce<P extends pg.Pool>(pool: P): P {
	const query = pool.query.bind(pool) as (...args: Array<unknown>) => Promise<unknown>
	const patched = async (...args: Array<unknown>) => {
		const text = statementText(args[0])
		noteStatement(text)
		try {
			return await query(...args)
		} catch (error) {
			if (!isConnectionError(error) || !isReadOnlyStatement(text) || typeof args.at(-1) === 'function') {
				noteFailure(error)
				throw error
			}
			// A moment for the pool to read the other ended connections' errors and drop them, so that the second
			// attempt does not get one of them.
			await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS))
			try {
				return await query(...args)
			} catch (again) {
				noteFailure(again)
				throw again
			}
		}
	}
	;(pool as unknown as { query: typeof patched }).query = patched
	// pg-pool's own query() checks out with a callback; only the promise form (Prisma's transactions) is watched.
	const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown
	;(pool as unknown as { connect: typeof connect }).connect = (callback?: unknown) => {
		if (typeof callback === 'function') return connect(callback)
		return (connect() as Promise<pg.PoolClient>).then(watchClient, (error: unknown) => {
			noteFailure(error)
			throw error
		})
	}
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

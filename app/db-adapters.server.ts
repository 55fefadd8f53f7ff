// Driver adapters for Prisma 6.19 with the Rust-free client: PGlite (embedded, in ./.data) or real PostgreSQL.
// Several adapter bugs are worked around here; each is named where it is handled. Recipe and error texts:
// docs/decisions/002-prisma-pglite-postgres.md.
import { mkdirSync } from 'node:fs'
import os from 'node:os'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { DriverAdapterError } from '@prisma/driver-adapter-utils'
import pg from 'pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { lockDataDir } from './db-lock.server.ts'
import { retryReadsOnce } from './db-retry.server.ts'
import { parseDatabaseUrl } from './db-url.server.ts'

export { DEFAULT_DATABASE_URL } from './db-url.server.ts'

export function isPostgresUrl(url: string) {
	return parseDatabaseUrl(url).kind === 'postgres'
}

/** The PGlite data directory of a `pglite:<dir>` URL, or undefined for `pglite:memory`. Throws on other URLs. */
export function pgliteDataDir(url: string): string | undefined {
	const target = parseDatabaseUrl(url)
	if (target.kind !== 'pglite') throw new Error(`${url.split(':')[0]}: not an embedded database URL`)
	return target.dir
}

/** Opens an embedded database; a directory is locked first (db-lock.server.ts) and unlocked when closed. */
export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
	if (!dataDir) return new PGlite()
	// PGlite creates only the last path segment of its directory.
	mkdirSync(dataDir, { recursive: true })
	const lock = await lockDataDir(dataDir)
	let db: PGlite
	try {
		db = new PGlite(dataDir)
		await db.waitReady
	} catch (error) {
		await lock.release()
		throw error
	}
	const close = db.close.bind(db)
	return Object.assign(db, {
		close: async () => {
			try {
				await close()
			} finally {
				await lock.release()
			}
		},
	})
}

// adapter-pg 6.19 cannot decode the PG type `name` (oid 19) that the migration engine reads
// ("Column type 'name' could not be deserialized"); present it as text.
class NameAsTextClient extends pg.Client {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	override query(...args: Array<any>): any {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const fix = (result: any) => {
			for (const r of [result].flat()) {
				for (const field of r?.fields ?? []) if (field.dataTypeID === 19) field.dataTypeID = 25
			}
			return result
		}
		const callback = typeof args.at(-1) === 'function' ? args.pop() : undefined
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const query = super.query as (...a: Array<any>) => any
		if (callback) {
			return query.call(this, ...args, (error: unknown, result: unknown) =>
				callback(error, error ? result : fix(result)),
			)
		}
		const out = query.call(this, ...args)
		return typeof out?.then === 'function' ? out.then(fix) : out
	}
}

// Discrete fields, not `connectionString`: pg lets a connection string override `database`, which would point
// adapter-pg's shadow database at the main one. allowExitOnIdle lets scripts exit without waiting for the pool.
export function pgConfig(url: string, max?: number): pg.PoolConfig {
	const u = new URL(url)
	return {
		host: u.hostname,
		port: Number(u.port || 5432),
		database: decodeURIComponent(u.pathname.slice(1)),
		// Like psql: no user in the URL means PGUSER, else the OS account (pg itself reads only $USER, often unset).
		user: decodeURIComponent(u.username) || process.env.PGUSER || os.userInfo().username,
		password: decodeURIComponent(u.password) || undefined,
		max,
		allowExitOnIdle: true,
		// PostgreSQL's JIT compiles any statement whose estimated cost passes jit_above_cost. The completion reports'
		// estimates are far above it even for a department, and compiling took 1.5–5 s per statement against
		// 0.1–0.3 s of execution (decision 012). Nothing in this app runs long enough for JIT to pay off.
		options: '-c jit=off',
		Client: NameAsTextClient,
	}
}

// pglite-prisma-adapter reports every database error as a generic one, so Prisma never raises P2002 and friends.
// Map the SQLSTATEs that our code handles, as adapter-pg does. Patched once on the shared prototype.
let pgliteErrorsPatched = false
function patchPgliteErrors(connection: object) {
	if (pgliteErrorsPatched) return
	const proto = Object.getPrototypeOf(Object.getPrototypeOf(connection))
	const original = proto.onError
	proto.onError = function onError(error: { code?: string; message?: string; detail?: string; constraint?: string }) {
		const fields = error?.detail?.match(/Key \(([^)]+)\)/)?.[1]?.split(', ')
		const constraint = fields ? { fields } : undefined
		const byCode: Record<string, object> = {
			'23505': { kind: 'UniqueConstraintViolation', constraint },
			'23502': { kind: 'NullConstraintViolation', constraint },
			'23503': {
				kind: 'ForeignKeyConstraintViolation',
				constraint: error?.constraint ? { index: error.constraint } : undefined,
			},
			'40001': { kind: 'TransactionWriteConflict' },
		}
		const mapped = error?.code ? byCode[error.code] : undefined
		if (mapped) {
			throw new DriverAdapterError({
				originalCode: error.code,
				originalMessage: error.message,
				...mapped,
			} as ConstructorParameters<typeof DriverAdapterError>[0])
		}
		return original.call(this, error)
	}
	pgliteErrorsPatched = true
}

/**
 * One SQL statement straight to the driver, on the same connections as Prisma. For the few hot paths where Prisma's
 * per-query cost is most of the request (the lesson page: ~1.3 ms of CPU for a raw query through Prisma, ~0.2 ms
 * as a prepared statement on pg; decision 009). `name` makes it a prepared statement on PostgreSQL.
 * Timestamps do not come back as Date in the same way from both drivers: select them as epoch milliseconds.
 */
export type SqlQuery = <Row>(statement: { name: string; text: string }, values: ReadonlyArray<unknown>) => Promise<Array<Row>>

/** The adapter for `new PrismaClient({ adapter })` and a SqlQuery on the same database. Pass `pglite` to use an
 * already open instance (tests). */
export function createDatabase(url: string, options: { pglite?: PGlite; poolSize?: number; pool?: pg.Pool } = {}) {
	const target = options.pglite ? ({ kind: 'pglite', dir: undefined } as const) : parseDatabaseUrl(url)
	if (target.kind === 'postgres') {
		// Reads retried once on a connection the server ended (db-retry.server.ts, issue 17 item 6). `pool`: one made by
		// the caller (the read replica's router, db-replica.server.ts), used as it is.
		const pool = options.pool ?? retryReadsOnce(new pg.Pool(pgConfig(url, options.poolSize)))
		// An idle connection that the server ends (restart, pg_terminate_backend, DROP DATABASE … WITH (FORCE)) is
		// dropped from the pool; without a listener its error event would end the process. A warning, not an error:
		// no request failed, the pool opens another connection when one is needed.
		pool.on('error', (error) => console.warn(`PostgreSQL: idle connection lost (${error.message})`))
		const query: SqlQuery = async <Row>(statement: { name: string; text: string }, values: ReadonlyArray<unknown>) =>
			(await pool.query({ name: statement.name, text: statement.text, values: [...values] })).rows as Array<Row>
		return { adapter: new PrismaPg(pool), query, raw: { kind: 'postgres' as const, pool } }
	}
	// Opened (and the directory locked) at once, so that a locked directory fails the first query, not a later one;
	// reopened after a $disconnect closed it.
	let opening: Promise<PGlite> | undefined
	const open = () => {
		if (!opening) {
			opening = options.pglite ? Promise.resolve(options.pglite) : openPglite(target.dir)
			opening.catch(() => (opening = undefined))
		}
		return opening
	}
	open()
	const query: SqlQuery = async <Row>(statement: { name: string; text: string }, values: ReadonlyArray<unknown>) =>
		(await (await open()).query<Row>(statement.text, [...values])).rows
	const close = async () => {
		if (options.pglite || !opening) return
		const db = await opening.catch(() => undefined)
		opening = undefined
		openDatabases.delete(close)
		await db?.close()
	}
	openDatabases.add(close)
	return { adapter: pgliteAdapter(open, close), query, raw: { kind: 'pglite' as const, open } }
}

// Embedded databases this process opened: an open PGlite keeps a finished script alive, and a script that used
// only sql() never gets Prisma's dispose() to close it.
const openDatabases = new Set<() => Promise<void>>()

/** Closes (and unlocks) every embedded database this process opened; for scripts that are done. */
export async function closeEmbeddedDatabases() {
	await Promise.all([...openDatabases].map((close) => close()))
}

/** The adapter alone (scripts that only use Prisma). */
export function createAdapter(url: string, options: { pglite?: PGlite; poolSize?: number } = {}) {
	return createDatabase(url, options).adapter
}

function pgliteAdapter(open: () => Promise<PGlite>, close: () => Promise<void>) {
	return {
		provider: 'postgres' as const,
		adapterName: 'pglite-prisma-adapter',
		connect: async () => {
			const connection = await new PrismaPGlite(await open()).connect()
			patchPgliteErrors(connection)
			// The adapter's dispose() does nothing, which would keep the process alive and the data dir open.
			return Object.assign(connection, { dispose: close })
		},
	}
}

// Both adapters run migration scripts wrongly: adapter-pg splits on every ";" (breaking $$ bodies) and
// pglite-prisma-adapter does not await the script. Run each script as one simple-protocol query.
function fixExecuteScript<T extends { executeScript(script: string): Promise<void> }>(
	connection: T,
	run: (script: string) => Promise<unknown>,
): T {
	connection.executeScript = async (script) => {
		try {
			await run(script)
		} catch (error) {
			;(connection as unknown as { onError(e: unknown): never }).onError(error)
		}
	}
	return connection
}

// The schema engine replays migrations into the shadow database with argument-less executeRaw, which
// PGlite's extended protocol refuses for several statements; use exec() for those.
async function pgliteMigrationConnection(db: PGlite) {
	const connection = fixExecuteScript(await new PrismaPGlite(db).connect(), (s) => db.exec(s))
	const executeRaw = connection.executeRaw.bind(connection)
	connection.executeRaw = async (query) => {
		if (query.args.length) return executeRaw(query)
		try {
			return (await db.exec(query.sql)).at(-1)?.affectedRows ?? 0
		} catch (error) {
			return (connection as unknown as { onError(e: unknown): never }).onError(error)
		}
	}
	connection.dispose = () => db.close()
	return connection
}

/** The migration-capable adapter used by prisma.config.ts (migrate deploy / diff). */
export function createMigrationAdapter(url: string) {
	const target = parseDatabaseUrl(url)
	if (target.kind === 'postgres') {
		const factory = new PrismaPg(pgConfig(url))
		const wrap = async <T extends { executeScript(s: string): Promise<void>; underlyingDriver(): unknown }>(
			p: Promise<T>,
		) => {
			const c = await p
			return fixExecuteScript(c, (s) => (c.underlyingDriver() as pg.Client).query(s))
		}
		return Object.assign(factory, {
			connect: () => wrap(PrismaPg.prototype.connect.call(factory)),
			connectToShadowDb: () => wrap(PrismaPg.prototype.connectToShadowDb.call(factory)),
		})
	}
	let main: Promise<PGlite> | undefined
	return {
		provider: 'postgres' as const,
		adapterName: 'pglite-prisma-adapter',
		connect: async () => pgliteMigrationConnection(await (main ??= openPglite(target.dir))),
		// Always a throw-away in-memory database, never the main one.
		connectToShadowDb: async () => pgliteMigrationConnection(new PGlite()),
	}
}

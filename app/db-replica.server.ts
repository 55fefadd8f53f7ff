// Reports from a PostgreSQL streaming replica (REPLICA_DATABASE_URL, issue 21 §3). Dashboards, report exports and
// people lists are the heavy reads of a deadline week; a hot standby of the primary can answer them, while every other
// page, and every write of any page, stays on the primary.
//
// - Which requests: server.ts runs the report URLs (GET only) inside `withReportReader`; there `db` and `sql` go
//   through a client whose plain reads (db-retry.server.ts isReadOnlyStatement) are sent to the replica and whose
//   writes and transactions go to the primary's pool. So a report that happens to write (a session renewed, a
//   rollup refresh asked of the queue) still writes to the primary.
// - Read your own writes: every non-GET request gets a short-lived cookie (recentWriteCookie); a request carrying it
//   reads from the primary. The window is the largest lag we accept plus one health check, so once it ends the
//   replica has replayed the write (or is known to lag, below). In a cookie rather than in this process's memory: the
//   next request may reach another node. It is not signed: forging it only makes one's own reports read from the
//   primary, which anyone gets by sending a form.
// - Lag and loss: every second the primary's WAL position is compared with the replica's replay position. Behind by
//   more than REPLICA_MAX_LAG_MS, unreachable, no longer a standby (promoted) or not checked recently: reports read
//   from the primary, with one log line when that starts and one when it ends. A replica read that fails on its
//   connection is sent to the primary at once.
import pg from 'pg'
import { pgConfig } from './db-adapters.server.ts'
import { isConnectionError, isReadOnlyStatement, retryReadsOnce } from './db-retry.server.ts'
import { createPrismaClient, getDb, type PrismaClient, rawDatabase, withReader } from './db.server.ts'
import { getEnv } from './env.server.ts'

/** How often the replica's replay position is compared with the primary's. */
export const CHECK_MS = 1_000
export const RECENT_WRITE_COOKIE = 'vms_wrote'

export type ReplicaState = 'unknown' | 'ok' | 'lagging' | 'lost' | 'not-standby'
export type ReplicaHealth = { state: ReplicaState; lagMs: number | null; checkedAt: number; reason?: string }

type Replica = {
	reader: PrismaClient
	replicaPool: pg.Pool
	primaryPool: pg.Pool
	maxLagMs: number
	health: ReplicaHealth
	/** The primary's WAL position over the last minute: [time, lsn]. */
	samples: Array<[number, bigint]>
	timer?: NodeJS.Timeout
	checking?: Promise<ReplicaHealth>
}

// One per process (and per primary client: tests swap the primary).
const globalForReplica = globalThis as unknown as { __vmsReplica?: { primary: PrismaClient; replica: Replica | null } }

/** "16/B374D848" → a number that orders like the WAL. */
function lsn(text: string) {
	const [high, low] = text.split('/')
	return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`)
}

/**
 * A pool for Prisma's adapter that sends plain reads to the replica while it is usable and everything else to the
 * primary's own pool (transactions take a connection with connect(): the primary). Never connects by itself.
 */
class ReadRouter extends pg.Pool {
	constructor(
		config: pg.PoolConfig,
		private readonly primary: pg.Pool,
		private readonly replica: pg.Pool,
		private readonly usable: () => boolean,
		private readonly failed: (error: unknown) => void,
	) {
		super(config)
	}

	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	override query(...args: Array<any>): any {
		const first = args[0]
		const text: string = typeof first === 'string' ? first : (first?.text ?? '')
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const onPrimary = () => (this.primary.query as (...a: Array<any>) => any)(...args)
		if (typeof args.at(-1) === 'function' || !isReadOnlyStatement(text) || !this.usable()) return onPrimary()
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		return (this.replica.query as (...a: Array<any>) => Promise<any>)(...args).catch((error: unknown) => {
			// A lost connection, or a read cancelled by the standby's replay (40001 "conflict with recovery").
			if (!isConnectionError(error) && (error as { code?: string }).code !== '40001') throw error
			this.failed(error)
			return onPrimary()
		})
	}

	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	override connect(...args: Array<any>): any {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		return (this.primary.connect as (...a: Array<any>) => any)(...args)
	}

	override async end() {
		// The primary's pool belongs to the primary's client.
		await this.replica.end()
	}
}

function describe(health: ReplicaHealth, maxLagMs: number) {
	if (health.state === 'lagging') return `${((health.lagMs ?? 0) / 1000).toFixed(1)} s behind the primary (limit ${maxLagMs / 1000} s)`
	if (health.state === 'lost') return `unreachable (${health.reason ?? 'no answer'})`
	if (health.state === 'not-standby') return 'not a standby any more (promoted, or not a replica of this primary)'
	return health.state
}

function setHealth(replica: Replica, next: ReplicaHealth) {
	const before = replica.health.state
	replica.health = next
	if (before === next.state) return
	if (next.state === 'ok') console.log(`Read replica: ${before === 'unknown' ? 'in use' : 'caught up'}, reports read from it`)
	else console.warn(`Read replica: ${describe(next, replica.maxLagMs)}: reports read from the primary`)
}

async function check(replica: Replica): Promise<ReplicaHealth> {
	const now = Date.now()
	const { rows } = await replica.primaryPool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
	const primaryLsn = lsn(rows[0]!.lsn)
	replica.samples.push([now, primaryLsn])
	while (replica.samples.length > 1 && replica.samples[0]![0] < now - 60_000) replica.samples.shift()
	let standby: { standby: boolean; lsn: string | null }
	try {
		const result = await replica.replicaPool.query<{ standby: boolean; lsn: string | null }>(
			'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn',
		)
		standby = result.rows[0]!
	} catch (error) {
		const next: ReplicaHealth = { state: 'lost', lagMs: null, checkedAt: Date.now(), reason: error instanceof Error ? error.message : String(error) }
		setHealth(replica, next)
		return next
	}
	if (!standby.standby || !standby.lsn) {
		const next: ReplicaHealth = { state: 'not-standby', lagMs: null, checkedAt: Date.now() }
		setHealth(replica, next)
		return next
	}
	const replayed = lsn(standby.lsn)
	// The lag is at least the age of the oldest primary position the replica has not replayed yet.
	const pending = replica.samples.find(([, position]) => position > replayed)
	const lagMs = pending ? now - pending[0] : 0
	const next: ReplicaHealth = { state: lagMs > replica.maxLagMs ? 'lagging' : 'ok', lagMs, checkedAt: Date.now() }
	setHealth(replica, next)
	return next
}

/** Compares the replica with the primary now (the timer does it every CHECK_MS); null without a replica. */
export function checkReplica(): Promise<ReplicaHealth> | null {
	const replica = currentReplica()
	if (!replica) return null
	replica.checking ??= check(replica)
		.catch((error: unknown) => {
			// The primary itself did not answer: nothing to compare with, so no replica reads either.
			const next: ReplicaHealth = { state: 'unknown', lagMs: null, checkedAt: Date.now(), reason: error instanceof Error ? error.message : String(error) }
			replica.health = next
			return next
		})
		.finally(() => (replica.checking = undefined))
	return replica.checking
}

function openReplica(primary: PrismaClient): Replica | null {
	const env = getEnv()
	if (!env.REPLICA_DATABASE_URL) return null
	const raw = rawDatabase(primary)
	if (raw.kind !== 'postgres') {
		console.warn('Read replica: REPLICA_DATABASE_URL is ignored, the primary is the embedded database (PGlite)')
		return null
	}
	// A replica that does not answer must not hold a report up for long: the read then goes to the primary.
	const config = { ...pgConfig(env.REPLICA_DATABASE_URL, env.DB_POOL_SIZE), connectionTimeoutMillis: 2_000 }
	const replicaPool = retryReadsOnce(new pg.Pool(config))
	// A warning, as for the primary's pool (db-adapters.server.ts): no request failed.
	replicaPool.on('error', (error) => console.warn(`Read replica: idle connection lost (${error.message})`))
	const replica: Replica = {
		reader: undefined as unknown as PrismaClient,
		replicaPool,
		primaryPool: raw.pool,
		maxLagMs: env.REPLICA_MAX_LAG_MS,
		health: { state: 'unknown', lagMs: null, checkedAt: 0 },
		samples: [],
	}
	// Usable only while the last check, recent enough to still tell, found it close behind.
	const usable = () => replica.health.state === 'ok' && Date.now() - replica.health.checkedAt <= replica.maxLagMs
	const failed = (error: unknown) => {
		const reason = error instanceof Error ? error.message : String(error)
		if (isConnectionError(error)) setHealth(replica, { state: 'lost', lagMs: null, checkedAt: Date.now(), reason })
		else console.warn(`Read replica: a read was cancelled there (${reason}), sent to the primary`)
	}
	const router = new ReadRouter(config, raw.pool, replicaPool, usable, failed)
	replica.reader = createPrismaClient(env.DATABASE_URL, { pool: router })
	replica.timer = setInterval(() => void checkReplica(), CHECK_MS)
	replica.timer.unref()
	return replica
}

function currentReplica(): Replica | null {
	const primary = getDb()
	const found = globalForReplica.__vmsReplica
	if (found?.primary === primary) return found.replica
	if (found?.replica?.timer) clearInterval(found.replica.timer)
	const replica = openReplica(primary)
	globalForReplica.__vmsReplica = { primary, replica }
	if (replica) void checkReplica()
	return replica
}

/** The replica's state as last checked; null without a replica. */
export function replicaHealth(): ReplicaHealth | null {
	return currentReplica()?.health ?? null
}

/** Whether this request carries the mark of a recent write by its sender (see recentWriteCookie). */
function wroteRecently(cookieHeader: string | null | undefined) {
	if (!cookieHeader) return false
	const match = new RegExp(`(?:^|;\\s*)${RECENT_WRITE_COOKIE}=(\\d{1,16})`).exec(cookieHeader)
	if (!match) return false
	const replica = currentReplica()
	return Date.now() - Number(match[1]) < recentWriteWindowMs(replica?.maxLagMs ?? getEnv().REPLICA_MAX_LAG_MS)
}

/** After a write, the sender reads from the primary for the lag we accept plus one check (and a second's margin). */
function recentWriteWindowMs(maxLagMs: number) {
	return maxLagMs + CHECK_MS + 1_000
}

/**
 * The Set-Cookie value that server.ts adds to every non-GET response while a replica is configured, or null. It
 * holds the time of the request, so that the reading side can also tell its age.
 */
export function recentWriteCookie(now = Date.now()): string | null {
	const env = getEnv()
	if (!env.REPLICA_DATABASE_URL) return null
	const seconds = Math.ceil(recentWriteWindowMs(env.REPLICA_MAX_LAG_MS) / 1000)
	return `${RECENT_WRITE_COOKIE}=${now}; Max-Age=${seconds}; Path=/; HttpOnly; SameSite=Lax${env.SECURE_COOKIES === 'true' ? '; Secure' : ''}`
}

/**
 * Runs `work` (a report request) with its plain reads on the replica when there is one, it is close behind, and
 * the sender did not write recently; otherwise as usual, on the primary.
 */
export function withReportReader<T>(cookieHeader: string | null | undefined, work: () => T): T {
	const replica = currentReplica()
	if (!replica || wroteRecently(cookieHeader)) return work()
	if (replica.health.state !== 'ok' || Date.now() - replica.health.checkedAt > replica.maxLagMs) return work()
	return withReader(replica.reader, work)
}

/** Stops the checks and closes the replica's connections (tests, scripts). */
export async function closeReplica() {
	const found = globalForReplica.__vmsReplica
	globalForReplica.__vmsReplica = undefined
	if (!found?.replica) return
	clearInterval(found.replica.timer)
	await found.replica.reader.$disconnect()
	await found.replica.replicaPool.end().catch(() => undefined)
}

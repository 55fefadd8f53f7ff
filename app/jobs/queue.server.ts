// The job queue: pg-boss 10 on the app's own database (decision 020). Its tables live in the `pgboss` schema of the
// same PostgreSQL, or of the embedded PGlite, reached through the app's driver (one pool, one opener of a data
// directory). Jobs are rows, so any instance may send one, whichever instance is free runs it, and a job whose
// process died is found by the database rather than by memory. Handlers are in app/jobs/handlers.server.ts.
import PgBoss from 'pg-boss'
import { z } from 'zod'
import { checkRows, getDb, type PrismaClient, rawDatabase } from '#app/db.server.ts'
import { VN_TIME_ZONE } from '#app/ui/dates.ts'

export const JOB_SCHEMA = 'pgboss'
/** Scheduled work runs in Vietnam time (UTC+7, no daylight saving). */
export const JOB_TIME_ZONE = VN_TIME_ZONE

export type JobDefinition<Data extends object> = {
	name: string
	/** stately: at most one waiting and one running (a refresh asked for twice is one refresh). */
	policy?: 'standard' | 'stately'
	retryLimit?: number
	retryDelay?: number
	retryBackoff?: boolean
	/** How long a run may take before pg-boss counts it as lost (and retries it if retries remain). */
	expireInSeconds?: number
	/** cron in Vietnam time: the queue itself sends the job then, once for all instances. */
	cron?: string
	run: (data: Data) => Promise<unknown>
}

const definitions = new Map<string, JobDefinition<object>>()

export function defineJob<Data extends object>(definition: JobDefinition<Data>) {
	definitions.set(definition.name, definition as unknown as JobDefinition<object>)
	return definition
}

let handlersLoaded: Promise<unknown> | undefined
/**
 * The job table, loaded once; every caller awaits the same load. Checking "no definitions yet" instead let a second
 * caller through while the first was still loading it (under vitest a module is evaluated asynchronously, and a
 * dashboard asking twelve refreshes at once got "Unknown job rollup.refresh" five times in CI).
 */
function loadHandlers() {
	if (!handlersLoaded) {
		handlersLoaded = import('./handlers.server.ts')
		// A load that failed is tried again by the next caller.
		handlersLoaded.catch(() => (handlersLoaded = undefined))
	}
	return handlersLoaded
}

/** A job's definition as registered (tests of a job's settings). */
export function jobDefinition(name: string): JobDefinition<object> | undefined {
	return definitions.get(name)
}

type Queue = { boss: PgBoss; workers: Map<string, string>; client: PrismaClient; stop: Array<() => void> }

// On globalThis: server.ts and the Remix build each bundle this module; both must find the same running queue.
const globalForQueue = globalThis as unknown as { __vmsQueues?: Map<PrismaClient, Promise<Queue>> }
const queues = (globalForQueue.__vmsQueues ??= new Map())

/**
 * pg-boss's `db` option over our driver. PGlite: pg-boss sends multi-statement SQL without parameters (schema
 * creation, maintenance), which only the simple protocol (exec) runs, and reads rows from the last statements, so the
 * rows of every statement are returned together; with parameters, an ordinary prepared query.
 */
function bossDb(client: PrismaClient): PgBoss.Db {
	const raw = rawDatabase(client)
	if (raw.kind === 'postgres') return { executeSql: (text, values) => raw.pool.query(text, values) }
	return {
		executeSql: async (text, values) => {
			const pglite = await raw.open()
			if (!values || values.length === 0) return { rows: (await pglite.exec(text)).flatMap((result) => result.rows) }
			return pglite.query(text, values)
		},
	}
}

export type QueueOptions = {
	/** The server: cron schedules, pg-boss maintenance (lost jobs expire) and the `onStart` sweeps. */
	server?: boolean
	/** Run the handlers in this process (default true). */
	work?: boolean
}

/** Starts the queue on the current database once; later calls return the same one. */
export function startQueue(options: QueueOptions = {}, client: PrismaClient = getDb()): Promise<Queue> {
	let queue = queues.get(client)
	if (!queue) {
		queue = openQueue(client, options)
		queues.set(client, queue)
		queue.catch(() => queues.delete(client))
	}
	return queue
}

async function openQueue(client: PrismaClient, options: QueueOptions): Promise<Queue> {
	await loadHandlers()
	const server = options.server ?? false
	const boss = new PgBoss({
		db: bossDb(client),
		schema: JOB_SCHEMA,
		migrate: true,
		schedule: server,
		supervise: server,
		maintenanceIntervalSeconds: 30,
		// A worker looks for work this often; a job sent by this process wakes its worker at once (notifyWorker).
		pollingIntervalSeconds: 2,
		// Finished jobs are kept a week for /admin and the operators, then deleted.
		deleteAfterDays: 7,
	})
	boss.on('error', (error: Error) => console.error(`Hàng đợi công việc (pg-boss): ${error.message}`))
	await boss.start()
	const queue: Queue = { boss, workers: new Map(), client, stop: [] }
	await oneProcessAtATime(client, () => createQueues(boss, queue, options))
	return queue
}

// Any 64-bit number of our own; the same in every process of the app.
const QUEUE_SETUP_LOCK = 7_021_021
/**
 * pg-boss's create_queue deadlocks when two processes create the same queue at once (two nodes started together on a
 * new database: one of them stopped with "deadlock detected"), so the setup takes a PostgreSQL advisory lock.
 */
async function oneProcessAtATime<T>(client: PrismaClient, work: () => Promise<T>): Promise<T> {
	const raw = rawDatabase(client)
	if (raw.kind !== 'postgres') return work()
	const connection = await raw.pool.connect()
	try {
		await connection.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK])
		return await work()
	} finally {
		await connection.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK]).catch(() => undefined)
		connection.release()
	}
}

async function createQueues(boss: PgBoss, queue: Queue, options: QueueOptions) {
	const server = options.server ?? false
	for (const job of definitions.values()) {
		await boss.createQueue(job.name, {
			name: job.name,
			policy: job.policy ?? 'standard',
			retryLimit: job.retryLimit ?? 0,
			retryDelay: job.retryDelay ?? 30,
			retryBackoff: job.retryBackoff ?? false,
			expireInSeconds: job.expireInSeconds ?? 15 * 60,
		})
		if (options.work !== false) {
			const id = await boss.work<object>(job.name, { batchSize: 1 }, async ([item]) => {
				if (item) return job.run(item.data)
			})
			queue.workers.set(job.name, id)
		}
		if (server && job.cron) await boss.schedule(job.name, job.cron, {}, { tz: JOB_TIME_ZONE })
		else if (server) await boss.unschedule(job.name).catch(() => undefined)
	}
}

/** Sends a job; a worker of this process, if any, starts on it now rather than at its next poll. Null: a stately
 * queue already had one waiting (the request is merged into it). */
export async function sendJob(name: string, data: object = {}, options: PgBoss.SendOptions = {}) {
	await loadHandlers()
	if (!definitions.has(name)) throw new Error(`Unknown job ${name}`)
	const queue = await startQueue()
	const id = await queue.boss.send(name, data, options)
	const worker = queue.workers.get(name)
	if (worker) queue.boss.notifyWorker(worker)
	return id
}

const JOB_COUNT = z.object({ n: z.number().int() })

/** Jobs of `name` waiting or running on the current database (0 when this process never started the queue). */
export async function pendingJobs(name: string, client: PrismaClient = getDb()) {
	if (!queues.has(client)) return 0
	const [row] = checkRows(
		'pending-jobs',
		JOB_COUNT,
		await client.$queryRawUnsafe<Array<unknown>>(
			`SELECT count(*)::int AS n FROM ${JOB_SCHEMA}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
			name,
		),
	)
	return row?.n ?? 0
}

/** Resolves once no job of `name` waits or runs (tests, scripts). */
export async function jobsSettled(name: string, { timeoutMs = 10 * 60_000, client = getDb() } = {}) {
	const until = Date.now() + timeoutMs
	while ((await pendingJobs(name, client)) > 0) {
		if (Date.now() > until) throw new Error(`Jobs ${name} still pending after ${timeoutMs} ms`)
		await new Promise((resolve) => setTimeout(resolve, 50))
	}
}

/** Runs `task` every `ms` while the queue runs (the server's sweeps); stopped with it. */
export async function every(ms: number, task: () => Promise<unknown>, client: PrismaClient = getDb()) {
	const queue = await startQueue({}, client)
	let busy = false
	const tick = () => {
		if (busy) return
		busy = true
		task()
			.catch((error: unknown) => console.error('Hàng đợi công việc: việc định kỳ thất bại', error))
			.finally(() => (busy = false))
	}
	const timer = setInterval(tick, ms)
	timer.unref()
	queue.stop.push(() => clearInterval(timer))
	tick()
}

/** Stops the queue of `client` (the current database), waiting for running jobs; before closing the database. */
export async function stopQueue(client: PrismaClient = getDb()) {
	const queue = await queues.get(client)?.catch(() => undefined)
	queues.delete(client)
	if (!queue) return
	for (const stop of queue.stop) stop()
	await queue.boss.stop({ graceful: true, wait: true, close: false, timeout: 60_000 })
}

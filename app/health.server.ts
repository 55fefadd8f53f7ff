// What /healthz (server.ts) answers a load balancer: whether this node can serve, which needs its database. One
// statement on a connection of its own, not one of the app's pool: under a burst every pooled connection is busy and
// the check would wait behind the requests, so that a merely busy node (every node, at a peak) looked dead and the
// balancer took them all out. The deadline is shorter than the balancer's check timeout.
import pg from 'pg'
import { getDb, type PrismaClient, rawDatabase } from './db.server.ts'

const checkers = new WeakMap<PrismaClient, pg.Pool>()

function checker(client: PrismaClient) {
	let pool = checkers.get(client)
	if (!pool) {
		const raw = rawDatabase(client)
		if (raw.kind !== 'postgres') return null
		pool = new pg.Pool({ ...raw.pool.options, max: 1, connectionTimeoutMillis: 2_000 })
		pool.on('error', () => undefined)
		checkers.set(client, pool)
	}
	return pool
}

export async function healthCheck(timeoutMs = 3_000): Promise<{ ok: boolean; reason?: string }> {
	let timer: NodeJS.Timeout | undefined
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer from the database in ${timeoutMs} ms`)), timeoutMs)
	})
	try {
		const client = getDb()
		const pool = checker(client)
		// The embedded database is this process: it answers if the process does.
		await Promise.race([pool ? pool.query('SELECT 1') : client.$queryRaw`SELECT 1`, deadline])
		return { ok: true }
	} catch (error) {
		return { ok: false, reason: error instanceof Error ? error.message : String(error) }
	} finally {
		clearTimeout(timer)
	}
}

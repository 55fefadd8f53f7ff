// What /healthz (server.ts) answers a load balancer: whether this node can serve, which needs its database. One
// prepared statement on the primary's pool, with a deadline shorter than the balancer's check timeout, so that a node
// whose database hangs is taken out of rotation instead of being kept with every request waiting.
import { runSql } from './db.server.ts'
import { PING } from './db.sql.ts'

export async function healthCheck(timeoutMs = 3_000): Promise<{ ok: boolean; reason?: string }> {
	let timer: NodeJS.Timeout | undefined
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer from the database in ${timeoutMs} ms`)), timeoutMs)
	})
	try {
		await Promise.race([runSql(PING, {}), deadline])
		return { ok: true }
	} catch (error) {
		return { ok: false, reason: error instanceof Error ? error.message : String(error) }
	} finally {
		clearTimeout(timer)
	}
}

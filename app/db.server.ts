// The one Prisma client. It alone decides between embedded PGlite and PostgreSQL (from DATABASE_URL).
import { createAdapter } from './db-adapters.server.ts'
import { getEnv } from './env.server.ts'
import { PrismaClient } from './generated/prisma/client.ts'

export { Prisma } from './generated/prisma/client.ts'
export type { PrismaClient } from './generated/prisma/client.ts'

function createClient() {
	const env = getEnv()
	return new PrismaClient({ adapter: createAdapter(env.DATABASE_URL, { poolSize: env.DB_POOL_SIZE }) })
}

// Kept on globalThis so that dev reloads reuse one client (and one PGlite instance, which allows one opener).
const globalForDb = globalThis as unknown as { __vmsDb?: PrismaClient }

let override: PrismaClient | undefined

/** Tests swap in a client bound to their own database. */
export function setDbForTests(client: PrismaClient | undefined) {
	override = client
}

export function getDb(): PrismaClient {
	return override ?? (globalForDb.__vmsDb ??= createClient())
}

/** `db.user.findMany(…)` everywhere: resolves to the current client on each access. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
	get(_target, property) {
		const client = getDb()
		const value = Reflect.get(client, property, client)
		return typeof value === 'function' ? value.bind(client) : value
	},
})

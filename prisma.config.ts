// Prisma CLI configuration: the Rust-free engine with our driver adapters, so migrate deploy/diff work offline.
import path from 'node:path'
import { defineConfig } from 'prisma/config'
import { createMigrationAdapter } from './app/db-adapters.server.ts'
import { DataDirLockedError, dataDirHolder } from './app/db-lock.server.ts'
import { parseDatabaseUrl } from './app/db-url.server.ts'

// The CLI keeps timers alive after it is done (telemetry, pool idle); let the process exit when work ends.
const setTimeoutOriginal = globalThis.setTimeout
globalThis.setTimeout = ((fn: () => void, ms?: number, ...rest: Array<unknown>) => {
	const timer = setTimeoutOriginal(fn, ms, ...rest) as unknown as { unref?: () => void }
	if ((ms ?? 0) >= 5000) timer.unref?.()
	return timer
}) as typeof setTimeout

export default defineConfig({
	experimental: { adapter: true },
	engine: 'js',
	schema: path.join('prisma', 'schema.prisma'),
	async adapter() {
		// Refused here with our own message: an error thrown later, from the adapter's connect(), reaches the user as
		// Prisma's "External error id#0". The lock itself is taken when the adapter opens the directory.
		const target = parseDatabaseUrl(process.env.DATABASE_URL)
		if (target.kind === 'pglite' && target.dir) {
			const holder = await dataDirHolder(target.dir)
			if (holder) throw new DataDirLockedError(target.dir, holder === 'unknown' ? null : holder)
		}
		return createMigrationAdapter(process.env.DATABASE_URL || '')
	},
})

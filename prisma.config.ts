// Prisma CLI configuration: the Rust-free engine with our driver adapters, so migrate deploy/diff work offline.
import path from 'node:path'
import { defineConfig } from 'prisma/config'
import { createMigrationAdapter, DEFAULT_DATABASE_URL } from './app/db-adapters.server.ts'

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
		return createMigrationAdapter(process.env.DATABASE_URL || DEFAULT_DATABASE_URL)
	},
})

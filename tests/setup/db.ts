// A fresh, migrated database for one test file, wired in as the app's `db`.
import { readFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { pgConfig } from '#app/db-adapters.server.ts'
import { createPrismaClient, rawDatabase, setDbForTests } from '#app/db.server.ts'
import { stopQueue } from '#app/jobs/queue.server.ts'
import { type PrismaClient } from '#app/generated/prisma/client.ts'
import { PG_TEMPLATE_DB, templatePath } from './global-setup.ts'

/** `url`: the database's own URL on PostgreSQL (another process may connect to it); none for in-memory PGlite. */
export type TestDb = { prisma: PrismaClient; setupMs: number; url?: string; close: () => Promise<void> }

export async function createTestDb(): Promise<TestDb> {
	const started = performance.now()
	const pgUrl = process.env.TEST_DATABASE_URL
	if (pgUrl) {
		const name = `vms_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
		const admin = new pg.Client(pgConfig(pgUrl))
		await admin.connect()
		await admin.query(`CREATE DATABASE ${name} TEMPLATE ${PG_TEMPLATE_DB}`)
		await admin.end()
		const url = new URL(pgUrl)
		url.pathname = `/${name}`
		const prisma = createPrismaClient(url.toString(), { poolSize: 4 })
		setDbForTests(prisma)
		return {
			prisma,
			setupMs: Math.round(performance.now() - started),
			url: url.toString(),
			close: async () => {
				// The queue's workers first (waiting for their jobs): none may run on a database that is gone.
				await stopQueue(prisma)
				setDbForTests(undefined)
				const raw = rawDatabase(prisma)
				await prisma.$disconnect()
				// Prisma does not end a pool it was handed: its idle connections stayed open until DROP … WITH (FORCE)
				// ended them, and each ending was logged as "idle connection lost (terminating connection due to
				// administrator command)", 57P01, at the end of every file. Ending the pool also waits for a query
				// still running (work a test started and did not wait for) instead of cutting it off.
				if (raw.kind === 'postgres') await raw.pool.end()
				const again = new pg.Client(pgConfig(pgUrl))
				await again.connect()
				await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
				await again.end()
			},
		}
	}
	const pglite = new PGlite({ loadDataDir: new Blob([readFileSync(templatePath())]) })
	await pglite.waitReady
	const prisma = createPrismaClient('pglite:memory', { pglite })
	setDbForTests(prisma)
	return {
		prisma,
		setupMs: Math.round(performance.now() - started),
		close: async () => {
			await stopQueue(prisma)
			setDbForTests(undefined)
			await prisma.$disconnect()
			await pglite.close()
		},
	}
}

/**
 * The usual start of a test file: its own migrated database before the first test, closed (queue stopped, pool
 * ended, database dropped) after the last. The handle is filled in by beforeAll.
 */
export function useTestDb() {
	const handle = {} as { current: TestDb }
	beforeAll(async () => {
		handle.current = await createTestDb()
	})
	afterAll(async () => {
		await handle.current?.close()
	})
	return handle
}

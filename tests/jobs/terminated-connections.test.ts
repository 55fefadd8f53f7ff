// Issue 17 item 6: every backend of the app's database terminated (pg_terminate_backend, as a failover or a DBA
// does) while it serves reads. The pool hands out connections the server already ended; reads are sent once more on
// another connection instead of failing with a 500.
import pg from 'pg'
import { expect, test } from 'vitest'
import { pgConfig } from '#app/db-adapters.server.ts'
import { databaseWatch, isReadOnlyStatement, retryReadsOnce, watchDatabase } from '#app/db-retry.server.ts'
import { db } from '#app/db.server.ts'
import { createUnit } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

const testDb = useTestDb()

test('only plain reads are retried', () => {
	expect(isReadOnlyStatement('SELECT "public"."User"."id" FROM "public"."User" WHERE 1=1')).toBe(true)
	expect(isReadOnlyStatement('  WITH a AS (SELECT 1) SELECT * FROM a')).toBe(true)
	expect(isReadOnlyStatement('WITH p AS (INSERT INTO "User" (id) VALUES ($1) RETURNING id) SELECT * FROM p')).toBe(false)
	expect(isReadOnlyStatement('SELECT id FROM "ImportJob" FOR UPDATE')).toBe(false)
	expect(isReadOnlyStatement('SELECT pg_advisory_xact_lock(1)')).toBe(false)
	expect(isReadOnlyStatement('UPDATE "User" SET status = $1')).toBe(false)
})

test.skipIf(!process.env.TEST_DATABASE_URL)('reads during backend terminations: none fails', async () => {
	const unit = await createUnit('Sở Mất Kết Nối')
	const admin = new pg.Client(pgConfig(testDb.current.url!))
	await admin.connect()
	let failures = 0
	let reads = 0
	try {
		for (let round = 0; round < 5; round++) {
			// Fill the pool (4 connections) so that every one of them is idle in it when the server ends them.
			await Promise.all(Array.from({ length: 8 }, () => db.orgUnit.findUnique({ where: { id: unit.id } })))
			const ended = await admin.query(
				`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
			)
			expect(ended.rows[0].n).toBeGreaterThan(0)
			const results = await Promise.allSettled(
				Array.from({ length: 8 }, (_, i) => (i % 2 ? db.orgUnit.findUnique({ where: { id: unit.id } }) : db.user.count())),
			)
			reads += results.length
			failures += results.filter((r) => r.status === 'rejected').length
		}
	} finally {
		await admin.end()
	}
	expect(reads).toBe(40)
	expect(failures).toBe(0)
})

// What the HTTP layer learns (server/db-unavailable.ts): only failures that reached the app's code count, and
// whether anything that may write was sent.
test('a read saved by its retry is not a lost connection; a write that failed is, and is marked as a write', async () => {
	let fail = 0
	const pool = retryReadsOnce({
		query: async () => {
			if (fail > 0) {
				fail--
				throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
			}
			return { rows: [] }
		},
		connect: async () => ({}),
	} as unknown as pg.Pool)
	await watchDatabase(async () => {
		fail = 1
		await pool.query('SELECT 1')
		expect(databaseWatch()).toEqual({ lost: 0, wrote: false })
		fail = 2
		await expect(pool.query('SELECT 1')).rejects.toThrow(/terminating/)
		expect(databaseWatch()).toEqual({ lost: 1, wrote: false })
		fail = 1
		await expect(pool.query('UPDATE "User" SET status = $1', ['ACTIVE'])).rejects.toThrow(/terminating/)
		expect(databaseWatch()).toEqual({ lost: 2, wrote: true })
	})
	// Outside a request nothing is noted (scripts and jobs have no watch).
	expect(databaseWatch()).toBeUndefined()
})

test.skipIf(!process.env.TEST_DATABASE_URL)('a write whose backend is terminated while it waits: noted as lost, the row unchanged', async () => {
	const unit = await createUnit('Sở Ghi Dở')
	const [holder, killer] = [new pg.Client(pgConfig(testDb.current.url!)), new pg.Client(pgConfig(testDb.current.url!))]
	await holder.connect()
	await killer.connect()
	try {
		await holder.query('BEGIN')
		await holder.query('SELECT id FROM "OrgUnit" WHERE id = $1 FOR UPDATE', [unit.id])
		const watch = await watchDatabase(async () => {
			// then() sends it now (a Prisma query waits for its first then()); the error is the result.
			const write = db.orgUnit.update({ where: { id: unit.id }, data: { name: 'Sở Đã Đổi Tên' } }).then(
				() => null,
				(error: unknown) => error,
			)
			// The app's backend waiting on the row lock is the one ended.
			for (let i = 0; i < 200; i++) {
				const { rows } = await killer.query(
					`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
				)
				if (rows[0].n > 0) break
				await new Promise((r) => setTimeout(r, 25))
			}
			expect(String(await write)).toMatch(/terminat/i)
			return { ...databaseWatch()! }
		})
		await holder.query('ROLLBACK')
		expect(watch.lost).toBeGreaterThan(0)
		expect(watch.wrote).toBe(true)
		expect((await db.orgUnit.findUniqueOrThrow({ where: { id: unit.id } })).name).toBe('Sở Ghi Dở')
	} finally {
		await holder.end()
		await killer.end()
	}
})

// Issue 17 item 6: every backend of the app's database terminated (pg_terminate_backend, as a failover or a DBA
// does) while it serves reads. The pool hands out connections the server already ended; reads are sent once more on
// another connection instead of failing with a 500.
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { pgConfig } from '#app/db-adapters.server.ts'
import { isReadOnlyStatement } from '#app/db-retry.server.ts'
import { db } from '#app/db.server.ts'
import { createUnit } from '#tests/factories/org.ts'
import { createTestDb, type TestDb } from '#tests/setup/db.ts'

let testDb: TestDb
beforeAll(async () => {
	testDb = await createTestDb()
})
afterAll(() => testDb.close())

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
	const admin = new pg.Client(pgConfig(testDb.url!))
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

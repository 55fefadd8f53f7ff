// Issue 21 §2 in CI, reduced: two app processes behind Debian's HAProxy (installed by scripts/ensure-haproxy.sh when
// missing), logged-in learners running the mix, kill -9 of one node in the middle (the one delivering mail when it
// is), on the machine's PostgreSQL. `npm run bench:cluster` is the full-size run.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runFailover } from '../../scripts/bench/cluster.ts'
import { dropBenchDatabase, stopAll } from '../../scripts/bench/mix-driver.ts'
import { buildIfStale } from '../../scripts/build-if-stale.ts'

const adminUrl = process.env.TEST_DATABASE_URL
const database = `vms_test_failover_${process.pid}`
const logDir = mkdtempSync(path.join(os.tmpdir(), 'vms-failover-'))

afterAll(async () => {
	await stopAll()
	if (adminUrl) await dropBenchDatabase(adminUrl, database)
	rmSync(logDir, { recursive: true, force: true })
})

test.skipIf(!adminUrl)('kill -9 of one node behind HAProxy: ≤ 0.5 % failed, none 5 s later, nobody logged out, nothing done twice', async () => {
	buildIfStale()
	const r = await runFailover({ adminUrl: adminUrl!, database, logDir, learners: 40, seconds: 24, killAtSeconds: 9, think: [400, 1200], mails: 40, maxRequests: 500, log: () => undefined })
	const summary = `${r.failed} of ${r.requests} failed (${r.failures.map((f) => `${f.kind} ${(f.atFromKill / 1000).toFixed(1)} s: ${f.error}`).join('; ')})`
	expect(r.killed, 'a node was killed').not.toBe('')
	expect(r.requests).toBeGreaterThan(200)
	// Some requests ran on the survivor after the kill: the run did not just end there.
	expect(r.mix.samples.filter((s) => s.ok && s.at > r.killAtMs + 5_000).length).toBeGreaterThan(20)
	expect(r.failed / r.requests, summary).toBeLessThanOrEqual(0.005)
	expect(r.failedLate, summary).toBe(0)
	expect(r.loggedOut).toBe(0)
	expect(r.sessionsAfter).toBe(r.sessionsBefore)
	expect(r.mailsTwice).toBe(0)
	expect(r.cronSlotsTwice).toBe(0)
}, 240_000)

// Issue 21 §3 in CI, reduced: a real streaming replica of the machine's PostgreSQL (pg_basebackup -R and a second
// postgres on another port, scripts/bench/pg-replica.ts) and one app process with REPLICA_DATABASE_URL. A manager's
// dashboard comes from the replica; right after their own change, from the primary; from the primary with a log
// line while the replica lags (replay paused) and once it is killed; no request fails.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runReplicaCheck } from '../../scripts/bench/cluster.ts'
import { dropBenchDatabase, stopAll } from '../../scripts/bench/mix-driver.ts'
import { buildIfStale } from '../../scripts/build-if-stale.ts'

const adminUrl = process.env.TEST_DATABASE_URL
const database = `vms_test_replica_${process.pid}`
const logDir = mkdtempSync(path.join(os.tmpdir(), 'vms-replica-test-'))

afterAll(async () => {
	await stopAll()
	if (adminUrl) await dropBenchDatabase(adminUrl, database)
	rmSync(logDir, { recursive: true, force: true })
})

test.skipIf(!adminUrl)('reports read from a real replica, own writes and a lagging or lost replica from the primary', async () => {
	buildIfStale()
	const r = await runReplicaCheck({ adminUrl: adminUrl!, database, logDir, maxLagMs: 2_000, log: () => undefined })
	const failedChecks = r.checks.filter((c) => !c.ok).map((c) => `${c.step}: ${c.detail}`)
	expect(failedChecks, r.log).toEqual([])
	expect(r.checks.map((c) => c.step)).toEqual([
		'replica in use',
		'dashboard read from the replica',
		'own write marked',
		'own change seen at once',
		'others still on the replica',
		'lagging replica → primary',
		'caught up',
		'lost replica → primary',
	])
	expect(r.failed).toBe(0)
}, 300_000)

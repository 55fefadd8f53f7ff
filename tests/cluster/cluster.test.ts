// Issue 21 §2 and §3 on real processes, in CI (the second pass, on the machine's PostgreSQL; skipped without it):
// - what one app process does shows the same on every other: two built servers (dist/server.js) on one database, the
//   lesson document cache of each serving what the database says for the viewer (done, roles, signed out) whichever
//   process changed it, and an import's progress reported by a third process (this one, as a queue worker would)
//   shown by both; sessions and rate limits across instances are in tests/auth (they live in PostgreSQL too);
// - failover, reduced: two nodes behind Debian's HAProxy (scripts/ensure-haproxy.sh installs it when missing),
//   logged-in learners running the mix, kill -9 of one node in the middle (the one delivering mail when it is);
// - a real streaming replica (pg_basebackup -R and a second postgres, scripts/bench/pg-replica.ts) and one node with
//   REPLICA_DATABASE_URL: a manager's dashboard from the replica, from the primary right after their own change,
//   from the primary with a log line while the replica lags (replay paused) and once it is killed.
// One file, so that the tests run one after the other and build the app once. `npm run bench:cluster` is the
// full-size run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startSession } from '#app/auth/session.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { reportProgress, withHeartbeat } from '#app/jobs/import-progress.server.ts'
import { startEnrollment } from '#app/learning/progress.server.ts'
import { runFailover, runReplicaCheck } from '../../scripts/bench/cluster.ts'
import { dropBenchDatabase, freePort, serverEnvironment, snapshotBuild, type Started, startProcess, stopAll, stopProcess, waitForHttp } from '../../scripts/bench/mix-driver.ts'
import { buildIfStale } from '../../scripts/build-if-stale.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { createTestDb, type TestDb } from '#tests/setup/db.ts'

const adminUrl = process.env.TEST_DATABASE_URL
const onPostgres = !!adminUrl
const failoverDb = `vms_test_failover_${process.pid}`
const replicaDb = `vms_test_replica_${process.pid}`
const COURSE = 'quy-tac-ung-xu-can-bo'

let testDb: TestDb
let logs: string
const nodes: Array<{ port: number; proc: Started }> = []

beforeAll(async () => {
	if (!onPostgres) return
	testDb = await createTestDb()
	buildIfStale()
	logs = mkdtempSync(path.join(os.tmpdir(), 'vms-shared-state-'))
	const cwd = snapshotBuild(logs)
	const env = serverEnvironment(testDb.url!)
	for (const name of ['a', 'b']) {
		const port = await freePort()
		nodes.push({ port, proc: startProcess(`node-${name}`, process.execPath, ['dist/server.js'], { ...env, PORT: String(port), APP_URL: `http://127.0.0.1:${port}` }, logs, { cwd }) })
	}
	await Promise.all(nodes.map((n) => waitForHttp(n.port, '/healthz', n.proc, 120_000)))
}, 600_000)

afterAll(async () => {
	await Promise.all(nodes.map((n) => stopProcess(n.proc.child)))
	await stopAll()
	if (onPostgres) for (const name of [failoverDb, replicaDb]) await dropBenchDatabase(adminUrl!, name)
	if (logs && existsSync(logs)) rmSync(logs, { recursive: true, force: true })
	await testDb?.close()
})

function send(port: number, urlPath: string, cookie: string, method = 'GET') {
	return new Promise<{ status: number; body: string; location?: string }>((resolve, reject) => {
		const headers: Record<string, string> = { Cookie: cookie, 'Accept-Encoding': 'identity', 'Accept-Language': 'vi' }
		if (method === 'POST') Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '0', Origin: `http://127.0.0.1:${port}` })
		const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers, timeout: 30_000 }, (res) => {
			const chunks: Array<Buffer> = []
			res.on('data', (c: Buffer) => chunks.push(c))
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }))
		})
		req.on('error', reject)
		req.end()
	})
}

/** What the lesson page tells this viewer: finished or not, and whether the header has the audit link. */
async function lessonAsSeenBy(port: number, urlPath: string, cookie: string) {
	const page = await send(port, urlPath, cookie)
	expect(page.status).toBe(200)
	return {
		done: page.body.includes('alert alert-success'),
		button: /<button type="submit" class="btn">/.test(page.body),
		audit: page.body.includes('href="/admin/audit"'),
	}
}

test.skipIf(!onPostgres)('the lesson document each process keeps shows what the database says, whichever process changed it', async () => {
	const [a, b] = [nodes[0]!, nodes[1]!]
	const unit = await createUnit('Sở Hai Máy Chủ')
	const learner = await createUser({ unitId: unit.id })
	await startEnrollment(learner.id, COURSE)
	const cookie = (await startSession(learner.id)).split(';')[0]!
	const lesson = getCourse(COURSE)!.lessons[0]!.slug
	const lessonPath = `/courses/${COURSE}/lessons/${lesson}`

	// Both processes render and keep the "not finished" page for this kind of viewer.
	expect(await lessonAsSeenBy(a.port, lessonPath, cookie)).toEqual({ done: false, button: true, audit: false })
	expect(await lessonAsSeenBy(b.port, lessonPath, cookie)).toEqual({ done: false, button: true, audit: false })

	// Finished on A: B, which kept the other page, shows it finished at once.
	const done = await send(a.port, lessonPath, cookie, 'POST')
	expect(done.status).toBe(302)
	expect(await lessonAsSeenBy(b.port, lessonPath, cookie)).toEqual({ done: true, button: false, audit: false })
	expect(await lessonAsSeenBy(a.port, lessonPath, cookie)).toEqual({ done: true, button: false, audit: false })

	// A role given in the database (by any process) shows on both at the next view.
	await db.roleGrant.create({ data: { userId: learner.id, orgUnitId: unit.id, role: 'AUDITOR' } })
	expect((await lessonAsSeenBy(b.port, lessonPath, cookie)).audit).toBe(true)
	expect((await lessonAsSeenBy(a.port, lessonPath, cookie)).audit).toBe(true)

	// Signed out on B (the session row deleted): A no longer shows the learner's page either.
	const out = await send(b.port, '/logout', cookie, 'POST')
	expect(out.status).toBe(302)
	const after = await send(a.port, lessonPath, cookie)
	expect(after.status).toBe(200)
	expect(after.body).not.toContain('alert alert-success')
	expect(after.body).toContain('/login?redirectTo=')
})

test.skipIf(!onPostgres)("an import's progress, reported by whichever process runs it, is what every process shows", async () => {
	const unit = await createUnit('Sở Tiến Độ Chung')
	const manager = await createUser({ unitId: unit.id, role: 'MANAGER' })
	const cookie = (await startSession(manager.id)).split(';')[0]!
	const job = await db.importJob.create({
		data: { kind: 'roster', fileName: 'tien-do-chung.csv', orgUnitId: unit.id, mode: 'upsert', status: 'RUNNING', actorId: manager.id, startedAt: new Date(), rowCount: 1000 },
	})
	const page = `/org/${unit.id}/imports/${job.id}`
	/** The percentage each server shows, once both show `percent` (the heartbeat writes it every few seconds). */
	const bothShow = async (percent: number) => {
		const until = Date.now() + 20_000
		let seen: Array<string> = []
		while (Date.now() < until) {
			seen = await Promise.all(nodes.map(async (n) => /<progress[^>]*value="(\d+)"/.exec((await send(n.port, page, cookie)).body)?.[1] ?? 'none'))
			if (seen.every((v) => v === String(percent))) return seen
			await new Promise((r) => setTimeout(r, 250))
		}
		return seen
	}
	// This process works on the job as a queue worker of any node would: progress goes to the row with the heartbeat.
	await withHeartbeat(job.id, async () => {
		reportProgress(job.id, 'writing', 300, 1000)
		expect(await bothShow(30)).toEqual(['30', '30'])
		reportProgress(job.id, 'writing', 700, 1000)
		expect(await bothShow(70)).toEqual(['70', '70'])
	})
}, 90_000)

test.skipIf(!onPostgres)('kill -9 of one node behind HAProxy: ≤ 0.5 % failed, none 5 s later, nobody logged out, nothing done twice', async () => {
	// Learners at the mix's think time (1–3 s): about 25 requests a second.
	const r = await runFailover({ adminUrl: adminUrl!, database: failoverDb, logDir: path.join(logs, 'failover'), learners: 60, seconds: 26, killAtSeconds: 10, think: [1000, 3000], mails: 40, maxRequests: 800, log: () => undefined })
	const summary = `${r.failed} of ${r.requests} failed (${r.failures.map((f) => `${f.kind} ${(f.atFromKill / 1000).toFixed(1)} s from the kill: ${f.error}`).join('; ')})\n${r.logs}`
	expect(r.killed, 'a node was killed').not.toBe('')
	expect(r.requests).toBeGreaterThan(300)
	// The survivor answered after the kill: the run did not just end there.
	expect(r.mix.samples.filter((s) => s.ok && s.at > r.killAtMs + 5_000).length).toBeGreaterThan(50)
	expect(r.failed / r.requests, summary).toBeLessThanOrEqual(0.005)
	expect(r.failedLate, summary).toBe(0)
	expect(r.loggedOut).toBe(0)
	expect(r.sessionsAfter).toBe(r.sessionsBefore)
	expect(r.mailsTwice).toBe(0)
	expect(r.cronSlotsTwice).toBe(0)
}, 240_000)

test.skipIf(!onPostgres)('reports read from a real replica; own writes, a lagging and a lost replica from the primary', async () => {
	const r = await runReplicaCheck({ adminUrl: adminUrl!, database: replicaDb, logDir: path.join(logs, 'replica'), maxLagMs: 2_000, log: () => undefined })
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

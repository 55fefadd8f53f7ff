// Issue 21 §2: what one app process does must show the same on every other. Two built servers (dist/server.js, two
// processes) on one PostgreSQL database: the lesson document cache of each process serves what the database says
// for the viewer (done, roles) whichever process changed it, and an import's progress reported by a third process
// (this one, as a queue worker would) is what both servers show. Sessions and rate limits across instances are in
// tests/auth (they live in PostgreSQL too). PostgreSQL only: the embedded database has one process by design.
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
import { freePort, serverEnvironment, snapshotBuild, type Started, startProcess, stopProcess, waitForHttp } from '../../scripts/bench/mix-driver.ts'
import { buildIfStale } from '../../scripts/build-if-stale.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { createTestDb, type TestDb } from '#tests/setup/db.ts'

const onPostgres = !!process.env.TEST_DATABASE_URL
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

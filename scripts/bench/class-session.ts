/**
 * Class-session benchmark: a class of 40 students on loopback against the built server (dist/server.js,
 * NODE_ENV=production) on real PostgreSQL. The teacher logs in and starts a session over HTTP; every student logs in
 * with a login card PIN; then all of them join at the same instant (POST /join/<code>, timed), the teacher moves to
 * the first quick question, and all of them answer at the same instant (timed). Repeated --rounds times (a new
 * session each round) after one uncounted warm-up round. Budget: join p95 < 200 ms, 0 errors. Never in CI.
 *
 *   npm run bench:class-session
 *   npm run bench:class-session -- --students 40 --rounds 5 --skip-build --keep-db
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { hashPassword } from '#app/auth/password.server.ts'
import { pgConfig } from '#app/db-adapters.server.ts'
import { buildIfStale } from '../build-if-stale.ts'

const { values } = parseArgs({
	options: {
		students: { type: 'string', default: '40' },
		rounds: { type: 'string', default: '5' },
		course: { type: 'string', default: 'cong-dan-so-nhi' },
		pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432' },
		database: { type: 'string', default: 'vms_bench_class' },
		'skip-build': { type: 'boolean', default: false },
		'keep-db': { type: 'boolean', default: false },
	},
})
const STUDENTS = Number(values.students)
const ROUNDS = Number(values.rounds)
const DB_NAME = values.database
if (!(STUDENTS >= 1) || !(ROUNDS >= 1) || !/^\w+$/.test(DB_NAME)) {
	console.error('usage: tsx scripts/bench/class-session.ts [--students 40] [--rounds 5] [--skip-build] [--keep-db]')
	process.exit(1)
}
const ADMIN_URL = `${values.pg.replace(/\/+$/, '')}/postgres`
const DATABASE_URL = `${values.pg.replace(/\/+$/, '')}/${DB_NAME}`
process.env.DATABASE_URL = DATABASE_URL
const BUDGET_JOIN_P95 = 200
const PIN = '482917'
const PASSWORD = 'bench-mat-khau-giao-vien'

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number }

function send(agent: http.Agent, port: number, o: { method?: string; path: string; cookie?: string; body?: Record<string, string> }): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const started = performance.now()
		const body = o.body ? new URLSearchParams(o.body).toString() : undefined
		const headers: Record<string, string> = { 'User-Agent': 'vms-bench' }
		if (o.cookie) headers.Cookie = o.cookie
		if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)), Origin: `http://127.0.0.1:${port}` })
		const req = http.request({ host: '127.0.0.1', port, agent, method: o.method ?? 'GET', path: o.path, headers, timeout: 30_000 }, (res) => {
			const chunks: Array<Buffer> = []
			res.on('data', (c: Buffer) => chunks.push(c))
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }))
			res.on('error', reject)
		})
		req.on('timeout', () => req.destroy(new Error(`timeout ${o.path}`)))
		req.on('error', reject)
		req.end(body)
	})
}

const cookieOf = (r: Reply) => [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('vms_session='))?.split(';')[0]

async function admin(sql: string) {
	const client = new pg.Client(pgConfig(ADMIN_URL))
	await client.connect()
	try {
		return await client.query(sql)
	} finally {
		await client.end()
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = http.createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address() as AddressInfo
			s.close(() => resolve(port))
		})
	})
}

const pct = (sorted: Array<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN

async function main() {
	if (!values['skip-build']) buildIfStale()
	if (!existsSync('dist/server.js')) throw new Error('dist/server.js missing: run `npm run build`.')
	const cpus = os.cpus()
	console.log(`Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`)
	console.log(`Input: ${STUDENTS} students, ${ROUNDS} sessions, course ${values.course}, PostgreSQL ${values.pg}`)
	await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
	await admin(`CREATE DATABASE ${DB_NAME}`)
	// One signing key for the seed and the server: the server refuses to start on certificates signed by a key it
	// does not hold, and the demo seed issues certificates.
	const signingKey =
		process.env.CERT_SIGNING_KEY_FILE || process.env.CERT_SIGNING_KEY
			? {}
			: { CERT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }
	const dbEnv: NodeJS.ProcessEnv = { ...process.env, ...signingKey, DATABASE_URL, NODE_ENV: 'development' }
	execFileSync('npx', ['tsx', 'scripts/db.ts', 'migrate'], { env: dbEnv, stdio: ['ignore', 'ignore', 'inherit'] })
	execFileSync('npx', ['tsx', 'prisma/seed.ts'], { env: dbEnv, stdio: ['ignore', 'ignore', 'inherit'] })

	const { db } = await import('#app/db.server.ts')
	const { createClass } = await import('#app/classes/classes.server.ts')
	const { sessionSteps } = await import('#app/classes/steps.server.ts')
	const questionStep = sessionSteps(values.course)!.findIndex((s) => s.kind === 'question')
	const school = await db.orgUnit.findFirstOrThrow({ where: { tree: 'EDU', kind: 'school' }, orderBy: { id: 'asc' } })
	const created = await createClass(school, { name: '5BENCH', schoolYear: 2026 }, { actorId: 'bench' })
	if (!created.ok) throw new Error(created.error)
	const classId = created.unitId
	const teacher = await db.user.create({ data: { fullName: 'Giáo viên thử tải', username: 'giaovien-bench', status: 'ACTIVE' } })
	await db.password.create({ data: { userId: teacher.id, hash: await hashPassword(PASSWORD) } })
	await db.roleGrant.create({ data: { userId: teacher.id, role: 'TRAINER', orgUnitId: classId } })
	const pinHash = await hashPassword(PIN)
	const students: Array<{ username: string; cookie: string }> = []
	for (let i = 1; i <= STUDENTS; i++) {
		const user = await db.user.create({ data: { fullName: `Học sinh thử tải ${i}`, username: `hs-bench-${i}`, birthYear: 2015, kind: 'STUDENT', status: 'ACTIVE' } })
		await db.membership.create({ data: { userId: user.id, orgUnitId: classId, validFrom: new Date('2026-09-01') } })
		await db.loginPin.create({ data: { userId: user.id, pinHash } })
		students.push({ username: user.username!, cookie: '' })
	}

	const port = await freePort()
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'vms-bench-class-'))
	const log = path.join(tmp, 'app.log')
	const env: NodeJS.ProcessEnv = { ...process.env, ...signingKey, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL, NODE_ENV: 'production', APP_URL: `http://127.0.0.1:${port}` }
	const app: ChildProcess = spawn(process.execPath, ['dist/server.js'], { env, stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')] })
	const agent = new http.Agent({ keepAlive: true, maxSockets: STUDENTS + 2 })
	try {
		for (let i = 0; ; i++) {
			if (app.exitCode !== null) throw new Error(readFileSync(log, 'utf8').slice(-2000))
			const ok = await send(agent, port, { path: '/login' }).then((r) => r.status === 200).catch(() => false)
			if (ok) break
			if (i > 300) throw new Error('server did not start')
			await new Promise((r) => setTimeout(r, 100))
		}
		const login = await send(agent, port, { method: 'POST', path: '/login', body: { identifier: 'giaovien-bench', password: PASSWORD, redirectTo: '/teach' } })
		const teacherCookie = cookieOf(login)
		if (!teacherCookie) throw new Error(`teacher login: HTTP ${login.status}`)
		await Promise.all(
			students.map(async (s) => {
				const r = await send(agent, port, { method: 'POST', path: '/join/login', body: { username: s.username, pin: PIN, redirectTo: '/join' } })
				s.cookie = cookieOf(r) ?? ''
				if (!s.cookie) throw new Error(`PIN login ${s.username}: HTTP ${r.status} ${r.body.slice(0, 200)}`)
			}),
		)
		console.log(`Teacher and ${STUDENTS} students logged in over HTTP (PIN login)`)
		const joins: Array<number> = []
		const answers: Array<number> = []
		const errors: Array<string> = []
		// Round 0 warms the server up (JIT, prepared statements) and is not counted.
		for (let round = 0; round <= ROUNDS; round++) {
			const counted = round > 0
			const start = await send(agent, port, { method: 'POST', path: `/teach/${classId}`, cookie: teacherCookie, body: { intent: 'start', courseSlug: values.course } })
			const sessionId = /\/teach\/session\/([^/]+)\/projector/.exec(String(start.headers.location))?.[1]
			if (start.status !== 302 || !sessionId) throw new Error(`start session: HTTP ${start.status} ${start.body.slice(0, 300)}`)
			const { joinCode } = await db.trainingEvent.findUniqueOrThrow({ where: { id: sessionId } })
			const joined = await Promise.all(students.map((s) => send(agent, port, { method: 'POST', path: `/join/${joinCode}`, cookie: s.cookie, body: { intent: 'join' } }).catch((e: Error) => e)))
			for (const r of joined) {
				if (r instanceof Error || r.status !== 303) errors.push(r instanceof Error ? r.message : `join HTTP ${r.status}`)
				else if (counted) joins.push(r.ms)
			}
			const moved = await send(agent, port, { method: 'POST', path: `/teach/session/${sessionId}/projector`, cookie: teacherCookie, body: { intent: 'goto', step: String(questionStep) } })
			if (moved.status !== 303) throw new Error(`teacher goto: HTTP ${moved.status}`)
			const answered = await Promise.all(students.map((s, i) => send(agent, port, { method: 'POST', path: `/join/${joinCode}`, cookie: s.cookie, body: { intent: 'answer', step: String(questionStep), choice: String(i % 4) } }).catch((e: Error) => e)))
			for (const r of answered) {
				if (r instanceof Error || r.status !== 303) errors.push(r instanceof Error ? r.message : `answer HTTP ${r.status}`)
				else if (counted) answers.push(r.ms)
			}
			const [joinRows, answerRows] = await Promise.all([db.classSessionJoin.count({ where: { eventId: sessionId } }), db.classSessionAnswer.count({ where: { eventId: sessionId } })])
			if (joinRows !== STUDENTS || answerRows !== STUDENTS) errors.push(`round ${round}: ${joinRows} joins and ${answerRows} answers stored, expected ${STUDENTS}`)
			await db.trainingEvent.update({ where: { id: sessionId }, data: { closedAt: new Date() } })
		}
		const report = (name: string, xs: Array<number>) => {
			const s = [...xs].sort((a, b) => a - b)
			console.log(`  ${name}: n=${s.length} median ${pct(s, 50).toFixed(1)} ms, p95 ${pct(s, 95).toFixed(1)} ms, max ${s.at(-1)?.toFixed(1)} ms`)
			return pct(s, 95)
		}
		console.log(`${ROUNDS} sessions × ${STUDENTS} students at once:`)
		const joinP95 = report('join (POST /join/<code>)', joins)
		report('answer (POST /join/<code>, intent=answer)', answers)
		console.log(`  errors: ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}`)
		console.log(`Budget: join p95 < ${BUDGET_JOIN_P95} ms: ${joinP95 < BUDGET_JOIN_P95 ? 'met' : 'MISSED'}; 0 errors: ${errors.length ? 'MISSED' : 'met'}`)
		if (errors.length) process.exitCode = 1
	} finally {
		agent.destroy()
		app.kill('SIGTERM')
		await db.$disconnect()
		if (!values['keep-db']) await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
	}
}

await main()

/**
 * The learner mix of issue 21, shared by `npm run bench:mix` (one node, learners stepped up), `npm run bench:cluster`
 * (two nodes behind HAProxy, one killed mid-run) and tests/cluster/ (the same, reduced).
 *
 * Each learner is a logged-in STAFF account (its session made by the app's own startSession, so stored in
 * PostgreSQL like any other) enrolled in three courses: one whose lessons are all done (its quiz is open) and two it
 * reads. It repeats, with a think time between requests (default 1–3 s):
 *   55 % read its current lesson            GET  /courses/<c>/lessons/<l>              200
 *   15 % mark that lesson done              POST /courses/<c>/lessons/<l>              302 (next lesson)
 *   15 % "Khoá học của tôi"                 GET  /my-courses                           200
 *   15 % a quiz: start, its page, [think], submit the correct answers
 *                                           POST /courses/<q>/quiz?index → 302, GET the attempt → 200, POST it → 302
 * A reply with another status, a network error or a timeout is an error of its kind; a redirect to /login also
 * counts as a logged-out learner.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync } from 'node:fs'
import http from 'node:http'
import { type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { startSession } from '#app/auth/session.server.ts'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { pgConfig } from '#app/db-adapters.server.ts'
import { createPrismaClient, newId, pgArray, type PrismaClient, rawDatabase, setDbForTests } from '#app/db.server.ts'
import { startEnrollment } from '#app/learning/progress.server.ts'
import { answerIndex } from '#app/learning/quiz.ts'
import { migrationSql } from '#tests/setup/global-setup.ts'

export const KINDS = ['lesson', 'mark done', 'my courses', 'quiz start', 'quiz page', 'quiz submit'] as const
export type Kind = (typeof KINDS)[number]
const BROWSER = {
	'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
	Accept: 'text/html,application/xhtml+xml',
	'Accept-Encoding': 'br',
	'Accept-Language': 'vi',
}

// ——— processes and the database ———

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = http.createServer()
		probe.once('error', reject)
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as AddressInfo
			probe.close(() => resolve(port))
		})
	})
}

/** CPU time (user + system, ms) of a process so far, from /proc (Linux); NaN elsewhere or once it is gone. */
export function cpuMs(pid: number | undefined) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
		return (Number(fields[11]) + Number(fields[12])) * (1000 / 100)
	} catch {
		return Number.NaN
	}
}

/** Resident memory (MiB) of a process now; NaN once it is gone. */
export function rssMiB(pid: number | undefined) {
	try {
		const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
		return Number(kb) / 1024
	} catch {
		return Number.NaN
	}
}

export type Started = { child: ChildProcess; log: string; name: string }
const started = new Set<ChildProcess>()

/** Starts a process with its output in a log file (the path is printed when something fails). */
export function startProcess(
	name: string,
	command: string,
	args: Array<string>,
	env: Record<string, string | undefined>,
	logDir: string,
	options: { uid?: number; gid?: number; cwd?: string } = {},
): Started {
	const log = path.join(logDir, `${name}.log`)
	const fd = openSync(log, 'a')
	const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', fd, fd], ...options })
	started.add(child)
	child.once('exit', () => started.delete(child))
	return { child, log, name }
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000) {
	if (child.exitCode !== null || child.signalCode !== null) return
	const exited = new Promise((resolve) => child.once('exit', resolve))
	child.kill(signal)
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
	await exited
	clearTimeout(timer)
}

/** Every process this module started and that still runs (the end of a bench or test). */
export async function stopAll() {
	await Promise.all([...started].map((child) => stopProcess(child)))
}

export function tail(file: string, lines = 30) {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
	} catch {
		return ''
	}
}

/** Resolves once `url` answers 200 (or `expect`), or throws when the process died or `timeoutMs` passed. */
export async function waitForHttp(port: number, urlPath: string, proc?: Started, timeoutMs = 60_000) {
	const until = Date.now() + timeoutMs
	while (Date.now() < until) {
		if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
			throw new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${tail(proc.log)}`)
		}
		const status = await new Promise<number>((resolve) => {
			const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 2_000 }, (res) => {
				res.resume()
				resolve(res.statusCode ?? 0)
			})
			req.on('timeout', () => req.destroy())
			req.on('error', () => resolve(0))
		})
		if (status === 200) return
		await new Promise((r) => setTimeout(r, 200))
	}
	throw new Error(`nothing answered 200 on 127.0.0.1:${port}${urlPath} in ${timeoutMs} ms${proc ? `:\n${tail(proc.log)}` : ''}`)
}

/**
 * A copy of the built app (build/, dist/, config/) in `dir`, with the repository's node_modules linked, for the
 * servers of a bench to run from: on a machine where others rebuild the same tree, `npm run build` empties build/
 * for a minute, and a server started then (or a node restarted) would find nothing.
 */
export function snapshotBuild(dir: string) {
	const app = path.join(dir, 'app')
	mkdirSync(app, { recursive: true })
	for (const part of ['build', 'dist', 'config', 'package.json', 'content/image-credits.yaml']) {
		// Not the temporary directories of a content build running now.
		if (existsSync(part)) cpSync(part, path.join(app, part), { recursive: true, filter: (source) => !path.basename(source).startsWith('.content-tmp') })
	}
	for (const needed of ['build/server/index.js', 'dist/server.js', 'build/content/index.json']) {
		if (!existsSync(path.join(app, needed))) throw new Error(`${needed} missing (a build in progress?): run \`npm run build\` and try again`)
	}
	symlinkSync(path.resolve('node_modules'), path.join(app, 'node_modules'))
	return app
}

export async function adminQuery(adminUrl: string, text: string, values: Array<unknown> = []) {
	const client = new pg.Client(pgConfig(adminUrl))
	await client.connect()
	try {
		return await client.query(text, values)
	} finally {
		await client.end()
	}
}

/** A fresh database `name` on the server of `adminUrl`, migrated; returns its URL. */
export async function createBenchDatabase(adminUrl: string, name: string) {
	if (!/^\w+$/.test(name)) throw new Error(`bad database name ${name}`)
	await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
	await adminQuery(adminUrl, `CREATE DATABASE ${name}`)
	const url = new URL(adminUrl)
	url.pathname = `/${name}`
	const client = new pg.Client(pgConfig(url.toString()))
	await client.connect()
	try {
		for (const sql of migrationSql()) await client.query(sql)
	} finally {
		await client.end()
	}
	return url.toString()
}

export async function dropBenchDatabase(adminUrl: string, name: string) {
	await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}

/** The environment of a production server on `databaseUrl`: a throw-away signing key shared by all its nodes. */
export function serverEnvironment(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', ...extra, NODE_ENV: 'production' }
	delete env.VMS_CONTENT_DIR
	delete env.TEST_DATABASE_URL
	if (!env.CERT_SIGNING_KEY && !env.CERT_SIGNING_KEY_FILE) {
		env.CERT_SIGNING_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
	}
	env.APP_URL ??= 'http://127.0.0.1'
	return env
}

export function machineLine() {
	const cpus = os.cpus()
	return `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ')} (shared with other engineers' work), Node ${process.version}`
}

// ——— learners ———

export type Learner = {
	id: string
	cookie: string
	/** [course, lesson] pairs of the two courses it reads; `next` is the one it is on. */
	reading: Array<[string, string]>
	next: number
}

export type MixCourses = { quiz: string; reading: [string, string] }

/** A staff course with a quiz for the quiz, and the next two staff courses with lessons to read. */
export function pickCourses(): MixCourses {
	const preferred = ['an-toan-tren-mang', 'quy-tac-ung-xu-can-bo', 'ky-nang-phat-ngon']
	const [quiz, a, b] = preferred
	if (!getQuiz(quiz!) || !getCourse(a!)?.lessons.length || !getCourse(b!)?.lessons.length) {
		throw new Error(`the mix needs the courses ${preferred.join(', ')} in the content build`)
	}
	return { quiz: quiz!, reading: [a!, b!] }
}

/**
 * `count` learners in a unit of their own on `databaseUrl`: account, membership, a session (the app's startSession),
 * three enrollments and every lesson of the quiz course done. The first learner is enrolled through app code (which
 * also records the course versions); the others get the same rows in bulk, or 2,000 learners would take minutes.
 */
export async function createLearners(databaseUrl: string, count: number, courses: MixCourses, tag = 'mix'): Promise<{ learners: Array<Learner>; db: PrismaClient }> {
	const db = createPrismaClient(databaseUrl, { poolSize: 8 })
	setDbForTests(db)
	const unit = await db.orgUnit.create({ data: { tree: 'GOV', kind: 'department', code: `BENCH-${tag.toUpperCase()}-${Date.now()}`, name: 'Sở Thử Tải', path: 'pending', depth: 0 } })
	await db.orgUnit.update({ where: { id: unit.id }, data: { path: `/${unit.id}/` } })
	const ids = Array.from({ length: count }, () => newId())
	const letters = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letters(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)))
	await db.user.createMany({ data: ids.map((id, i) => ({ id, fullName: `Học Viên Thử Tải ${letters(i)}`, username: `${tag}-${i}-${id.slice(-6)}`, status: 'ACTIVE', kind: 'STAFF' })) })
	await db.membership.createMany({ data: ids.map((userId) => ({ userId, orgUnitId: unit.id })) })
	const reading: Array<[string, string]> = courses.reading.flatMap((slug) => getCourse(slug)!.lessons.map((l) => [slug, l.slug] as [string, string]))
	for (const slug of [...courses.reading, courses.quiz]) {
		const first = await startEnrollment(ids[0]!, slug)
		if (!first) throw new Error(`${slug}: no course version`)
		await db.$executeRaw`
			INSERT INTO "Enrollment" (id, "userId", "courseVersionId")
			SELECT 'e' || md5(u || ${first.courseVersionId}), u, ${first.courseVersionId} FROM unnest(${pgArray(ids)}::text[]) u
			ON CONFLICT DO NOTHING`
	}
	await db.$executeRaw`
		INSERT INTO "LessonProgress" (id, "enrollmentId", "lessonSlug", "completedAt", "secondsSpent")
		SELECT 'p' || md5(e.id || l), e.id, l, now(), 60
		FROM "Enrollment" e JOIN "CourseVersion" v ON v.id = e."courseVersionId" JOIN "Course" c ON c.id = v."courseId",
			unnest(${pgArray(getCourse(courses.quiz)!.lessons.map((l) => l.slug))}::text[]) l
		WHERE c.slug = ${courses.quiz} AND e."userId" = ANY(${pgArray(ids)}::text[])
		ON CONFLICT DO NOTHING`
	const learners: Array<Learner> = []
	await inBatches(ids, 8, async (id) => {
		const cookie = (await startSession(id)).split(';')[0]!
		learners.push({ id, cookie, reading, next: Math.floor(Math.random() * reading.length) })
	})
	return { learners, db }
}

/** Closes a client made by createLearners, its pool included (a pool left open logs an error when the bench drops
 * the database under it). */
export async function closeBenchDb(db: PrismaClient) {
	setDbForTests(undefined)
	await db.$disconnect()
	const raw = rawDatabase(db)
	if (raw.kind === 'postgres') await raw.pool.end().catch(() => undefined)
}

/** Puts the learners' reading courses back to "nothing done", so that marking done writes again (between steps). */
export async function resetReading(db: PrismaClient, learners: Array<Learner>, courses: MixCourses) {
	await db.$executeRaw`
		DELETE FROM "LessonProgress" lp USING "Enrollment" e, "CourseVersion" v, "Course" c
		WHERE lp."enrollmentId" = e.id AND e."courseVersionId" = v.id AND v."courseId" = c.id
			AND c.slug = ANY(${pgArray([...courses.reading])}::text[]) AND e."userId" = ANY(${pgArray(learners.map((l) => l.id))}::text[])`
}

async function inBatches<T>(items: Array<T>, width: number, work: (item: T) => Promise<void>) {
	let at = 0
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (at < items.length) await work(items[at++]!)
		}),
	)
}

// ——— the mix ———

export type Sample = { kind: Kind; at: number; ms: number; ok: boolean; error?: string }
export type MixResult = { samples: Array<Sample>; loggedOut: number; startedAt: number; endedAt: number; cycles: number }

type Reply = { status: number; location?: string; body?: string; ms: number }

function request(agent: http.Agent, port: number, method: string, urlPath: string, cookie: string, body?: string, keepBody = false): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = { ...BROWSER, Cookie: cookie }
		if (body !== undefined) {
			headers['Content-Type'] = 'application/x-www-form-urlencoded'
			headers['Content-Length'] = String(Buffer.byteLength(body))
			headers.Origin = `http://127.0.0.1:${port}`
			// The quiz page is read as text: ask it without compression.
		}
		if (keepBody) headers['Accept-Encoding'] = 'identity'
		const begun = performance.now()
		const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers, agent, timeout: 30_000 }, (res) => {
			const chunks: Array<Buffer> = []
			res.on('data', (chunk: Buffer) => keepBody && chunks.push(chunk))
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: keepBody ? Buffer.concat(chunks).toString('utf8') : undefined, ms: performance.now() - begun }),
			)
			res.on('error', reject)
		})
		req.on('timeout', () => req.destroy(new Error(`timeout after 30 s: ${method} ${urlPath}`)))
		req.on('error', reject)
		req.end(body)
	})
}

export type MixOptions = {
	port: number
	learners: Array<Learner>
	courses: MixCourses
	seconds: number
	/** Think time range, ms. */
	think: [number, number]
	/** Stop early (the failover test stops after a number of requests). */
	maxRequests?: number
	/** Called about once a second while the mix runs. */
	onTick?: (elapsedMs: number) => void
}

export async function runMix(options: MixOptions): Promise<MixResult> {
	const { port, learners, courses } = options
	const agent = new http.Agent({ keepAlive: true, maxSockets: learners.length, keepAliveMsecs: 1_000 })
	const quiz = getQuiz(courses.quiz)!
	const correct = new Map(quiz.bank.map((q) => [q.id, String(answerIndex(q))]))
	const samples: Array<Sample> = []
	let loggedOut = 0
	let cycles = 0
	const startedAt = performance.now()
	const deadline = startedAt + options.seconds * 1000
	const think = () => new Promise((r) => setTimeout(r, options.think[0] + Math.random() * (options.think[1] - options.think[0])))
	const running = () => performance.now() < deadline && (options.maxRequests === undefined || samples.length < options.maxRequests)
	const ticker = options.onTick ? setInterval(() => options.onTick!(performance.now() - startedAt), 1_000) : undefined

	/** Records one request; returns the reply when it had the expected status. */
	const timed = async (kind: Kind, expected: number, send: () => Promise<Reply>) => {
		const at = performance.now() - startedAt
		try {
			const reply = await send()
			if (reply.status === 302 && reply.location?.startsWith('/login')) loggedOut++
			const ok = reply.status === expected
			samples.push({ kind, at, ms: reply.ms, ok, error: ok ? undefined : `HTTP ${reply.status}${reply.location ? ` → ${reply.location}` : ''}` })
			return ok ? reply : null
		} catch (error) {
			samples.push({ kind, at, ms: performance.now() - startedAt - at, ok: false, error: error instanceof Error ? error.message : String(error) })
			return null
		}
	}

	const quizCycle = async (learner: Learner) => {
		const begun = await timed('quiz start', 302, () => request(agent, port, 'POST', `/courses/${courses.quiz}/quiz?index`, learner.cookie, 'committed=on'))
		if (!begun?.location) return
		const page = await timed('quiz page', 200, () => request(agent, port, 'GET', begun.location!, learner.cookie, undefined, true))
		if (!page?.body) return
		const submitKey = page.body.match(/name="submitKey" value="([^"]*)"/)?.[1]
		const ids = [...new Set([...page.body.matchAll(/name="answer\.([^"]+)"/g)].map((m) => m[1]!))]
		if (!submitKey || ids.length === 0) {
			samples.push({ kind: 'quiz page', at: performance.now() - startedAt, ms: 0, ok: false, error: 'attempt page without its form' })
			return
		}
		await think()
		const fields = [['submitKey', submitKey], ['intent', 'submit'], ...ids.map((id) => [`answer.${id}`, correct.get(id) ?? '0'])]
		await timed('quiz submit', 302, () => request(agent, port, 'POST', begun.location!, learner.cookie, new URLSearchParams(fields).toString()))
	}

	await Promise.all(
		learners.map(async (learner) => {
			// Learners arrive over the first think time, not all in the same millisecond.
			await think()
			while (running()) {
				const roll = Math.random()
				const [course, lesson] = learner.reading[learner.next % learner.reading.length]!
				if (roll < 0.55) {
					await timed('lesson', 200, () => request(agent, port, 'GET', `/courses/${course}/lessons/${lesson}`, learner.cookie))
				} else if (roll < 0.7) {
					const done = await timed('mark done', 302, () => request(agent, port, 'POST', `/courses/${course}/lessons/${lesson}`, learner.cookie, ''))
					if (done) learner.next++
				} else if (roll < 0.85) {
					await timed('my courses', 200, () => request(agent, port, 'GET', '/my-courses', learner.cookie))
				} else {
					await quizCycle(learner)
					cycles++
				}
				await think()
			}
		}),
	)
	clearInterval(ticker)
	agent.destroy()
	return { samples, loggedOut, startedAt, endedAt: performance.now(), cycles }
}

// ——— figures ———

export type KindSummary = { kind: Kind; count: number; errors: number; rps: number; p50: number; p95: number; p99: number; firstError?: string }

function percentile(sorted: Array<number>, p: number) {
	if (!sorted.length) return Number.NaN
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** Per kind, over the samples sent from `fromMs` on (the warm-up left out). */
export function summarize(result: MixResult, fromMs = 0): Array<KindSummary> {
	const seconds = (result.endedAt - result.startedAt - fromMs) / 1000
	return KINDS.map((kind) => {
		const mine = result.samples.filter((s) => s.kind === kind && s.at >= fromMs)
		const latencies = mine.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b)
		const failed = mine.filter((s) => !s.ok)
		return {
			kind,
			count: mine.length,
			errors: failed.length,
			rps: mine.length / seconds,
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			p99: percentile(latencies, 99),
			firstError: failed[0]?.error,
		}
	})
}

export function table(rows: Array<KindSummary>) {
	const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-')
	const cells = (first: string, rest: Array<string>) => `${first.padEnd(14)}${rest.map((c) => c.padStart(9)).join('')}`
	return [cells('kind', ['req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'count', 'errors']), ...rows.map((r) => cells(r.kind, [r.rps.toFixed(1), ms(r.p50), ms(r.p95), ms(r.p99), String(r.count), String(r.errors)]))].join('\n')
}

/** Runs a shell script of the repository (scripts/ensure-haproxy.sh) and returns what it printed last. */
export function ensureTool(script: string) {
	const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
	return out.trim().split('\n').at(-1)!
}

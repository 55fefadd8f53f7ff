/**
 * `npm run bench:cluster` — issue 21 §2 and §3 on real processes.
 *
 * Failover: two app nodes (node dist/server.js, each its own process and port) behind Debian's HAProxy
 * (scripts/ensure-haproxy.sh installs it when missing) with health checks on GET /healthz, one PostgreSQL primary.
 * Logged-in learners run the mix (scripts/bench/mix-driver.ts); meanwhile the outbox holds mails for an SMTP sink
 * of this process and a delivery job is sent; mid-run the node that is delivering (else the first) gets kill -9.
 * Printed: requests failed (budget ≤ 0.5 % of the run, none sent 5 s or more after the kill), learners sent to the
 * login page and sessions lost (must be 0), mails delivered twice and queue jobs of one cron slot twice (must be 0).
 *
 * Replica (--replica, default on): a real streaming replica of the machine's PostgreSQL (scripts/bench/pg-replica.ts:
 * pg_basebackup -R and a second postgres on another port), a node with REPLICA_DATABASE_URL, and a manager whose
 * dashboard must come from the replica, from the primary right after their own change, from the primary (with a
 * log line) while the replica lags, and from the primary (with a log line) once the replica is killed.
 *
 *   npm run bench:cluster
 *   npm run bench:cluster -- --learners 300 --seconds 60 --kill-at 30 --skip-build
 *   npm run bench:cluster -- --no-replica
 *
 * tests/cluster/ runs the same two scenarios, reduced, in CI.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { startSession } from '#app/auth/session.server.ts'
import { sendJob, startQueue, stopQueue } from '#app/jobs/queue.server.ts'
import { vnToday } from '#app/ui/dates.ts'
import { buildIfStale } from '../build-if-stale.ts'
import {
	closeBenchDb,
	createBenchDatabase,
	createLearners,
	dropBenchDatabase,
	ensureTool,
	freePort,
	machineLine,
	type MixResult,
	pickCourses,
	runMix,
	serverEnvironment,
	snapshotBuild,
	type Started,
	startProcess,
	stopAll,
	stopProcess,
	summarize,
	table,
	tail,
	waitForHttp,
} from './mix-driver.ts'
import { allowReplication, startReplica } from './pg-replica.ts'

export type ClusterSetup = { adminUrl: string; database: string; logDir: string }

// ——— an SMTP sink: counts every mail by recipient ———

type Sink = { port: number; deliveries: Map<string, number>; close: () => Promise<void> }

/** Just enough SMTP for nodemailer (no TLS, no auth); each mail is acknowledged after `delayMs`. */
async function smtpSink(delayMs: number): Promise<Sink> {
	const deliveries = new Map<string, number>()
	const sockets = new Set<net.Socket>()
	const server = net.createServer((socket) => {
		sockets.add(socket)
		socket.on('close', () => sockets.delete(socket))
		socket.on('error', () => undefined)
		let buffer = ''
		let inData = false
		let recipients: Array<string> = []
		socket.write('220 sink ESMTP\r\n')
		socket.on('data', (chunk) => {
			buffer += chunk.toString('latin1')
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n')
					if (end < 0) return
					buffer = buffer.slice(end + 5)
					inData = false
					const done = recipients
					recipients = []
					setTimeout(() => {
						for (const to of done) deliveries.set(to, (deliveries.get(to) ?? 0) + 1)
						if (!socket.destroyed) socket.write('250 queued\r\n')
					}, delayMs)
					continue
				}
				const eol = buffer.indexOf('\r\n')
				if (eol < 0) return
				const line = buffer.slice(0, eol)
				buffer = buffer.slice(eol + 2)
				const verb = line.slice(0, 4).toUpperCase()
				if (verb === 'EHLO' || verb === 'HELO') socket.write('250 sink\r\n')
				else if (verb === 'RCPT') {
					recipients.push(/<([^>]*)>/.exec(line)?.[1] ?? line)
					socket.write('250 ok\r\n')
				} else if (verb === 'DATA') {
					inData = true
					socket.write('354 go on\r\n')
				} else if (verb === 'QUIT') {
					socket.end('221 bye\r\n')
				} else socket.write('250 ok\r\n')
			}
		})
	})
	const port = await freePort()
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
	return {
		port,
		deliveries,
		close: () =>
			new Promise((resolve) => {
				for (const s of sockets) s.destroy()
				server.close(() => resolve())
			}),
	}
}

/** The pids of processes with a connection to 127.0.0.1:`port` now (ss, Linux). */
function pidsConnectedTo(port: number) {
	try {
		const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' })
		return new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))
	} catch {
		return new Set<number>()
	}
}

// ——— HAProxy ———

function haproxyConfig(front: number, nodes: Array<{ name: string; port: number }>) {
	return `global
	maxconn 8000

defaults
	mode http
	timeout connect 2s
	timeout client 70s
	timeout server 35s
	timeout http-keep-alive 60s
	# A node that refuses or drops a connection: the request goes to another node. A request it was answering when
	# it died is sent again only when repeating it cannot do anything twice: GET and HEAD, and the learner's forms,
	# which the app makes idempotent (a lesson is completed once, a quiz start returns the open attempt, a submit
	# is graded once by its submitKey). Other forms get the 502 and the person sends them again.
	retries 3
	option redispatch 1
	option http-buffer-request
	retry-on conn-failure empty-response response-timeout

frontend web
	bind 127.0.0.1:${front}
	acl learner_form path_reg ^/courses/[^/]+/(lessons/[^/]+|quiz/[^/]+|quiz)$
	http-request disable-l7-retry if !METH_GET !METH_HEAD !learner_form
	default_backend app

backend app
	balance roundrobin
	# A node that refuses connections is out after two checks (about 2 s). A slow answer is not a dead node: when
	# every node is slow (a loaded machine), taking them all out would turn slowness into 503s for everyone.
	option httpchk GET /healthz
	http-check expect status 200
	timeout check 4s
	default-server inter 1s fall 2 rise 2
${nodes.map((n) => `	server ${n.name} 127.0.0.1:${n.port} check`).join('\n')}
	# Fail open: should every node fail its check at once (all of them overloaded at a peak, not dead), the same
	# nodes unchecked take the traffic rather than everyone getting a 503.
${nodes.map((n) => `	server ${n.name}-open 127.0.0.1:${n.port} backup`).join('\n')}
`
}

// ——— failover ———

export type FailoverOptions = ClusterSetup & {
	learners: number
	seconds: number
	killAtSeconds: number
	think: [number, number]
	mails: number
	maxRequests?: number
	log?: (line: string) => void
}

export type FailoverResult = {
	/** The end of the balancer's and the nodes' logs. */
	logs: string
	requests: number
	failed: number
	failedLate: number
	failures: Array<{ kind: string; atFromKill: number; error?: string }>
	loggedOut: number
	sessionsBefore: number
	sessionsAfter: number
	mailsQueued: number
	mailsDelivered: number
	mailsTwice: number
	cronSlotsTwice: number
	jobsByState: Array<{ name: string; state: string; n: number }>
	killed: string
	killedWhileDelivering: boolean
	mix: MixResult
	killAtMs: number
}

async function nodeEnv(databaseUrl: string, extra: Record<string, string>) {
	const env = serverEnvironment(databaseUrl, extra)
	delete env.WEB_CONCURRENCY
	delete env.DB_POOL_SIZE
	return env
}

export async function runFailover(options: FailoverOptions): Promise<FailoverResult> {
	const log = options.log ?? console.log
	mkdirSync(options.logDir, { recursive: true })
	const haproxy = ensureTool('scripts/ensure-haproxy.sh')
	const courses = pickCourses()
	const databaseUrl = await createBenchDatabase(options.adminUrl, options.database)
	const { learners, db } = await createLearners(databaseUrl, options.learners, courses, 'cluster')
	const sessionsBefore = await db.session.count({ where: { userId: { in: learners.map((l) => l.id) } } })

	const sink = await smtpSink(20)
	await db.outboxMail.createMany({
		data: Array.from({ length: options.mails }, (_, i) => ({ to: `hocvien${i}@bench.example.vn`, subject: 'Nhắc học', text: 'Bạn còn bài học chưa xong.', kind: 'bench', period: vnToday() })),
	})

	const cwd = snapshotBuild(options.logDir)
	const ports = [await freePort(), await freePort()]
	const front = await freePort()
	const env = await nodeEnv(databaseUrl, { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, APP_URL: `http://127.0.0.1:${front}`, TRUST_PROXY: 'loopback' })
	const nodes = ports.map((port, i) => ({ name: `node${'ab'[i]}`, port, proc: startProcess(`node${'ab'[i]}`, process.execPath, ['dist/server.js'], { ...env, PORT: String(port) }, options.logDir, { cwd }) }))
	await Promise.all(nodes.map((n) => waitForHttp(n.port, '/healthz', n.proc, 120_000)))
	const cfg = path.join(options.logDir, 'haproxy.cfg')
	writeFileSync(cfg, haproxyConfig(front, nodes))
	const balancer = startProcess('haproxy', haproxy, ['-f', cfg, '-db'], { PATH: process.env.PATH }, options.logDir)
	await waitForHttp(front, '/healthz', balancer)
	log(`Two nodes (127.0.0.1:${ports.join(', 127.0.0.1:')}) behind HAProxy on 127.0.0.1:${front}; ${learners.length} learners; ${options.mails} mails in the outbox`)

	// The delivery job is sent from here (this process only sends: its queue has no workers).
	await startQueue({ work: false }, db)
	let killAtMs = Number.NaN
	let killed = ''
	let killedWhileDelivering = false
	let delivering = false
	const mix = await runMix({
		port: front,
		learners,
		courses,
		seconds: options.seconds,
		think: options.think,
		maxRequests: options.maxRequests,
		onTick: (elapsed) => {
			if (!delivering && elapsed >= (options.killAtSeconds - 2) * 1000) {
				delivering = true
				void sendJob('outbox.deliver').catch((error: Error) => log(`could not send the delivery job: ${error.message}`))
			}
			if (!killed && elapsed >= options.killAtSeconds * 1000) {
				const senders = pidsConnectedTo(sink.port)
				const victim = nodes.find((n) => senders.has(n.proc.child.pid!)) ?? nodes[0]!
				killedWhileDelivering = senders.has(victim.proc.child.pid!)
				victim.proc.child.kill('SIGKILL')
				killAtMs = elapsed
				killed = victim.name
				log(`kill -9 ${victim.name} (pid ${victim.proc.child.pid}) at ${(elapsed / 1000).toFixed(1)} s${killedWhileDelivering ? ', in the middle of delivering mail' : ''}`)
			}
		},
	})
	// The surviving node finishes what it was delivering.
	await new Promise((r) => setTimeout(r, 3_000))
	await stopQueue(db)
	const failures = mix.samples.filter((s) => !s.ok).map((s) => ({ kind: s.kind, atFromKill: s.at - killAtMs, error: s.error }))
	const sessionsAfter = await db.session.count({ where: { userId: { in: learners.map((l) => l.id) } } })
	const delivered = [...sink.deliveries.values()]
	const cronSlots = await db.$queryRawUnsafe<Array<{ n: number }>>(
		`SELECT count(*)::int AS n FROM (SELECT name, singleton_on FROM pgboss.job WHERE singleton_on IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) twice`,
	)
	const jobsByState = await db.$queryRawUnsafe<Array<{ name: string; state: string; n: number }>>(`SELECT name, state::text, count(*)::int AS n FROM pgboss.job GROUP BY 1, 2 ORDER BY 1, 2`)
	await sink.close()
	await stopProcess(balancer.child)
	await Promise.all(nodes.map((n) => stopProcess(n.proc.child)))
	await closeBenchDb(db)
	return {
		logs: [balancer, ...nodes.map((n) => n.proc)].map((p) => `— ${p.name}:\n${tail(p.log, 15)}`).join('\n'),
		requests: mix.samples.length,
		failed: failures.length,
		failedLate: failures.filter((f) => f.atFromKill >= 5_000).length,
		failures,
		loggedOut: mix.loggedOut,
		sessionsBefore,
		sessionsAfter,
		mailsQueued: options.mails,
		mailsDelivered: delivered.length,
		mailsTwice: delivered.filter((n) => n > 1).length,
		cronSlotsTwice: cronSlots[0]?.n ?? 0,
		jobsByState,
		killed,
		killedWhileDelivering,
		mix,
		killAtMs,
	}
}

// ——— replica ———

export type ReplicaCheck = { step: string; ok: boolean; detail: string }
export type ReplicaResult = { checks: Array<ReplicaCheck>; basebackupMs: number; requests: number; failed: number; log: string }

function get(port: number, urlPath: string, cookie: string) {
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { Cookie: cookie, 'Accept-Language': 'vi' }, timeout: 30_000 }, (res) => {
			const chunks: Array<Buffer> = []
			res.on('data', (c: Buffer) => chunks.push(c))
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
		})
		req.on('timeout', () => req.destroy(new Error('timeout')))
		req.on('error', reject)
	})
}

function post(port: number, urlPath: string, cookie: string, fields: Record<string, string>) {
	const body = new URLSearchParams(fields).toString()
	return new Promise<{ status: number; setCookie: Array<string> }>((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				path: urlPath,
				method: 'POST',
				headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Origin: `http://127.0.0.1:${port}` },
				timeout: 30_000,
			},
			(res) => {
				res.resume()
				res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: [res.headers['set-cookie'] ?? []].flat() }))
			},
		)
		req.on('error', reject)
		req.end(body)
	})
}

async function waitForLog(file: string, pattern: RegExp, timeoutMs: number) {
	const until = Date.now() + timeoutMs
	while (Date.now() < until) {
		if (pattern.test(tail(file, 200))) return true
		await new Promise((r) => setTimeout(r, 100))
	}
	return false
}

/**
 * A manager's dashboard with a real replica. `maxLagMs` is the node's REPLICA_MAX_LAG_MS. Each step is checked by
 * the unit's name in the dashboard's heading, changed on the primary while the replica does not replay.
 */
export async function runReplicaCheck(options: ClusterSetup & { maxLagMs: number; log?: (line: string) => void }): Promise<ReplicaResult> {
	const log = options.log ?? console.log
	mkdirSync(options.logDir, { recursive: true })
	const checks: Array<ReplicaCheck> = []
	const check = (step: string, ok: boolean, detail: string) => {
		checks.push({ step, ok, detail })
		log(`${ok ? 'PASS' : 'FAIL'}  ${step}: ${detail}`)
	}
	log(await allowReplication(options.adminUrl))
	const databaseUrl = await createBenchDatabase(options.adminUrl, options.database)
	const { db } = await createLearners(databaseUrl, 1, pickCourses(), 'replica')
	const province = await db.orgUnit.create({ data: { tree: 'GOV', kind: 'province', code: `REPL-${Date.now()}`, name: 'Tỉnh Bản Sao Cũ', path: 'pending', depth: 0 } })
	await db.orgUnit.update({ where: { id: province.id }, data: { path: `/${province.id}/` } })
	const manager = await db.user.create({ data: { fullName: 'Quản Lý Báo Cáo', username: `quanly-${Date.now()}`, status: 'ACTIVE' } })
	await db.membership.create({ data: { userId: manager.id, orgUnitId: province.id } })
	await db.roleGrant.createMany({ data: [{ userId: manager.id, orgUnitId: province.id, role: 'MANAGER' }, { userId: manager.id, orgUnitId: province.id, role: 'ADMIN' }] })
	const cookie = (await startSession(manager.id)).split(';')[0]!

	const replica = await startReplica(options.adminUrl, options.logDir)
	let requests = 0
	let failed = 0
	let node: Started | undefined
	try {
		log(`Replica: pg_basebackup -R in ${(replica.basebackupMs / 1000).toFixed(1)} s, hot standby on 127.0.0.1:${replica.port}`)
		await replica.caughtUp()
		const port = await freePort()
		const env = await nodeEnv(databaseUrl, {
			PORT: String(port),
			APP_URL: `http://127.0.0.1:${port}`,
			REPLICA_DATABASE_URL: replica.urlFor(options.database),
			REPLICA_MAX_LAG_MS: String(options.maxLagMs),
		})
		node = startProcess('replica-node', process.execPath, ['dist/server.js'], env, options.logDir, { cwd: snapshotBuild(path.join(options.logDir, 'replica')) })
		await waitForHttp(port, '/healthz', node, 120_000)
		const dashboard = `/org/${province.id}/dashboard`
		const heading = async (withCookie: string) => {
			requests++
			const page = await get(port, dashboard, withCookie)
			if (page.status !== 200) failed++
			const name = /Tỉnh Bản Sao (?:Cũ|Mới Ở Chính|Tự Đổi)/.exec(page.body.normalize('NFC'))?.[0] ?? `(HTTP ${page.status}, no unit name)`
			return name
		}
		// The first report request starts the replica's health checks.
		await heading(cookie)
		check('replica in use', await waitForLog(node.log, /Read replica: in use/, 15_000), 'the node logged "Read replica: in use"')

		// 1. Reads come from the replica: a change on the primary that the replica has not replayed is not seen.
		await replica.pauseReplay()
		const pausedAt = Date.now()
		await db.orgUnit.update({ where: { id: province.id }, data: { name: 'Tỉnh Bản Sao Mới Ở Chính' } })
		const seen = await heading(cookie)
		check('dashboard read from the replica', seen === 'Tỉnh Bản Sao Cũ', `saw "${seen}" while the replica did not replay (the primary has the new name)`)

		// 2. Read your own writes: the manager renames the province through the app, then reads from the primary.
		const rename = await post(port, `/org/${province.id}/tree/${province.id}`, cookie, { intent: 'rename', name: 'Tỉnh Bản Sao Tự Đổi', at: vnToday() })
		requests++
		const mark = rename.setCookie.find((c) => c.startsWith('vms_wrote='))?.split(';')[0]
		check('own write marked', rename.status === 200 && !!mark, `rename answered ${rename.status}, ${mark ? 'with' : 'without'} the recent-write cookie`)
		const own = await heading(`${cookie}; ${mark ?? ''}`)
		check('own change seen at once', own === 'Tỉnh Bản Sao Tự Đổi', `the manager saw "${own}" right after renaming`)
		const other = await heading(cookie)
		check('others still on the replica', other === 'Tỉnh Bản Sao Cũ', `without the cookie: "${other}"`)

		// 3. A lagging replica: past REPLICA_MAX_LAG_MS, reads go to the primary, with a log line.
		await new Promise((r) => setTimeout(r, Math.max(0, pausedAt + options.maxLagMs + 2_500 - Date.now())))
		const lagging = await heading(cookie)
		const lagLogged = await waitForLog(node.log, /Read replica: .* behind the primary .*: reports read from the primary/, 5_000)
		check('lagging replica → primary', lagging === 'Tỉnh Bản Sao Tự Đổi' && lagLogged, `saw "${lagging}"; log line ${lagLogged ? 'present' : 'missing'}`)

		// 4. Caught up again: back on the replica.
		await replica.resumeReplay()
		await replica.caughtUp()
		check('caught up', await waitForLog(node.log, /Read replica: caught up/, 10_000), 'the node logged "Read replica: caught up"')

		// 5. A lost replica: kill -9; reads go to the primary, with a log line, and no request fails.
		await replica.kill()
		const lost = await heading(cookie)
		const again = await heading(cookie)
		const lostLogged = await waitForLog(node.log, /Read replica: unreachable/, 5_000)
		check('lost replica → primary', lost === 'Tỉnh Bản Sao Tự Đổi' && again === lost && lostLogged, `saw "${lost}", then "${again}"; log line ${lostLogged ? 'present' : 'missing'}`)
	} finally {
		if (node) await stopProcess(node.child)
		await replica.stop()
		await closeBenchDb(db)
	}
	const nodeLog = node ? tail(node.log, 400) : ''
	return { checks, basebackupMs: replica.basebackupMs, requests, failed, log: nodeLog }
}

// ——— the command ———

async function main() {
	const { values } = parseArgs({
		options: {
			learners: { type: 'string', default: '300' },
			seconds: { type: 'string', default: '60' },
			'kill-at': { type: 'string', default: '30' },
			think: { type: 'string', default: '1000-3000' },
			mails: { type: 'string', default: '300' },
			pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432' },
			database: { type: 'string', default: 'vms_bench_cluster' },
			'max-lag': { type: 'string', default: '5000' },
			'no-replica': { type: 'boolean', default: false },
			'skip-build': { type: 'boolean', default: false },
		},
	})
	const think = /^(\d+)-(\d+)$/.exec(values.think)?.slice(1).map(Number) as [number, number] | undefined
	const [learners, seconds, killAt, mails, maxLag] = [values.learners, values.seconds, values['kill-at'], values.mails, values['max-lag']].map(Number) as [number, number, number, number, number]
	if (!think || !(learners > 0) || !(seconds > killAt + 5) || !(killAt > 2) || !(mails >= 0) || !(maxLag >= 500) || !/^\w+$/.test(values.database)) {
		console.error('usage: tsx scripts/bench/cluster.ts [--learners 300] [--seconds 60] [--kill-at 30] [--mails 300] [--max-lag 5000] [--no-replica] [--skip-build]')
		process.exit(1)
	}
	const adminUrl = `${values.pg.replace(/\/+$/, '')}/postgres`
	const logDir = mkdtempSync(path.join(os.tmpdir(), 'vms-bench-cluster-'))
	let ok = true
	try {
		if (!values['skip-build']) buildIfStale()
		console.log(machineLine())
		const r = await runFailover({ adminUrl, database: values.database, logDir, learners, seconds, killAtSeconds: killAt, think, mails })
		console.log('')
		console.log(table(summarize(r.mix)))
		const share = (r.failed / r.requests) * 100
		const lines: Array<[boolean, string]> = [
			[share <= 0.5, `requests failed: ${r.failed} of ${r.requests} (${share.toFixed(2)} %, budget ≤ 0.5 %)`],
			[r.failedLate === 0, `requests failed 5 s or more after the kill: ${r.failedLate}`],
			[r.loggedOut === 0 && r.sessionsAfter === r.sessionsBefore, `learners sent to the login page: ${r.loggedOut}; sessions ${r.sessionsBefore} before, ${r.sessionsAfter} after`],
			[r.mailsTwice === 0, `mails delivered twice: ${r.mailsTwice} (${r.mailsDelivered} of ${r.mailsQueued} delivered by the end)`],
			[r.cronSlotsTwice === 0, `queue jobs of one cron slot created twice: ${r.cronSlotsTwice}`],
		]
		for (const f of r.failures.slice(0, 10)) console.log(`  failed: ${f.kind} at ${(f.atFromKill / 1000).toFixed(2)} s from the kill: ${f.error}`)
		console.log(`killed ${r.killed} at ${(r.killAtMs / 1000).toFixed(1)} s${r.killedWhileDelivering ? ' while it delivered mail' : ''}; queue jobs: ${r.jobsByState.map((j) => `${j.name} ${j.state} ${j.n}`).join(', ')}`)
		for (const [pass, text] of lines) console.log(`${pass ? 'PASS' : 'FAIL'}  ${text}`)
		ok = lines.every(([pass]) => pass)
		await dropBenchDatabase(adminUrl, values.database)
		if (!values['no-replica']) {
			console.log('')
			const replica = await runReplicaCheck({ adminUrl, database: `${values.database}_replica`, logDir, maxLagMs: maxLag })
			console.log(`Replica: ${replica.requests} dashboard requests, ${replica.failed} failed`)
			ok &&= replica.checks.every((c) => c.ok) && replica.failed === 0
			await dropBenchDatabase(adminUrl, `${values.database}_replica`)
		}
	} catch (error) {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error)
		ok = false
	} finally {
		await stopAll()
		for (const name of [values.database, `${values.database}_replica`]) await dropBenchDatabase(adminUrl, name).catch(() => undefined)
	}
	if (!ok) {
		console.error(`Logs: ${logDir}`)
		process.exitCode = 1
	} else rmSync(logDir, { recursive: true, force: true })
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main()
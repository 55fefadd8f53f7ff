/**
 * `npm run bench:mix` — issue 21 §1: how many learners one app process serves with every request kind under 200 ms
 * at p95. The learner mix (scripts/bench/mix-driver.ts: 55 % lessons, 15 % mark done, 15 % "Khoá học của tôi",
 * 15 % quiz start + page + submit, think time 1–3 s) against the built server (dist/server.js, one process, so one
 * core at most) on PostgreSQL, stepping the number of learners up. Per step it prints, per kind, req/s, p50/p95/p99
 * and errors, and for the server process its CPU time per request (all kinds together: process CPU ÷ requests),
 * its share of one core and its resident memory. It ends with the largest step at which every kind stayed under
 * 200 ms p95 without errors; by default it stops after the first step that does not.
 *
 *   npm run bench:mix
 *   npm run bench:mix -- --steps 300,500 --seconds 30 --skip-build
 *   npm run bench:mix -- --all-steps --keep-db
 *
 * The database `vms_bench_mix` (--database) is made afresh and dropped at the end. Never in CI (it runs for minutes).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { buildIfStale } from '../build-if-stale.ts'
import {
	adminQuery,
	closeBenchDb,
	cpuMs,
	createBenchDatabase,
	createLearners,
	dropBenchDatabase,
	freePort,
	machineLine,
	pickCourses,
	resetReading,
	rssMiB,
	runMix,
	serverEnvironment,
	snapshotBuild,
	startProcess,
	stopAll,
	summarize,
	table,
	waitForHttp,
} from './mix-driver.ts'

const { values } = parseArgs({
	options: {
		steps: { type: 'string', default: '300,500,1000,1500,2000' },
		seconds: { type: 'string', default: '60' },
		warmup: { type: 'string', default: '10' },
		think: { type: 'string', default: '1000-3000' },
		pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432' },
		database: { type: 'string', default: 'vms_bench_mix' },
		'pool-size': { type: 'string' },
		'all-steps': { type: 'boolean', default: false },
		'skip-build': { type: 'boolean', default: false },
		'keep-db': { type: 'boolean', default: false },
	},
})

const STEPS = values.steps.split(',').map(Number)
const SECONDS = Number(values.seconds)
const WARMUP = Number(values.warmup)
const THINK = /^(\d+)-(\d+)$/.exec(values.think)?.slice(1).map(Number) as [number, number] | undefined
const BUDGET_P95 = 200
if (!STEPS.length || STEPS.some((n) => !Number.isInteger(n) || n < 1) || !(SECONDS > WARMUP) || WARMUP < 0 || !THINK || THINK[0] > THINK[1] || !/^\w+$/.test(values.database)) {
	console.error('usage: tsx scripts/bench/mix.ts [--steps 300,500,1000] [--seconds 60] [--warmup 10] [--think 1000-3000] [--pool-size N]')
	process.exit(1)
}
const ADMIN_URL = `${values.pg.replace(/\/+$/, '')}/postgres`
const logs = mkdtempSync(path.join(os.tmpdir(), 'vms-bench-mix-'))

async function main() {
	if (!values['skip-build']) buildIfStale()
	for (const file of ['dist/server.js', 'build/server/index.js', 'build/content/index.json']) {
		if (!existsSync(file)) throw new Error(`${file} missing: run \`npm run build\` (or drop --skip-build).`)
	}
	const courses = pickCourses()
	const pgVersion = (await adminQuery(ADMIN_URL, 'SHOW server_version')).rows[0].server_version as string
	console.log(machineLine())
	console.log(`PostgreSQL ${pgVersion} on the same machine; app: one process (node dist/server.js), DB_POOL_SIZE ${values['pool-size'] ?? 'unset (10)'}`)
	console.log(`Mix: 55 % lesson, 15 % mark done, 15 % my courses, 15 % quiz start+page+submit; think ${values.think} ms; ${SECONDS} s per step, first ${WARMUP} s not counted`)

	let setup = performance.now()
	const databaseUrl = await createBenchDatabase(ADMIN_URL, values.database)
	const largest = Math.max(...STEPS)
	const { learners, db } = await createLearners(databaseUrl, largest, courses)
	console.log(`Database ${values.database}: migrated, ${largest} learners with sessions and 3 enrollments each in ${((performance.now() - setup) / 1000).toFixed(1)} s`)

	const port = await freePort()
	setup = performance.now()
	const env = serverEnvironment(databaseUrl, { PORT: String(port), APP_URL: `http://127.0.0.1:${port}` })
	if (values['pool-size']) env.DB_POOL_SIZE = values['pool-size']
	else delete env.DB_POOL_SIZE
	delete env.WEB_CONCURRENCY
	const app = startProcess('app', process.execPath, ['dist/server.js'], env, logs, { cwd: snapshotBuild(logs) })
	await waitForHttp(port, '/healthz', app)
	console.log(`App on 127.0.0.1:${port}, ready in ${((performance.now() - setup) / 1000).toFixed(1)} s`)

	const verdicts: Array<{ learners: number; pass: boolean }> = []
	for (const step of STEPS) {
		await resetReading(db, learners, courses)
		const cpuBefore = cpuMs(app.child.pid)
		const driverBefore = process.cpuUsage()
		const wallBefore = performance.now()
		let rssPeak = 0
		const result = await runMix({
			port,
			learners: learners.slice(0, step),
			courses,
			seconds: SECONDS,
			think: THINK!,
			onTick: () => (rssPeak = Math.max(rssPeak, rssMiB(app.child.pid))),
		})
		const wall = performance.now() - wallBefore
		const serverCpu = cpuMs(app.child.pid) - cpuBefore
		const driver = process.cpuUsage(driverBefore)
		const rows = summarize(result, WARMUP * 1000)
		const pass = rows.every((r) => r.errors === 0 && r.count > 0 && r.p95 < BUDGET_P95)
		verdicts.push({ learners: step, pass })
		console.log('')
		console.log(`— ${step} learners: ${result.samples.length} requests in ${(wall / 1000).toFixed(0)} s, ${result.cycles} quiz cycles, ${result.loggedOut} logged out`)
		console.log(table(rows))
		console.log(
			`server: ${(serverCpu / result.samples.length).toFixed(2)} ms CPU per request (all kinds), ${((serverCpu / wall) * 100).toFixed(0)} % of one core, RSS peak ${rssPeak.toFixed(0)} MiB; load generator ${(((driver.user + driver.system) / 1000 / wall) * 100).toFixed(0)} % of a core`,
		)
		for (const r of rows.filter((r) => r.errors)) console.log(`  ${r.kind}: first error ${r.firstError}`)
		console.log(`${pass ? 'PASS' : 'FAIL'}  every kind p95 < ${BUDGET_P95} ms and no errors at ${step} learners`)
		if (!pass && !values['all-steps']) break
	}
	const best = verdicts.filter((v) => v.pass).at(-1)
	console.log('')
	console.log(best ? `Largest step with every kind under ${BUDGET_P95} ms p95: ${best.learners} learners (one app process)` : `No step kept every kind under ${BUDGET_P95} ms p95`)
	await closeBenchDb(db)
}

try {
	await main()
} catch (error) {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error)
	process.exitCode = 1
} finally {
	await stopAll()
	if (values['keep-db']) console.log(`Kept database ${values.database}.`)
	else await dropBenchDatabase(ADMIN_URL, values.database).catch((e: Error) => console.error(`Could not drop ${values.database}: ${e.message}`))
	if (process.exitCode) console.error(`Server logs: ${logs}`)
	else rmSync(logs, { recursive: true, force: true })
}

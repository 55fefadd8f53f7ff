/**
 * Certificates benchmark: 1,000 certificates downloaded as one ZIP through the real route (built server,
 * NODE_ENV=production, real PostgreSQL), side by side in the same run with bare pdfkit rendering of the same 1,000
 * certificates (renderCertificatePdf in a fresh process: no database, no HTTP, no ZIP, no signature checks).
 *
 *   1. drops and recreates the database `vms_bench_certs`, migrates it and seeds one department of 10 divisions with
 *      1,000 staff, each holding one signed certificate (Vietnamese names, some long), and a manager with a session;
 *   2. starts dist/server.js and warms it up with a small ZIP;
 *   3. each run (default 5): bare rendering in a child process (time, peak RSS) and
 *      GET /certificates/unit/:id/zip as the manager (time to the last byte, server RSS sampled every 20 ms), in
 *      alternating order (bare first on odd runs, ZIP first on even ones) so that a load spike or a slow drift of
 *      the shared machine does not always fall on the same side; each phase prints the load average and how busy
 *      the whole machine was meanwhile (from /proc/stat: 100 % = every core, steal = time taken by the hypervisor);
 *   4. checks the last ZIP (1,000 entries, CRCs, each a PDF), prints the median of each side, the ratio of the
 *      medians and the median of the per-run ratios (each pair ran within seconds, on the same load), and the budgets.
 *
 * Budgets (DESIGN §7 and issue 6): ZIP ≤ 1.3 × bare rendering, < 20 s, server peak RSS < 300 MB. A missed budget is
 * reported, not an exit code; errors exit 1. Never in CI.
 *
 *   npm run bench:certificates
 *   npm run bench:certificates -- --count 200 --runs 1 --skip-build
 *   tsx scripts/bench/certificates.ts --phase bare --input rows.json   (the child process of step 3)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { buildIfStale } from '../build-if-stale.ts'

const { values } = parseArgs({
	options: {
		phase: { type: 'string', default: 'main' },
		input: { type: 'string' },
		count: { type: 'string', default: '1000' },
		runs: { type: 'string', default: '5' },
		pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432' },
		database: { type: 'string', default: 'vms_bench_certs' },
		'skip-build': { type: 'boolean', default: false },
		'keep-db': { type: 'boolean', default: false },
	},
})

const COUNT = Number(values.count)
const RUNS = Number(values.runs)
const DB_NAME = values.database
if (!Number.isInteger(COUNT) || COUNT < 1 || !Number.isInteger(RUNS) || RUNS < 1 || !/^\w+$/.test(DB_NAME)) {
	console.error('usage: tsx scripts/bench/certificates.ts [--count 1000] [--runs 5] [--pg postgresql://…] [--skip-build] [--keep-db]')
	process.exit(1)
}
const BUDGET = { ratio: 1.3, seconds: 20, rssMb: 300 }
const APP_URL = 'https://vanminhso.minhson.gov.vn'

type PdfRow = {
	serial: string
	holderName: string
	orgName: string
	courseTitle: string
	issuedAt: string
	expiresAt: string | null
	orgUnitId: number | null
}
type BareResult = { ms: number; cpuMs: number; bytes: number; peakRssMb: number }

const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
const mb = (bytes: number) => bytes / 1024 / 1024

// ---------------------------------------------------------------------------------------------------------------
// The bare phase (child process): the same PDF builder, the same data, nothing else.

async function bare(input: string) {
	const { pdfDataOf } = await import('#app/certificates/records.server.ts')
	const { renderCertificatePdf } = await import('#app/certificates/pdf.server.ts')
	const { rows, roots } = JSON.parse(readFileSync(input, 'utf8')) as { rows: Array<PdfRow>; roots: Record<string, { tree: string; code: string }> }
	const data = rows.map((r) => {
		const cert = { ...r, issuedAt: new Date(r.issuedAt), expiresAt: r.expiresAt ? new Date(r.expiresAt) : null }
		return pdfDataOf(cert as Parameters<typeof pdfDataOf>[0], r.orgUnitId ? (roots[r.orgUnitId] ?? null) : null)
	})
	// Warm-up (fonts parsed, code compiled), as the server is warmed up before its timed runs.
	for (const d of data.slice(0, 20)) await renderCertificatePdf(d)
	const started = performance.now()
	const cpu = process.cpuUsage()
	let bytes = 0
	for (const d of data) bytes += (await renderCertificatePdf(d)).length
	const used = process.cpuUsage(cpu)
	const result: BareResult = {
		ms: performance.now() - started,
		cpuMs: (used.user + used.system) / 1000,
		bytes,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
	}
	console.log(JSON.stringify(result))
}

// ---------------------------------------------------------------------------------------------------------------
// The main process: database, server, runs, report.

const children: Array<ChildProcess> = []
const tmp = values.phase === 'bare' ? '' : mkdtempSync(path.join(os.tmpdir(), 'vms-bench-certs-'))

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = http.createServer()
		server.on('error', reject)
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo
			server.close(() => resolve(port))
		})
	})
}

async function stop(child: ChildProcess) {
	if (child.exitCode !== null || child.signalCode !== null) return
	const exited = new Promise((r) => child.once('exit', r))
	child.kill('SIGTERM')
	await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** Resident memory of a process in MB, from /proc (Linux): the current value and the peak since it started. */
function rssOf(pid: number) {
	const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : ''
	const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
	return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

/** Machine-wide CPU counters (clock ticks) from the first line of /proc/stat. */
function machineTicks() {
	const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
	const busy = user! + nice! + system! + irq! + softirq!
	return { busy, steal: steal!, total: busy + idle! + iowait! + steal! }
}

/** How busy the machine was between two readings: 100 % means every core; what our phase itself used is included. */
function busySince(before: ReturnType<typeof machineTicks>) {
	const now = machineTicks()
	const total = Math.max(1, now.total - before.total)
	return `machine busy ${(((now.busy - before.busy) / total) * 100).toFixed(0)} %, steal ${(((now.steal - before.steal) / total) * 100).toFixed(0)} %`
}

const load1 = () => os.loadavg()[0]!.toFixed(1)

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMsOf(pid: number) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
	return (Number(fields[11]) + Number(fields[12])) * 10
}

type Download = { status: number; ms: number; bytes: number; body: Buffer | null; headers: http.IncomingHttpHeaders }

function download(port: number, pathname: string, cookie: string, keepBody: boolean): Promise<Download> {
	return new Promise((resolve, reject) => {
		const started = performance.now()
		// A new connection each time: between runs the server drops idle keep-alive sockets (5 s).
		const req = http.get({ host: '127.0.0.1', port, path: pathname, headers: { Cookie: cookie }, agent: false }, (res) => {
			const chunks: Array<Buffer> = []
			let bytes = 0
			res.on('data', (chunk: Buffer) => {
				bytes += chunk.length
				if (keepBody) chunks.push(chunk)
			})
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, bytes, body: keepBody ? Buffer.concat(chunks) : null, headers: res.headers }),
			)
			res.on('error', reject)
		})
		req.on('error', reject)
	})
}

function runBare(input: string): BareResult {
	const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/certificates.ts', '--phase', 'bare', '--input', input], {
		encoding: 'utf8',
		env: process.env,
		stdio: ['ignore', 'pipe', 'inherit'],
	})
	return JSON.parse(out.trim().split('\n').at(-1)!) as BareResult
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý']
const MIDDLE = ['Thị', 'Văn', 'Ngọc', 'Thanh', 'Minh', 'Hữu', 'Đức', 'Thu', 'Quốc', 'Phương', 'Hồng', 'Xuân']
const GIVEN = ['Hương', 'An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hằng', 'Khánh', 'Lan', 'Linh', 'Nga', 'Phúc', 'Quỳnh', 'Sơn', 'Thảo', 'Tuấn', 'Uyên', 'Yến']
const COURSES = ['Bảo vệ bí mật nhà nước trên không gian mạng', 'Quy tắc ứng xử trên mạng xã hội cho cán bộ, công chức, viên chức']

async function main() {
	const ADMIN_URL = `${values.pg.replace(/\/+$/, '')}/postgres`
	const DATABASE_URL = `${values.pg.replace(/\/+$/, '')}/${DB_NAME}`
	const keyFile = path.join(tmp, 'signing-key.pem')
	writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
	// Read by the app modules on first use, which are imported below, after these lines.
	Object.assign(process.env, { DATABASE_URL, CERT_SIGNING_KEY_FILE: keyFile, APP_URL })
	const pg = (await import('pg')).default
	const { pgConfig } = await import('#app/db-adapters.server.ts')
	const adminSql = async (sql: string) => {
		const client = new pg.Client(pgConfig(ADMIN_URL))
		await client.connect()
		try {
			return await client.query(sql)
		} finally {
			await client.end()
		}
	}

	const cpu = os.cpus()
	const pgVersion = (await adminSql('SHOW server_version')).rows[0]?.server_version as string
	console.log(`Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
	console.log(`Node ${process.version}, PostgreSQL ${pgVersion}; input: ${COUNT} certificates, ${RUNS} run(s), medians reported`)

	if (!values['skip-build']) buildIfStale()

	// 1. Database.
	const setupStarted = performance.now()
	await adminSql(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
	await adminSql(`CREATE DATABASE ${DB_NAME}`)
	execFileSync('npx', ['tsx', 'scripts/db.ts', 'migrate'], { env: process.env, stdio: ['ignore', 'ignore', 'inherit'] })
	const { db } = await import('#app/db.server.ts')
	const { newSerial } = await import('#app/certificates/issue.server.ts')
	const { signCertificate } = await import('#app/certificates/sign.server.ts')
	const { startSession } = await import('#app/auth/session.server.ts')
	const { rootsOf } = await import('#app/certificates/records.server.ts')

	const unit = async (tree: 'GOV', kind: 'province' | 'department' | 'division', code: string, name: string, parent?: { id: number; path: string; depth: number }) => {
		const row = await db.orgUnit.create({ data: { tree, kind, code, name, parentId: parent?.id, path: 'pending', depth: parent ? parent.depth + 1 : 0 } })
		return db.orgUnit.update({ where: { id: row.id }, data: { path: `${parent?.path ?? '/'}${row.id}/` } })
	}
	const province = await unit('GOV', 'province', 'MS', 'Ủy ban nhân dân tỉnh Minh Sơn')
	const dept = await unit('GOV', 'department', 'SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch', province)
	const divisions: Array<Awaited<ReturnType<typeof unit>>> = []
	for (let i = 0; i < 10; i++) divisions.push(await unit('GOV', 'division', `SVHTTDL-P${i + 1}`, `Phòng Nghiệp vụ số ${i + 1}`, dept))
	const course = await db.course.create({ data: { slug: 'bao-ve-bi-mat-nha-nuoc' } })
	const versions = await Promise.all(
		COURSES.map((title, i) => db.courseVersion.create({ data: { courseId: course.id, version: i + 1, contentHash: `bench${i}`, title, passMark: 80, validityMonths: 24 } })),
	)
	const users = Array.from({ length: COUNT }, (_, i) => {
		// Every 50th person has a long name, to exercise the shrink-to-fit path.
		const long = i % 50 === 0 ? ' Hoàng Thị Phương Thảo Nguyên' : ''
		return { id: `bench-${i}`, fullName: `${SURNAMES[i % SURNAMES.length]} ${MIDDLE[(i * 7) % MIDDLE.length]}${long} ${GIVEN[(i * 13) % GIVEN.length]}`, kind: 'STAFF' as const, status: 'ACTIVE' as const }
	})
	await db.user.createMany({ data: users })
	await db.membership.createMany({ data: users.map((u, i) => ({ userId: u.id, orgUnitId: divisions[i % divisions.length]!.id })) })
	const now = Date.now()
	const certificates = users.map((u, i) => {
		const division = divisions[i % divisions.length]!
		const version = versions[i % versions.length]!
		const issuedAt = new Date(now - ((i * 37) % 300) * 24 * 3600_000)
		const expiresAt = new Date(issuedAt)
		expiresAt.setUTCMonth(expiresAt.getUTCMonth() + 24)
		const fields = {
			serial: newSerial(issuedAt),
			userId: u.id,
			courseVersionId: version.id,
			holderName: u.fullName,
			orgUnitId: division.id,
			orgName: division.name,
			courseTitle: version.title,
			source: 'ONLINE' as const,
			issuedAt,
			expiresAt,
		}
		return { ...fields, signature: signCertificate(fields) }
	})
	await db.certificate.createMany({ data: certificates })
	const manager = await db.user.create({ data: { fullName: 'Lê Văn Quang', username: 'bench.quanly', status: 'ACTIVE' } })
	await db.membership.create({ data: { userId: manager.id, orgUnitId: dept.id } })
	await db.roleGrant.create({ data: { userId: manager.id, orgUnitId: dept.id, role: 'MANAGER' } })
	const cookie = (await startSession(manager.id)).split(';')[0]!
	// The same rows, as the route will read them, for the bare phase.
	const roots = Object.fromEntries(await rootsOf(divisions.map((d) => d.id)))
	const input = path.join(tmp, 'rows.json')
	writeFileSync(input, JSON.stringify({ rows: certificates, roots }))
	await db.$disconnect()
	console.log(`Database ${DB_NAME}: ${COUNT} signed certificates in 10 divisions, seeded in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`)

	// 2. Server.
	const port = await freePort()
	const log = path.join(tmp, 'server.log')
	const logFd = openSync(log, 'w')
	const server = spawn(process.execPath, ['dist/server.js'], {
		env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', logFd, logFd],
	})
	children.push(server)
	// On a shared machine a broad `pkill` by someone else ends our server too: say so instead of ECONNREFUSED alone.
	let stopping = false
	server.once('exit', (code, signal) => {
		if (!stopping) console.error(`The benchmark's server exited during the runs (code ${code}, signal ${signal}).`)
	})
	for (let i = 0; i < 300 && !readFileSync(log, 'utf8').includes('đang chạy'); i++) {
		if (server.exitCode !== null) throw new Error(`server exited:\n${readFileSync(log, 'utf8')}`)
		await new Promise((r) => setTimeout(r, 100))
	}
	const zipPath = `/certificates/unit/${dept.id}/zip`
	const warm = await download(port, `${zipPath}?from=${new Date(now - 20 * 24 * 3600_000 + 7 * 3600_000).toISOString().slice(0, 10)}`, cookie, false)
	if (warm.status !== 200) throw new Error(`warm-up ZIP: HTTP ${warm.status}\n${readFileSync(log, 'utf8').slice(-2000)}`)
	const idle = rssOf(server.pid!)
	console.log(`Server: node dist/server.js (NODE_ENV=production), warmed up with a ${warm.headers['x-certificate-count']}-certificate ZIP; RSS ${idle.rss.toFixed(0)} MB`)

	// 3. Runs, alternating which side goes first, so that both phases see the same machine.
	const bareRuns: Array<BareResult & { load: string; busy: string }> = []
	const zipRuns: Array<{ ms: number; cpuMs: number; bytes: number; peakRssMb: number; load: string; busy: string }> = []
	// Filled inside zipRun (a closure, where narrowing would not see the assignment).
	const kept: { last: Download | null } = { last: null }
	const bareRun = () => {
		const load = load1()
		const ticks = machineTicks()
		const b = runBare(input)
		bareRuns.push({ ...b, load, busy: busySince(ticks) })
	}
	const zipRun = async (keepBody: boolean) => {
		const load = load1()
		const ticks = machineTicks()
		let peak = rssOf(server.pid!).rss
		const cpuBefore = cpuMsOf(server.pid!)
		const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid!).rss)), 20)
		const z = await download(port, zipPath, cookie, keepBody).finally(() => clearInterval(sampler))
		if (z.status !== 200) throw new Error(`ZIP: HTTP ${z.status}`)
		peak = Math.max(peak, rssOf(server.pid!).rss)
		zipRuns.push({ ms: z.ms, cpuMs: cpuMsOf(server.pid!) - cpuBefore, bytes: z.bytes, peakRssMb: peak, load, busy: busySince(ticks) })
		if (keepBody) kept.last = z
	}
	for (let run = 1; run <= RUNS; run++) {
		if (run % 2 === 1) {
			bareRun()
			await zipRun(run === RUNS)
		} else {
			await zipRun(run === RUNS)
			bareRun()
		}
		const b = bareRuns.at(-1)!
		const z = zipRuns.at(-1)!
		console.log(
			`  run ${run} (${run % 2 === 1 ? 'bare first' : 'ZIP first'}): bare ${(b.ms / 1000).toFixed(2)} s, CPU ${(b.cpuMs / 1000).toFixed(2)} s, ` +
				`${mb(b.bytes).toFixed(1)} MB of PDF, peak RSS ${b.peakRssMb.toFixed(0)} MB [load ${b.load}, ${b.busy}]`,
		)
		console.log(
			`         ZIP ${(z.ms / 1000).toFixed(2)} s, server CPU ${(z.cpuMs / 1000).toFixed(2)} s, ${mb(z.bytes).toFixed(1)} MB, server RSS peak ${z.peakRssMb.toFixed(0)} MB ` +
				`[load ${z.load}, ${z.busy}] · ratio ${(z.ms / b.ms).toFixed(2)} wall, ${(z.cpuMs / b.cpuMs).toFixed(2)} CPU`,
		)
	}

	// 4. The last ZIP is checked entry by entry.
	const { readZip } = await import('#tests/certificates/zip-read.ts')
	const entries = readZip(kept.last!.body!)
	const pdfs = entries.filter((e) => e.name.endsWith('.pdf') && e.data.subarray(0, 5).toString('latin1') === '%PDF-')
	if (entries.length !== COUNT || pdfs.length !== COUNT) throw new Error(`ZIP holds ${entries.length} entries, ${pdfs.length} PDFs; expected ${COUNT}`)
	const serverPeak = rssOf(server.pid!).peak

	const bareMs = median(bareRuns.map((r) => r.ms))
	const zipMs = median(zipRuns.map((r) => r.ms))
	const ratio = zipMs / bareMs
	const pairedRatio = median(zipRuns.map((z, i) => z.ms / bareRuns[i]!.ms))
	const cpuRatio = median(zipRuns.map((r) => r.cpuMs)) / median(bareRuns.map((r) => r.cpuMs))
	const zipPeak = Math.max(...zipRuns.map((r) => r.peakRssMb))
	const check = (ok: boolean) => (ok ? 'ok' : 'MISSED')
	console.log('')
	console.log(`Results (median of ${RUNS}, ${COUNT} certificates):`)
	console.log(`  bare pdfkit rendering   ${(bareMs / 1000).toFixed(2)} s  (${(bareMs / COUNT).toFixed(1)} ms each), peak RSS ${Math.max(...bareRuns.map((r) => r.peakRssMb)).toFixed(0)} MB`)
	console.log(`  ZIP over HTTP           ${(zipMs / 1000).toFixed(2)} s  (${(zipMs / COUNT).toFixed(1)} ms each), ${mb(zipRuns.at(-1)!.bytes).toFixed(1)} MB, ${COUNT} valid PDFs`)
	console.log(`  server RSS              ${idle.rss.toFixed(0)} MB idle, ${zipPeak.toFixed(0)} MB peak while streaming (VmHWM ${serverPeak.toFixed(0)} MB)`)
	console.log(`  ratio ZIP / bare        ${ratio.toFixed(2)}× wall clock (ratio of the medians; median of the ${RUNS} per-run ratios ${pairedRatio.toFixed(2)}×)`)
	console.log(`                          ${cpuRatio.toFixed(2)}× CPU time (median CPU ${(median(bareRuns.map((r) => r.cpuMs)) / 1000).toFixed(2)} s vs ${(median(zipRuns.map((r) => r.cpuMs)) / 1000).toFixed(2)} s)`)
	console.log(`  load average            ${[...bareRuns, ...zipRuns].map((r) => Number(r.load)).reduce((a, b) => Math.min(a, b), Infinity).toFixed(1)}–${[...bareRuns, ...zipRuns].map((r) => Number(r.load)).reduce((a, b) => Math.max(a, b), 0).toFixed(1)} during the runs, now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
	console.log(
		`Budgets: ratio ≤ ${BUDGET.ratio}× ${check(ratio <= BUDGET.ratio)} · ZIP < ${BUDGET.seconds} s ${check(zipMs < BUDGET.seconds * 1000)} · ` +
			`server peak < ${BUDGET.rssMb} MB ${check(zipPeak < BUDGET.rssMb)}`,
	)

	stopping = true
	await stop(server)
	if (!values['keep-db']) await adminSql(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)
}

try {
	if (values.phase === 'bare') await bare(values.input!)
	else await main()
} catch (error) {
	console.error(error)
	const log = path.join(tmp, 'server.log')
	if (tmp && existsSync(log)) console.error(`Server log (end):\n${readFileSync(log, 'utf8').slice(-3000)}`)
	process.exitCode = 1
} finally {
	for (const child of children) await stop(child)
	if (values.phase !== 'bare') rmSync(tmp, { recursive: true, force: true })
}

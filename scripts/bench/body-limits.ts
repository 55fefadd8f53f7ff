/**
 * Request bodies past the limits (issue 16 item 3): the built server (dist/server.js) on a free port with a
 * throw-away embedded database (PGlite in a temporary directory, migrated and seeded with the demo data), then
 *   1. --parallel (4) chunked POSTs of --size (200) MB to /login, logged out;
 *   2. the same to the roster upload page of the demo manager's unit (/org/<id>/imports), signed in as `quanly`.
 * Each client sends until the server answers (a 413 is expected as soon as the limit is passed) and then stops,
 * as a browser does. The server's RSS (/proc/<pid>/status) is sampled every 20 ms and printed before, at the peak
 * and 3 s after each phase. Budget: the peak stays under idle + 50 MB. Exit 1 on a missed budget or a non-413.
 *
 *   npm run bench:bodies
 *   npm run bench:bodies -- --skip-build --size 200 --parallel 4
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { buildIfStale } from '../build-if-stale.ts'

const { values } = parseArgs({
	options: {
		size: { type: 'string', default: '200' },
		parallel: { type: 'string', default: '4' },
		'skip-build': { type: 'boolean', default: false },
	},
})
const SIZE = Number(values.size) * 1024 * 1024
const PARALLEL = Number(values.parallel)
const BUDGET_MB = 50

if (!values['skip-build']) buildIfStale()
const dir = mkdtempSync(path.join(os.tmpdir(), 'vms-bench-bodies-'))
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `pglite:${dir}/db`, NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1' }
for (const args of [['tsx', 'scripts/db.ts', 'migrate'], ['tsx', 'prisma/seed.ts', '--if-empty']]) {
	const run = spawnSync('npx', args, { env, stdio: ['ignore', 'ignore', 'inherit'] })
	if (run.status !== 0) throw new Error(`${args.join(' ')} failed`)
}

// Without NODE_ENV=production: the demo database has no certificate signing key, which production requires.
const server = spawn(process.execPath, ['dist/server.js'], { env: { ...env, NODE_ENV: 'development', APP_URL: 'http://127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] })
const port = await new Promise<number>((resolve, reject) => {
	let out = ''
	server.stdout!.on('data', (chunk: Buffer) => {
		out += chunk.toString()
		const m = /http:\/\/[^:]+:(\d+)/.exec(out)
		if (m) resolve(Number(m[1]))
	})
	server.once('exit', () => reject(new Error(`the server stopped: ${out}`)))
})
server.stdout!.resume()
const base = `http://127.0.0.1:${port}`

const rssMb = () => {
	const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))
	return Number(m![1]) / 1024
}

/** Chunked POST of `total` bytes; resolves with the status once the server answers (the client stops then). */
function chunkedPost(urlPath: string, total: number, headers: Record<string, string>, prefix = '') {
	return new Promise<{ status: number; sentMb: number }>((resolve) => {
		const socket = connect(port, '127.0.0.1')
		let sent = 0
		let received = ''
		let done = false
		const chunk = Buffer.alloc(64 * 1024, 'a')
		const end = () => {
			if (done) return
			done = true
			socket.destroy()
			resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), sentMb: sent / 1024 / 1024 })
		}
		socket.on('connect', () => {
			const head = Object.entries({ Host: `127.0.0.1:${port}`, Origin: base, 'Transfer-Encoding': 'chunked', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`)
			socket.write(`POST ${urlPath} HTTP/1.1\r\n${head.join('')}\r\n`)
			if (prefix) socket.write(`${Buffer.byteLength(prefix).toString(16)}\r\n${prefix}\r\n`)
			const pump = () => {
				while (!done && sent < total) {
					sent += chunk.length
					socket.write(`${chunk.length.toString(16)}\r\n`)
					socket.write(chunk)
					if (!socket.write('\r\n')) return void socket.once('drain', pump)
				}
				if (!done && sent >= total) socket.write('0\r\n\r\n')
			}
			pump()
		})
		socket.on('data', (data) => {
			received += data.toString('latin1')
			if (received.includes('\r\n\r\n')) end()
		})
		socket.on('error', end)
		socket.on('close', end)
	})
}

async function phase(name: string, run: () => Promise<{ status: number; sentMb: number }>) {
	await new Promise((r) => setTimeout(r, 1000))
	const before = rssMb()
	let peak = before
	const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 20)
	const started = performance.now()
	const results = await Promise.all(Array.from({ length: PARALLEL }, run))
	const ms = performance.now() - started
	await new Promise((r) => setTimeout(r, 3000))
	clearInterval(sampler)
	const after = rssMb()
	const ok = results.every((r) => r.status === 413) && peak - before < BUDGET_MB
	console.log(
		`${name}: ${PARALLEL} × ${values.size} MB chunked → ${results.map((r) => `${r.status} after ${r.sentMb.toFixed(1)} MB sent`).join(', ')} in ${Math.round(ms)} ms\n` +
			`  RSS before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)}), 3 s after ${after.toFixed(0)} MB — ${ok ? 'within' : 'MISSED'} the budget (+${BUDGET_MB} MB, all 413)`,
	)
	return ok
}

let ok = false
try {
	// Warm up the routes (first renders load modules), then sign in as the demo manager.
	await fetch(`${base}/login`).then((r) => r.text())
	const login = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
		body: new URLSearchParams({ identifier: 'quanly', password: 'VanMinhSo@2026', redirectTo: '/' }),
	})
	const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
	if (!cookie) throw new Error(`demo login failed: ${login.status}`)
	const home = await fetch(`${base}/`, { headers: { Cookie: cookie } }).then((r) => r.text())
	const unitId = /href="\/org\/(\d+)"/.exec(home)?.[1]
	if (!unitId) throw new Error('no unit link on the demo manager’s home page')
	await fetch(`${base}/org/${unitId}/imports`, { headers: { Cookie: cookie } }).then((r) => r.text())

	const form = { 'Content-Type': 'application/x-www-form-urlencoded' }
	const upload = { 'Content-Type': 'multipart/form-data; boundary=XX', Cookie: cookie }
	const part = '--XX\r\nContent-Disposition: form-data; name="file"; filename="danh-sach.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
	const a = await phase('/login (logged out, 1 MB limit)', () => chunkedPost('/login', SIZE, form))
	const b = await phase(`/org/${unitId}/imports (signed in, 20 MB limit)`, () => chunkedPost(`/org/${unitId}/imports`, SIZE, upload, part))
	ok = a && b
} finally {
	server.kill('SIGTERM')
	rmSync(dir, { recursive: true, force: true })
}
process.exit(ok ? 0 : 1)

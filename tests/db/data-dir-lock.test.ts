// Issue 17 item 1: two processes on one embedded data directory corrupted it. Every opener takes an exclusive lock
// (app/db-lock.server.ts); a second process refuses, naming the directory and the holder; after kill -9 of the
// holder the next process takes over. Real processes, real entry points, one temporary directory.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lockDataDir } from '#app/db-lock.server.ts'
import { templatePath } from '#tests/setup/global-setup.ts'

let root: string
let dir: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
	root = mkdtempSync(path.join(os.tmpdir(), 'vms-lock-'))
	dir = path.join(root, 'db')
	env = { ...process.env, DATABASE_URL: `pglite:${dir}`, NODE_ENV: 'test' }
	// A migrated directory, from the template the other tests clone in memory.
	const db = new PGlite(dir, { loadDataDir: new Blob([readFileSync(templatePath())]) })
	await db.waitReady
	await db.close()
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

type Holder = { child: ChildProcessWithoutNullStreams; next: () => Promise<string> }

function startHolder(): Holder {
	// One process (node with tsx as a loader, not the tsx CLI, which runs a child): kill -9 must hit the holder.
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/db/hold-data-dir.ts'], { env })
	const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
	let stderr = ''
	child.stderr.on('data', (d) => (stderr += d))
	return {
		child,
		next: async () => {
			const line = await lines.next()
			if (line.done) throw new Error(`holder ended: ${stderr}`)
			return line.value
		},
	}
}

function run(args: Array<string>) {
	return spawnSync('npx', args, { env, encoding: 'utf8', timeout: 120_000 })
}

const REFUSAL = /Thư mục dữ liệu (\S+) đang được một tiến trình khác sử dụng \(PID (\d+): ([^,]+), từ [^)]+\)\..*is in use by process/

describe('one embedded data directory, two processes', () => {
	it('refuses the second process, keeps the first working, and takes over after kill -9', async () => {
		const first = startHolder()
		const ready = await first.next()
		const pid = Number(ready.split(' ')[1])
		expect(ready).toMatch(/^ready \d+$/)
		first.child.stdin.write('write before\n')
		expect(await first.next()).toBe('wrote before 1')

		// The CLIs (through the app's client and through prisma.config.ts) and the server's start-up all refuse.
		for (const args of [
			['tsx', 'scripts/snapshot.ts', '--month', '2026-01'],
			['tsx', 'scripts/db.ts', 'migrate'],
			['prisma', 'migrate', 'deploy'],
			['tsx', 'scripts/start.ts', '--skip-build', '--port', '0'],
		]) {
			const r = run(args)
			expect(r.status, args.join(' ')).not.toBe(0)
			const match = REFUSAL.exec(r.stderr)
			expect(match, `${args.join(' ')}: ${r.stderr}`).not.toBeNull()
			expect(match![1]).toBe(dir)
			expect(Number(match![2])).toBe(pid)
			expect(match![3]).toContain('tests/db/hold-data-dir.ts')
		}
		// In this process too (a second opener in one process would corrupt it just the same).
		await expect(lockDataDir(dir)).rejects.toThrow(REFUSAL)

		// The first is unharmed and still writes.
		first.child.stdin.write('write during\n')
		expect(await first.next()).toBe('wrote during 2')

		// kill -9: no clean-up ran; the next process opens the directory and finds both rows.
		first.child.kill('SIGKILL')
		await new Promise((resolve) => first.child.once('exit', resolve))
		const snapshot = run(['tsx', 'scripts/snapshot.ts', '--month', '2026-01'])
		expect(snapshot.status, snapshot.stderr).toBe(0)
		const second = startHolder()
		expect(await second.next()).toMatch(/^ready \d+$/)
		second.child.stdin.write('write after\n')
		expect(await second.next()).toBe('wrote after 3')
		second.child.stdin.end('exit\n')
		await new Promise((resolve) => second.child.once('exit', resolve))
		expect(second.child.exitCode).toBe(0)

		// Released on a clean exit as well.
		const lock = await lockDataDir(dir)
		await lock.release()
	}, 300_000)
})

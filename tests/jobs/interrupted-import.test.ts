// Issue 17 item 4: an import whose process is killed (kill -9) in the middle of its write used to stay RUNNING for
// ever, with the roster kept in ImportJob.file. Now the next start (embedded database: the only opener of the
// directory) or another instance's sweep (PostgreSQL: the job's heartbeat stops) marks it FAILED with a Vietnamese
// message within a minute, clears the file, and nothing of the import is in the database.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, expect, test } from 'vitest'
import { createPrismaClient, db, type PrismaClient, setDbForTests } from '#app/db.server.ts'
import { stopQueue } from '#app/jobs/queue.server.ts'
import { startJobServer } from '#app/jobs/start.server.ts'
import { getImportJob } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { createTestDb } from '#tests/setup/db.ts'
import { templatePath } from '#tests/setup/global-setup.ts'

const cleanups: Array<() => Promise<void> | void> = []
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
})

/** Starts the child on `url`, resolves with the job id once it is writing, then kills it with SIGKILL. */
async function killDuringWrite(url: string, unitId: number, actorId: string) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/fault-child.ts', 'import', String(unitId), actorId, '12000'], {
		env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test' },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	child.stderr.on('data', (chunk) => {
		output += chunk
		if (process.env.DEBUG_FAULTS) process.stderr.write(chunk)
	})
	const jobId = await new Promise<string>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk
			if (process.env.DEBUG_FAULTS) process.stderr.write(chunk)
			if (/FINISHED/.test(output)) reject(new Error(`the import ended before it could be killed:\n${output}`))
			const found = /WRITING (\S+)/.exec(output)
			if (found) resolve(found[1]!)
		})
		child.on('exit', (code) => reject(new Error(`child ended (${code}) before writing:\n${output}`)))
	})
	const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
	child.kill('SIGKILL')
	expect(await exited).toBe('SIGKILL')
	return jobId
}

async function world() {
	const unit = await createUnit('Sở Bị Ngắt')
	const manager = await createUser({ unitId: unit.id, role: 'MANAGER' })
	return { unit, manager, users: await db.user.count() }
}

async function expectResolved(jobId: string, unitId: number, users: number, since: number) {
	let job = await getImportJob(jobId, unitId)
	expect(job?.status).toBeDefined()
	while (job?.status === 'RUNNING' && Date.now() - since < 60_000) {
		await new Promise((resolve) => setTimeout(resolve, 500))
		job = await getImportJob(jobId, unitId)
	}
	expect(job?.status).toBe('FAILED')
	expect(Date.now() - since).toBeLessThan(60_000)
	expect(job!.errors.items.map((e) => e.key)).toEqual(['import.failed.interruptedRun'])
	expect(formatImportMessage(translator('vi'), job!.errors.items[0]!)).toMatch(/bị gián đoạn .* tệp đã được xoá/)
	const [row] = await db.$queryRaw<Array<{ file: number | null }>>`SELECT length(file) AS file FROM "ImportJob" WHERE id = ${jobId}`
	expect(row!.file).toBeNull()
	// The write's transaction died with the process: nothing of the import is there.
	expect(await db.membership.count({ where: { importJobId: jobId } })).toBe(0)
	expect(await db.user.count()).toBe(users)
}

test.skipIf(!!process.env.TEST_DATABASE_URL)('embedded database: kill -9 during the write, restart → FAILED with a message and no file', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'vms-kill-'))
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
	const template = await PGlite.create(dir, { loadDataDir: new Blob([readFileSync(templatePath())]) })
	await template.close()
	const url = `pglite:${dir}`
	let client: PrismaClient = createPrismaClient(url)
	setDbForTests(client)
	const { unit, manager, users } = await world()
	setDbForTests(undefined)
	await client.$disconnect()

	const jobId = await killDuringWrite(url, unit.id, manager.id)

	client = createPrismaClient(url)
	setDbForTests(client)
	cleanups.push(async () => {
		await stopQueue(client)
		setDbForTests(undefined)
		await client.$disconnect()
	})
	const restarted = Date.now()
	await startJobServer()
	await expectResolved(jobId, unit.id, users, restarted)
}, 180_000)

test.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL: kill -9 during the write → another instance marks it FAILED within a minute', async () => {
	const testDb = await createTestDb()
	cleanups.push(() => testDb.close())
	const { unit, manager, users } = await world()
	const jobId = await killDuringWrite(testDb.url!, unit.id, manager.id)
	const killed = Date.now()
	// This process plays the surviving instance.
	await startJobServer()
	await expectResolved(jobId, unit.id, users, killed)
}, 180_000)

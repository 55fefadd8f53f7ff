/**
 * Database commands for both targets (embedded PGlite by default, PostgreSQL when DATABASE_URL=postgresql://…).
 *
 *   npm run db:migrate                 apply pending migrations
 *   npm run db:new-migration -- NAME   write prisma/migrations/<timestamp>_NAME from the schema diff
 *   npm run db:check                   exit 2 when schema.prisma and the migrations disagree
 *   npm run db:reset                   drop everything, migrate, seed
 *   npm run db:seed                    seed (demo data unless NODE_ENV=production)
 *
 * Diffs always run against an in-memory PGlite shadow database: pointed at real PostgreSQL, Prisma 6.19's
 * adapter leaves shadow databases behind.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import pg from 'pg'
import { pgConfig } from '../app/db-adapters.server.ts'
import { DataDirLockedError, dataDirHolder, lockDataDir } from '../app/db-lock.server.ts'
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../app/db-url.server.ts'
import { checkDatabase, CliError, runCli } from './cli.ts'

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL
const env = { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' }

function prisma(args: Array<string>, extraEnv: Record<string, string> = {}) {
	return spawnSync('npx', ['prisma', ...args], {
		env: { ...env, ...extraEnv },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	})
}

const DIFF_ARGS = [
	'migrate',
	'diff',
	'--from-migrations',
	'prisma/migrations',
	'--to-schema-datamodel',
	'prisma/schema.prisma',
]

/** Refuses at once, naming the holder, when another process has the embedded directory open. */
async function refuseIfLocked(dir: string | undefined) {
	const holder = dir ? await dataDirHolder(dir) : null
	if (dir && holder) throw new DataDirLockedError(dir, holder === 'unknown' ? null : holder)
}

export async function migrate() {
	const target = parseDatabaseUrl(url)
	// Our own one-line reason first: through Prisma an unreachable server reads "External error id#0".
	if (target.kind === 'pglite') await refuseIfLocked(target.dir)
	else await checkDatabase()
	const r = prisma(['migrate', 'deploy'])
	if (r.status !== 0) {
		process.stderr.write(r.stdout + r.stderr)
		throw new CliError('Không áp dụng được migration (prisma migrate deploy thất bại; xem thông báo ở trên). (Migration failed.)')
	}
	const summary = r.stdout.split('\n').filter((l) => /migration/i.test(l) && !/config|schema loaded/i.test(l))
	console.log(summary.join('\n').trim() || 'Migrations applied.')
}

function newMigration(rawName: string | undefined) {
	const name = (rawName ?? '').replace(/[^a-zA-Z0-9_]/g, '_')
	if (!name) throw new CliError('usage: npm run db:new-migration -- <name>')
	const r = prisma([...DIFF_ARGS, '--script'], { DATABASE_URL: 'pglite:memory' })
	if (r.status !== 0) {
		process.stderr.write(r.stderr)
		throw new CliError('prisma migrate diff thất bại (xem ở trên). (Diff failed.)')
	}
	if (/^-- This is an empty migration\.\s*$/.test(r.stdout.trim())) {
		console.log('No schema changes.')
		return
	}
	const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
	const dir = `prisma/migrations/${stamp}_${name}`
	mkdirSync(dir, { recursive: true })
	writeFileSync(`${dir}/migration.sql`, r.stdout)
	console.log(`Created ${dir}/migration.sql`)
}

function check() {
	const r = prisma([...DIFF_ARGS, '--exit-code'], { DATABASE_URL: 'pglite:memory' })
	if (r.status === 0) {
		console.log('Schema and migrations are in sync.')
		return
	}
	process.stderr.write(r.stdout + r.stderr)
	throw new CliError(
		r.status === 2
			? 'schema.prisma differs from prisma/migrations: run `npm run db:new-migration -- <name>`.'
			: 'Drift check failed.',
		r.status || 1,
	)
}

async function dropAll() {
	const target = parseDatabaseUrl(url)
	if (target.kind === 'postgres') {
		const client = new pg.Client(pgConfig(url))
		await client.connect()
		await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;')
		await client.end()
	} else if (target.dir && existsSync(target.dir)) {
		// Never under a running server: hold the directory's lock while deleting it.
		const lock = await lockDataDir(target.dir)
		try {
			rmSync(target.dir, { recursive: true, force: true })
		} finally {
			await lock.release()
		}
	}
}

function seed() {
	const r = spawnSync('npx', ['tsx', 'prisma/seed.ts'], { env, stdio: 'inherit' })
	if (r.status !== 0) throw new CliError('Nạp dữ liệu thất bại (xem ở trên). (Seeding failed.)', r.status || 1)
}

await runCli(async () => {
	const [command, arg] = process.argv.slice(2)
	// A mistyped DATABASE_URL must not become an embedded database in a folder named after it.
	parseDatabaseUrl(url)
	switch (command) {
		case 'migrate':
			await migrate()
			break
		case 'new':
			newMigration(arg)
			break
		case 'check':
			check()
			break
		case 'reset':
			await dropAll()
			await migrate()
			seed()
			break
		case 'seed':
			seed()
			break
		default:
			throw new CliError('usage: tsx scripts/db.ts migrate|new NAME|check|reset|seed')
	}
})

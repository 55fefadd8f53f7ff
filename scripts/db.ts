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
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import pg from 'pg'
import {
	DEFAULT_DATABASE_URL,
	isPostgresUrl,
	pgConfig,
	pgliteDataDir,
} from '../app/db-adapters.server.ts'

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

export function migrate() {
	const r = prisma(['migrate', 'deploy'])
	if (r.status !== 0) {
		process.stderr.write(r.stdout + r.stderr)
		throw new Error('Không áp dụng được migration (prisma migrate deploy thất bại).')
	}
	const summary = r.stdout.split('\n').filter((l) => /migration/i.test(l) && !/config|schema loaded/i.test(l))
	console.log(summary.join('\n').trim() || 'Migrations applied.')
}

function newMigration(rawName: string | undefined) {
	const name = (rawName ?? '').replace(/[^a-zA-Z0-9_]/g, '_')
	if (!name) {
		console.error('usage: npm run db:new-migration -- <name>')
		process.exit(1)
	}
	const r = prisma([...DIFF_ARGS, '--script'], { DATABASE_URL: 'pglite:memory' })
	if (r.status !== 0) {
		process.stderr.write(r.stderr)
		process.exit(1)
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
	console.error(
		r.status === 2
			? 'schema.prisma differs from prisma/migrations: run `npm run db:new-migration -- <name>`.'
			: 'Drift check failed.',
	)
	process.exit(r.status ?? 1)
}

async function dropAll() {
	if (isPostgresUrl(url)) {
		const client = new pg.Client(pgConfig(url))
		await client.connect()
		await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;')
		await client.end()
	} else {
		const dir = pgliteDataDir(url)
		if (dir) rmSync(dir, { recursive: true, force: true })
	}
}

function seed() {
	execFileSync('npx', ['tsx', 'prisma/seed.ts'], { env, stdio: 'inherit' })
}

const [command, arg] = process.argv.slice(2)
switch (command) {
	case 'migrate':
		migrate()
		break
	case 'new':
		newMigration(arg)
		break
	case 'check':
		check()
		break
	case 'reset':
		await dropAll()
		migrate()
		seed()
		break
	case 'seed':
		seed()
		break
	default:
		console.error('usage: tsx scripts/db.ts migrate|new NAME|check|reset|seed')
		process.exit(1)
}

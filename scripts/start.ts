/**
 * `npm start`: everything needed to run the app from a fresh clone, then serve it.
 *   1. build (content, client, server) when the sources changed since the last build;
 *   2. apply migrations (embedded PGlite in ./.data/db unless DATABASE_URL says otherwise);
 *   3. seed demo data into an empty database (never with NODE_ENV=production);
 *   4. serve on PORT (default 3000).
 *
 *   npm start                              the built app
 *   npm run dev                            Vite dev server with hot reload
 *   tsx scripts/start.ts --port 0 --db pglite:/tmp/x   (used by the e2e tests)
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, statSync, watch } from 'node:fs'
import { parseArgs } from 'node:util'
import { DataDirLockedError, dataDirHolder } from '#app/db-lock.server.ts'
import { parseDatabaseUrl } from '#app/db-url.server.ts'
import { buildIfStale } from './build-if-stale.ts'
import { CliError, runCli } from './cli.ts'

const started = performance.now()
let values: { dev?: boolean; port?: string; db?: string; 'skip-build'?: boolean } = {}
function run(command: string, args: Array<string>) {
	const r = spawnSync(command, args, { stdio: 'inherit', env: process.env })
	// The step printed its own reason.
	if (r.status !== 0) throw new CliError(`Dừng khởi động: "${[command, ...args].join(' ')}" không thành công. (Start aborted.)`, r.status || 1)
}

await runCli(async () => {
	try {
		values = parseArgs({
			options: {
				dev: { type: 'boolean', default: false },
				port: { type: 'string' },
				db: { type: 'string' },
				'skip-build': { type: 'boolean', default: false },
			},
		}).values
	} catch (error) {
		throw new CliError(`${error instanceof Error ? error.message : error}\nusage: npm start [-- --port N --db URL --skip-build]`)
	}
	if (values.db) process.env.DATABASE_URL = values.db
	if (values.port) process.env.PORT = values.port
	// Before building: a mistyped URL, or an embedded directory another process has open, stops here.
	const target = parseDatabaseUrl(process.env.DATABASE_URL)
	const holder = target.kind === 'pglite' && target.dir ? await dataDirHolder(target.dir) : null
	if (holder && target.kind === 'pglite') throw new DataDirLockedError(target.dir!, holder === 'unknown' ? null : holder)
	// The client is generated at `npm ci`; after a `git pull` that changed the schema it is stale, and a build with it
	// answered 500 on every page that reads a new model. Regenerate first, so that the build bundles the new one.
	const client = 'app/generated/prisma/client.ts'
	if (!existsSync(client) || statSync('prisma/schema.prisma').mtimeMs > statSync(client).mtimeMs) run('node', ['scripts/prisma-generate.mjs'])
	if (!values.dev && !values['skip-build']) buildIfStale()
	run('npx', ['tsx', 'scripts/db.ts', 'migrate'])
	run('npx', ['tsx', 'prisma/seed.ts', '--if-empty'])
	console.log(`Ready in ${((performance.now() - started) / 1000).toFixed(1)} s; starting the server…`)
})
if (process.exitCode) process.exit()

if (values.dev) {
	// Editing a lesson, a quiz or the registry rebuilds the content bundle; the server reads the new build on the
	// next request (app/content/courses.server.ts), so a browser reload shows the change. Errors print file:line.
	if (!existsSync('build/content/index.json')) run('npm', ['run', '--silent', 'content:build'])
	let timer: NodeJS.Timeout | undefined
	let building = false
	watch('content', { recursive: true }, () => {
		clearTimeout(timer)
		timer = setTimeout(() => {
			if (building) return
			building = true
			const build = spawn('npm', ['run', '--silent', 'content:build'], { stdio: 'inherit', env: process.env })
			build.on('exit', () => (building = false))
		}, 300)
	})
}

const child = values.dev
	? spawn('npx', ['tsx', 'server.ts'], { stdio: 'inherit', env: { ...process.env, VMS_DEV: '1' } })
	: spawn(process.execPath, ['dist/server.js'], { stdio: 'inherit', env: process.env })
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))

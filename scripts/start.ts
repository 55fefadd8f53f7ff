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
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, watch } from 'node:fs'
import { parseArgs } from 'node:util'
import { buildIfStale } from './build-if-stale.ts'

const { values } = parseArgs({
	options: {
		dev: { type: 'boolean', default: false },
		port: { type: 'string' },
		db: { type: 'string' },
		'skip-build': { type: 'boolean', default: false },
	},
})

if (values.db) process.env.DATABASE_URL = values.db
if (values.port) process.env.PORT = values.port
const started = performance.now()

function run(command: string, args: Array<string>) {
	execFileSync(command, args, { stdio: 'inherit', env: process.env })
}

if (!values.dev && !values['skip-build']) buildIfStale()

if (!existsSync('app/generated/prisma/client.ts')) run('node', ['scripts/prisma-generate.mjs'])
run('npx', ['tsx', 'scripts/db.ts', 'migrate'])
run('npx', ['tsx', 'prisma/seed.ts', '--if-empty'])
console.log(`Ready in ${((performance.now() - started) / 1000).toFixed(1)} s; starting the server…`)

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

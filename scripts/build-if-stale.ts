// `npm run build` when the sources changed since the last build (npm start, and the benches that run the built
// server: measuring a stale build once hid a change from a benchmark).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

// The generated Prisma client is skipped below (gitignored, rewritten by each generate) but bundled into the build:
// its schema stands for it, so a pulled schema change rebuilds with the client start.ts regenerates first.
const SOURCES = ['app', 'content', 'public', 'server.ts', 'server', 'vite.config.ts', 'remix.config.js', 'package-lock.json', 'scripts/content-build.ts', 'prisma/schema.prisma']
const STAMP = 'build/.sources'

function sourceFingerprint() {
	const hash = createHash('sha256')
	const walk = (p: string) => {
		if (!existsSync(p) || p.includes(`${path.sep}generated`)) return
		const s = statSync(p)
		if (s.isDirectory()) for (const e of readdirSync(p).sort()) walk(path.join(p, e))
		else hash.update(`${p}:${s.size}:${s.mtimeMs}\n`)
	}
	SOURCES.forEach(walk)
	return hash.digest('hex')
}

/** Builds unless build/ matches the sources; returns whether it built. */
export function buildIfStale() {
	const fingerprint = sourceFingerprint()
	if (existsSync('dist/server.js') && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint) return false
	console.log('Building the application…')
	execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', env: process.env })
	writeFileSync(STAMP, fingerprint)
	return true
}

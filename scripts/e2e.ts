/**
 * `npm run test:e2e`: installs Debian's Chromium when missing, then runs Playwright. The web server (built app on a
 * free port with a fresh embedded database) is started by playwright.config.ts.
 *   npm run test:e2e -- tests/e2e/auth.spec.ts   extra arguments go to `playwright test`
 */
import { execFileSync } from 'node:child_process'

const started = performance.now()
execFileSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' })
try {
	execFileSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
	})
} catch {
	process.exitCode = 1
} finally {
	console.log(`End-to-end tests took ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

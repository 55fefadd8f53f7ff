// End-to-end tests on Debian's Chromium (Playwright's own browser download cannot work offline here) against the
// built server on a free port with a throw-away embedded database seeded with the demo data.
import { mkdtempSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { defineConfig, devices } from '@playwright/test'

async function freePort() {
	return new Promise<number>((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo
			server.close(() => resolve(port))
		})
	})
}

// Workers re-evaluate this file: keep the first choice in the environment.
process.env.E2E_PORT ??= String(await freePort())
process.env.E2E_DB ??= `pglite:${mkdtempSync(path.join(os.tmpdir(), 'vms-e2e-'))}/db`
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.spec.ts',
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	timeout: 60_000,
	// Our machines have 2 cores shared with the build and the database: allow for a slow first response.
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL,
		locale: 'vi-VN',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		},
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
	webServer: {
		command: `npx tsx scripts/start.ts --port ${process.env.E2E_PORT} --db ${process.env.E2E_DB}`,
		url: `${baseURL}/`,
		reuseExistingServer: false,
		timeout: 180_000,
		stdout: 'ignore',
		stderr: 'pipe',
	},
})

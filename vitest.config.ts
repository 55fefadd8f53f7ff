// Separate from vite.config.ts on purpose: the Remix Vite plugin must not run under vitest.
import { defineConfig } from 'vitest/config'

export default defineConfig({
	esbuild: { jsx: 'automatic' },
	test: {
		include: ['tests/**/*.test.{ts,tsx}'],
		exclude: ['tests/e2e/**', 'node_modules/**'],
		globalSetup: ['./tests/setup/global-setup.ts'],
		setupFiles: ['./tests/setup/setup-test-env.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks',
	},
})

// Generates the Prisma client (runs on `npm ci` via postinstall). CHECKPOINT_DISABLE stops Prisma's update check,
// which cannot reach its server from our machines and only adds a wait.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (!existsSync('prisma/schema.prisma')) process.exit(0)
execFileSync('npx', ['prisma', 'generate', '--no-hints'], {
	stdio: ['ignore', 'ignore', 'inherit'],
	env: { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
})
console.log('Prisma client generated in app/generated/prisma')

// Issue 17 item 5: a mistyped DATABASE_URL is refused by every entry point (one parser), never turned into an
// embedded database in a folder named after the URL.
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DatabaseUrlError, parseDatabaseUrl } from '#app/db-url.server.ts'
import { EnvError, getEnv } from '#app/env.server.ts'

describe('parseDatabaseUrl', () => {
	it('accepts the documented forms', () => {
		expect(parseDatabaseUrl('postgresql://vms:pw@db:5432/vms')).toEqual({ kind: 'postgres', url: 'postgresql://vms:pw@db:5432/vms' })
		expect(parseDatabaseUrl('postgres://db/vms').kind).toBe('postgres')
		expect(parseDatabaseUrl('pglite:./.data/db')).toEqual({ kind: 'pglite', dir: './.data/db' })
		expect(parseDatabaseUrl('pglite:memory')).toEqual({ kind: 'pglite', dir: undefined })
		expect(parseDatabaseUrl(undefined)).toEqual({ kind: 'pglite', dir: './.data/db' })
	})

	it.each([
		['postgress://u:secret@db/vms', 'lược đồ "postgress:"'],
		['mysql://root@localhost/vms', 'lược đồ "mysql:"'],
		['sqlite:./x.db', 'lược đồ "sqlite:"'],
		['./.data/db', 'không có lược đồ'],
		['pglite:', 'thiếu thư mục'],
		['pglite://data/db', 'không có "//"'],
		['postgresql://db:5432', 'thiếu tên cơ sở dữ liệu'],
	])('refuses %s', (url, reason) => {
		expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError)
		expect(() => parseDatabaseUrl(url)).toThrow(reason)
	})

	it('never prints the password', () => {
		expect(() => parseDatabaseUrl('postgress://u:secret@db/vms')).toThrow(/postgress:\/\/\*\*\*@db\/vms/)
		expect(() => parseDatabaseUrl('postgress://u:secret@db/vms')).not.toThrow(/secret/)
	})

	it('is what the app environment validates with', () => {
		const saved = process.env.DATABASE_URL
		process.env.DATABASE_URL = 'mysql://root@localhost/vms'
		try {
			expect(() => getEnv()).toThrow(EnvError)
			expect(() => getEnv()).toThrow(/DATABASE_URL.*lược đồ "mysql:"/)
		} finally {
			process.env.DATABASE_URL = saved
		}
	})
})

describe('db:migrate with a mistyped DATABASE_URL', () => {
	it.each(['postgress', 'mysql'])('%s:// exits non-zero with the reason and creates no folder', (scheme) => {
		const name = `vms_typo_${process.pid}_${scheme}`
		const url = `${scheme}://u@127.0.0.1/${name}`
		// The folder the old code created: the URL taken as a PGlite directory.
		const folder = `${scheme}:/u@127.0.0.1/${name}`
		try {
			const r = spawnSync('npx', ['tsx', 'scripts/db.ts', 'migrate'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' })
			expect(r.status).not.toBe(0)
			expect(r.stderr.trim()).toMatch(new RegExp(`^DATABASE_URL không hợp lệ .*lược đồ "${scheme}:" không được hỗ trợ.*Invalid DATABASE_URL`))
			expect(r.stderr.trim().split('\n')).toHaveLength(1)
			expect(existsSync(folder)).toBe(false)
		} finally {
			rmSync(`${scheme}:`, { recursive: true, force: true })
		}
	}, 60_000)
})

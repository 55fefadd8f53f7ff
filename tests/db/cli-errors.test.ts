// Issue 17 item 7: every CLI in scripts/ reports a failure as one clear line (Vietnamese, then English) with a
// non-zero exit, never a stack trace, Prisma's error object or "External error id#0" (scripts/cli.ts).
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

function run(script: string, args: Array<string>, env: Record<string, string>) {
	const { SMTP_URL: _smtp, VMS_DEBUG: _debug, ...inherited } = process.env
	const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
		env: { ...inherited, NODE_ENV: 'development', ...env },
		encoding: 'utf8',
		timeout: 60_000,
	})
	return { status: r.status, stderr: r.stderr.trim() }
}

function expectOneLine(r: { status: number | null; stderr: string }, vietnamese: RegExp) {
	expect(r.status, r.stderr).not.toBe(0)
	expect(r.stderr.split('\n'), r.stderr).toHaveLength(1)
	expect(r.stderr).toMatch(vietnamese)
	// The English half, in brackets (ASCII) at the end.
	expect(r.stderr).toMatch(/\([\x20-\x7E]+\)\.?$/)
	expect(r.stderr).not.toMatch(/External error|clientVersion|\n\s+at |DriverAdapterError|PrismaClient/)
}

const REFUSED = 'postgresql://postgres@127.0.0.1:1/vms'
const UNROUTABLE = 'postgresql://postgres@10.255.255.1:5432/vms'

describe('CLIs against a database they cannot reach', () => {
	it.each([
		['scripts/snapshot.ts', ['--month', '2026-01']],
		['scripts/reminders.ts', []],
		['scripts/create-admin.ts', ['--name', 'Nguyễn Văn A', '--username', 'admin.thu']],
		['scripts/db.ts', ['migrate']],
	])('%s: connection refused', (script, args) => {
		expectOneLine(run(script, args, { DATABASE_URL: REFUSED }), /^Không làm việc được với cơ sở dữ liệu PostgreSQL 127\.0\.0\.1:1\/vms: máy chủ từ chối kết nối/)
	}, 90_000)

	it.each([
		['scripts/snapshot.ts', ['--month', '2026-01']],
		['scripts/db.ts', ['migrate']],
	])('%s: unroutable host', (script, args) => {
		expectOneLine(run(script, args, { DATABASE_URL: UNROUTABLE }), /^Không làm việc được với cơ sở dữ liệu PostgreSQL 10\.255\.255\.1:5432\/vms: /)
	}, 90_000)

	it.skipIf(!process.env.TEST_DATABASE_URL)('a database that does not exist', () => {
		const url = new URL(process.env.TEST_DATABASE_URL!)
		url.pathname = '/vms_no_such_database'
		expectOneLine(run('scripts/snapshot.ts', [], { DATABASE_URL: url.toString() }), /cơ sở dữ liệu không tồn tại/)
	}, 90_000)
})

describe('CLIs with a bad configuration', () => {
	it.each(['smtp://bad host:25', 'http://mail.example.gov.vn', 'smtp://'])('reminders with SMTP_URL=%s', (smtp) => {
		expectOneLine(run('scripts/reminders.ts', [], { DATABASE_URL: 'pglite:memory', SMTP_URL: smtp }), /^Cấu hình môi trường không hợp lệ: SMTP_URL: /)
	}, 90_000)

	it('snapshot with a malformed month', () => {
		expectOneLine(run('scripts/snapshot.ts', ['--month', '2026-13'], { DATABASE_URL: 'pglite:memory' }), /^--month phải có dạng YYYY-MM/)
	}, 90_000)
})

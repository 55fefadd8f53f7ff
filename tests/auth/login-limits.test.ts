// Issue 16 item 7: the per-account login limit is keyed on the account, whatever name it is typed with, and each
// attempt takes its slot before the password is checked, so parallel attempts cannot slip past it. The password
// module is wrapped to count the checks that really ran.
import { beforeEach, expect, test, vi } from 'vitest'
import { authenticate } from '#app/auth/login.server.ts'
import * as passwords from '#app/auth/password.server.ts'
import { db } from '#app/db.server.ts'
import { createUser, TEST_PASSWORD } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

vi.mock('#app/auth/password.server.ts', async (importOriginal) => {
	const real = await importOriginal<typeof import('#app/auth/password.server.ts')>()
	return { ...real, verifyPassword: vi.fn(real.verifyPassword), verifyAgainstDummy: vi.fn(real.verifyAgainstDummy) }
})

useTestDb()
beforeEach(() => vi.mocked(passwords.verifyPassword).mockClear())

let ip = 0
const from = () => new Request('http://localhost/login', { method: 'POST', headers: { 'x-vms-client-ip': `198.51.100.${++ip}` } })
const checks = () => vi.mocked(passwords.verifyPassword).mock.calls.length

test('username, e-mail and every spelling of the phone count against one account', async () => {
	const staff = await createUser({ username: 'tam.lv' })
	await db.user.update({ where: { id: staff.id }, data: { email: 'tam.lv@example.vn' } })
	for (const typed of ['tam.lv', 'TAM.LV@example.vn', ' Tam.Lv ', 'tam.lv@example.vn']) {
		expect(await authenticate(from(), typed, 'sai-mat-khau')).toEqual({ ok: false, reason: 'invalid' })
	}
	expect(await authenticate(from(), 'tam.lv@example.vn', 'sai')).toMatchObject({ reason: 'rate-limited' })
	expect(await authenticate(from(), 'tam.lv', TEST_PASSWORD)).toMatchObject({ reason: 'rate-limited' })

	await createUser({ username: '0912000111' })
	for (const typed of ['0912000111', '+84 912 000 111', '84912000111', '0912.000.111']) {
		expect(await authenticate(from(), typed, 'sai')).toEqual({ ok: false, reason: 'invalid' })
	}
	expect(await authenticate(from(), '(+84) 912-000-111', 'sai')).toMatchObject({ reason: 'rate-limited' })
	expect(await authenticate(from(), '0912000111', TEST_PASSWORD)).toMatchObject({ reason: 'rate-limited' })
})

test('an unknown identifier is limited in its normal form too', async () => {
	for (const typed of ['0933000222', '+84933000222', '84 933 000 222', '0933 000 222']) {
		expect(await authenticate(from(), typed, 'sai')).toEqual({ ok: false, reason: 'invalid' })
	}
	expect(await authenticate(from(), '+84 933 000 222', 'sai')).toMatchObject({ reason: 'rate-limited' })
})

test('25 parallel attempts on one account run at most 5 password checks', async () => {
	await createUser({ username: 'song.song' })
	const results = await Promise.all(Array.from({ length: 25 }, () => authenticate(from(), 'song.song', 'sai-mat-khau')))
	expect(checks()).toBeGreaterThanOrEqual(1)
	expect(checks()).toBeLessThanOrEqual(5)
	expect(results.filter((r) => !r.ok && r.reason === 'rate-limited').length).toBeGreaterThanOrEqual(20)
})

test('a right password gives the address its slot back: an office behind one address keeps signing in', async () => {
	const address = '203.0.113.200'
	const users = await Promise.all(Array.from({ length: 35 }, (_, i) => createUser({ username: `van.phong.${i}` })))
	for (const u of users) {
		const r = await authenticate(new Request('http://localhost/login', { method: 'POST', headers: { 'x-vms-client-ip': address } }), u.username!, TEST_PASSWORD)
		expect(r.ok).toBe(true)
	}
})

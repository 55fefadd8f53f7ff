import { beforeAll, expect, test } from 'vitest'
import { authenticate } from '#app/auth/login.server.ts'
import { endSession, getUser } from '#app/auth/session.server.ts'
import { db } from '#app/db.server.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { createUnit, createUser, requestAs, TEST_PASSWORD } from '#tests/factories/org.ts'

const testDb = useTestDb()
beforeAll(async () => {
	console.log(`login.test.ts database ready in ${testDb.current.setupMs} ms`)
})

function loginRequest(ip = '198.51.100.1') {
	return new Request('http://localhost/login', { method: 'POST', headers: { 'x-vms-client-ip': ip } })
}

test('a correct username and password start a session that identifies the user', async () => {
	const unit = await createUnit('Tỉnh A')
	const user = await createUser({ username: 'lan.nt', unitId: unit.id })
	const result = await authenticate(loginRequest(), '  LAN.NT ', TEST_PASSWORD)
	expect(result.ok).toBe(true)
	if (!result.ok) return
	expect(result.setCookie).toMatch(/^vms_session=\w+;/)
	expect(result.setCookie).toMatch(/HttpOnly/)
	expect(result.setCookie).toMatch(/SameSite=Lax/)
	const request = new Request('http://localhost/', { headers: { Cookie: result.setCookie.split(';')[0]! } })
	expect((await getUser(request))?.id).toBe(user.id)
})

test('a wrong password and an unknown user get the same refusal and no session', async () => {
	await createUser({ username: 'minh.tv' })
	const before = await db.session.count()
	expect(await authenticate(loginRequest('198.51.100.2'), 'minh.tv', 'sai-mat-khau')).toEqual({ ok: false, reason: 'invalid' })
	expect(await authenticate(loginRequest('198.51.100.2'), 'khong.ton.tai', 'bat-ky')).toEqual({ ok: false, reason: 'invalid' })
	expect(await db.session.count()).toBe(before)
})

test('five failures lock the account for everyone, even with the right password afterwards', async () => {
	await createUser({ username: 'hoa.pt' })
	for (let i = 0; i < 4; i++) {
		expect((await authenticate(loginRequest(`192.0.2.${i}`), 'hoa.pt', 'sai')).ok).toBe(false)
	}
	const fifth = await authenticate(loginRequest('192.0.2.9'), 'hoa.pt', 'sai')
	expect(fifth).toMatchObject({ ok: false, reason: 'rate-limited' })
	const afterwards = await authenticate(loginRequest('192.0.2.10'), 'hoa.pt', TEST_PASSWORD)
	expect(afterwards).toMatchObject({ ok: false, reason: 'rate-limited' })
	if (!afterwards.ok && afterwards.reason === 'rate-limited') {
		expect(afterwards.retryAfterSeconds).toBeGreaterThan(14 * 60)
	}
})

test('one address trying many accounts is limited per IP', async () => {
	const ip = '203.0.113.99'
	let last
	for (let i = 0; i < 30; i++) last = await authenticate(loginRequest(ip), `nguoi.${i}`, 'sai')
	expect(last).toMatchObject({ ok: false, reason: 'rate-limited' })
	// Another address is not affected.
	expect(await authenticate(loginRequest('203.0.113.100'), 'nguoi.x', 'sai')).toEqual({ ok: false, reason: 'invalid' })
})

test('a successful login clears the failures counted against the account', async () => {
	await createUser({ username: 'binh.lv' })
	for (let i = 0; i < 3; i++) await authenticate(loginRequest('192.0.2.50'), 'binh.lv', 'sai')
	expect((await authenticate(loginRequest('192.0.2.50'), 'binh.lv', TEST_PASSWORD)).ok).toBe(true)
	for (let i = 0; i < 4; i++) await authenticate(loginRequest('192.0.2.50'), 'binh.lv', 'sai')
	expect((await authenticate(loginRequest('192.0.2.50'), 'binh.lv', TEST_PASSWORD)).ok).toBe(true)
})

test('pending and disabled accounts cannot log in', async () => {
	await createUser({ username: 'cho.kich.hoat', status: 'PENDING', password: null })
	await createUser({ username: 'bi.khoa', status: 'DISABLED' })
	expect(await authenticate(loginRequest('192.0.2.60'), 'cho.kich.hoat', 'bat-ky')).toEqual({ ok: false, reason: 'invalid' })
	expect(await authenticate(loginRequest('192.0.2.60'), 'bi.khoa', TEST_PASSWORD)).toEqual({ ok: false, reason: 'disabled' })
})

test('logging out deletes the session so the old cookie no longer works', async () => {
	const user = await createUser()
	const request = await requestAs(user.id)
	expect((await getUser(request))?.id).toBe(user.id)
	const cleared = await endSession(request)
	expect(cleared).toMatch(/Max-Age=0/)
	const again = new Request('http://localhost/', { headers: { Cookie: request.headers.get('Cookie')! } })
	expect(await getUser(again)).toBeNull()
})

test('a disabled user loses their open sessions on the next request', async () => {
	const user = await createUser()
	const request = await requestAs(user.id)
	await db.user.update({ where: { id: user.id }, data: { status: 'DISABLED' } })
	expect(await getUser(request)).toBeNull()
	expect(await db.session.count({ where: { userId: user.id } })).toBe(0)
})

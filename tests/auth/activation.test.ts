import { expect, test } from 'vitest'
import { activateAccount, generateCode, issueActivationCode, normalizeCode } from '#app/auth/activation.server.ts'
import { authenticate } from '#app/auth/login.server.ts'
import { db } from '#app/db.server.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { createUser } from '#tests/factories/org.ts'

useTestDb()

test('codes avoid look-alike characters and are accepted however they are typed', () => {
	const code = generateCode()
	expect(code).toMatch(/^[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}$/)
	expect(normalizeCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code)
})

test('activation sets the password, activates the account and spends the code', async () => {
	const user = await createUser({ username: 'moi.vao', status: 'PENDING', password: null })
	const { code } = await issueActivationCode(user.id, null)
	expect(await db.activationCode.findFirst({ where: { userId: user.id } })).not.toHaveProperty('code')
	expect(await activateAccount('moi.vao', code, 'mat-khau-moi-123')).toBe(user.id)
	expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe('ACTIVE')
	const login = await authenticate(new Request('http://x/', { headers: { 'x-vms-client-ip': '192.0.2.1' } }), 'moi.vao', 'mat-khau-moi-123')
	expect(login.ok).toBe(true)
	expect(await activateAccount('moi.vao', code, 'mat-khau-khac-456')).toBeNull()
})

test('a code does not work for another account, after expiry, or after a newer code was issued', async () => {
	const a = await createUser({ username: 'nguoi.a', status: 'PENDING', password: null })
	await createUser({ username: 'nguoi.b', status: 'PENDING', password: null })
	const first = await issueActivationCode(a.id, null)
	expect(await activateAccount('nguoi.b', first.code, 'mat-khau-123')).toBeNull()
	const second = await issueActivationCode(a.id, null)
	expect(await activateAccount('nguoi.a', first.code, 'mat-khau-123')).toBeNull()
	await db.activationCode.updateMany({ where: { userId: a.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
	expect(await activateAccount('nguoi.a', second.code, 'mat-khau-123')).toBeNull()
	expect((await db.user.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('PENDING')
})

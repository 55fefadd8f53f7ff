import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { loadSigningKey, MISSING_KEY_MESSAGE, signingKeyFromPem } from '#app/certificates/keys.server.ts'
import { canonicalJson, checkSignature, signCertificate, type SignedFields } from '#app/certificates/sign.server.ts'

const tmp = mkdtempSync(path.join(tmpdir(), 'vms-keys-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const key = loadSigningKey({ nodeEnv: 'test' })

const fields: SignedFields = {
	serial: 'VMS-2026-7QK3M9XW2D',
	userId: 'u1',
	courseVersionId: 'cv1',
	holderName: 'Nguyễn Thị Hương',
	orgUnitId: 42,
	orgName: 'Phòng Chuyển đổi số',
	courseTitle: 'Bảo vệ bí mật nhà nước trên không gian mạng',
	source: 'ONLINE',
	issuedAt: new Date('2026-02-05T03:00:00.123Z'),
	expiresAt: new Date('2028-02-05T03:00:00.123Z'),
}

test('the canonical JSON has sorted keys, ISO dates and NFC text, whatever the input order or normalisation', () => {
	const json = canonicalJson(fields)
	const keys = Object.keys(JSON.parse(json))
	expect(keys).toEqual(Object.keys(JSON.parse(json)).sort())
	expect(json).toContain('"issuedAt":"2026-02-05T03:00:00.123Z"')
	expect(canonicalJson({ ...fields, holderName: fields.holderName.normalize('NFD') })).toBe(json)
	expect(canonicalJson({ ...fields, expiresAt: null })).toContain('"expiresAt":null')
})

test('a signature verifies, and any change to a signed field breaks it', () => {
	const signature = signCertificate(fields, key)
	expect(signature).toMatch(/^ed25519:[0-9a-f]{16}:[A-Za-z0-9_-]{86}$/)
	expect(checkSignature({ ...fields, signature }, key)).toBe('ok')
	for (const tampered of [
		{ holderName: 'Nguyễn Thị Hướng' },
		{ expiresAt: new Date('2030-02-05T03:00:00.123Z') },
		{ expiresAt: null },
		{ issuedAt: new Date('2026-02-05T03:00:00.124Z') },
		{ courseTitle: 'Khoá học khác' },
		{ orgUnitId: 43 },
		{ serial: 'VMS-2026-7QK3M9XW2E' },
	]) {
		expect(checkSignature({ ...fields, ...tampered, signature }, key)).toBe('mismatch')
	}
	expect(checkSignature({ ...fields, signature: null }, key)).toBe('unsigned')
	expect(checkSignature({ ...fields, signature: 'ed25519:zz:abc' }, key)).toBe('mismatch')
	const other = loadSigningKey({ nodeEnv: 'test' })
	expect(checkSignature({ ...fields, signature: signCertificate(fields, other) }, key)).toBe('unknown-key')
})

test('production refuses to start without a signing key, with instructions', () => {
	expect(() => loadSigningKey({ nodeEnv: 'production' })).toThrow(MISSING_KEY_MESSAGE)
	expect(MISSING_KEY_MESSAGE).toContain('CERT_SIGNING_KEY_FILE')
	expect(() => loadSigningKey({ nodeEnv: 'production', keyFile: path.join(tmp, 'khong-co.pem') })).toThrow(/Không tìm thấy tệp khoá/)
})

test('development generates a key on first start into a private file and reuses it afterwards', () => {
	const file = path.join(tmp, 'keys', 'certificate-signing-key.pem')
	const first = loadSigningKey({ nodeEnv: 'development', devKeyFile: file })
	expect(existsSync(file)).toBe(true)
	expect(statSync(file).mode & 0o777).toBe(0o600)
	const again = loadSigningKey({ nodeEnv: 'development', devKeyFile: file })
	expect(again.keyId).toBe(first.keyId)
	const signature = signCertificate(fields, first)
	expect(checkSignature({ ...fields, signature }, again)).toBe('ok')
})

test('a key from the environment may be a one-line PEM with \\n escapes; other algorithms are refused', () => {
	const pem = readFileSync(path.join(tmp, 'keys', 'certificate-signing-key.pem'), 'utf8')
	const fromEnv = loadSigningKey({ nodeEnv: 'production', key: pem.replace(/\n/g, '\\n') })
	expect(fromEnv.keyId).toBe(signingKeyFromPem(pem).keyId)
	const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
	expect(() => loadSigningKey({ nodeEnv: 'production', key: rsa })).toThrow(/phải là khoá Ed25519/)
	expect(() => loadSigningKey({ nodeEnv: 'production', key: 'không phải khoá' })).toThrow(/không phải là khoá riêng PKCS#8/)
})

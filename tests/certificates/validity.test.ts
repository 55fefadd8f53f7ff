import { expect, test } from 'vitest'
import { asciiName, certificateFileName, maskName } from '#app/certificates/names.ts'
import { newSerial } from '#app/certificates/issue.server.ts'
import { normalizeSerial, SERIAL_PATTERN, SerialSchema } from '#app/certificates/serial.ts'
import { certificateState, isCertificateValid } from '#app/certificates/validity.ts'

const d = (iso: string) => new Date(iso)
const cert = { issuedAt: d('2026-02-05T03:00:00Z'), expiresAt: d('2028-02-05T03:00:00Z'), revokedAt: null }

test('a certificate is valid from its issue until its expiry, both instants exact', () => {
	expect(isCertificateValid(cert, d('2026-02-05T02:59:59.999Z'))).toBe(false)
	expect(isCertificateValid(cert, d('2026-02-05T03:00:00Z'))).toBe(true)
	expect(isCertificateValid(cert, d('2028-02-05T02:59:59.999Z'))).toBe(true)
	expect(isCertificateValid(cert, d('2028-02-05T03:00:00Z'))).toBe(false)
	expect(isCertificateValid({ ...cert, expiresAt: null }, d('2099-01-01T00:00:00Z'))).toBe(true)
})

test('a revoked certificate stops counting from its revocation, not before (reports of past months stay true)', () => {
	const revoked = { ...cert, revokedAt: d('2027-01-10T00:00:00Z') }
	expect(isCertificateValid(revoked, d('2027-01-09T23:59:59Z'))).toBe(true)
	expect(isCertificateValid(revoked, d('2027-01-10T00:00:00Z'))).toBe(false)
	expect(certificateState(revoked, d('2027-01-09T00:00:00Z'))).toBe('valid')
	expect(certificateState(revoked, d('2029-01-01T00:00:00Z'))).toBe('revoked')
	expect(certificateState(cert, d('2029-01-01T00:00:00Z'))).toBe('expired')
	expect(certificateState(cert, d('2026-01-01T00:00:00Z'))).toBe('not-yet-valid')
})

test('names are masked to the family name and initials for the public page', () => {
	expect(maskName('Nguyễn Văn An')).toBe('Nguyễn V. A.')
	expect(maskName('Đỗ Thị Thanh Hà')).toBe('Đỗ T. T. H.')
	expect(maskName('  Lê   ưng  ')).toBe('Lê Ư.')
	expect(maskName('Hương')).toBe('H.')
	expect(maskName('')).toBe('')
})

test('file names are ASCII: Ho-Ten_SERIAL.pdf', () => {
	expect(asciiName('Nguyễn Thị Hương')).toBe('Nguyen-Thi-Huong')
	expect(asciiName('Đặng Quốc Đạt')).toBe('Dang-Quoc-Dat')
	expect(certificateFileName('Trần Thị Ánh Tuyết', 'VMS-2026-7QK3M9XW2D')).toBe('Tran-Thi-Anh-Tuyet_VMS-2026-7QK3M9XW2D.pdf')
	expect(certificateFileName('../../etc/passwd', 'VMS-2026-7QK3M9XW2D')).toBe('etc-passwd_VMS-2026-7QK3M9XW2D.pdf')
	expect(certificateFileName('???', 'VMS-2026-7QK3M9XW2D')).toBe('Chung-nhan_VMS-2026-7QK3M9XW2D.pdf')
})

test('serials are read as people type them; anything else is malformed', () => {
	expect(normalizeSerial(' vms 2026 7qk3m9xw2d ')).toBe('VMS-2026-7QK3M9XW2D')
	expect(normalizeSerial('VMS-2026-7QK3M9XWZD')).toBe('VMS-2026-7QK3M9XWZD')
	// O for zero, I or L for one, as on paper.
	expect(normalizeSerial('VMS-2026-7QK3M9XWOI')).toBe('VMS-2026-7QK3M9XW01')
	expect(SerialSchema.safeParse('vms-2026-7qk3m9xw2d').success).toBe(true)
	for (const bad of ['', 'VMS-2026-7QK3M9XW2', 'VMS-26-7QK3M9XW2D', 'VMS-2026-7QK3M9XW2U', "VMS-2026-7QK3M9XW2D' OR 1=1", 'x'.repeat(200)]) {
		expect(SerialSchema.safeParse(bad).success).toBe(false)
	}
})

test('new serials carry the year and 50 random bits in the typed alphabet, so they cannot be walked', () => {
	const at = d('2026-11-23T03:00:00Z')
	const serials = Array.from({ length: 5000 }, () => newSerial(at))
	for (const serial of serials) expect(serial).toMatch(SERIAL_PATTERN)
	expect(serials[0]!.startsWith('VMS-2026-')).toBe(true)
	expect(new Set(serials).size).toBe(serials.length)
	// Every one of the 32 symbols turns up in every position: nothing fixed or sequential in the random part.
	for (let position = 9; position < 19; position++) expect(new Set(serials.map((s) => s[position])).size).toBe(32)
})

import { expect, test } from 'vitest'
import { en } from '#app/ui/i18n/en.ts'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { vi as viCore } from '#app/ui/i18n/vi.ts'

const vi = { ...viCore, ...viAdmin }
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { compareVi, compareViNames, normalizeName } from '#app/ui/collation.ts'
import { safeRedirect } from '#app/auth/schema.ts'

test('both catalogues have exactly the same keys and placeholders', () => {
	expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort())
	for (const key of Object.keys(vi) as Array<keyof typeof vi>) {
		const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort()
		expect(vars(en[key]), key).toEqual(vars(vi[key]))
	}
})

test('Vietnamese text in the catalogue is NFC', () => {
	for (const text of Object.values(vi)) expect(text).toBe(text.normalize('NFC'))
})

test('translator fills placeholders and Vietnamese is the default language', () => {
	expect(translator('vi')('dash.greeting', { name: 'Hương' })).toBe('Xin chào, Hương')
	expect(translator('en')('login.rateLimited', { minutes: 15 })).toContain('15 minutes')
	expect(langFromRequest(new Request('http://x/'))).toBe('vi')
	expect(langFromRequest(new Request('http://x/', { headers: { Cookie: 'a=b; vms_lang=en' } }))).toBe('en')
	expect(langFromRequest(new Request('http://x/', { headers: { Cookie: 'vms_lang=fr' } }))).toBe('vi')
})

test('Vietnamese collation orders letters with diacritics correctly and people by given name', () => {
	expect(['Đông', 'Dung', 'Ánh', 'Anh', 'Bình'].sort(compareVi)).toEqual(['Anh', 'Ánh', 'Bình', 'Dung', 'Đông'])
	expect(['Nguyễn Thị Bình', 'Trần Văn An', 'Lê Thị Ánh'].sort(compareViNames)).toEqual(['Trần Văn An', 'Lê Thị Ánh', 'Nguyễn Thị Bình'])
	expect(normalizeName('  Le\u0302   Va\u0306n  ')).toBe('Lê Văn')
})

test('only same-site paths are accepted as redirect targets', () => {
	expect(safeRedirect('/org/5')).toBe('/org/5')
	expect(safeRedirect('//evil.example')).toBe('/')
	expect(safeRedirect('https://evil.example')).toBe('/')
	expect(safeRedirect('/\\evil.example')).toBe('/')
	expect(safeRedirect(null)).toBe('/')
})

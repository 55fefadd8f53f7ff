// Form schemas shared by the client (Conform validation) and the actions. Messages are catalogue keys.
import { z } from 'zod'
import { LANGUAGES } from '#app/ui/i18n.ts'

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 128

const identifier = z
	.string({ error: 'auth.error.identifierRequired' })
	.trim()
	.min(1, 'auth.error.identifierRequired')
	.max(254, 'auth.error.identifierTooLong')

const newPassword = z
	.string({ error: 'auth.error.passwordRequired' })
	.min(PASSWORD_MIN, 'auth.error.passwordTooShort')
	.max(PASSWORD_MAX, 'auth.error.passwordTooLong')

export const LoginSchema = z.object({
	identifier,
	password: z.string({ error: 'auth.error.passwordRequired' }).min(1, 'auth.error.passwordRequired').max(PASSWORD_MAX, 'auth.error.passwordTooLong'),
	redirectTo: z.string().optional(),
})

export const ActivateSchema = z
	.object({
		identifier,
		code: z
			.string({ error: 'auth.error.codeRequired' })
			.trim()
			.min(1, 'auth.error.codeRequired')
			.max(40, 'auth.error.codeInvalid'),
		password: newPassword,
		confirm: z.string({ error: 'auth.error.confirmRequired' }),
	})
	.refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'auth.error.confirmMismatch' })

export const ChangePasswordSchema = z
	.object({
		current: z.string({ error: 'auth.error.passwordRequired' }).min(1, 'auth.error.passwordRequired').max(PASSWORD_MAX, 'auth.error.passwordTooLong'),
		password: newPassword,
		confirm: z.string({ error: 'auth.error.confirmRequired' }),
	})
	.refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'auth.error.confirmMismatch' })

/**
 * A phone number is a sign-in identifier (people who joined a youth unit with one sign in with it).
 * Vietnamese mobile numbers as one form: 10 digits starting with 0 (11 for old landlines); "+84 912 345 678",
 * "84912345678" and "0912.345.678" all become "0912345678". Null when it is not a phone number.
 */
export function normalizePhone(raw: string): string | null {
	const text = raw.normalize('NFC').trim()
	if (!/^[+\d\s().-]+$/.test(text)) return null
	let digits = text.replace(/\D/g, '')
	if (text.startsWith('+') && !digits.startsWith('84')) return null
	if (digits.startsWith('84') && digits.length >= 11) digits = `0${digits.slice(2)}`
	return /^0\d{9,10}$/.test(digits) ? digits : null
}

/** Usernames and e-mails are stored lower-cased and NFC-normalised. */
export function normalizeIdentifier(value: string) {
	return value.normalize('NFC').trim().toLowerCase()
}

// A stand-in origin: only whether a target stays on it matters, never which host the site is served from.
const SITE = 'https://site.invalid'

/**
 * A redirect target that stays on this site, or `fallback`. The value is resolved by the WHATWG URL parser, as a
 * browser would resolve the Location header: it drops tabs and newlines anywhere, reads `\` as `/`, and collapses
 * dot segments, so `/\t/evil.example`, `/\\evil`, `/.//evil` or `/%2e/..//evil` would each leave the site if the raw
 * text were sent. What is returned is the parser's own serialisation (path, query, fragment): percent-encoded ASCII
 * that is a valid header value and starts with a single "/".
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
	if (typeof to !== 'string' || !to.startsWith('/') || to.length > 2048) return fallback
	let url: URL
	try {
		url = new URL(to, SITE)
	} catch {
		return fallback
	}
	const target = `${url.pathname}${url.search}${url.hash}`
	if (url.origin !== SITE || !target.startsWith('/') || target.startsWith('//') || target.includes('\\')) return fallback
	return target
}

/**
 * The header's language switch. It has no page of its own to show an error on: a language it does not know is
 * ignored and the person lands back where they were, as before.
 */
export const SetLanguageSchema = z.object({
	lang: z.enum(LANGUAGES, { error: 'auth.error.language' }),
	redirectTo: z.string().max(2048).optional(),
})

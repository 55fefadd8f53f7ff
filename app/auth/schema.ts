// Form schemas shared by the client (Conform validation) and the actions. Messages are catalogue keys.
import { z } from 'zod'

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

/** Usernames and e-mails are stored lower-cased and NFC-normalised. */
export function normalizeIdentifier(value: string) {
	return value.normalize('NFC').trim().toLowerCase()
}

/** Only same-site relative paths may be redirect targets (no open redirects). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
	if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
	return to
}

// Process environment, validated once at boot so a misconfiguration fails loudly at start rather than mid-request.
import { z } from 'zod'

const EnvSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	DATABASE_URL: z
		.string()
		.regex(/^(pglite:|postgres(ql)?:\/\/)/, 'DATABASE_URL phải bắt đầu bằng pglite: hoặc postgresql://')
		.default('pglite:./.data/db'),
	/** Public origin used in links (certificates, e-mails). */
	APP_URL: z.string().url().optional(),
	/** Set to "true" when served over HTTPS (adds Secure to cookies and HSTS). */
	SECURE_COOKIES: z.enum(['true', 'false']).optional(),
	DB_POOL_SIZE: z.coerce.number().int().positive().optional(),
	/** Ed25519 private key (PKCS#8 PEM, "\n" escapes allowed) that signs certificates; required in production. */
	CERT_SIGNING_KEY: z.string().min(1).optional(),
	/** Or a file holding that PEM key. */
	CERT_SIGNING_KEY_FILE: z.string().min(1).optional(),
	/** Issuer and signatory per province (YAML); default config/certificate-issuers.yaml. */
	CERT_ISSUERS_FILE: z.string().min(1).optional(),
	/** Outgoing mail (reminders, weekly summaries): smtp://user:password@host:587 or smtps://…:465. Unset: mails wait
	 * in the outbox (visible to administrators at /admin/outbox). */
	SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL phải bắt đầu bằng smtp:// hoặc smtps://').optional(),
	/** Sender of those mails, e.g. "Văn Minh Số <no-reply@minhson.gov.vn>". */
	SMTP_FROM: z.string().min(3).optional(),
})

export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined
export function getEnv(): Env {
	if (cached) return cached
	const parsed = EnvSchema.safeParse(process.env)
	if (!parsed.success) {
		throw new Error(
			`Cấu hình môi trường không hợp lệ: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
		)
	}
	cached = parsed.data
	return cached
}

export function isProduction() {
	return getEnv().NODE_ENV === 'production'
}

export function secureCookies() {
	const env = getEnv()
	return env.SECURE_COOKIES ? env.SECURE_COOKIES === 'true' : env.NODE_ENV === 'production' && !!env.APP_URL?.startsWith('https:')
}

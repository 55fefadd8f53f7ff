// Process environment, validated once at boot so a misconfiguration fails loudly at start rather than mid-request.
import { z } from 'zod'
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './db-url.server.ts'

function refineWith(check: (value: string) => void) {
	return (value: string, ctx: z.RefinementCtx) => {
		try {
			check(value)
		} catch (error) {
			ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) })
		}
	}
}

function checkSmtpUrl(value: string) {
	let url: URL
	try {
		url = new URL(value)
	} catch {
		throw new Error('SMTP_URL viết sai (ví dụ đúng: smtp://người_dùng:mật_khẩu@mail.example.gov.vn:587) (malformed SMTP_URL)')
	}
	if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL phải bắt đầu bằng smtp:// hoặc smtps:// (SMTP_URL must be smtp:// or smtps://)')
	if (!url.hostname) throw new Error('SMTP_URL thiếu tên máy chủ thư (SMTP_URL has no host)')
}

function checkReplicaUrl(value: string) {
	if (parseDatabaseUrl(value).kind !== 'postgres') throw new Error('REPLICA_DATABASE_URL phải là địa chỉ PostgreSQL (postgresql://…) (a replica must be PostgreSQL)')
}

/** A misconfigured environment: the CLIs print the message alone, the server stops with it. */
export class EnvError extends Error {
	override name = 'EnvError'
}

const EnvSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
	DATABASE_URL: z.string().superRefine(refineWith(parseDatabaseUrl)).default(DEFAULT_DATABASE_URL),
	/** Public origin used in links (certificates, e-mails). */
	APP_URL: z.string().url().optional(),
	/** Set to "true" when served over HTTPS (adds Secure to cookies and HSTS). */
	SECURE_COOKIES: z.enum(['true', 'false']).optional(),
	DB_POOL_SIZE: z.coerce.number().int().positive().optional(),
	/** A PostgreSQL streaming replica of DATABASE_URL: dashboards, report exports and people lists read from it
	 * (app/db-replica.server.ts). Unset: everything reads from DATABASE_URL. */
	REPLICA_DATABASE_URL: z.string().superRefine(refineWith(checkReplicaUrl)).optional(),
	/** How far (ms) the replica may be behind before reports read from the primary instead. */
	REPLICA_MAX_LAG_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
	/** Ed25519 private key (PKCS#8 PEM, "\n" escapes allowed) that signs certificates; required in production. */
	CERT_SIGNING_KEY: z.string().min(1).optional(),
	/** Or a file holding that PEM key. */
	CERT_SIGNING_KEY_FILE: z.string().min(1).optional(),
	/** Public keys (<key id>.pem) that still verify certificates after a rotation; default <key file's dir>/public. */
	CERT_PUBLIC_KEYS_DIR: z.string().min(1).optional(),
	/** Issuer and signatory per province (YAML); default config/certificate-issuers.yaml. */
	CERT_ISSUERS_FILE: z.string().min(1).optional(),
	/** Outgoing mail (reminders, weekly summaries): smtp://user:password@host:587 or smtps://…:465. Unset: mails wait
	 * in the outbox (visible to administrators at /admin/outbox). */
	SMTP_URL: z.string().superRefine(refineWith(checkSmtpUrl)).optional(),
	/** Sender of those mails, e.g. "Văn Minh Số <no-reply@minhson.gov.vn>". */
	SMTP_FROM: z.string().min(3).optional(),
})

export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined
export function getEnv(): Env {
	if (cached) return cached
	const parsed = EnvSchema.safeParse(process.env)
	if (!parsed.success) {
		throw new EnvError(
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

/**
 * What every command-line tool in scripts/ shares: one clear line (Vietnamese, then English) and a non-zero exit
 * for any failure, instead of a stack trace, Prisma's error object or "External error id#0" (issue 17).
 * VMS_DEBUG=1 prints the full error as well.
 *
 *   await runCli(async () => { await checkDatabase(); …; return 0 })
 */
import pg from 'pg'
import { parseDatabaseUrl } from '#app/db-url.server.ts'

/** A refusal the tool explains itself (bad arguments, nothing to do): printed as is. */
export class CliError extends Error {
	override name = 'CliError'
	constructor(
		message: string,
		readonly exitCode = 1,
	) {
		super(message)
	}
}

// Errors whose message already says what happened and what to do, in both languages: printed as they are.
const EXPLAINED = new Set(['CliError', 'DataDirLockedError', 'DatabaseUrlError', 'EnvError', 'MissingSigningKeysError'])

const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'máy chủ từ chối kết nối (connection refused)',
	ENOTFOUND: 'không tìm thấy tên máy chủ (host not found)',
	EAI_AGAIN: 'không phân giải được tên máy chủ (DNS lookup failed)',
	EHOSTUNREACH: 'không tới được máy chủ (host unreachable)',
	ENETUNREACH: 'không tới được mạng của máy chủ (network unreachable)',
	ETIMEDOUT: 'hết thời gian chờ kết nối (timed out)',
	ECONNRESET: 'kết nối bị ngắt (connection reset)',
}

// Prisma's driver-adapter error kinds that mean "the database is not there or not usable".
const PRISMA_KINDS: Record<string, string> = {
	DatabaseNotReachable: 'không tới được máy chủ cơ sở dữ liệu (database not reachable)',
	DatabaseDoesNotExist: 'cơ sở dữ liệu không tồn tại (database does not exist)',
	AuthenticationFailed: 'sai người dùng hoặc mật khẩu (authentication failed)',
	TableDoesNotExist: 'thiếu bảng: hãy chạy npm run db:migrate (table missing: run npm run db:migrate)',
	SocketTimeout: 'hết thời gian chờ (socket timeout)',
}

const PG_CODES: Record<string, string> = {
	'28P01': 'sai mật khẩu (password authentication failed)',
	'28000': 'người dùng không được phép kết nối (authorization failed)',
	'3D000': 'cơ sở dữ liệu không tồn tại (database does not exist)',
	'42P01': 'thiếu bảng: hãy chạy npm run db:migrate (table missing: run npm run db:migrate)',
	'42703': 'cơ sở dữ liệu chưa được cập nhật: hãy chạy npm run db:migrate (schema out of date: run npm run db:migrate)',
	'57P01': 'máy chủ đã ngắt kết nối (server terminated the connection)',
	'57P03': 'máy chủ đang khởi động hoặc dừng (server starting up or shutting down)',
}

/** Depth-first over an error, its cause and the objects Prisma nests inside (meta, cause, errors). */
function* walk(value: unknown, depth = 0, seen = new Set<unknown>()): Generator<Record<string, unknown>> {
	if (!value || typeof value !== 'object' || seen.has(value) || depth > 6) return
	seen.add(value)
	const record = value as Record<string, unknown>
	yield record
	for (const key of ['cause', 'meta', 'driverAdapterError', 'error', 'errors']) {
		const child = record[key]
		if (Array.isArray(child)) for (const c of child) yield* walk(c, depth + 1, seen)
		else yield* walk(child, depth + 1, seen)
	}
}

function databaseName() {
	try {
		const target = parseDatabaseUrl(process.env.DATABASE_URL)
		if (target.kind === 'pglite') return `PGlite ${target.dir ?? 'memory'}`
		const url = new URL(target.url)
		return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`
	} catch {
		return 'DATABASE_URL'
	}
}

/** The one line printed for an error. */
export function describeError(error: unknown): string {
	for (const e of walk(error)) {
		if (e instanceof Error && EXPLAINED.has(e.name)) return e.message
		const code = typeof e.code === 'string' ? e.code : undefined
		const kind = typeof e.kind === 'string' ? e.kind : undefined
		const message = typeof e.message === 'string' ? e.message.split('\n')[0]! : ''
		// nodemailer's codes for a mail server it could not use.
		if (code && ['EDNS', 'ECONNECTION', 'EAUTH', 'ESOCKET', 'ETLS', 'EENVELOPE', 'EMESSAGE'].includes(code)) {
			return `Không gửi được thư qua SMTP_URL (${code}: ${message}). Kiểm tra SMTP_URL và máy chủ thư. (Mail server error.)`
		}
		const reason =
			(code && (NETWORK_CODES[code] ?? PG_CODES[code])) ||
			(kind && PRISMA_KINDS[kind]) ||
			(/Connection terminated|timeout expired/i.test(message) ? `kết nối bị ngắt hoặc hết thời gian chờ (${message})` : undefined)
		if (reason) {
			const english = /\(([^()]*)\)$/.exec(reason)?.[1] ?? reason
			return `Không làm việc được với cơ sở dữ liệu ${databaseName()}: ${reason}. Kiểm tra DATABASE_URL và máy chủ cơ sở dữ liệu. (Database error: ${english}.)`
		}
	}
	const message = error instanceof Error ? error.message : String(error)
	return `Lỗi: ${message.split('\n').find((l) => l.trim()) ?? message} (Error; set VMS_DEBUG=1 for details.)`
}

/**
 * Fails early, with the reason, when the database cannot be used: the embedded directory is locked by another
 * process, or PostgreSQL does not answer within 10 s (an unroutable host would otherwise hang for minutes).
 */
export async function checkDatabase() {
	const target = parseDatabaseUrl(process.env.DATABASE_URL)
	if (target.kind === 'postgres') {
		const { pgConfig } = await import('#app/db-adapters.server.ts')
		const client = new pg.Client({ ...pgConfig(target.url), connectionTimeoutMillis: 10_000 })
		client.on('error', () => {})
		try {
			await client.connect()
			await client.query('SELECT 1')
		} finally {
			await client.end().catch(() => {})
		}
		return
	}
	// Opens (and locks) the embedded directory through the app's own client.
	const [{ runSql }, { PING }] = await Promise.all([import('#app/db.server.ts'), import('#app/db.sql.ts')])
	await runSql(PING, {})
}

/** Runs a tool's main function: its number (or 0) is the exit code; any error is one line and exit 1. */
export async function runCli(main: () => Promise<number | void>): Promise<void> {
	let code: number
	try {
		code = (await main()) ?? 0
	} catch (error) {
		if (process.env.VMS_DEBUG === '1') console.error(error)
		console.error(describeError(error))
		code = error instanceof CliError ? error.exitCode : 1
	}
	// Disconnect the app's client if one was made (db.server.ts keeps it on globalThis), without making one just
	// for that, and without letting that fail the tool.
	try {
		await (globalThis as { __vmsDb?: { $disconnect(): Promise<void> } }).__vmsDb?.$disconnect()
		// …and close the embedded database, which a tool that used only sql() would otherwise leave open (and the
		// process alive).
		const { closeEmbeddedDatabases } = await import('#app/db-adapters.server.ts')
		await closeEmbeddedDatabases()
	} catch {
		// nothing to close
	}
	process.exitCode = code
}

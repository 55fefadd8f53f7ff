/**
 * Backups that keep certificates valid (issue 17, decision 018): one archive holding the database, the certificate
 * signing key with every public key that still verifies, and the issuer configuration, described by a manifest.
 *
 *   npm run backup [-- --out FILE.tar]          embedded: the app must be stopped (the data directory is locked);
 *                                                PostgreSQL: online, pg_dump of one snapshot
 *   npm run restore -- FILE.tar [--replace]     into DATABASE_URL (an empty database, or --replace to overwrite it),
 *                                                keys into CERT_SIGNING_KEY_FILE's place (development: .data/keys),
 *                                                then checks the counts and every certificate's signature
 *
 * The archive is a plain tar (readable with `tar -tf`) and holds the private signing key: keep it like the key.
 */
import { spawnSync } from 'node:child_process'
import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { DEFAULT_ISSUERS_FILE } from '#app/certificates/issuers.server.ts'
import { keyIdOf, keyLocation, loadPublicKeys, publicKeyPem, signingKeyFromPem } from '#app/certificates/keys.server.ts'
import { checkSignature } from '#app/certificates/sign.server.ts'
import { openPglite, pgConfig } from '#app/db-adapters.server.ts'
import { lockDataDir } from '#app/db-lock.server.ts'
import { parseDatabaseUrl } from '#app/db-url.server.ts'
import { getEnv } from '#app/env.server.ts'
import { CliError, runCli } from './cli.ts'

const FORMAT = 'vanminhso-backup'
const PGLITE_FILE = 'database/pglite-datadir.tar.gz'
const POSTGRES_FILE = 'database/postgres.dump'
const KEY_FILE = 'keys/certificate-signing-key.pem'
const ISSUERS_FILE = 'config/certificate-issuers.yaml'

const Counts = z.object({ users: z.number().int(), enrollments: z.number().int(), certificates: z.number().int() })
type Counts = z.infer<typeof Counts>

const ManifestSchema = z.object({
	format: z.literal(FORMAT),
	version: z.literal(1),
	createdAt: z.string(),
	database: z.object({ kind: z.enum(['pglite', 'postgres']), file: z.string(), migrations: z.array(z.string()) }),
	counts: Counts,
	keys: z.object({ active: z.string(), public: z.array(z.string()), inUse: z.array(z.string()) }),
	/** Every file of the archive but the manifest, with its SHA-256. */
	files: z.record(z.string(), z.string()),
})
type Manifest = z.infer<typeof ManifestSchema>

type Query = <Row>(text: string, values?: Array<unknown>) => Promise<Array<Row>>

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

function tar(args: Array<string>) {
	const r = spawnSync('tar', args, { encoding: 'utf8' })
	if (r.error) throw new CliError(`Không chạy được tar (${r.error.message}). (tar is needed.)`)
	if (r.status !== 0) throw new CliError(`tar thất bại: ${r.stderr.trim()} (tar failed.)`)
}

/** Runs pg_dump / pg_restore from Debian's postgresql-client, the password through the environment, not argv. */
function pgTool(tool: 'pg_dump' | 'pg_restore', url: string, args: Array<string>) {
	const c = pgConfig(url)
	const env = { ...process.env, PGHOST: c.host!, PGPORT: String(c.port), PGUSER: c.user!, PGDATABASE: c.database!, ...(c.password ? { PGPASSWORD: String(c.password) } : {}) }
	const r = spawnSync(tool, args, { env, encoding: 'utf8' })
	if (r.error) throw new CliError(`Không chạy được ${tool} (${r.error.message}): cài gói postgresql-client. (${tool} not found: install postgresql-client.)`)
	if (r.status !== 0) throw new CliError(`${tool} thất bại: ${r.stderr.trim().split('\n').slice(-3).join(' ')} (${tool} failed.)`)
}

async function counts(query: Query): Promise<Counts> {
	const [row] = await query<Record<keyof Counts, number>>(
		`SELECT (SELECT count(*) FROM "User")::int AS users, (SELECT count(*) FROM "Enrollment")::int AS enrollments, (SELECT count(*) FROM "Certificate")::int AS certificates`,
	)
	return { users: Number(row!.users), enrollments: Number(row!.enrollments), certificates: Number(row!.certificates) }
}

async function keyIdsInUse(query: Query) {
	const rows = await query<{ id: string }>(`SELECT DISTINCT "signingKeyId" AS id FROM "Certificate" WHERE "signingKeyId" IS NOT NULL ORDER BY 1`)
	return rows.map((r) => r.id)
}

async function appliedMigrations(query: Query) {
	const [exists] = await query<{ t: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS t`)
	if (!exists?.t) return []
	const rows = await query<{ name: string }>(`SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1`)
	return rows.map((r) => r.name)
}

function pgliteQuery(db: PGlite): Query {
	return async <Row>(text: string, values: Array<unknown> = []) => (await db.query<Row>(text, values)).rows
}

function pgQuery(client: pg.Client): Query {
	return async <Row>(text: string, values: Array<unknown> = []) => (await client.query(text, values)).rows as Array<Row>
}

/** The signature images an issuer file names, relative to it. */
function signatureImages(issuersFile: string): Array<string> {
	const found: Array<string> = []
	const walk = (value: unknown) => {
		if (Array.isArray(value)) value.forEach(walk)
		else if (value && typeof value === 'object') {
			for (const [k, v] of Object.entries(value)) {
				if (k === 'signatureImage' && typeof v === 'string') found.push(v)
				else walk(v)
			}
		}
	}
	walk(parseYaml(readFileSync(issuersFile, 'utf8')))
	return found
}

function writePrivate(file: string, text: string | Buffer) {
	mkdirSync(path.dirname(file), { recursive: true })
	writeFileSync(file, text, { mode: 0o600 })
	chmodSync(file, 0o600)
}

async function createBackup(out: string | undefined) {
	const env = getEnv()
	const target = parseDatabaseUrl(env.DATABASE_URL)
	const stage = mkdtempSync(path.join(os.tmpdir(), 'vms-backup-'))
	try {
		mkdirSync(path.join(stage, 'database'))
		let manifestDb: Manifest['database']
		let figures: Counts
		let inUse: Array<string>
		if (target.kind === 'pglite') {
			if (!target.dir || !existsSync(target.dir)) throw new CliError(`Không có cơ sở dữ liệu nhúng để sao lưu (${target.dir ?? 'pglite:memory'}). (Nothing to back up.)`)
			// Holding the directory's lock: nothing else writes while it is copied (a running app makes this refuse).
			const db = await openPglite(target.dir)
			try {
				const query = pgliteQuery(db)
				figures = await counts(query)
				inUse = await keyIdsInUse(query)
				manifestDb = { kind: 'pglite', file: PGLITE_FILE, migrations: await appliedMigrations(query) }
				const dump = await db.dumpDataDir('gzip')
				writeFileSync(path.join(stage, PGLITE_FILE), Buffer.from(await dump.arrayBuffer()))
			} finally {
				await db.close()
			}
		} else {
			// One snapshot for the figures and the dump, so that the manifest describes exactly what was dumped.
			const client = new pg.Client({ ...pgConfig(target.url), connectionTimeoutMillis: 10_000 })
			await client.connect()
			try {
				await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
				const [{ snapshot }] = (await client.query('SELECT pg_export_snapshot() AS snapshot')).rows as [{ snapshot: string }]
				const query = pgQuery(client)
				figures = await counts(query)
				inUse = await keyIdsInUse(query)
				manifestDb = { kind: 'postgres', file: POSTGRES_FILE, migrations: await appliedMigrations(query) }
				pgTool('pg_dump', target.url, ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${path.join(stage, POSTGRES_FILE)}`])
				await client.query('COMMIT')
			} finally {
				await client.end()
			}
		}

		// The keys: the active private key and every public key that verifies (the active one included).
		const { keyFile, publicDir } = keyLocation(env)
		const pem = env.CERT_SIGNING_KEY ? env.CERT_SIGNING_KEY.replace(/\\n/g, '\n') : keyFile && existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : null
		if (!pem) throw new CliError(`Không tìm thấy khoá ký chứng nhận (${keyFile ?? 'CERT_SIGNING_KEY_FILE'}): bản sao lưu không có khoá thì chứng nhận sẽ không kiểm tra được. (Signing key not found.)`)
		const active = signingKeyFromPem(pem)
		writePrivate(path.join(stage, KEY_FILE), active.privateKey.export({ type: 'pkcs8', format: 'pem' }))
		const verifiers = new Map([...loadPublicKeys(publicDir), [active.keyId, active.publicKey]])
		mkdirSync(path.join(stage, 'keys/public'), { recursive: true })
		for (const [id, key] of verifiers) writeFileSync(path.join(stage, `keys/public/${id}.pem`), publicKeyPem(key))
		const missing = inUse.filter((id) => !verifiers.has(id))
		if (missing.length) {
			console.error(`Cảnh báo: chứng nhận ký bằng khoá ${missing.join(', ')} không có khoá tương ứng trên máy này; bản sao lưu không giữ được tính hợp lệ của chúng. (Warning: keys missing.)`)
		}

		// The issuer configuration and the signature images it names.
		const issuersFile = env.CERT_ISSUERS_FILE ?? DEFAULT_ISSUERS_FILE
		mkdirSync(path.join(stage, 'config'), { recursive: true })
		copyFileSync(issuersFile, path.join(stage, ISSUERS_FILE))
		for (const image of signatureImages(issuersFile)) {
			if (image.split(/[\\/]/).includes('..') || path.isAbsolute(image)) {
				console.error(`Cảnh báo: ảnh chữ ký ${image} nằm ngoài thư mục cấu hình, không được sao lưu. (Skipped.)`)
				continue
			}
			mkdirSync(path.dirname(path.join(stage, 'config', image)), { recursive: true })
			copyFileSync(path.resolve(path.dirname(issuersFile), image), path.join(stage, 'config', image))
		}

		const files: Record<string, string> = {}
		const list = (dir: string): Array<string> =>
			readdirSync(path.join(stage, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(dir, e.name)) : [path.join(dir, e.name)]))
		for (const file of list('.').map((f) => f.replace(/^\.\//, '')).sort()) files[file] = sha256(path.join(stage, file))
		const manifest: Manifest = {
			format: FORMAT,
			version: 1,
			createdAt: new Date().toISOString(),
			database: manifestDb,
			counts: figures,
			keys: { active: active.keyId, public: [...verifiers.keys()].sort(), inUse },
			files,
		}
		writeFileSync(path.join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)

		const file = out ?? path.join('backups', `vanminhso-${manifest.createdAt.replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}.tar`)
		mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
		const partial = `${file}.partial`
		tar(['-cf', partial, '-C', stage, 'manifest.json', ...Object.keys(files)])
		chmodSync(partial, 0o600)
		renameSync(partial, file)
		console.log(
			`Đã sao lưu (backup written): ${file} — ${manifest.database.kind}, ${figures.users} người dùng (users), ${figures.enrollments} lượt học (enrollments), ` +
				`${figures.certificates} chứng nhận (certificates); khoá ký ${active.keyId}, ${verifiers.size} khoá công khai (public keys). Tệp chứa khoá riêng: giữ kín như khoá.`,
		)
	} finally {
		rmSync(stage, { recursive: true, force: true })
	}
}

function readManifest(stage: string): Manifest {
	let raw: unknown
	try {
		raw = JSON.parse(readFileSync(path.join(stage, 'manifest.json'), 'utf8'))
	} catch {
		throw new CliError('Tệp không phải bản sao lưu Văn Minh Số (thiếu manifest.json). (Not a backup archive.)')
	}
	const parsed = ManifestSchema.safeParse(raw)
	if (!parsed.success) throw new CliError(`manifest.json không hợp lệ: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. (Invalid manifest.)`)
	for (const [file, hash] of Object.entries(parsed.data.files)) {
		if (file.split('/').includes('..') || path.isAbsolute(file)) throw new CliError(`Bản sao lưu chứa đường dẫn không hợp lệ: ${file}. (Invalid path.)`)
		if (!existsSync(path.join(stage, file)) || sha256(path.join(stage, file)) !== hash) {
			throw new CliError(`Bản sao lưu bị hỏng: ${file} không khớp mã kiểm tra. Không khôi phục gì. (Archive corrupted.)`)
		}
	}
	const known = new Set(readdirSync('prisma/migrations'))
	const unknown = parsed.data.database.migrations.filter((m) => !known.has(m))
	if (unknown.length) throw new CliError(`Bản sao lưu đến từ phiên bản mới hơn (migration ${unknown.join(', ')} không có ở đây): cập nhật mã nguồn trước khi khôi phục. (Backup is from a newer version.)`)
	return parsed.data
}

/** Installs the archive's keys where this installation reads them; a different key found there is retired, not lost. */
function restoreKeys(stage: string, manifest: Manifest) {
	const env = getEnv()
	const archived = signingKeyFromPem(readFileSync(path.join(stage, KEY_FILE), 'utf8'))
	if (env.CERT_SIGNING_KEY) {
		if (signingKeyFromPem(env.CERT_SIGNING_KEY).keyId !== archived.keyId) {
			throw new CliError(`CERT_SIGNING_KEY đang đặt một khoá khác khoá trong bản sao lưu (${archived.keyId}): bỏ biến này và dùng CERT_SIGNING_KEY_FILE. (Unset CERT_SIGNING_KEY.)`)
		}
	}
	const { keyFile, publicDir } = keyLocation(env)
	if (!publicDir) throw new CliError('Không biết đặt khoá vào đâu: đặt CERT_SIGNING_KEY_FILE (và CERT_PUBLIC_KEYS_DIR nếu cần). (Set CERT_SIGNING_KEY_FILE.)')
	mkdirSync(publicDir, { recursive: true })
	const notes: Array<string> = []
	if (keyFile) {
		if (existsSync(keyFile)) {
			const current = signingKeyFromPem(readFileSync(keyFile, 'utf8'))
			if (current.keyId !== archived.keyId) {
				// It may have signed something elsewhere: keep its public half verifying, and the file aside.
				writeFileSync(path.join(publicDir, `${current.keyId}.pem`), publicKeyPem(current.publicKey))
				const aside = `${keyFile}.replaced-${Date.now()}`
				renameSync(keyFile, aside)
				notes.push(`khoá cũ ${current.keyId} được giữ ở ${aside}`)
			}
		}
		if (!existsSync(keyFile)) writePrivate(keyFile, readFileSync(path.join(stage, KEY_FILE)))
	}
	for (const id of manifest.keys.public) {
		const text = readFileSync(path.join(stage, `keys/public/${id}.pem`), 'utf8')
		const key: KeyObject = createPublicKey(text)
		if (keyIdOf(key) !== id) throw new CliError(`Khoá công khai ${id} trong bản sao lưu không khớp tên. (Public key mismatch.)`)
		const file = path.join(publicDir, `${id}.pem`)
		if (!existsSync(file)) writeFileSync(file, text)
	}
	return { archived, publicDir, notes }
}

function restoreIssuers(stage: string) {
	const target = getEnv().CERT_ISSUERS_FILE ?? DEFAULT_ISSUERS_FILE
	const files = [ISSUERS_FILE, ...signatureImages(path.join(stage, ISSUERS_FILE)).map((i) => `config/${i}`)]
	const changed: Array<string> = []
	for (const file of files) {
		const to = file === ISSUERS_FILE ? target : path.resolve(path.dirname(target), file.slice('config/'.length))
		const bytes = readFileSync(path.join(stage, file))
		if (existsSync(to) && readFileSync(to).equals(bytes)) continue
		if (existsSync(to)) renameSync(to, `${to}.before-restore-${Date.now()}`)
		mkdirSync(path.dirname(to), { recursive: true })
		writeFileSync(to, bytes)
		changed.push(to)
	}
	return changed
}

async function restoreBackup(archive: string, replace: boolean) {
	if (!existsSync(archive)) throw new CliError(`Không tìm thấy tệp sao lưu ${archive}. (Backup file not found.)`)
	const env = getEnv()
	const target = parseDatabaseUrl(env.DATABASE_URL)
	const stage = mkdtempSync(path.join(os.tmpdir(), 'vms-restore-'))
	try {
		tar(['-xf', archive, '-C', stage])
		const manifest = readManifest(stage)
		if (manifest.database.kind !== target.kind) {
			throw new CliError(
				`Bản sao lưu là cơ sở dữ liệu ${manifest.database.kind === 'pglite' ? 'nhúng (pglite)' : 'PostgreSQL'}, còn DATABASE_URL trỏ tới ${target.kind === 'pglite' ? 'cơ sở dữ liệu nhúng' : 'PostgreSQL'}: khôi phục vào cùng loại. (Backup kind ${manifest.database.kind} differs from DATABASE_URL.)`,
			)
		}
		let figures: Counts
		let verify: (check: (row: CertRow) => boolean) => Promise<{ ok: number; bad: Array<string> }>
		let finish: () => Promise<void>
		if (target.kind === 'pglite') {
			if (!target.dir) throw new CliError('Không khôi phục vào pglite:memory. (Cannot restore into memory.)')
			mkdirSync(target.dir, { recursive: true })
			const lock = await lockDataDir(target.dir)
			try {
				if (readdirSync(target.dir).length && !replace) {
					throw new CliError(`Thư mục ${target.dir} đã có dữ liệu: thêm --replace để ghi đè (dữ liệu hiện có sẽ mất). (Target not empty: use --replace.)`)
				}
				for (const entry of readdirSync(target.dir)) rmSync(path.join(target.dir, entry), { recursive: true, force: true })
			} catch (error) {
				await lock.release()
				throw error
			}
			const db = new PGlite(target.dir, { loadDataDir: new Blob([readFileSync(path.join(stage, manifest.database.file))]) })
			await db.waitReady
			const query = pgliteQuery(db)
			figures = await counts(query)
			verify = (check) => verifyAll(query, check)
			finish = async () => {
				await db.close()
				await lock.release()
			}
		} else {
			const client = new pg.Client({ ...pgConfig(target.url), connectionTimeoutMillis: 10_000 })
			await client.connect()
			const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows as [{ n: number }]
			if (n > 0 && !replace) {
				await client.end()
				throw new CliError(`Cơ sở dữ liệu ${pgConfig(target.url).database} đã có ${n} bảng: thêm --replace để ghi đè (dữ liệu hiện có sẽ mất). (Target not empty: use --replace.)`)
			}
			if (n > 0) await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public')
			pgTool('pg_restore', target.url, ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${pgConfig(target.url).database}`, path.join(stage, manifest.database.file)])
			const query = pgQuery(client)
			figures = await counts(query)
			verify = (check) => verifyAll(query, check)
			finish = () => client.end()
		}
		try {
			const keys = restoreKeys(stage, manifest)
			const issuers = restoreIssuers(stage)
			const verifiers = new Map([...loadPublicKeys(keys.publicDir), [keys.archived.keyId, keys.archived.publicKey]])
			const result = await verify((row) => checkSignature(row, { active: keys.archived, verifiers }) === 'ok')
			const same = JSON.stringify(figures) === JSON.stringify(manifest.counts)
			console.log(
				`Đã khôi phục (restored) ${archive}: ${figures.users} người dùng, ${figures.enrollments} lượt học, ${figures.certificates} chứng nhận ` +
					`(${same ? 'khớp bản sao lưu' : `KHÁC bản sao lưu: ${JSON.stringify(manifest.counts)}`}); chữ ký hợp lệ (signatures valid): ${result.ok}/${result.ok + result.bad.length} chứng nhận đã ký; ` +
					`khoá ký ${keys.archived.keyId}${keys.notes.length ? ` (${keys.notes.join('; ')})` : ''}${issuers.length ? `; cấu hình cơ quan cấp: ${issuers.join(', ')}` : ''}.`,
			)
			if (!same) throw new CliError('Số liệu sau khi khôi phục không khớp bản sao lưu. (Counts differ from the manifest.)')
			if (result.bad.length) throw new CliError(`${result.bad.length} chứng nhận không kiểm tra được chữ ký (ví dụ ${result.bad.slice(0, 3).join(', ')}). (Signatures failed.)`)
		} finally {
			await finish()
		}
	} finally {
		rmSync(stage, { recursive: true, force: true })
	}
}

type CertRow = Parameters<typeof checkSignature>[0] & { id: string }

/** Every signed certificate, in pages by id; dates as epoch milliseconds (both drivers agree on those). */
async function verifyAll(query: Query, check: (row: CertRow) => boolean) {
	let after = ''
	let ok = 0
	const bad: Array<string> = []
	for (;;) {
		const rows = await query<Record<string, unknown>>(
			`SELECT id, serial, "userId", "courseVersionId", "holderName", "orgUnitId", "orgName", "courseTitle", source::text AS source,
				(extract(epoch FROM "issuedAt") * 1000)::float8 AS "issuedAt", (extract(epoch FROM "expiresAt") * 1000)::float8 AS "expiresAt", signature
			FROM "Certificate" WHERE signature IS NOT NULL AND id > $1 ORDER BY id LIMIT 2000`,
			[after],
		)
		if (!rows.length) break
		for (const r of rows) {
			const row = {
				...r,
				orgUnitId: r.orgUnitId === null ? null : Number(r.orgUnitId),
				issuedAt: new Date(Math.round(Number(r.issuedAt))),
				expiresAt: r.expiresAt === null ? null : new Date(Math.round(Number(r.expiresAt))),
			} as CertRow
			if (check(row)) ok++
			else bad.push(String(r.serial))
		}
		after = String(rows.at(-1)!.id)
	}
	return { ok, bad }
}

const [command, ...rest] = process.argv.slice(2)
await runCli(async () => {
	let parsed
	try {
		parsed = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string' }, replace: { type: 'boolean', default: false } } })
	} catch (error) {
		throw new CliError(`${error instanceof Error ? error.message : error}\nusage: npm run backup [-- --out FILE.tar] | npm run restore -- FILE.tar [--replace]`)
	}
	if (command === 'create' && !parsed.positionals.length) return createBackup(parsed.values.out)
	if (command === 'restore' && parsed.positionals.length === 1) return restoreBackup(parsed.positionals[0]!, parsed.values.replace!)
	throw new CliError('usage: npm run backup [-- --out FILE.tar] | npm run restore -- FILE.tar [--replace]')
})

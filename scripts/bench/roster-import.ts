/**
 * Roster import benchmark (DESIGN §7: 100,000 rows in < 15 s on PostgreSQL, all or nothing; ≤ 500 MB) and the
 * assignment preview over 100,000 people (< 200 ms).
 *
 * The parent writes one XLSX and one CSV of N rows (realistic Vietnamese names, birth dates as text, e-mails,
 * phones, unit codes of a province with departments and divisions), then runs each case in a fresh child process
 * so that its peak memory (maxRSS) is its own:
 *   1. a fresh database (in-memory PGlite, or a throw-away PostgreSQL database created and dropped here);
 *   2. upload + check (read, validate, match against the database: the preview);
 *   3. confirm (read and check again, then one transaction writing users and memberships);
 *   4. the assignment preview "N người phải hoàn thành" for the province (median of 7) and for one tag.
 *
 *   npm run bench:roster
 *   npm run bench:roster -- --rows 20000 --db pglite --format csv
 *   npm run bench:roster -- --pg postgresql://postgres@127.0.0.1:5432
 *   npm run bench:roster -- --db postgres --node-flags=--max-old-space-size=400
 *   npm run bench:roster -- --db postgres --format csv --template vms_load_1m
 *       into a copy of a gen:load-data database (issue 21 §4: 100,000 rows into a province of 1,000,000 staff ≤ 20 s;
 *       the preview over the whole province ≤ 500 ms): rows go to its agencies and divisions, the copy is dropped.
 * Never in CI. Exits 1 when an import fails; a missed budget is reported, not an exit code.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import ExcelJS from 'exceljs'

const { values } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000' },
		db: { type: 'string', default: 'both' },
		format: { type: 'string', default: 'both' },
		pg: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
		// e.g. "--max-old-space-size=400": how much of the peak is live data and how much is garbage not yet collected.
		'node-flags': { type: 'string' },
		// A database of the --pg server to copy (CREATE DATABASE … TEMPLATE) and import into, instead of an empty one.
		template: { type: 'string' },
		// Internal: one case in this process.
		case: { type: 'string' },
		file: { type: 'string' },
	},
})

const ROWS = Number(values.rows)
const DEPARTMENTS = 20
const DIVISIONS_PER_DEPARTMENT = 4
const TEMPLATE = values.template
if (TEMPLATE !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(TEMPLATE)) {
	console.error('--template: the name of a database on the --pg server')
	process.exit(1)
}

async function main() {
	if (!Number.isInteger(ROWS) || ROWS < 1) {
		console.error('usage: tsx scripts/bench/roster-import.ts [--rows 100000] [--db pglite|postgres|both] [--format xlsx|csv|both]')
		process.exit(1)
	}
	const dbs = values.db === 'both' ? ['pglite', 'postgres'] : [values.db!]
	const formats = values.format === 'both' ? ['xlsx', 'csv'] : [values.format!]
	const cpu = os.cpus()
	console.log(`Machine: ${cpu[0]?.model ?? 'cpu'} × ${cpu.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
	const dir = mkdtempSync(path.join(os.tmpdir(), 'vms-roster-bench-'))
	try {
		if (TEMPLATE) {
			if (dbs.some((d) => d !== 'postgres')) throw new Error('--template needs --db postgres')
			codes = await templateCodes()
			console.log(`Into a copy of ${TEMPLATE}: rows spread over its ${codes.length.toLocaleString('en')} agencies and divisions`)
		}
		const files: Record<string, string> = {}
		for (const format of formats) {
			const started = performance.now()
			files[format] = path.join(dir, `roster.${format}`)
			writeFileSync(files[format], format === 'xlsx' ? await makeXlsx(ROWS) : makeCsv(ROWS))
			const size = readFileSync(files[format]).length
			console.log(`Input: ${ROWS.toLocaleString('en')} rows as ${format.toUpperCase()}, ${(size / 1e6).toFixed(1)} MB (written in ${((performance.now() - started) / 1000).toFixed(1)} s)`)
		}
		let failed = false
		const results: Array<Record<string, string | number>> = []
		for (const db of dbs) {
			for (const format of formats) {
				try {
					const args = ['--case', `${db}:${format}`, '--file', files[format]!, '--rows', String(ROWS), '--pg', values.pg!, ...(TEMPLATE ? ['--template', TEMPLATE] : [])]
					const out = execFileSync(process.execPath, [...(values['node-flags'] ?? '').split(' ').filter(Boolean), '--import', 'tsx', process.argv[1]!, ...args], {
						encoding: 'utf8',
						stdio: ['ignore', 'pipe', 'inherit'],
						maxBuffer: 16 * 1024 * 1024,
					})
					const line = out.trim().split('\n').at(-1)!
					results.push(JSON.parse(line))
				} catch (error) {
					failed = true
					console.error(`${db} ${format}: failed`, error instanceof Error ? error.message : error)
				}
			}
		}
		console.log('')
		console.log('| database | file | rows | check (preview) | confirm (import) | upload→done | peak RSS | preview 100k people (median) | with tag |')
		console.log('|---|---|---|---|---|---|---|---|---|')
		for (const r of results) {
			console.log(`| ${r.db} | ${r.format} | ${r.rows} | ${r.checkS} s | ${r.importS} s | ${r.totalS} s | ${r.peakMb} MB (${r.baseMb} MB before) | ${r.previewMs} ms (${r.required} people) | ${r.previewTagMs} ms |`)
		}
		for (const r of results) {
			// DESIGN §7 for an empty province; issue 21 §4 into one of 1,000,000 staff (--template).
			const budget = r.db === 'postgres' ? (TEMPLATE ? 20 : 15) : Number.POSITIVE_INFINITY
			const previewBudget = TEMPLATE ? 500 : 200
			const over = [
				Number(r.totalS) > budget ? `import ${r.totalS} s > ${budget} s` : null,
				Number(r.peakMb) > 500 ? `memory ${r.peakMb} MB > 500 MB` : null,
				Number(r.previewMs) >= previewBudget ? `preview ${r.previewMs} ms ≥ ${previewBudget} ms` : null,
			].filter(Boolean)
			// Embedded PGlite keeps the database itself in this process: its share is already in "before".
			const note = r.db === 'pglite' && over.some((o) => o?.startsWith('memory')) ? ` (the database runs in this process: ${r.baseMb} MB before the import, ${Number(r.peakMb) - Number(r.baseMb)} MB more during it)` : ''
			console.log(`${r.db} ${r.format}: ${over.length ? `OVER BUDGET: ${over.join(', ')}${note}` : 'within budget'}`)
		}
		if (failed) process.exitCode = 1
	} finally {
		rmSync(dir, { recursive: true, force: true })
	}
}

// ——— input files ———

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý']
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Xuân', 'Hồng', 'Kim']
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Hải', 'Hương', 'Lan', 'Linh', 'Mai', 'Nam', 'Phong', 'Quân', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vân', 'Yến', 'Hạnh']
const SECOND = ['Khánh', 'Thịnh', 'Hiếu', 'Trí']
const TITLES = ['Chuyên viên', 'Chuyên viên chính', 'Cán sự', 'Phó Trưởng phòng', 'Trưởng phòng']
const GROUPS = ['', '', '', 'mạng xã hội', 'lãnh đạo', 'người phát ngôn; lãnh đạo']

/** The template's government agencies and divisions (depth 1 and 2), whose codes the rows use. */
async function templateCodes() {
	const pg = (await import('pg')).default
	const { pgConfig } = await import('#app/db-adapters.server.ts')
	const url = new URL(values.pg!)
	url.pathname = `/${TEMPLATE}`
	const client = new pg.Client(pgConfig(url.toString()))
	await client.connect()
	try {
		const { rows } = await client.query<{ code: string }>(`SELECT code FROM "OrgUnit" WHERE tree = 'GOV' AND depth IN (1, 2) ORDER BY id`)
		return rows.map((r) => r.code)
	} finally {
		await client.end()
	}
}

let codes: Array<string> | null = null

function unitCodes() {
	if (codes) return ['', ...codes]
	const own = ['BENCH']
	for (let d = 1; d <= DEPARTMENTS; d++) {
		own.push(`S${d}`)
		for (let p = 1; p <= DIVISIONS_PER_DEPARTMENT; p++) own.push(`S${d}-P${p}`)
	}
	return own
}

function row(i: number) {
	const units = unitCodes()
	// Into a load database (--template): four-word names, which its three-word ones never match (its people have no
	// birth date, so a same-named row would be "ambiguous" rather than new).
	const name = `${SURNAMES[i % 16]} ${MIDDLE[Math.floor(i / 16) % 12]} ${GIVEN[Math.floor(i / 192) % 20]}${TEMPLATE ? ` ${SECOND[Math.floor(i / 3840) % 4]}` : ''}`
	const day = String((i % 28) + 1).padStart(2, '0')
	const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0')
	const year = 1965 + (i % 37)
	return [name, `${day}/${month}/${year}`, `cb${i}@bench.gov.vn`, `09${String(i).padStart(8, '0')}`, units[1 + (i % (units.length - 1))]!, TITLES[i % 5]!, GROUPS[i % 6]!, i % 20 === 0 ? 'Không' : 'Có']
}

const HEADERS = ['Họ và tên', 'Ngày sinh', 'Email', 'Số điện thoại', 'Mã đơn vị', 'Chức vụ', 'Nhóm', 'Tính vào chỉ tiêu']

async function makeXlsx(n: number) {
	const file = path.join(os.tmpdir(), `vms-bench-${process.pid}.xlsx`)
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true })
	const sheet = workbook.addWorksheet('Danh sách')
	sheet.addRow(HEADERS).commit()
	for (let i = 0; i < n; i++) sheet.addRow(row(i)).commit()
	await workbook.commit()
	const bytes = readFileSync(file)
	rmSync(file)
	return bytes
}

function makeCsv(n: number) {
	const lines = [HEADERS.join(',')]
	for (let i = 0; i < n; i++) lines.push(row(i).map((v) => (v.includes(',') || v.includes(';') ? `"${v}"` : v)).join(','))
	return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'))])
}

// ——— one case, in its own process ———

async function runCase(name: string, file: string) {
	const [dbKind, format] = name.split(':') as ['pglite' | 'postgres', 'xlsx' | 'csv']
	const { PGlite } = await import('@electric-sql/pglite')
	const pg = (await import('pg')).default
	const { pgConfig } = await import('#app/db-adapters.server.ts')
	const { createPrismaClient, setDbForTests, db } = await import('#app/db.server.ts')
	const migrations = readdirSync('prisma/migrations')
		.filter((d) => /^\d/.test(d))
		.sort()
		.map((d) => readFileSync(`prisma/migrations/${d}/migration.sql`, 'utf8'))

	let cleanup = async () => {}
	if (dbKind === 'pglite') {
		const pglite = new PGlite()
		for (const sql of migrations) await pglite.exec(sql)
		// createPrismaClient: the job queue the import runs on needs the driver under the client.
		const prisma = createPrismaClient('pglite:memory', { pglite })
		// The app's one client, pointed at this throw-away database (the hook exists for tests; a bench is alike).
		setDbForTests(prisma)
		cleanup = async () => {
			await prisma.$disconnect()
			await pglite.close()
		}
	} else {
		const dbName = `vms_bench_roster_${process.pid}`
		const admin = new pg.Client(pgConfig(values.pg!))
		await admin.connect()
		// A copy of the load database, made file by file (no WAL for its gigabytes); the empty one is migrated here.
		await admin.query(TEMPLATE ? `CREATE DATABASE ${dbName} TEMPLATE ${TEMPLATE} STRATEGY FILE_COPY` : `CREATE DATABASE ${dbName}`)
		await admin.end()
		const url = new URL(values.pg!)
		url.pathname = `/${dbName}`
		if (!TEMPLATE) {
			const client = new pg.Client(pgConfig(url.toString()))
			await client.connect()
			for (const sql of migrations) await client.query(sql)
			await client.end()
		}
		const prisma = createPrismaClient(url.toString(), { poolSize: 4 })
		setDbForTests(prisma)
		cleanup = async () => {
			await prisma.$disconnect()
			const again = new pg.Client(pgConfig(values.pg!))
			await again.connect()
			await again.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
			await again.end()
		}
	}
	try {
		const { startRosterImport, confirmRosterImport } = await import('#app/org/import-jobs.server.ts')
		const { countRequiredPeople } = await import('#app/learning/assignments.server.ts')
		const scope = TEMPLATE ? await db.orgUnit.findFirstOrThrow({ where: { tree: 'GOV', parentId: null }, orderBy: { id: 'asc' } }) : await emptyProvince()
		const admin = await db.user.create({ data: { fullName: 'Quản trị Thử Tải', username: 'bench.admin', status: 'ACTIVE' } })
		// The province with its departments and divisions (codes as in the file).
		async function emptyProvince() {
			const province = await db.orgUnit.create({ data: { tree: 'GOV', kind: 'province', code: 'BENCH', name: 'Tỉnh Thử Tải', path: 'x', depth: 0 } })
			await db.orgUnit.update({ where: { id: province.id }, data: { path: `/${province.id}/` } })
			for (let d = 1; d <= DEPARTMENTS; d++) {
				const dept = await db.orgUnit.create({ data: { tree: 'GOV', kind: 'department', code: `S${d}`, name: `Sở số ${d}`, parentId: province.id, path: 'x', depth: 1 } })
				await db.orgUnit.update({ where: { id: dept.id }, data: { path: `/${province.id}/${dept.id}/` } })
				for (let p = 1; p <= DIVISIONS_PER_DEPARTMENT; p++) {
					const div = await db.orgUnit.create({ data: { tree: 'GOV', kind: 'division', code: `S${d}-P${p}`, name: `Phòng ${p} Sở ${d}`, parentId: dept.id, path: 'x', depth: 2 } })
					await db.orgUnit.update({ where: { id: div.id }, data: { path: `/${province.id}/${dept.id}/${div.id}/` } })
				}
			}
			return db.orgUnit.findUniqueOrThrow({ where: { id: province.id } })
		}
		const bytes = new Uint8Array(readFileSync(file))
		const baseMb = Math.round(process.resourceUsage().maxRSS / 1024)

		const t0 = performance.now()
		const jobId = await startRosterImport({ bytes, fileName: path.basename(file), scope, actorId: admin.id, mode: 'upsert', effectiveAt: new Date(), wait: true })
		const t1 = performance.now()
		// Only what is checked: the whole row would also bring the stored file back into this process.
		const preview = await db.importJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, errors: true } })
		if (preview.status !== 'PREVIEW' || JSON.stringify(preview.errors).includes('"key"')) throw new Error(`preview failed: ${JSON.stringify(preview.errors).slice(0, 500)}`)
		await confirmRosterImport({ jobId, scope, actorId: admin.id, wait: true })
		const t2 = performance.now()
		const done = await db.importJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, errors: true } })
		if (done.status !== 'SUCCEEDED') throw new Error(`import failed: ${JSON.stringify(done.errors).slice(0, 500)}`)
		const members = await db.membership.count({ where: { importJobId: jobId } })
		if (members !== ROWS) throw new Error(`expected ${ROWS} memberships, found ${members}`)

		const timings: Array<number> = []
		let required = 0
		for (let i = 0; i < 7; i++) {
			const s = performance.now()
			required = await countRequiredPeople(scope.path, null)
			timings.push(performance.now() - s)
		}
		timings.sort((a, b) => a - b)
		const tagTimings: Array<number> = []
		for (let i = 0; i < 7; i++) {
			const s = performance.now()
			await countRequiredPeople(scope.path, 'leader')
			tagTimings.push(performance.now() - s)
		}
		tagTimings.sort((a, b) => a - b)
		const peakMb = Math.round(process.resourceUsage().maxRSS / 1024)
		console.log(
			JSON.stringify({
				db: dbKind,
				format,
				rows: ROWS,
				checkS: ((t1 - t0) / 1000).toFixed(1),
				importS: ((t2 - t1) / 1000).toFixed(1),
				totalS: ((t2 - t0) / 1000).toFixed(1),
				peakMb,
				baseMb,
				previewMs: timings[3]!.toFixed(0),
				previewTagMs: tagTimings[3]!.toFixed(0),
				required,
			}),
		)
	} finally {
		// The import ran on the job queue: stopped first, or its timers keep this process (and the parent) waiting.
		const { stopQueue } = await import('#app/jobs/queue.server.ts')
		await stopQueue()
		await cleanup()
	}
}

// Last, so that every constant above is initialised before the top-level await runs.
if (values.case) await runCase(values.case, values.file!)
else await main()

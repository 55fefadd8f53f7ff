/**
 * Builds a synthetic province for benchmarks, in a PostgreSQL database of its own (never the app's):
 * 100,000 staff in about 1,500 units (departments with divisions, communes with their offices), 30 courses with
 * 36 versions (three of them requiring recertification), about 450 assignments (province-wide, by audience tag,
 * per agency) and about 1.5 million enrollments and certificates with a realistic skew: some agencies at 100 %,
 * some far behind, overdue people, expired and revoked certificates, people who moved, left or hold two posts.
 *
 * Every row is made by set-based SQL (generate_series, INSERT … SELECT) with hash-based pseudo-random choices, so
 * the same options give the same data, and 100,000 staff take well under two minutes.
 * All names say "Thử tải" (load test): none of this is real.
 *
 *   npm run gen:load-data                                  → postgresql://postgres@127.0.0.1:5432/vms_load
 *   npm run gen:load-data -- --url postgresql://postgres@127.0.0.1:5432/vms_load2 --staff 20000 --units 300
 *   npm run gen:load-data -- --replace                     drop and rebuild even when up to date
 *   npm run gen:load-data -- --drop                        drop the database and stop
 *
 * Other benches: `ensureLoadData(options)` reuses an up-to-date database (same options, same migrations) or builds
 * it; `populate(exec, options)` fills an already migrated database (tests run it on PGlite with a few hundred people).
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { z } from 'zod'
import { pgConfig } from '#app/db-adapters.server.ts'

/** Bump when the generated data changes shape, so that ensureLoadData rebuilds older databases. */
const GENERATOR_VERSION = 1

export const DEFAULT_LOAD_URL = 'postgresql://postgres@127.0.0.1:5432/vms_load'

const count = (name: string, min: number, max: number) =>
	z.coerce
		.number({ error: `--${name} phải là số nguyên (must be an integer)` })
		.int(`--${name} phải là số nguyên (must be an integer)`)
		.min(min, `--${name} phải từ ${min} đến ${max} (must be ${min}–${max})`)
		.max(max, `--${name} phải từ ${min} đến ${max} (must be ${min}–${max})`)

export const LoadOptionsSchema = z.object({
	url: z
		.string()
		.regex(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z_][A-Za-z0-9_]*$/, '--url phải là postgresql://…/<tên cơ sở dữ liệu> (a PostgreSQL URL naming a database)')
		.default(DEFAULT_LOAD_URL),
	staff: count('staff', 100, 1_000_000).default(100_000),
	units: count('units', 20, 20_000).default(1_500),
	courses: count('courses', 12, 100).default(30),
	/** The day the data is built around (due dates, issue dates, expiries are relative to it). */
	now: z.date().default(() => new Date()),
})
export type LoadOptions = z.input<typeof LoadOptionsSchema>
type Options = z.output<typeof LoadOptionsSchema>

export type LoadSummary = {
	url: string
	reused: boolean
	builtAt: string
	seconds: number
	provinceId: number
	counts: Record<'units' | 'users' | 'memberships' | 'courses' | 'versions' | 'assignments' | 'enrollments' | 'certificates', number>
}

/** A uniform number in [0, 1) from a key and a salt: reproducible, unlike random(), whatever the connection. */
const R = (key: string, salt: number) => `((hashtext((${key})::text || '#${salt}')::bigint + 2147483648)::float8 / 4294967296)`

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trương']
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Xuân', 'Hồng', 'Kim', 'Gia', 'Bảo']
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Hải', 'Hương', 'Lan', 'Linh', 'Mai', 'Nam', 'Phong', 'Quân', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vân', 'Yến', 'Hạnh', 'Khoa', 'Loan', 'Nhung', 'Phúc', 'Tâm', 'Việt']
const TOPICS = [
	'Quy tắc ứng xử trên mạng xã hội',
	'Bảo vệ bí mật nhà nước trên không gian mạng',
	'Nhận diện tin giả, tin sai sự thật',
	'Kỹ năng phát ngôn và cung cấp thông tin cho báo chí',
	'An toàn thông tin cá nhân',
	'Xử lý khủng hoảng truyền thông',
	'Quản lý trang thông tin của cơ quan',
	'Phòng chống lừa đảo trực tuyến',
	'Chữ ký số và dịch vụ công trực tuyến',
	'Văn hoá ứng xử của cán bộ, công chức',
]
const pick = (list: Array<string>, key: string, salt: number) => `(ARRAY[${list.map((s) => `'${s}'`).join(',')}])[1 + floor(${R(key, salt)} * ${list.length})::int]`

type Exec = (statement: string) => Promise<unknown>

/**
 * Fills an empty, migrated database. `exec` runs one statement, always on the same session (temporary tables
 * live there).
 */
export async function populate(exec: Exec, input: LoadOptions = {}) {
	const o: Options = LoadOptionsSchema.parse(input)
	const NOW = `'${o.now.toISOString()}'::timestamp(3)`
	const days = (expr: string) => `(${expr}) * interval '1 day'`
	const run = async (statement: string) => {
		await exec(statement)
	}

	// ——— units: the province, departments and communes (level 1), their divisions and offices (level 2) ———
	const departments = Math.max(2, Math.round(o.units / 37.5))
	const communes = Math.max(2, Math.round(o.units / 13.6))
	const rest = Math.max(0, o.units - 1 - departments - communes)
	const divisions = Math.round(rest * 0.42)
	const offices = rest - divisions
	await run(`CREATE TEMP TABLE lt_units (id int PRIMARY KEY, parent_id int, kind text, name text, code text, depth int, level1 int, weight float8, propensity float8)`)
	await run(`INSERT INTO lt_units VALUES (1, NULL, 'province', 'Tỉnh Thử Tải (dữ liệu giả lập)', 'LT', 0, NULL, 60, 0.8)`)
	await run(`INSERT INTO lt_units SELECT 1 + g, 1, 'department', 'Sở Thử Tải số ' || g, 'LT-S' || g, 1, 1 + g, 20 + 60 * ${R('g', 1)}, NULL FROM generate_series(1, ${departments}) g`)
	await run(`INSERT INTO lt_units SELECT 1 + ${departments} + g, 1, 'commune', 'Xã Thử Tải số ' || g, 'LT-X' || g, 1, 1 + ${departments} + g, 5 + 10 * ${R('g', 2)}, NULL FROM generate_series(1, ${communes}) g`)
	// Divisions of departments are where most staff sit, with a long tail of large ones.
	await run(`INSERT INTO lt_units SELECT 1 + ${departments + communes} + g, p.id, 'division', 'Phòng ' || (1 + (g - 1) / ${departments}) || ' – ' || p.name,
		p.code || '-P' || (1 + (g - 1) / ${departments}), 2, p.id, 15 + 150 * power(${R('g', 3)}, 3), NULL
		FROM generate_series(1, ${divisions}) g JOIN lt_units p ON p.id = 2 + (g - 1) % ${departments}`)
	await run(`INSERT INTO lt_units SELECT 1 + ${departments + communes + divisions} + g, p.id, 'division', 'Bộ phận ' || (1 + (g - 1) / ${communes}) || ' – ' || p.name,
		p.code || '-B' || (1 + (g - 1) / ${communes}), 2, p.id, 6 + 20 * ${R('g', 4)}, NULL
		FROM generate_series(1, ${offices}) g JOIN lt_units p ON p.id = 2 + ${departments} + (g - 1) % ${communes}`)
	// How keen each agency is: a few at 100 %, some far behind, most in between.
	await run(`UPDATE lt_units SET propensity = CASE WHEN ${R('id', 5)} < 0.08 THEN 1.0 WHEN ${R('id', 5)} < 0.24 THEN 0.08 + 0.25 * ${R('id', 6)} ELSE 0.45 + 0.5 * ${R('id', 6)} END WHERE depth = 1`)
	await run(`UPDATE lt_units u SET propensity = p.propensity FROM lt_units p WHERE u.depth = 2 AND p.id = u.level1`)
	await run(`UPDATE lt_units SET level1 = id WHERE depth = 0`)
	await run(`ALTER TABLE lt_units ADD COLUMN path text, ADD COLUMN staff int`)
	await run(`UPDATE lt_units SET path = CASE depth WHEN 0 THEN '/1/' WHEN 1 THEN '/1/' || id || '/' ELSE '/1/' || parent_id || '/' || id || '/' END`)
	await run(`UPDATE lt_units SET staff = floor(weight * ${o.staff} / (SELECT sum(weight) FROM lt_units))::int`)
	await run(`UPDATE lt_units SET staff = staff + (${o.staff} - (SELECT sum(staff) FROM lt_units)) WHERE id = 1`)
	await run(`INSERT INTO "OrgUnit" (id, tree, kind, code, name, "parentId", path, depth, "validFrom")
		SELECT id, 'GOV'::"OrgTree", kind::"OrgKind", code, name, parent_id, path, depth, ${NOW} - interval '3 years' FROM lt_units`)
	await run(`SELECT setval(pg_get_serial_sequence('"OrgUnit"', 'id'), (SELECT max(id) FROM "OrgUnit"))`)

	// ——— people and their posts ———
	await run(`CREATE TEMP TABLE lt_people AS
		SELECT row_number() OVER (ORDER BY u.id, g)::int AS i, u.id AS unit_id FROM lt_units u CROSS JOIN LATERAL generate_series(1, u.staff) g`)
	await run(`ALTER TABLE lt_people ADD PRIMARY KEY (i)`)
	await run(`INSERT INTO "User" (id, "fullName", username, kind, status, "createdAt", "updatedAt")
		SELECT 'lt-u' || i, ${pick(SURNAMES, 'i', 7)} || ' ' || ${pick(MIDDLE, 'i', 8)} || ' ' || ${pick(GIVEN, 'i', 9)}, 'thutai' || i, 'STAFF'::"UserKind",
			(CASE WHEN ${R('i', 20)} < 0.01 THEN 'DISABLED' WHEN ${R('i', 10)} < 0.15 THEN 'PENDING' ELSE 'ACTIVE' END)::"UserStatus", ${NOW} - interval '3 years', ${NOW}
		FROM lt_people`)
	// Primary post: 4 % moved here from another unit (their old post ended on the move), 1 % have left.
	await run(`INSERT INTO "Membership" (id, "userId", "orgUnitId", title, tags, "countsInTarget", "validFrom", "validTo")
		SELECT 'lt-m' || i, 'lt-u' || i, unit_id, 'Chuyên viên',
			array_remove(ARRAY[CASE WHEN ${R('i', 11)} < 0.12 THEN 'social-media' END, CASE WHEN ${R('i', 12)} < 0.03 THEN 'spokesperson' END, CASE WHEN ${R('i', 13)} < 0.08 THEN 'leader' END], NULL),
			${R('i', 14)} >= 0.04,
			CASE WHEN ${R('i', 17)} < 0.04 THEN ${NOW} - ${days(`10 + ${R('i', 19)} * 300`)}
				WHEN ${R('i', 20)} < 0.01 THEN ${NOW} - ${days(`400 + ${R('i', 21)} * 1500`)}
				ELSE ${NOW} - ${days(`30 + ${R('i', 22)} * 2500`)} END,
			CASE WHEN ${R('i', 20)} < 0.01 AND ${R('i', 17)} >= 0.04 THEN ${NOW} - ${days(`${R('i', 23)} * 300`)} END
		FROM lt_people`)
	await run(`INSERT INTO "Membership" (id, "userId", "orgUnitId", title, tags, "countsInTarget", "validFrom", "validTo")
		SELECT 'lt-m' || i || '-old', 'lt-u' || i, 1 + floor(${R('i', 18)} * ${o.units})::int, 'Chuyên viên', '{}', true,
			m."validFrom" - ${days(`100 + ${R('i', 24)} * 1500`)}, m."validFrom"
		FROM lt_people JOIN "Membership" m ON m.id = 'lt-m' || i
		WHERE ${R('i', 17)} < 0.04 AND 1 + floor(${R('i', 18)} * ${o.units})::int <> unit_id`)
	// 3 % hold a second post (kiêm nhiệm) somewhere else.
	await run(`INSERT INTO "Membership" (id, "userId", "orgUnitId", title, tags, "countsInTarget", "validFrom", "validTo")
		SELECT 'lt-m' || i || '-2', 'lt-u' || i, 1 + floor(${R('i', 16)} * ${o.units})::int, 'Kiêm nhiệm', '{}', true, ${NOW} - ${days(`${R('i', 25)} * 1000`)}, NULL
		FROM lt_people WHERE ${R('i', 15)} < 0.03 AND 1 + floor(${R('i', 16)} * ${o.units})::int <> unit_id`)

	// ——— courses and versions ———
	// Every fourth course from the third has a second version, published two to four months ago; every other one
	// of those requires recertification.
	await run(`CREATE TEMP TABLE lt_courses AS
		SELECT k, 'lt-c' || lpad(k::text, 3, '0') AS id, 'thu-tai-' || lpad(k::text, 2, '0') AS slug,
			${pick(TOPICS, 'k', 30)} || ' (thử tải ' || k || ')' AS title,
			CASE k % 3 WHEN 0 THEN 12 WHEN 1 THEN 24 END AS validity,
			k % 4 = 3 AS has_v2, k % 8 = 3 AS recert,
			${NOW} - ${days(`60 + (k * 7) % 60`)} AS v2_published
		FROM generate_series(1, ${o.courses}) k`)
	await run(`INSERT INTO "Course" (id, slug, "createdAt") SELECT id, slug, ${NOW} - interval '2 years' FROM lt_courses`)
	await run(`INSERT INTO "CourseVersion" (id, "courseId", version, "contentHash", title, "publishedAt", "passMark", "validityMonths", "supersedesId", "requiresRecertification")
		SELECT id || '-v1', id, 1, md5(id || '1'), title, ${NOW} - interval '720 days', 80, validity, NULL, false FROM lt_courses
		UNION ALL
		SELECT id || '-v2', id, 2, md5(id || '2'), title, v2_published, 80, validity, id || '-v1', recert FROM lt_courses WHERE has_v2`)

	// ——— assignments ———
	// Courses 1–6 to everyone (due from 200 days ago to 90 days ahead), 7–10 by audience tag, the rest to about
	// 15 % of agencies each; course 11 also had a province-wide assignment, closed 100 days ago.
	await run(`INSERT INTO "Assignment" (id, "courseId", "orgUnitId", "audienceTag", "dueAt", "createdById", "createdAt", "closedAt")
		SELECT 'lt-a' || k, id, 1, NULL, ${NOW} + ${days(`(ARRAY[-200, -120, -60, -10, 30, 90])[k]`)}, 'lt-admin', ${NOW} + ${days(`(ARRAY[-200, -120, -60, -10, 30, 90])[k] - 180`)}, NULL::timestamp(3)
		FROM lt_courses WHERE k <= 6
		UNION ALL
		SELECT 'lt-a' || k, id, 1, (ARRAY['social-media', 'spokesperson', 'leader', 'social-media'])[k - 6], ${NOW} + ${days(`(ARRAY[-90, -30, 20, 60])[k - 6]`)}, 'lt-admin',
			${NOW} + ${days(`(ARRAY[-90, -30, 20, 60])[k - 6] - 150`)}, NULL
		FROM lt_courses WHERE k BETWEEN 7 AND 10
		UNION ALL
		SELECT 'lt-a' || c.k || '-' || u.id, c.id, u.id, NULL, ${NOW} + ${days(`-150 + 300 * ${R(`c.k * 100000 + u.id`, 31)}`)}, 'lt-admin',
			${NOW} + ${days(`-330 + 300 * ${R(`c.k * 100000 + u.id`, 31)}`)}, NULL
		FROM lt_courses c JOIN lt_units u ON u.depth = 1 AND ${R(`c.k * 100000 + u.id`, 32)} < 0.15
		WHERE c.k > 10
		UNION ALL
		SELECT 'lt-a' || k || '-closed', id, 1, NULL, ${NOW} - interval '160 days', 'lt-admin', ${NOW} - interval '300 days', ${NOW} - interval '100 days'
		FROM lt_courses WHERE k = 11`)

	// ——— who was ever required what, and what they did about it ———
	await run(`CREATE TEMP TABLE lt_pairs AS
		SELECT m."userId" AS user_id, a."courseId" AS course_id, min(m."orgUnitId") AS unit_id, min(a."dueAt") AS due_at
		FROM "Membership" m
		JOIN "OrgUnit" o ON o.id = m."orgUnitId"
		CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM o.path), '/')::int[]) AS anc(id)
		JOIN "Assignment" a ON a."orgUnitId" = anc.id AND (a."audienceTag" IS NULL OR a."audienceTag" = ANY (m.tags))
		GROUP BY 1, 2`)
	await run(`CREATE TEMP TABLE lt_outcomes AS
		SELECT p.*, c.k, c.validity, c.has_v2, c.recert, c.v2_published, u.propensity,
			${R(`p.user_id || p.course_id`, 40)} AS r,
			CASE WHEN u.propensity >= 1 THEN 1.0 WHEN p.due_at > ${NOW} THEN u.propensity * 0.7 ELSE u.propensity END AS chance,
			-- Exemplary agencies finished recently enough for nothing to have expired; elsewhere issue dates lean recent.
			${NOW} - ${days(`CASE WHEN u.propensity >= 1 THEN 300 * ${R(`p.user_id || p.course_id`, 41)} ELSE 500 * power(${R(`p.user_id || p.course_id`, 41)}, 1.5) END`)} AS issued_at
		FROM lt_pairs p JOIN lt_courses c ON c.id = p.course_id JOIN lt_units u ON u.id = p.unit_id`)
	await run(`CREATE TEMP SEQUENCE lt_serial`)
	await run(`CREATE TEMP TABLE lt_done AS
		SELECT o.user_id, o.course_id, o.unit_id, o.issued_at, o.validity, o.propensity,
			o.course_id || CASE WHEN o.has_v2 AND o.issued_at >= o.v2_published THEN '-v2' ELSE '-v1' END AS version_id,
			CASE WHEN o.propensity < 1 AND ${R(`o.user_id || o.course_id`, 42)} < 0.004 THEN o.issued_at + (${NOW} - o.issued_at) * ${R(`o.user_id || o.course_id`, 43)} END AS revoked_at,
			-- Holders of a superseded version who took the new one (all of them in exemplary agencies).
			o.recert AND o.issued_at < o.v2_published AND (o.propensity >= 1 OR ${R(`o.user_id || o.course_id`, 44)} < 0.4) AS renewed,
			o.v2_published + (${NOW} - o.v2_published) * ${R(`o.user_id || o.course_id`, 45)} AS renewed_at
		FROM lt_outcomes o WHERE o.r < o.chance`)
	await run(`INSERT INTO "Enrollment" (id, "userId", "courseVersionId", status, source, "startedAt", "lastActivityAt", "completedAt")
		SELECT 'lt-e' || nextval('lt_serial'), user_id, version_id, 'COMPLETED'::"EnrollmentStatus", 'ONLINE'::"CompletionSource", issued_at - ${days(`1 + 20 * ${R(`user_id || course_id`, 46)}`)}, issued_at, issued_at FROM lt_done
		UNION ALL
		SELECT 'lt-e' || nextval('lt_serial'), user_id, course_id || '-v2', 'COMPLETED'::"EnrollmentStatus", 'ONLINE'::"CompletionSource", renewed_at - interval '2 days', renewed_at, renewed_at FROM lt_done WHERE renewed`)
	await run(`INSERT INTO "Certificate" (id, serial, "userId", "courseVersionId", "holderName", "orgUnitId", "orgName", "courseTitle", source, "issuedAt", "expiresAt", "revokedAt", "revokeReason")
		SELECT 'lt-cert' || n, 'LT-' || lpad(n::text, 9, '0'), d.user_id, d.version_id, usr."fullName", d.unit_id, u.name, v.title, 'ONLINE'::"CompletionSource", d.issued_at,
			CASE WHEN d.validity IS NOT NULL THEN d.issued_at + make_interval(months => d.validity) END, d.revoked_at,
			CASE WHEN d.revoked_at IS NOT NULL THEN 'Dữ liệu thử tải: thu hồi' END
		FROM (SELECT *, nextval('lt_serial') AS n FROM lt_done) d
		JOIN "User" usr ON usr.id = d.user_id JOIN lt_units u ON u.id = d.unit_id JOIN "CourseVersion" v ON v.id = d.version_id
		UNION ALL
		SELECT 'lt-cert' || n, 'LT-' || lpad(n::text, 9, '0'), d.user_id, d.course_id || '-v2', usr."fullName", d.unit_id, u.name, v.title, 'ONLINE'::"CompletionSource", d.renewed_at,
			CASE WHEN d.validity IS NOT NULL THEN d.renewed_at + make_interval(months => d.validity) END, NULL, NULL
		FROM (SELECT *, nextval('lt_serial') AS n FROM lt_done WHERE renewed) d
		JOIN "User" usr ON usr.id = d.user_id JOIN lt_units u ON u.id = d.unit_id JOIN "CourseVersion" v ON v.id = d.course_id || '-v2'`)
	// Started and not finished: on the course's current version.
	await run(`INSERT INTO "Enrollment" (id, "userId", "courseVersionId", status, source, "startedAt", "lastActivityAt", "completedAt")
		SELECT 'lt-e' || nextval('lt_serial'), o.user_id, o.course_id || CASE WHEN o.has_v2 THEN '-v2' ELSE '-v1' END, 'IN_PROGRESS'::"EnrollmentStatus", 'ONLINE'::"CompletionSource",
			${NOW} - ${days(`1 + 120 * ${R(`o.user_id || o.course_id`, 47)}`)}, ${NOW} - ${days(`120 * ${R(`o.user_id || o.course_id`, 47)} * ${R(`o.user_id || o.course_id`, 48)}`)}, NULL
		FROM lt_outcomes o WHERE o.r >= o.chance AND o.r < o.chance + 0.15
		ON CONFLICT DO NOTHING`)
	// Courses taken without being required (they must never count).
	await run(`INSERT INTO "Enrollment" (id, "userId", "courseVersionId", status, source, "startedAt", "lastActivityAt", "completedAt")
		SELECT 'lt-e' || nextval('lt_serial'), 'lt-u' || i, 'lt-c' || lpad((1 + floor(${R('i', 50)} * ${o.courses}))::int::text, 3, '0') || '-v1', 'IN_PROGRESS'::"EnrollmentStatus", 'ONLINE'::"CompletionSource",
			${NOW} - ${days(`1 + 200 * ${R('i', 51)}`)}, ${NOW} - ${days(`${R('i', 51)} * 100`)}, NULL
		FROM lt_people WHERE ${R('i', 49)} < 0.5
		ON CONFLICT DO NOTHING`)
	for (const table of ['lt_done', 'lt_outcomes', 'lt_pairs', 'lt_people', 'lt_courses', 'lt_units']) await run(`DROP TABLE ${table}`)
	await run(`DROP SEQUENCE lt_serial`)
	// Fresh statistics, or the first queries plan for empty tables; and the visibility map a long-lived database
	// would have from autovacuum, without which index-only scans still read the table.
	await run(`VACUUM (ANALYZE)`)
}

function migrationFiles() {
	const dir = 'prisma/migrations'
	return readdirSync(dir)
		.filter((d) => /^\d/.test(d))
		.sort()
		.map((d) => readFileSync(path.join(dir, d, 'migration.sql'), 'utf8'))
}

function marker(o: Options) {
	const migrations = createHash('sha256').update(migrationFiles().join('\n')).digest('hex').slice(0, 12)
	return `vms-load-data v${GENERATOR_VERSION} staff=${o.staff} units=${o.units} courses=${o.courses} migrations=${migrations}`
}

function split(url: string) {
	const u = new URL(url)
	const name = decodeURIComponent(u.pathname.slice(1))
	u.pathname = '/postgres'
	return { name, admin: u.toString() }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>) {
	const client = new pg.Client(pgConfig(url))
	await client.connect()
	try {
		return await fn(client)
	} finally {
		await client.end()
	}
}

export async function dropLoadData(url = DEFAULT_LOAD_URL) {
	const { name, admin } = split(LoadOptionsSchema.shape.url.parse(url))
	await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
}

async function summarize(url: string, reused: boolean, builtAt: string, seconds: number): Promise<LoadSummary> {
	return withClient(url, async (c) => {
		const { rows } = await c.query<Record<string, number>>(`SELECT
			(SELECT count(*) FROM "OrgUnit")::int AS units, (SELECT count(*) FROM "User")::int AS users,
			(SELECT count(*) FROM "Membership")::int AS memberships, (SELECT count(*) FROM "Course")::int AS courses,
			(SELECT count(*) FROM "CourseVersion")::int AS versions, (SELECT count(*) FROM "Assignment")::int AS assignments,
			(SELECT count(*) FROM "Enrollment")::int AS enrollments, (SELECT count(*) FROM "Certificate")::int AS certificates`)
		const counts = rows[0] as LoadSummary['counts']
		return { url, reused, builtAt, seconds, provinceId: 1, counts }
	})
}

/**
 * The load database for `options`: reused when it was built by this generator version with the same sizes and the
 * same migrations (the database comment records them), rebuilt otherwise or when `replace` is set.
 */
export async function ensureLoadData(input: LoadOptions & { replace?: boolean; log?: (line: string) => void } = {}): Promise<LoadSummary> {
	const o = LoadOptionsSchema.parse(input)
	const log = input.log ?? (() => {})
	const { name, admin } = split(o.url)
	const want = marker(o)
	const existing = await withClient(admin, async (c) => {
		const { rows } = await c.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [name])
		return rows[0]
	})
	if (existing && !input.replace && existing.comment?.startsWith(`${want} built=`)) {
		log(`Dùng lại ${name} (${existing.comment}).`)
		return summarize(o.url, true, existing.comment.split('built=')[1] ?? '', 0)
	}
	const started = performance.now()
	await withClient(admin, async (c) => {
		await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
		await c.query(`CREATE DATABASE "${name}"`)
	})
	await withClient(o.url, async (c) => {
		for (const migration of migrationFiles()) await c.query(migration)
		log(`Migrations applied to ${name}; generating ${o.staff.toLocaleString('en')} staff in ~${o.units.toLocaleString('en')} units…`)
		await populate((statement) => c.query(statement), o)
	})
	const builtAt = o.now.toISOString()
	// Written last: a build that failed half-way is never mistaken for a finished one.
	await withClient(admin, (c) => c.query(`COMMENT ON DATABASE "${name}" IS '${want} built=${builtAt}'`))
	return summarize(o.url, false, builtAt, Math.round((performance.now() - started) / 100) / 10)
}

async function main() {
	const { values } = parseArgs({
		options: {
			url: { type: 'string' },
			staff: { type: 'string' },
			units: { type: 'string' },
			courses: { type: 'string' },
			replace: { type: 'boolean', default: false },
			drop: { type: 'boolean', default: false },
		},
	})
	const parsed = LoadOptionsSchema.safeParse({ url: values.url, staff: values.staff, units: values.units, courses: values.courses })
	if (!parsed.success) {
		for (const issue of parsed.error.issues) console.error(issue.message)
		console.error('usage: npm run gen:load-data -- [--url postgresql://…/vms_load] [--staff 100000] [--units 1500] [--courses 30] [--replace | --drop]')
		process.exit(1)
	}
	if (values.drop) {
		await dropLoadData(parsed.data.url)
		console.log(`Đã xoá ${parsed.data.url} (dropped).`)
		return
	}
	const summary = await ensureLoadData({ ...parsed.data, replace: values.replace, log: (line) => console.log(line) })
	console.log(`${summary.reused ? 'Reused' : `Built in ${summary.seconds} s`}: ${summary.url}`)
	for (const [k, v] of Object.entries(summary.counts)) console.log(`  ${k.padEnd(13)} ${v.toLocaleString('en')}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	await main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error)
		process.exit(1)
	})
}

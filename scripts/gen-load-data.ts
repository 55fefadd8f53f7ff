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
 *   npm run gen:load-data -- --integrity                   also learning traces with injected proxy completion (issue 22)
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
/** The same for the traces of --integrity (only databases built with them are rebuilt). */
const INTEGRITY_VERSION = 2

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
	/** Learning traces of the last TRACE_DAYS days with injected proxy completion (issue 22; bench:integrity). */
	integrity: z.boolean().default(false),
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
	if (o.integrity) await injectIntegrityPatterns(exec, o.now)
	// Fresh statistics, or the first queries plan for empty tables; and the visibility map a long-lived database
	// would have from autovacuum, without which index-only scans still read the table.
	await run(`VACUUM (ANALYZE)`)
}

// ——— issue 22: learning traces, with injected proxy completion ("học hộ") and honest look-alikes ———

/** Days before `now` whose completions get traces (the scan's first run reads them all). */
export const TRACE_DAYS = 30
/** Questions in each generated course's bank, and drawn per attempt. */
const BANK = 15
const DRAWN = 10
const LESSONS = 5

/**
 * Traces for every ONLINE completion of the last TRACE_DAYS days, and what the signals of issue 22 look for, with
 * the truth kept in two tables of the load database (never in the app's schema): load_integrity_truth (one row per
 * traced completion: 'proxy' with the helper's style, or the honest kind) and load_quiz_key (the generated answer
 * key, the content the bench passes to the scan).
 *
 * Injected: in about 2.5 % of units, 15 % of the people have their courses done by a helper of the unit (six
 * accounts a helper; a unit's clerk takes all of them, up to 15), in one sitting per helper on the helper's browser,
 * from a cheat sheet with its own wrong answers. Helpers differ by unit: 'fast' (an account every 12 minutes, lessons
 * clicked through, quiz in seconds, evenings; half of them late in the evening two days before a due date),
 * 'careful' (every 35 minutes, lessons half read, 70 % from the sheet), 'mass' (the clerk: an account a minute during
 * office hours). Honest noise: everyone at the office behind the agency's one NAT address; 8 % share an office PC with one
 * colleague; 3 % read fast (a third of the reading time, 5–9 s a question); 5 % of honest lessons are skipped
 * through (already known); 3 % of honest completions late in the evening; in 1 % of units a collective session
 * where everyone finishes one course within minutes, each on their own PC. Office hours are given to the traced
 * completions (the base data spreads them over the whole day).
 */
export async function injectIntegrityPatterns(exec: Exec, now: Date) {
	const NOW = `'${now.toISOString()}'::timestamp(3)`
	const run = async (statement: string) => {
		await exec(statement)
	}
	const secs = (expr: string) => `((${expr}) * interval '1 second')`
	await run(`DROP TABLE IF EXISTS load_quiz_key, load_integrity_truth`)
	await run(`CREATE TABLE load_quiz_key AS
		SELECT c.slug, 'q' || lpad(n::text, 2, '0') AS question, floor(${R(`c.slug || n`, 60)} * 4)::int AS correct
		FROM "Course" c CROSS JOIN generate_series(1, ${BANK}) n`)
	await run(`CREATE TEMP TABLE li_done AS
		SELECT e.id AS enrollment_id, e."userId" AS user_id, substr(e."userId", 5)::int AS i, e."courseVersionId" AS version_id, v."courseId" AS course_id,
			c.slug, e."completedAt" AS old_at, e."completedAt" AS at, cert.id AS cert_id, cert."orgUnitId" AS unit_id,
			(string_to_array(trim(BOTH '/' FROM o.path), '/')::int[])[least(2, o.depth + 1)] AS agency,
			'honest'::text AS kind, NULL::text AS helper, NULL::text AS style
		FROM "Enrollment" e JOIN "CourseVersion" v ON v.id = e."courseVersionId" JOIN "Course" c ON c.id = v."courseId"
		JOIN "Certificate" cert ON cert."userId" = e."userId" AND cert."courseVersionId" = e."courseVersionId" AND cert."issuedAt" = e."completedAt"
		JOIN "OrgUnit" o ON o.id = cert."orgUnitId"
		WHERE e.status = 'COMPLETED' AND e.source = 'ONLINE' AND e."completedAt" > ${NOW} - interval '${TRACE_DAYS} days' AND e."userId" LIKE 'lt-u%'`)
	await run(`ALTER TABLE li_done ADD PRIMARY KEY (enrollment_id)`)
	// Office hours in Vietnam (UTC+7) for honest completions: 80 % 07:30–17:30, 17 % 19:00–22:00, 3 % 22:00–23:30.
	await run(`UPDATE li_done SET at = date_trunc('day', old_at + interval '7 hours') - interval '7 hours' + ${secs(`3600 * CASE
			WHEN ${R('enrollment_id', 62)} < 0.80 THEN 7.5 + 10 * ${R('enrollment_id', 63)}
			WHEN ${R('enrollment_id', 62)} < 0.97 THEN 19 + 3 * ${R('enrollment_id', 63)}
			ELSE 22 + 1.5 * ${R('enrollment_id', 63)} END`)}`)
	await run(`UPDATE li_done SET at = at - interval '1 day' WHERE at > ${NOW} - interval '10 minutes'`)
	// Proxies: in 2.5 % of units, 15 % of the people; six accounts per helper of the unit, or all of them (up to 15)
	// for a unit whose clerk clicks through everyone's courses ('mass').
	await run(`UPDATE li_done d SET kind = 'proxy', helper = h.helper, style = h.style FROM (
			SELECT user_id, unit_id, style, unit_id || '-' || ((dense_rank() OVER (PARTITION BY unit_id ORDER BY user_id) - 1) / CASE style WHEN 'mass' THEN 15 ELSE 6 END) AS helper
			FROM (
				SELECT DISTINCT user_id, unit_id, CASE WHEN ${R('unit_id', 95)} < 0.45 THEN 'fast' WHEN ${R('unit_id', 95)} < 0.8 THEN 'careful' ELSE 'mass' END AS style
				FROM li_done WHERE ${R('unit_id', 90)} < 0.025 AND ${R('user_id', 91)} < 0.15
			) p
		) h WHERE d.user_id = h.user_id AND d.unit_id = h.unit_id`)
	// One sitting per helper, on a day of the accounts' completions, accounts in course order, one every `gap`; half
	// of the 'fast' helpers catch up late in the evening two days before a due date of one of those courses.
	await run(`WITH ordered AS (
			SELECT enrollment_id, helper, style, unit_id, course_id, row_number() OVER (PARTITION BY helper ORDER BY course_id, user_id) - 1 AS k,
				min(old_at) OVER (PARTITION BY helper) AS first_at
			FROM li_done WHERE kind = 'proxy'
		), deadline AS (
			SELECT DISTINCT ON (o.helper) o.helper, a."dueAt" AS due
			FROM ordered o JOIN "OrgUnit" u ON u.id = o.unit_id
			JOIN "Assignment" a ON a."courseId" = o.course_id AND a."orgUnitId" = ANY (string_to_array(trim(BOTH '/' FROM u.path), '/')::int[])
			WHERE o.style = 'fast' AND ${R('o.helper', 98)} < 0.5 AND a."closedAt" IS NULL
				AND a."dueAt" > ${NOW} - interval '${TRACE_DAYS - 3} days' AND a."dueAt" < ${NOW}
			ORDER BY o.helper, a."dueAt"
		), timed AS (
			SELECT o.enrollment_id, CASE WHEN dl.due IS NOT NULL
					THEN date_trunc('day', dl.due + interval '7 hours') - interval '7 hours' - interval '2 days' + interval '22 hours 30 minutes'
					ELSE date_trunc('day', o.first_at + interval '7 hours') - interval '7 hours'
						+ ${secs(`3600 * CASE o.style WHEN 'fast' THEN 20 + 3 * ${R('o.helper', 96)} WHEN 'careful' THEN 19 + 2 * ${R('o.helper', 96)} ELSE 9 + 5 * ${R('o.helper', 96)} END`)} END
				+ ${secs(`o.k * CASE o.style WHEN 'fast' THEN 720 WHEN 'careful' THEN 2100 ELSE 55 END`)} AS at
			FROM ordered o LEFT JOIN deadline dl ON dl.helper = o.helper
		)
		UPDATE li_done d SET at = t.at - CASE WHEN t.at > ${NOW} - interval '1 hour' THEN interval '3 days' ELSE interval '0' END FROM timed t WHERE t.enrollment_id = d.enrollment_id`)
	// A collective session in 1 % of units: everyone who finished the unit's most finished course, from 09:00, each
	// on their own PC, a minute or less apart.
	await run(`WITH unit_course AS (
			SELECT DISTINCT ON (unit_id) unit_id, course_id, count(*) AS n FROM li_done
			WHERE kind = 'honest' AND ${R('unit_id', 94)} < 0.01 GROUP BY unit_id, course_id ORDER BY unit_id, count(*) DESC, course_id
		), members AS (
			SELECT d.enrollment_id, d.unit_id, row_number() OVER (PARTITION BY d.unit_id ORDER BY d.user_id) - 1 AS k, min(d.old_at) OVER (PARTITION BY d.unit_id) AS first_at
			FROM li_done d JOIN unit_course u ON u.unit_id = d.unit_id AND u.course_id = d.course_id AND u.n >= 10 WHERE d.kind = 'honest'
		)
		UPDATE li_done d SET kind = 'collective',
			at = date_trunc('day', m.first_at + interval '7 hours') - interval '7 hours' + interval '9 hours' + ${secs(`m.k * 40 + 20 * ${R('m.enrollment_id', 64)}`)}
		FROM members m WHERE m.enrollment_id = d.enrollment_id`)
	await run(`UPDATE li_done SET kind = 'shared-pc' WHERE kind = 'honest' AND ${R('i / 2', 92)} < 0.08`)
	await run(`UPDATE li_done SET kind = 'fast-reader' WHERE kind = 'honest' AND ${R('user_id', 93)} < 0.03`)
	// Completion times are unique per unit in the base data only by chance; keep them apart from each other by ms.
	await run(`UPDATE "Enrollment" e SET "completedAt" = d.at, "lastActivityAt" = d.at FROM li_done d WHERE e.id = d.enrollment_id AND d.at <> d.old_at`)
	await run(`UPDATE "Certificate" c SET "issuedAt" = d.at, "expiresAt" = c."expiresAt" + (d.at - d.old_at) FROM li_done d WHERE c.id = d.cert_id AND d.at <> d.old_at`)

	// How each completion was done: browser, network, reading speed, quiz speed.
	await run(`CREATE TEMP TABLE li_how AS
		SELECT d.*,
			CASE WHEN d.kind = 'proxy' THEN md5('dev-h' || d.helper) WHEN d.kind = 'shared-pc' THEN md5('pc-' || (d.i / 2)) ELSE md5('dev-' || d.user_id) END AS device,
			CASE WHEN d.kind = 'proxy' AND (d.style = 'mass' OR ${R('d.helper', 97)} < 0.5) THEN md5('nat-' || d.agency)
				WHEN d.kind = 'proxy' THEN md5('home-h' || d.helper)
				WHEN extract(hour FROM d.at + interval '7 hours') BETWEEN 7 AND 17 THEN md5('nat-' || d.agency)
				ELSE md5('home-' || d.user_id) END AS network,
			CASE WHEN d.kind = 'proxy' THEN CASE d.style WHEN 'fast' THEN 0.04 + 0.15 * ${R('d.enrollment_id', 70)} WHEN 'mass' THEN 0.02 + 0.05 * ${R('d.enrollment_id', 70)} ELSE 0.3 + 0.4 * ${R('d.enrollment_id', 70)} END
				WHEN d.kind = 'fast-reader' THEN 0.3 + 0.2 * ${R('d.enrollment_id', 70)}
				ELSE 0.55 + 1.2 * ${R('d.enrollment_id', 70)} END AS pace,
			${DRAWN} * CASE WHEN d.kind = 'proxy' THEN CASE d.style WHEN 'fast' THEN 1.5 + 2 * ${R('d.enrollment_id', 71)} WHEN 'mass' THEN 1 + 1.5 * ${R('d.enrollment_id', 71)} ELSE 6 + 6 * ${R('d.enrollment_id', 71)} END
				WHEN d.kind = 'fast-reader' THEN 5 + 4 * ${R('d.enrollment_id', 71)}
				ELSE 12 + 40 * ${R('d.enrollment_id', 71)} END AS quiz_seconds,
			d.kind = 'proxy' AND (d.style <> 'careful' OR ${R('d.enrollment_id', 72)} < 0.7) AS from_sheet
		FROM li_done d`)
	await run(`CREATE TEMP TABLE li_lessons AS
		SELECT h.enrollment_id, l,
			400 + floor(${R(`h.slug || '/' || l`, 61)} * 1100)::int AS words,
			-- Honest people skip through a lesson they already know now and then (one lesson, not half the course).
			greatest(2, round((400 + floor(${R(`h.slug || '/' || l`, 61)} * 1100)) / 200.0 * 60
				* CASE WHEN h.kind NOT IN ('proxy', 'fast-reader') AND ${R(`h.enrollment_id || l`, 73)} < 0.05 THEN 0.1 ELSE h.pace * (0.85 + 0.3 * ${R(`h.enrollment_id || l`, 74)}) END))::int AS seconds
		FROM li_how h CROSS JOIN generate_series(1, ${LESSONS}) l`)
	await run(`CREATE TEMP TABLE li_total AS SELECT enrollment_id, sum(seconds + 20)::int AS lesson_seconds FROM li_lessons GROUP BY 1`)
	await run(`INSERT INTO "LearningTrace" ("userId", kind, at, "deviceHash", "networkHash")
		SELECT h.user_id, 'LOGIN', h.at - ${secs('h.quiz_seconds + t.lesson_seconds + 60')}, h.device, h.network
		FROM li_how h JOIN li_total t USING (enrollment_id)`)
	await run(`INSERT INTO "LearningTrace" ("userId", kind, at, "deviceHash", "networkHash", "enrollmentId", "courseVersionId", "lessonSlug", seconds, size)
		SELECT h.user_id, 'LESSON_DONE', h.at - ${secs('h.quiz_seconds + l.after')}, h.device, h.network, h.enrollment_id, h.version_id, 'bai-' || l.l, l.seconds, l.words
		FROM li_how h JOIN (
			-- The lessons after this one, read before the quiz.
			SELECT *, coalesce(sum(seconds + 20) OVER (PARTITION BY enrollment_id ORDER BY l DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS after FROM li_lessons
		) l USING (enrollment_id)`)
	// The attempt: 10 of the 15 questions; from the helper's sheet (its wrong answers are the helper's, the same for
	// every account), or the person's own answers (right 90 % of the time).
	await run(`CREATE TEMP TABLE li_answers AS
		SELECT h.enrollment_id, k.question,
			CASE WHEN h.from_sheet THEN CASE WHEN ${R(`h.helper || h.course_id || k.question`, 75)} < 0.25 THEN (k.correct + 1 + floor(${R(`h.helper || h.course_id || k.question`, 76)} * 3)::int) % 4 ELSE k.correct END
				WHEN ${R(`h.enrollment_id || k.question`, 77)} < 0.9 THEN k.correct
				ELSE (k.correct + 1 + floor(${R(`h.enrollment_id || k.question`, 78)} * 3)::int) % 4 END AS choice,
			k.correct
		FROM li_how h
		CROSS JOIN LATERAL (
			SELECT array_agg(x.n) AS drawn FROM (SELECT n FROM generate_series(1, ${BANK}) n ORDER BY ${R(`h.enrollment_id || n`, 79)} LIMIT ${DRAWN}) x
		) draw
		JOIN (SELECT slug, question, correct, row_number() OVER (PARTITION BY slug ORDER BY question) AS n FROM load_quiz_key) k
			ON k.slug = h.slug AND k.n = ANY (draw.drawn)`)
	await run(`INSERT INTO "QuizAttempt" (id, "enrollmentId", "questionIds", "choiceOrder", answers, score, passed, "startedAt", "submittedAt", "idempotencyKey")
		SELECT 'lt-qa-' || h.enrollment_id, h.enrollment_id, a.questions, '{}'::jsonb, a.answers, a.score, true, h.at - ${secs('h.quiz_seconds')}, h.at, 'lt-qa-' || h.enrollment_id
		FROM li_how h JOIN (
			SELECT enrollment_id, array_agg(question ORDER BY question) AS questions, jsonb_object_agg(question, choice) AS answers,
				round(100.0 * count(*) FILTER (WHERE choice = correct) / count(*))::int AS score
			FROM li_answers GROUP BY 1
		) a USING (enrollment_id)`)
	await run(`INSERT INTO "LearningTrace" ("userId", kind, at, "deviceHash", "networkHash", "enrollmentId", "courseVersionId", "quizAttemptId", seconds, size)
		SELECT h.user_id, 'QUIZ_SUBMIT', h.at, h.device, h.network, h.enrollment_id, h.version_id, 'lt-qa-' || h.enrollment_id, round(h.quiz_seconds)::int, ${DRAWN}
		FROM li_how h`)
	await run(`CREATE TABLE load_integrity_truth AS SELECT enrollment_id, at AS completed_at, kind, style, helper FROM li_done`)
	await run(`ALTER TABLE load_integrity_truth ADD PRIMARY KEY (enrollment_id)`)
	for (const table of ['li_answers', 'li_total', 'li_lessons', 'li_how', 'li_done']) await run(`DROP TABLE ${table}`)
	await run(`VACUUM (ANALYZE) "LearningTrace", "QuizAttempt", "Enrollment", "Certificate"`)
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
	return `vms-load-data v${GENERATOR_VERSION} staff=${o.staff} units=${o.units} courses=${o.courses}${o.integrity ? ` integrity-v${INTEGRITY_VERSION}` : ''} migrations=${migrations}`
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
			integrity: { type: 'boolean', default: false },
		},
	})
	const parsed = LoadOptionsSchema.safeParse({ url: values.url, staff: values.staff, units: values.units, courses: values.courses, integrity: values.integrity })
	if (!parsed.success) {
		for (const issue of parsed.error.issues) console.error(issue.message)
		console.error('usage: npm run gen:load-data -- [--url postgresql://…/vms_load] [--staff 100000] [--units 1500] [--courses 30] [--integrity] [--replace | --drop]')
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

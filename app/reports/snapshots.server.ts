// Month-end snapshots: the completion rule as of a month's last instant in Vietnam, frozen per unit and course so
// that the six-monthly and annual reports, once sent, can be produced again with the same numbers. A month is taken
// once, whole, in one transaction; the database refuses to change its rows afterwards (trigger in the migration).
import { z } from 'zod'
import { checkRows, db } from '#app/db.server.ts'
import { compareVi } from '#app/ui/collation.ts'
import { courseTitles, type CourseRow, rankRows, REFRESH_SETTINGS, toRef, UNIT_SELECT, type UnitRef, type UnitRow } from './completion.server.ts'
import { EVERY_UNIT_SQL } from './completion.sql.ts'
import { type CompletionCounts, PERIOD_PATTERN, periodEnd, periodOf, periodsBetween, withRate, ZERO_COUNTS } from './completion.ts'

export class SnapshotError extends Error {
	constructor(
		readonly code: 'bad-period' | 'not-ended',
		message: string,
	) {
		super(message)
	}
}

/** The last month that has ended in Vietnam: what the monthly cron run takes. */
export function lastEndedPeriod(now = new Date()) {
	const current = periodOf(now)
	const [year, month] = current.split('-').map(Number) as [number, number]
	return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`
}

/** How far back a month-end snapshot may still be taken from the web page: older months had no one to report them. */
export const SNAPSHOT_MONTHS_BACK = 36

/** The months a snapshot may be taken for from the web page: the last ended month and the SNAPSHOT_MONTHS_BACK - 1 before it. */
export function snapshotRange(now = new Date()) {
	const to = lastEndedPeriod(now)
	const [year, month] = to.split('-').map(Number) as [number, number]
	const index = year * 12 + (month - 1) - (SNAPSHOT_MONTHS_BACK - 1)
	return { from: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`, to }
}

function checkPeriod(period: string, now: Date) {
	if (!PERIOD_PATTERN.test(period)) throw new SnapshotError('bad-period', `Kỳ không hợp lệ: "${period}" — cần dạng YYYY-MM (invalid period, expected YYYY-MM).`)
	if (periodEnd(period) >= now) {
		throw new SnapshotError('not-ended', `Tháng ${period} chưa kết thúc (giờ Việt Nam): chỉ chốt số liệu sau ngày cuối tháng (the month has not ended yet).`)
	}
}

export type SnapshotOutcome = { period: string; asOf: Date; taken: boolean; rows: number; units: number; durationMs: number }

const UNIT_COUNT = z.object({ n: z.number().int() })

/**
 * Takes the month's snapshot if it is not there yet; otherwise reports the existing one and changes nothing, so a
 * cron may run it as often as it likes. Two runs at once: the second waits for the first and then finds its period.
 */
export async function takeMonthSnapshot(period: string, now = new Date()): Promise<SnapshotOutcome> {
	checkPeriod(period, now)
	const asOf = periodEnd(period)
	const started = performance.now()
	return db.$transaction(
		async (tx) => {
			// Serialises runs for the same month, so neither inserts half of it next to the other's.
			await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked`, `completion-snapshot:${period}`)
			const existing = await tx.completionSnapshotPeriod.findUnique({ where: { period } })
			if (existing) return { period, asOf: existing.asOf, taken: false, rows: existing.rows, units: existing.units, durationMs: existing.durationMs }
			await tx.$executeRawUnsafe(REFRESH_SETTINGS)
			// Rows with nobody required are left out: a unit or course absent from a taken month had no target then.
			const rows = await tx.$executeRawUnsafe(
				`INSERT INTO "CompletionSnapshot" (id, "orgUnitId", direct, "courseId", period, target, completed, "inProgress", overdue, "takenAt")
				SELECT concat_ws(':', $3::text, e."orgUnitId", e."courseId", CASE WHEN e.direct THEN 'direct' END), e."orgUnitId", e.direct, e."courseId",
					$3::text, e.target, e.completed, e."inProgress", e.overdue, now()
				FROM (${EVERY_UNIT_SQL}) e
				WHERE e.target > 0`,
				'/',
				asOf.toISOString(),
				period,
			)
			// Summed over courses per unit, for the rankings "as of" the month's last day over all courses.
			await tx.$executeRawUnsafe(
				`INSERT INTO "CompletionSnapshotTotal" (period, "orgUnitId", direct, target, completed, "inProgress", overdue)
				SELECT period, "orgUnitId", direct, sum(target)::int, sum(completed)::int, sum("inProgress")::int, sum(overdue)::int
				FROM "CompletionSnapshot" WHERE period = $1 GROUP BY 1, 2, 3`,
				period,
			)
			const [units] = checkRows(
				'snapshot-units',
				UNIT_COUNT,
				await tx.$queryRawUnsafe<Array<unknown>>(`SELECT count(DISTINCT "orgUnitId")::int AS n FROM "CompletionSnapshot" WHERE period = $1`, period),
			)
			const durationMs = Math.round(performance.now() - started)
			await tx.completionSnapshotPeriod.create({ data: { period, asOf, rows, units: units?.n ?? 0, durationMs } })
			return { period, asOf, taken: true, rows, units: units?.n ?? 0, durationMs }
		},
		{ maxWait: 60_000, timeout: 10 * 60_000 },
	)
}

export type PeriodStatus = { taken: Array<{ period: string; asOf: Date; takenAt: Date }>; missing: Array<string>; notEnded: Array<string> }

/**
 * Which months of [from, to] have a snapshot, which ended months have none (a report must say so and offer to take
 * them) and which have not ended yet.
 */
export async function snapshotPeriods(from: string, to: string, now = new Date()): Promise<PeriodStatus> {
	for (const p of [from, to]) if (!PERIOD_PATTERN.test(p)) throw new SnapshotError('bad-period', `Kỳ không hợp lệ: "${p}" — cần dạng YYYY-MM (invalid period).`)
	const periods = periodsBetween(from, to)
	const rows = await db.completionSnapshotPeriod.findMany({ where: { period: { in: periods } }, select: { period: true, asOf: true, takenAt: true } })
	const taken = new Map(rows.map((r) => [r.period, r]))
	return {
		taken: periods.filter((p) => taken.has(p)).map((p) => taken.get(p)!),
		missing: periods.filter((p) => !taken.has(p) && periodEnd(p) < now),
		notEnded: periods.filter((p) => periodEnd(p) >= now),
	}
}

export type SnapshotView = {
	period: string
	asOf: Date
	takenAt: Date
	/** The unit's own figure (one course, or every course as person × course requirements). */
	total: CompletionCounts
	/** Ranked like the dashboard: the units below (children, or every unit at `depth`), and the unit's direct members. */
	rows: Array<UnitRow>
	/** The unit per course. */
	courses: Array<CourseRow>
}

/**
 * What reports print for a unit over a range of months: for each month with a snapshot, the unit's total, its rows
 * (children by default, or every unit of its subtree at `depth`, e.g. one sheet per level) and its courses; and the
 * months that are missing or not over. Null when the unit does not exist.
 */
export async function readSnapshots(
	unitId: number,
	range: { from: string; to: string },
	query: { courseId?: string | null; depth?: number } = {},
	now = new Date(),
): Promise<({ unit: UnitRef; periods: Array<SnapshotView> } & Omit<PeriodStatus, 'taken'>) | null> {
	const found = await db.orgUnit.findUnique({ where: { id: unitId }, select: UNIT_SELECT })
	if (!found) return null
	const unit = toRef(found)
	const status = await snapshotPeriods(range.from, range.to, now)
	const depth = Math.max(query.depth ?? unit.depth + 1, unit.depth + 1)
	const periods = status.taken.map((t) => t.period)
	const [rows, below] = await Promise.all([
		periods.length
			? db.completionSnapshot.findMany({
					where: {
						period: { in: periods },
						...(query.courseId ? { courseId: query.courseId } : {}),
						OR: [{ orgUnitId: unit.id }, { direct: false, orgUnit: { path: { startsWith: unit.path }, depth } }],
					},
					select: { period: true, orgUnitId: true, direct: true, courseId: true, target: true, completed: true, inProgress: true, overdue: true },
				})
			: [],
		db.orgUnit.findMany({ where: { path: { startsWith: unit.path }, depth }, select: { ...UNIT_SELECT, validTo: true } }),
	])
	const titles = await courseTitles(rows.map((r) => r.courseId))
	const add = (a: CompletionCounts, r: { target: number; completed: number; inProgress: number; overdue: number }) =>
		withRate({ target: a.target + r.target, completed: a.completed + r.completed, inProgress: a.inProgress + r.inProgress, overdue: a.overdue + r.overdue })

	const views = status.taken.map((t): SnapshotView => {
		let total = ZERO_COUNTS
		let direct = ZERO_COUNTS
		const byUnit = new Map<number, CompletionCounts>()
		const byCourse = new Map<string, CompletionCounts>()
		for (const r of rows) {
			if (r.period !== t.period) continue
			if (r.orgUnitId !== unit.id) byUnit.set(r.orgUnitId, add(byUnit.get(r.orgUnitId) ?? ZERO_COUNTS, r))
			else if (r.direct) direct = add(direct, r)
			else {
				total = add(total, r)
				byCourse.set(r.courseId, add(byCourse.get(r.courseId) ?? ZERO_COUNTS, r))
			}
		}
		// As on the dashboard (getChildRows): units not closed by the month's end appear even with nobody required,
		// and the unit's own members get a row when there are any (only below the unit's children level).
		const unitRows: Array<UnitRow> = below
			.filter((u) => u.validTo === null || u.validTo > t.asOf || byUnit.has(u.id))
			.map((u) => ({ unit: toRef(u), direct: false, ...(byUnit.get(u.id) ?? ZERO_COUNTS) }))
		if (direct.target > 0 && depth === unit.depth + 1) unitRows.push({ unit, direct: true, ...direct })
		const courses = [...byCourse.entries()]
			.map(([courseId, c]) => ({ courseId, slug: titles.get(courseId)?.slug ?? courseId, title: titles.get(courseId)?.title ?? courseId, ...c }))
			.sort((a, b) => compareVi(a.title, b.title))
		return { period: t.period, asOf: t.asOf, takenAt: t.takenAt, total, rows: rankRows(unitRows), courses }
	})
	return { unit, periods: views, missing: status.missing, notEnded: status.notEnded }
}

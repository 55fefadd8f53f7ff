// One way to write dates, times and percentages on every page. Vietnamese administrative writing uses dd/mm/yyyy
// (two-digit day and month), and the whole province lives in one time zone, so dates are read in Asia/Ho_Chi_Minh
// whatever the server's or the browser's zone; `toLocaleDateString('vi-VN')` gives "5/3/2026" instead, and
// differed from page to page. English pages keep the same numeric order (en-GB reads it the same way).

export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh'

// Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact for every date the product
// handles, needs no time-zone data in the runtime, and costs an addition where reports and imports convert per row.
const VN_OFFSET_MS = 7 * 3_600_000

type Instant = Date | string | number

export type VnClock = { year: number; month: number; day: number; hour: number; minute: number }

/** The wall-clock time in Vietnam of an instant (default: now). */
export function vnClock(at: Instant = new Date()): VnClock {
	const d = new Date(new Date(at).getTime() + VN_OFFSET_MS)
	return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() }
}

const two = (n: number) => String(n).padStart(2, '0')

/** The calendar day in Vietnam of an instant as "YYYY-MM-DD" (date inputs, file names, day arithmetic). */
export function vnDay(at: Instant): string {
	return new Date(new Date(at).getTime() + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** Today in Vietnam as "YYYY-MM-DD". */
export function vnToday(at: Date = new Date()): string {
	return vnDay(at)
}

/** The month in Vietnam of an instant as "YYYY-MM" (a report's period). */
export function vnMonth(at: Instant = new Date()): string {
	return vnDay(at).slice(0, 7)
}

/**
 * The instant at a wall-clock time ("HH:mm", "HH:mm:ss" or with milliseconds) on a Vietnamese calendar day
 * "YYYY-MM-DD"; an Invalid Date for text that is not one (see parseVnDay for a day that must exist).
 */
export function vnInstant(day: string, time = '00:00:00'): Date {
	return new Date(`${day}T${time}+07:00`)
}

/** Midnight at the start of a Vietnamese calendar day. */
export function vnDayStart(day: string): Date {
	return vnInstant(day)
}

/** The last millisecond of a Vietnamese calendar day ("as of 20/11" means the whole of that day). */
export function vnDayEnd(day: string): Date {
	return vnInstant(day, '23:59:59.999')
}

/**
 * A day typed as "YYYY-MM-DD" at a time of that day in Vietnam, or null when there is no such day: the parser rolls
 * 30/02 over to 02/03 instead of refusing it, so the instant must read back as the day typed.
 */
export function parseVnDay(day: string, time = '00:00:00'): Date | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null
	const at = vnInstant(day, time)
	return Number.isNaN(at.getTime()) || vnDay(at) !== day ? null : at
}

/** "05/03/2026": the day in Vietnam of an instant. */
export function formatVnDate(at: Instant): string {
	const c = vnClock(at)
	return `${two(c.day)}/${two(c.month)}/${c.year}`
}

/** "14:04": the time in Vietnam of an instant. */
export function formatVnTime(at: Instant): string {
	const c = vnClock(at)
	return `${two(c.hour)}:${two(c.minute)}`
}

/** "05/03/2026 14:04": the day and time in Vietnam of an instant. */
export function formatVnDateTime(at: Instant): string {
	return `${formatVnDate(at)} ${formatVnTime(at)}`
}

/** "2026-03-05" (a calendar day with no time, as forms and content files write it) → "05/03/2026". */
export function formatIsoDay(day: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day)
	return m ? `${m[3]}/${m[2]}/${m[1]}` : day
}

/** "2026-03" → "03/2026". */
export function formatMonth(period: string): string {
	const m = /^(\d{4})-(\d{2})$/.exec(period)
	return m ? `${m[2]}/${m[1]}` : period
}

/**
 * A rate (0–1) as "11%" or "11,5%" in Vietnamese ("11.5%" in English): no space before the sign, as Vietnamese
 * typesetting writes it; null (nothing to count) as "–".
 */
export function formatPercent(rate: number | null, lang: 'vi' | 'en' = 'vi', fractionDigits = 1): string {
	if (rate === null || !Number.isFinite(rate)) return '–'
	return `${(rate * 100).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: fractionDigits })}%`
}

// One way to write dates, times and percentages on every page. Vietnamese administrative writing uses dd/mm/yyyy
// (two-digit day and month), and the whole province lives in one time zone, so dates are read in Asia/Ho_Chi_Minh
// whatever the server's or the browser's zone; `toLocaleDateString('vi-VN')` gives "5/3/2026" instead, and
// differed from page to page. English pages keep the same numeric order (en-GB reads it the same way).

export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh'

const partsFormat = new Intl.DateTimeFormat('en-GB', {
	timeZone: VN_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23',
})

export type VnClock = { year: number; month: number; day: number; hour: number; minute: number }

/** The wall-clock time in Vietnam of an instant (default: now). */
export function vnClock(at: Date | string | number = new Date()): VnClock {
	const parts = Object.fromEntries(partsFormat.formatToParts(new Date(at)).map((p) => [p.type, p.value]))
	return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) }
}

const two = (n: number) => String(n).padStart(2, '0')

/** "05/03/2026": the day in Vietnam of an instant. */
export function formatVnDate(at: Date | string | number): string {
	const c = vnClock(at)
	return `${two(c.day)}/${two(c.month)}/${c.year}`
}

/** "05/03/2026 14:04": the day and time in Vietnam of an instant. */
export function formatVnDateTime(at: Date | string | number): string {
	const c = vnClock(at)
	return `${two(c.day)}/${two(c.month)}/${c.year} ${two(c.hour)}:${two(c.minute)}`
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

/** Today in Vietnam as "YYYY-MM-DD" (for date inputs and day arithmetic). */
export function vnToday(at: Date = new Date()): string {
	const c = vnClock(at)
	return `${c.year}-${two(c.month)}-${two(c.day)}`
}

/**
 * A rate (0–1) as "11%" or "11,5%" in Vietnamese ("11.5%" in English): no space before the sign, as Vietnamese
 * typesetting writes it; null (nothing to count) as "–".
 */
export function formatPercent(rate: number | null, lang: 'vi' | 'en' = 'vi', fractionDigits = 1): string {
	if (rate === null || !Number.isFinite(rate)) return '–'
	return `${(rate * 100).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: fractionDigits })}%`
}

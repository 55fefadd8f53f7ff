// The completion rule (DESIGN §5) in plain functions over plain data: what the set-based SQL of
// completion.server.ts computes for thousands of people at once, written out for one person. Tests compare the two;
// screens may use the types and the period helpers on either side of the network.
import { isCertificateValid, type ValidityFields } from '#app/certificates/validity.ts'
import { parseVnDay, vnDayStart, vnMonth } from '#app/ui/dates.ts'

export type CompletionCounts = {
	/** Distinct people required to complete (for all courses: person × course requirements). */
	target: number
	completed: number
	inProgress: number
	notStarted: number
	/** Target people without completion whose due date has passed (a subset of inProgress + notStarted). */
	overdue: number
	/** completed / target, or null when nobody is required. */
	rate: number | null
}

export type PersonStatus = 'completed' | 'in_progress' | 'not_started'

/** Why a completion someone once had no longer counts at the date. */
export type Lapse = 'revoked' | 'expired' | 'superseded'

export function rateOf(completed: number, target: number) {
	return target > 0 ? completed / target : null
}

export function withRate(c: Omit<CompletionCounts, 'rate' | 'notStarted'>): CompletionCounts {
	return { ...c, notStarted: c.target - c.completed - c.inProgress, rate: rateOf(c.completed, c.target) }
}

export const ZERO_COUNTS: CompletionCounts = { target: 0, completed: 0, inProgress: 0, notStarted: 0, overdue: 0, rate: null }

// ——— who is required ———

export type Interval = { validFrom: Date; validTo: Date | null }

/** Memberships, assignments (created…closed) and units: in force from the first instant, no longer at the last. */
export function isActiveAt(x: Interval, at: Date) {
	return x.validFrom <= at && (x.validTo === null || x.validTo > at)
}

/** An assignment covers a membership of a unit in its subtree, carrying its audience tag when it has one. */
export function assignmentCovers(assignment: { unitPath: string; audienceTag: string | null }, membership: { unitPath: string; tags: ReadonlyArray<string> }) {
	return membership.unitPath.startsWith(assignment.unitPath) && (!assignment.audienceTag || membership.tags.includes(assignment.audienceTag))
}

// ——— what counts as done ———

export type VersionFacts = { id: string; courseId: string; version: number; publishedAt: Date; requiresRecertification: boolean }

/**
 * When the version stopped counting: the publication of the first later version that requires recertification, if
 * one was published by `at`. Certificates of a superseded version no longer complete the course (DESIGN §5).
 */
export function supersededAt(version: VersionFacts, versions: ReadonlyArray<VersionFacts>, at: Date): Date | null {
	let first: Date | null = null
	for (const v of versions) {
		if (v.courseId !== version.courseId || v.version <= version.version || !v.requiresRecertification || v.publishedAt > at) continue
		if (!first || v.publishedAt < first) first = v.publishedAt
	}
	return first
}

/** A certificate completes its course at `at`: valid then (issued, not revoked, not expired) and its version not superseded. */
export function certificateCompletes(cert: ValidityFields, version: VersionFacts, versions: ReadonlyArray<VersionFacts>, at: Date) {
	return isCertificateValid(cert, at) && supersededAt(version, versions, at) === null
}

/**
 * `date` plus whole months the way JavaScript's setUTCMonth does it (31 Jan + 1 → 3 Mar), which is how the learner's
 * own page computes the recertification deadline; the SQL reproduces the same overflow so both agree to the day.
 */
export function addMonthsUtc(date: Date, months: number) {
	const d = new Date(date)
	d.setUTCMonth(d.getUTCMonth() + months)
	return d
}

/**
 * The due date of a requirement: the earliest due date of the assignments covering the person, pushed back to
 * `recertificationMonths` after the publication of the version that superseded a certificate they held (decision 006).
 */
export function dueDate(assignmentDue: Date, supersededOn: Date | null, recertificationMonths: number) {
	if (!supersededOn) return assignmentDue
	const recert = addMonthsUtc(supersededOn, recertificationMonths)
	return recert > assignmentDue ? recert : assignmentDue
}

// ——— periods (months in Vietnam, app/ui/dates.ts) ———

export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/

/** "2026-11" for the month that contains the instant, in Vietnam. */
export function periodOf(at: Date) {
	return vnMonth(at)
}

function periodParts(period: string) {
	const m = PERIOD_PATTERN.exec(period)
	if (!m) throw new Error(`Kỳ báo cáo không hợp lệ: "${period}" (cần dạng YYYY-MM).`)
	return { year: Number(m[1]), month: Number(m[2]) }
}

/** The month's last instant in Vietnam (timestamps are kept to the millisecond): what a month-end snapshot is "as of". */
export function periodEnd(period: string) {
	// nextPeriod refuses a malformed period.
	return new Date(vnDayStart(`${nextPeriod(period)}-01`).getTime() - 1)
}

export function nextPeriod(period: string) {
	const { year, month } = periodParts(period)
	return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`
}

/** Every month from `from` to `to`, both included. */
export function periodsBetween(from: string, to: string) {
	const out: Array<string> = []
	for (let p = from; p <= to; p = nextPeriod(p)) out.push(p)
	return out
}

/** The last instant of a calendar day in Vietnam ("as of 20/11" means the whole of that day). */
export function endOfDayVn(day: string) {
	const at = parseVnDay(day, '23:59:59.999')
	if (!at) {
		throw new Error(`Ngày không hợp lệ: "${day}" (cần dạng YYYY-MM-DD).`)
	}
	return at
}

// A unit's name and place over time (OrgUnitHistory): OrgUnit holds the current state, which paths, permissions
// and reports read; the history answers "what was this unit called, where was it, was it open on date D".
// Periods are [validFrom, validTo); a change starts a period on its effective date and ends the previous one.
import { db, type Prisma } from '#app/db.server.ts'
import { type OrgUnit, type OrgUnitHistory } from '#app/db-types.ts'
import { vnDay } from '#app/ui/dates.ts'

type Tx = Prisma.TransactionClient
export type UnitChange = 'create' | 'rename' | 'move' | 'rename+move'


/** A unit made before history was kept (older data, the demo seed) starts with one period of its current state. */
function baseline(unit: Pick<OrgUnit, 'id' | 'name' | 'parentId' | 'validFrom' | 'validTo'>) {
	return { orgUnitId: unit.id, name: unit.name, parentId: unit.parentId, validFrom: unit.validFrom, validTo: unit.validTo, change: 'create' }
}

/**
 * Locks the unit row for the rest of the transaction and returns it with its last period (written from the unit
 * when it has none yet). Every change to a unit's name, parent or end goes through here, so two changes to the
 * same unit never interleave their periods.
 */
export async function lockCurrentPeriod(tx: Tx, unitId: number): Promise<{ unit: OrgUnit; period: OrgUnitHistory }> {
	await tx.$queryRaw`SELECT id FROM "OrgUnit" WHERE id = ${unitId} FOR UPDATE`
	const unit = await tx.orgUnit.findUniqueOrThrow({ where: { id: unitId } })
	const period =
		(await tx.orgUnitHistory.findFirst({ where: { orgUnitId: unitId }, orderBy: [{ validFrom: 'desc' }, { id: 'desc' }] })) ??
		(await tx.orgUnitHistory.create({ data: baseline(unit) }))
	return { unit, period }
}

/** The first period of a unit just created. */
export async function recordCreated(tx: Tx, unit: Pick<OrgUnit, 'id' | 'name' | 'parentId' | 'validFrom'>, actorId: string | null) {
	await tx.orgUnitHistory.create({ data: { ...baseline({ ...unit, validTo: null }), actorId } })
}

/**
 * Starts a period with a new name and/or parent from `at`. On the day the current period began, the change
 * corrects that period instead (a unit created or renamed today and fixed today has no one-day-old name).
 * The caller has checked that `at` is not before that day (see `changeDateProblem`).
 */
export async function recordChange(
	tx: Tx,
	period: OrgUnitHistory,
	change: { name?: string; parentId?: number | null; at: Date; actorId: string | null },
) {
	const next = { name: change.name ?? period.name, parentId: change.parentId === undefined ? period.parentId : change.parentId }
	if (vnDay(change.at) === vnDay(period.validFrom)) {
		await tx.orgUnitHistory.update({ where: { id: period.id }, data: next })
		return
	}
	const kind: UnitChange = next.name !== period.name && next.parentId !== period.parentId ? 'rename+move' : next.parentId !== period.parentId ? 'move' : 'rename'
	await tx.orgUnitHistory.update({ where: { id: period.id }, data: { validTo: change.at } })
	await tx.orgUnitHistory.create({ data: { orgUnitId: period.orgUnitId, ...next, validFrom: change.at, validTo: period.validTo, change: kind, actorId: change.actorId } })
}

/** Ends the unit's last period when the unit closes (never before the instant that period began). */
export async function recordClosed(tx: Tx, period: OrgUnitHistory, at: Date) {
	await tx.orgUnitHistory.update({ where: { id: period.id }, data: { validTo: at < period.validFrom ? period.validFrom : at } })
}

/**
 * Why a change effective `at` does not fit the unit's history, or null. Changes are recorded in date order: a date
 * before the day of the last change would rewrite periods that later changes were based on. A rename or move
 * effective in the future is refused: the current state (paths, permissions, reports) would be wrong until then.
 */
export function changeDateProblem(period: Pick<OrgUnitHistory, 'validFrom'>, at: Date, kind: 'rename' | 'move' | 'close', now = new Date()) {
	if (vnDay(at) < vnDay(period.validFrom)) return { error: 'before-last-change' as const, since: period.validFrom }
	if (kind !== 'close' && vnDay(at) > vnDay(now)) return { error: 'future' as const }
	return null
}

export type Period = { validFrom: Date; validTo: Date | null; name: string; parentId: number | null; parentName: string | null; change: string }

/** Every period of a unit, oldest first, with the name its parent had when each period began. */
export async function unitHistory(unitId: number): Promise<Array<Period>> {
	const unit = await db.orgUnit.findUniqueOrThrow({ where: { id: unitId } })
	const rows = await db.orgUnitHistory.findMany({ where: { orgUnitId: unitId }, orderBy: [{ validFrom: 'asc' }, { id: 'asc' }] })
	const periods: Array<Period> = []
	for (const p of rows.length ? rows : [baseline(unit)]) {
		const parentName = p.parentId == null ? null : ((await stateAt(p.parentId, p.validFrom))?.name ?? null)
		periods.push({ validFrom: p.validFrom, validTo: p.validTo, name: p.name, parentId: p.parentId, parentName, change: p.change })
	}
	return periods
}

/** The period of a unit covering `at`, the unit's current row standing in when it has no history rows. */
async function stateAt(unitId: number, at: Date) {
	const covering = await db.orgUnitHistory.findFirst({
		where: { orgUnitId: unitId, validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
		orderBy: [{ validFrom: 'desc' }, { id: 'desc' }],
	})
	if (covering) return { ...covering, open: true }
	const any = await db.orgUnitHistory.findFirst({ where: { orgUnitId: unitId }, orderBy: [{ validFrom: 'asc' }, { id: 'asc' }] })
	if (any) {
		// Outside every period: before the first (not yet founded) or after the last (closed).
		const last = at < any.validFrom ? any : await db.orgUnitHistory.findFirstOrThrow({ where: { orgUnitId: unitId }, orderBy: [{ validFrom: 'desc' }, { id: 'desc' }] })
		return { ...last, open: false }
	}
	const unit = await db.orgUnit.findUnique({ where: { id: unitId } })
	if (!unit) return null
	return { ...baseline(unit), open: unit.validFrom <= at && (unit.validTo === null || unit.validTo > at) }
}

export type UnitAsOf =
	| { state: 'not-yet'; foundedAt: Date }
	| { state: 'closed'; closedAt: Date; name: string }
	| { state: 'open'; name: string; ancestors: Array<{ id: number; name: string }> }

/** What a unit was on a date: not yet founded, closed, or open with its name and the chain of units above it. */
export async function unitAsOf(unitId: number, at: Date): Promise<UnitAsOf | null> {
	const state = await stateAt(unitId, at)
	if (!state) return null
	if (!state.open) return state.validFrom > at ? { state: 'not-yet', foundedAt: state.validFrom } : { state: 'closed', closedAt: state.validTo ?? at, name: state.name }
	const ancestors: Array<{ id: number; name: string }> = []
	const seen = new Set([unitId])
	let parentId = state.parentId
	// Each ancestor as it was on that date, which may differ from the current tree after moves.
	while (parentId != null && !seen.has(parentId)) {
		seen.add(parentId)
		const parent = await stateAt(parentId, at)
		if (!parent) break
		ancestors.unshift({ id: parentId, name: parent.name })
		parentId = parent.parentId
	}
	return { state: 'open', name: state.name, ancestors }
}

// Effective dates on the org tree: renames, moves and closures keep periods that answer "what was this unit
// called, where was it, was it open on date D"; dates that would rewrite history are refused with a reason.
import { readdirSync, readFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { confirmImport, getImportJob, startImport } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { UnitDateSchema } from '#app/org/schema.ts'
import { closeUnit, createUnit as addUnit, moveUnit, renameUnit } from '#app/org/tree.server.ts'
import { unitAsOf, unitHistory } from '#app/org/unit-history.server.ts'
import { vnDay } from '#app/ui/dates.ts'
import * as editRoute from '#app/routes/org.$unitId_.tree.$targetId.tsx'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { rosterCsv } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs } from '#tests/setup/routes.ts'

useTestDb()

const t = translator('vi')
const DAY = 24 * 3600 * 1000
/** yyyy-mm-dd in Vietnam, `offset` days from today. */
const ymd = (offset: number) => vnDay(new Date(Date.now() + offset * DAY))
/** The start of that day in Vietnam, as the date inputs give it. */
const day = (offset: number) => new Date(`${ymd(offset)}T00:00:00+07:00`)
/** The last moment of that day in Vietnam, as an "as of" lookup asks (23:00 failed for units made after 23:00). */
const late = (offset: number) => new Date(`${ymd(offset)}T23:59:59.999+07:00`)
const shown = (offset: number) => ymd(offset).split('-').reverse().join('/')

const grant = (role: 'ADMIN' | 'MANAGER', unit: { id: number; path: string }) => [{ role, orgUnitId: unit.id, path: unit.path }]

async function province(name: string) {
	const root = await createUnit(name)
	const admin = { actorId: (await createUser()).id, grants: grant('ADMIN', root) }
	// Departments founded two years ago, so that changes can be dated in the past.
	const found = async (code: string, unitName: string, parentId: number, kind: 'department' | 'division') => {
		const outcome = await addUnit(parentId, { code, name: unitName, kind, validFrom: day(-730) }, admin)
		if (!outcome.ok) throw new Error(outcome.error)
		return db.orgUnit.findUniqueOrThrow({ where: { id: outcome.unitId } })
	}
	return { root, admin, found }
}

test('a rename and a move dated in the past keep the former name and place for the dates before', async () => {
	const { root, admin, found } = await province('Tỉnh Lịch Sử')
	const culture = await found(`VH-${root.id}`, 'Sở Văn hóa và Thể thao', root.id, 'department')
	const tourism = await found(`DL-${root.id}`, 'Sở Du lịch', root.id, 'department')
	const division = await found(`DL-P1-${root.id}`, 'Phòng Lữ hành', tourism.id, 'division')
	const team = await found(`DL-P1-T-${root.id}`, 'Phòng Quảng bá', tourism.id, 'division')

	// 1 July of last year in spirit: the merger took effect 500 days ago and is recorded today.
	expect(await renameUnit(culture.id, { name: 'Sở Văn hóa, Thể thao và Du lịch', at: day(-500) }, admin)).toMatchObject({ ok: true })
	expect(await moveUnit(division.id, { parentId: culture.id, at: day(-500) }, admin)).toMatchObject({ ok: true })
	expect(await closeUnit(team.id, { at: day(-500) }, admin)).toMatchObject({ ok: true })
	expect(await moveUnit(division.id, { parentId: tourism.id, at: day(-499) }, admin)).toMatchObject({ ok: true })
	expect(await moveUnit(division.id, { parentId: culture.id, at: day(-10) }, admin)).toMatchObject({ ok: true })

	expect(await unitAsOf(culture.id, late(-600))).toEqual({ state: 'open', name: 'Sở Văn hóa và Thể thao', ancestors: [{ id: root.id, name: 'Tỉnh Lịch Sử' }] })
	expect(await unitAsOf(culture.id, late(-500))).toMatchObject({ state: 'open', name: 'Sở Văn hóa, Thể thao và Du lịch' })
	expect(await unitAsOf(division.id, late(-600))).toMatchObject({ state: 'open', ancestors: [{ name: 'Tỉnh Lịch Sử' }, { name: 'Sở Du lịch' }] })
	expect(await unitAsOf(division.id, late(-500))).toMatchObject({ ancestors: [{ name: 'Tỉnh Lịch Sử' }, { name: 'Sở Văn hóa, Thể thao và Du lịch' }] })
	expect(await unitAsOf(division.id, late(-100))).toMatchObject({ ancestors: [{ name: 'Tỉnh Lịch Sử' }, { name: 'Sở Du lịch' }] })
	expect(await unitAsOf(division.id, late(0))).toMatchObject({ ancestors: [{ name: 'Tỉnh Lịch Sử' }, { name: 'Sở Văn hóa, Thể thao và Du lịch' }] })
	expect(await unitAsOf(team.id, late(-600))).toMatchObject({ state: 'open', name: 'Phòng Quảng bá' })
	expect(await unitAsOf(team.id, late(-500))).toEqual({ state: 'closed', name: 'Phòng Quảng bá', closedAt: day(-500) })
	expect(await unitAsOf(culture.id, late(-800))).toEqual({ state: 'not-yet', foundedAt: day(-730) })

	expect((await unitHistory(division.id)).map((p) => [vnDay(p.validFrom), p.validTo && vnDay(p.validTo), p.parentName, p.change])).toEqual([
		[ymd(-730), ymd(-500), 'Sở Du lịch', 'create'],
		[ymd(-500), ymd(-499), 'Sở Văn hóa, Thể thao và Du lịch', 'move'],
		[ymd(-499), ymd(-10), 'Sở Du lịch', 'move'],
		[ymd(-10), null, 'Sở Văn hóa, Thể thao và Du lịch', 'move'],
	])
	// Paths and the current row follow the latest state; the audit trail has every change with its date.
	expect(await db.orgUnit.findUniqueOrThrow({ where: { id: division.id } })).toMatchObject({ parentId: culture.id, path: `${culture.path}${division.id}/` })
	expect(await db.auditEvent.count({ where: { action: { in: ['orgunit.rename', 'orgunit.move', 'orgunit.close'] }, actorId: admin.actorId } })).toBe(5)
})

test('dates that would rewrite history, future renames and parents not yet founded are refused', async () => {
	const { root, admin, found } = await province('Tỉnh Ngày')
	const dept = await found(`N-${root.id}`, 'Sở Ngày', root.id, 'department')
	const div = await found(`N-P-${root.id}`, 'Phòng Ngày', dept.id, 'division')
	expect(await renameUnit(dept.id, { name: 'Sở Ngày Mới', at: day(-100) }, admin)).toMatchObject({ ok: true })
	expect(await renameUnit(dept.id, { name: 'Sở Ngày Khác', at: day(-200) }, admin)).toEqual({ ok: false, error: 'before-last-change', since: day(-100) })
	expect(await renameUnit(dept.id, { name: 'Sở Ngày Sau', at: day(5) }, admin)).toEqual({ ok: false, error: 'future' })
	expect(await closeUnit(div.id, { at: day(-800) }, admin)).toEqual({ ok: false, error: 'before-last-change', since: day(-730) })
	// The same day again corrects that period instead of leaving a one-day name behind.
	expect(await renameUnit(dept.id, { name: 'Sở Ngày (sửa chính tả)', at: day(-100) }, admin)).toMatchObject({ ok: true })
	expect((await unitHistory(dept.id)).map((p) => p.name)).toEqual(['Sở Ngày', 'Sở Ngày (sửa chính tả)'])
	// A parent founded later than the move's date.
	const newer = await addUnit(root.id, { code: `N2-${root.id}`, name: 'Sở Mới Lập', kind: 'department', validFrom: day(-5) }, admin)
	if (!newer.ok) throw new Error(newer.error)
	expect(await moveUnit(div.id, { parentId: newer.unitId, at: day(-50) }, admin)).toEqual({ ok: false, error: 'parent-not-open' })
	// A planned closure: open until then, closed after, and no further changes.
	const closing = await found(`N3-${root.id}`, 'Phòng Sắp Giải Thể', dept.id, 'division')
	expect(await closeUnit(closing.id, { at: day(30) }, admin)).toMatchObject({ ok: true })
	expect(await unitAsOf(closing.id, late(0))).toMatchObject({ state: 'open' })
	expect(await unitAsOf(closing.id, late(31))).toMatchObject({ state: 'closed', closedAt: day(30) })
	expect(await renameUnit(closing.id, { name: 'Không được', at: day(0) }, admin)).toEqual({ ok: false, error: 'unit-closed' })
	expect(await db.orgUnit.findUniqueOrThrow({ where: { id: div.id } })).toMatchObject({ parentId: dept.id })

	// The form's date: five years back to one year ahead, real calendar days only.
	expect(UnitDateSchema.safeParse(ymd(0)).success).toBe(true)
	expect(UnitDateSchema.safeParse(ymd(-1500)).success).toBe(true)
	for (const bad of [ymd(-2000), ymd(400), '2026-02-30', '30/06/2025', '']) expect(UnitDateSchema.safeParse(bad).success, bad).toBe(false)
})

test('units made without history (seed, older data) get their first period from their current state', async () => {
	const { admin } = await province('Tỉnh Cũ')
	const root = await createUnit('Tỉnh Dữ Liệu Cũ')
	const dept = await createUnit('Sở Cũ', root)
	expect(await db.orgUnitHistory.count({ where: { orgUnitId: dept.id } })).toBe(0)
	expect(await unitAsOf(dept.id, late(0))).toEqual({ state: 'open', name: 'Sở Cũ', ancestors: [{ id: root.id, name: 'Tỉnh Dữ Liệu Cũ' }] })
	const owner = { ...admin, grants: grant('ADMIN', root) }
	// Made seconds ago: a change today corrects the first period, a change yesterday is before it.
	expect(await renameUnit(dept.id, { name: 'Sở Mới', at: day(-1) }, owner)).toMatchObject({ ok: false, error: 'before-last-change' })
	expect(await renameUnit(dept.id, { name: 'Sở Mới', at: day(0) }, owner)).toMatchObject({ ok: true })
	expect(await unitHistory(dept.id)).toMatchObject([{ name: 'Sở Mới', parentName: 'Tỉnh Dữ Liệu Cũ', change: 'create', validTo: null }])
})

test('the unit page shows the history, answers a date lookup, and explains a refused date in Vietnamese', async () => {
	const root = await createUnit('Tỉnh Trang')
	const manager = await createUser({ unitId: root.id, role: 'ADMIN' })
	const admin = { actorId: manager.id, grants: grant('ADMIN', root) }
	const made = await addUnit(root.id, { code: `T-${root.id}`, name: 'Sở Trang', kind: 'department', validFrom: day(-300) }, admin)
	if (!made.ok) throw new Error(made.error)
	const params = { unitId: String(root.id), targetId: String(made.unitId) }
	type Args = Parameters<typeof editRoute.action>[0]
	const args = (request: Request) => ({ request, params, context: {} }) as Args
	const post = (fields: Record<string, string>) => postAs(manager.id, fields)
	const renamed = await editRoute.action(args(await post({ intent: 'rename', name: 'Sở Trang Mới', at: ymd(-100) })))
	expect(await renamed.json()).toMatchObject({ notice: 'Đã đổi tên.' })
	const early = await editRoute.action(args(await post({ intent: 'rename', name: 'Sở Trang Cũ', at: ymd(-200) })))
	expect(early.status).toBe(400)
	expect(await early.json()).toMatchObject({ result: { error: { '': [`Ngày hiệu lực phải từ ngày ${shown(-100)} trở đi (ngày của lần thay đổi gần nhất của đơn vị).`] } } })
	const future = await editRoute.action(args(await post({ intent: 'move', parentId: String(root.id), at: ymd(3) })))
	expect(future.status).toBe(400)
	const tooOld = await editRoute.action(args(await post({ intent: 'close', at: ymd(-3000) })))
	expect(await tooOld.json()).toMatchObject({ result: { error: { at: ['tree.error.date'] } } })
	expect(t('tree.error.date')).toBe('Vui lòng chọn ngày hiệu lực hợp lệ, trong khoảng 5 năm trước đến 1 năm sau hôm nay.')

	const page = await (await editRoute.loader(args(await requestAs(manager.id, `http://localhost/?at=${ymd(-150)}`)))).json()
	expect(page.history).toEqual([
		{ from: ymd(-300), to: ymd(-100), name: 'Sở Trang', parentName: 'Tỉnh Trang', change: 'create' },
		{ from: ymd(-100), to: null, name: 'Sở Trang Mới', parentName: 'Tỉnh Trang', change: 'rename' },
	])
	expect(page.lookup).toEqual({ date: ymd(-150), valid: true, result: { state: 'open', name: 'Sở Trang', path: ['Tỉnh Trang'] } })
	const before = await (await editRoute.loader(args(await requestAs(manager.id, `http://localhost/?at=${ymd(-400)}`)))).json()
	expect(before.lookup?.result).toEqual({ state: 'not-yet', founded: ymd(-300) })
	const nonsense = await (await editRoute.loader(args(await requestAs(manager.id, 'http://localhost/?at=2025-13-45')))).json()
	expect(nonsense.lookup).toEqual({ date: '2025-13-45', valid: false, result: null })
})

test('a tree file renames and moves on its effective date, and refuses dates that do not fit', async () => {
	const root = await createUnit('Tỉnh Tệp Lịch Sử')
	const admin = await createUser({ unitId: root.id, role: 'ADMIN' })
	const actor = { actorId: admin.id, grants: grant('ADMIN', root) }
	const dept = await addUnit(root.id, { code: `F-${root.id}`, name: 'Sở Tệp', kind: 'department', validFrom: day(-400) }, actor)
	const other = await addUnit(root.id, { code: `F2-${root.id}`, name: 'Sở Khác', kind: 'department', validFrom: day(-400) }, actor)
	const div = await addUnit(dept.ok ? dept.unitId : 0, { code: `F-P-${root.id}`, name: 'Phòng Tệp', kind: 'division', validFrom: day(-400) }, actor)
	if (!dept.ok || !other.ok || !div.ok) throw new Error('setup')
	const headers = ['Mã đơn vị', 'Tên đơn vị', 'Mã đơn vị cấp trên', 'Loại']
	const file = rosterCsv([[`F-P-${root.id}`, 'Phòng Tệp Đổi Tên', `F2-${root.id}`, 'Phòng']], { headers })

	const ahead = await startImport({ kind: 'tree', bytes: file, fileName: 'cay.csv', scope: root, actorId: admin.id, effectiveAt: day(10), wait: true })
	expect((await getImportJob(ahead, root.id))?.errors.items.map((e) => formatImportMessage(t, e))).toEqual([
		'Dòng 2, cột A (Mã đơn vị): Đổi tên, chuyển đơn vị chỉ ghi được khi đã đến ngày hiệu lực: hãy chọn hôm nay hoặc một ngày đã qua.',
	])
	const tooEarly = await startImport({ kind: 'tree', bytes: file, fileName: 'cay.csv', scope: root, actorId: admin.id, effectiveAt: day(-500), wait: true })
	expect((await getImportJob(tooEarly, root.id))?.errors.items.map((e) => formatImportMessage(t, e))).toEqual([
		`Dòng 2, cột A (Mã đơn vị): Ngày hiệu lực phải từ ngày ${shown(-400)} trở đi (ngày của lần thay đổi gần nhất của đơn vị).`,
	])

	const good = await startImport({ kind: 'tree', bytes: file, fileName: 'cay.csv', scope: root, actorId: admin.id, effectiveAt: day(-30), wait: true })
	expect(await confirmImport({ jobId: good, scope: root, actorId: admin.id, wait: true })).toBe(true)
	expect((await unitHistory(div.unitId)).map((p) => [p.name, p.parentName, vnDay(p.validFrom), p.change])).toEqual([
		['Phòng Tệp', 'Sở Tệp', ymd(-400), 'create'],
		['Phòng Tệp Đổi Tên', 'Sở Khác', ymd(-30), 'rename+move'],
	])
	expect(await unitAsOf(div.unitId, late(-31))).toMatchObject({ name: 'Phòng Tệp', ancestors: [{ name: 'Tỉnh Tệp Lịch Sử' }, { name: 'Sở Tệp' }] })
})

test('the migration gives every existing unit a first period with its current name, parent and dates', async () => {
	const dirs = readdirSync('prisma/migrations').filter((d) => /^\d/.test(d)).sort()
	const ours = dirs.findIndex((d) => d.endsWith('_org_unit_history'))
	const pg = new PGlite()
	try {
		for (const d of dirs.slice(0, ours)) await pg.exec(readFileSync(`prisma/migrations/${d}/migration.sql`, 'utf8'))
		await pg.exec(`
			INSERT INTO "OrgUnit" (id, tree, kind, code, name, "parentId", path, depth, "validFrom", "validTo")
			VALUES (1, 'GOV', 'province', 'P', 'Tỉnh', NULL, '/1/', 0, '2020-01-01', NULL),
			       (2, 'GOV', 'department', 'D', 'Sở Đã Giải Thể', 1, '/1/2/', 1, '2021-01-01', '2025-07-01')`)
		await pg.exec(readFileSync(`prisma/migrations/${dirs[ours]}/migration.sql`, 'utf8'))
		const rows = await pg.query<{ orgUnitId: number; name: string; parentId: number | null; validTo: Date | null; change: string }>(
			'SELECT "orgUnitId", name, "parentId", "validTo", change FROM "OrgUnitHistory" ORDER BY "orgUnitId"',
		)
		expect(rows.rows).toMatchObject([
			{ orgUnitId: 1, name: 'Tỉnh', parentId: null, validTo: null, change: 'create' },
			{ orgUnitId: 2, name: 'Sở Đã Giải Thể', parentId: 1, change: 'create' },
		])
		expect(rows.rows[1]!.validTo).not.toBeNull()
	} finally {
		await pg.close()
	}
})

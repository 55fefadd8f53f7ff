import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { confirmImport, getImportJob, startImport } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { closeUnit, createUnit as addUnit, getTree, moveUnit, renameUnit } from '#app/org/tree.server.ts'
import * as editRoute from '#app/routes/org.$unitId_.tree.$targetId.tsx'
import * as treeRoute from '#app/routes/org.$unitId_.tree.tsx'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { rosterCsv, rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs, status } from '#tests/setup/routes.ts'

useTestDb()

const t = translator('vi')
const day = new Date()

const grant = (role: 'ADMIN' | 'MANAGER', unit: { id: number; path: string }) => [{ role, orgUnitId: unit.id, path: unit.path }]

test('units follow the 2025 structure: communes and departments under the province, divisions under either', async () => {
	const province = await createUnit('Tỉnh Cây')
	const admin = { actorId: (await createUser()).id, grants: grant('ADMIN', province) }
	const dept = await addUnit(province.id, { code: 'SNV-C', name: 'Sở Nội vụ', kind: 'department', validFrom: day }, admin)
	const commune = await addUnit(province.id, { code: 'XA-C', name: 'UBND xã An Phú', kind: 'commune', validFrom: day }, admin)
	expect(dept.ok && commune.ok).toBe(true)
	if (!dept.ok || !commune.ok) return
	expect(await addUnit(commune.unitId, { code: 'XA-C-P1', name: 'Phòng Văn hóa – Xã hội', kind: 'division', validFrom: day }, admin)).toMatchObject({ ok: true })
	expect(await addUnit(dept.unitId, { code: 'XA-X', name: 'Xã dưới sở', kind: 'commune', validFrom: day }, admin)).toEqual({ ok: false, error: 'bad-kind' })
	expect(await addUnit(dept.unitId, { code: 'SNV-C', name: 'Trùng mã', kind: 'division', validFrom: day }, admin)).toEqual({ ok: false, error: 'code-taken' })
	const created = await db.orgUnit.findFirstOrThrow({ where: { code: 'XA-C-P1' } })
	expect(created.path).toBe(`${province.path}${commune.unitId}/${created.id}/`)
	expect(await db.auditEvent.count({ where: { action: 'orgunit.create', actorId: admin.actorId } })).toBe(3)
})

test('a manager changes units below their own, not their own unit; moves carry the subtree; closing needs an empty unit', async () => {
	const province = await createUnit('Tỉnh Đổi')
	const dept = await createUnit('Sở Đổi', province)
	const other = await createUnit('Sở Khác', province)
	const divA = await createUnit('Phòng A', dept, 'division')
	const divB = await createUnit('Phòng B', other, 'division')
	const manager = { actorId: (await createUser()).id, grants: grant('MANAGER', dept) }
	expect(await renameUnit(dept.id, { name: 'Sở Mới', at: day }, manager)).toEqual({ ok: false, error: 'forbidden' })
	expect(await renameUnit(divA.id, { name: 'Phòng A mới', at: day }, manager)).toMatchObject({ ok: true })
	expect(await renameUnit(divB.id, { name: 'Không được', at: day }, manager)).toEqual({ ok: false, error: 'forbidden' })
	const admin = { actorId: (await createUser()).id, grants: grant('ADMIN', province) }
	expect(await moveUnit(dept.id, { parentId: divA.id, at: day }, admin)).toEqual({ ok: false, error: 'cycle' })
	expect(await moveUnit(divA.id, { parentId: province.id, at: day }, admin)).toEqual({ ok: false, error: 'bad-kind' })
	expect(await moveUnit(divA.id, { parentId: other.id, at: day }, admin)).toMatchObject({ ok: true })
	expect((await db.orgUnit.findUniqueOrThrow({ where: { id: divA.id } })).path).toBe(`${other.path}${divA.id}/`)
	const user = await db.user.create({ data: { fullName: 'Người Ở Lại' } })
	await db.membership.create({ data: { userId: user.id, orgUnitId: divA.id } })
	await db.membership.create({ data: { userId: user.id, orgUnitId: divB.id } })
	expect(await closeUnit(divA.id, { at: day }, admin)).toEqual({ ok: false, error: 'has-members' })
	expect(await closeUnit(dept.id, { at: day }, admin)).toMatchObject({ ok: true })
	const tree = await getTree(province)
	expect(tree.find((n) => n.id === other.id)?.memberCount).toBe(1)
	expect(tree.find((n) => n.id === province.id)?.memberCount).toBe(1)
	expect(tree.some((n) => n.id === dept.id)).toBe(false)
	expect((await getTree(province, { includeClosed: true })).some((n) => n.id === dept.id)).toBe(true)
	expect(await db.auditEvent.count({ where: { action: { in: ['orgunit.rename', 'orgunit.move', 'orgunit.close'] } } })).toBe(3)
})

test('a tree file creates units in any row order, renames known codes, and reports errors by row and column', async () => {
	const province = await createUnit('Tỉnh Nhập')
	const known = await createUnit('Sở Cũ', province)
	const outsideProvince = await createUnit('Tỉnh Khác')
	const elsewhere = await createUnit('Sở Tỉnh Khác', outsideProvince)
	const admin = await createUser({ unitId: province.id, role: 'ADMIN' })
	const headers = ['Mã đơn vị', 'Tên đơn vị', 'Mã đơn vị cấp trên', 'Loại']
	const bad = await rosterXlsx(
		[
			['P-1', 'Phòng Một', 'S-NEW', 'Phòng'],
			['S-NEW', 'Sở Mới', '', 'Sở'],
			['X-1', 'Xã Sai Chỗ', 'S-NEW', 'Xã'],
			['P-2', 'Phòng Hai', 'KHONG-CO', 'Phòng'],
			['P-3', 'Phòng Ba', 'S-NEW', 'Hội đồng'],
			[elsewhere.code, 'Chiếm mã', '', 'Sở'],
		],
		{ headers },
	)
	const jobId = await startImport({ kind: 'tree', bytes: bad, fileName: 'cay.xlsx', scope: province, actorId: admin.id, effectiveAt: day, wait: true })
	const job = await getImportJob(jobId, province.id)
	expect(job?.errors.items.map((e) => formatImportMessage(t, e))).toEqual([
		'Dòng 4, cột D (Loại): Loại đơn vị không phù hợp với đơn vị cấp trên (theo cơ cấu 2025: tỉnh → sở/ban/ngành → phòng; xã/phường trực thuộc tỉnh).',
		'Dòng 5, cột C (Mã đơn vị cấp trên): Mã đơn vị cấp trên «KHONG-CO» không có trong tệp hay trong cây.',
		'Dòng 6, cột D (Loại): Loại đơn vị «Hội đồng» không hợp lệ trong cây này.',
		`Dòng 7, cột A (Mã đơn vị): Mã «${elsewhere.code}» thuộc một đơn vị ngoài phạm vi của bạn.`,
	])
	expect(await confirmImport({ jobId, scope: province, actorId: admin.id, wait: true })).toBe(false)
	expect(await db.orgUnit.count({ where: { code: { in: ['P-1', 'S-NEW'] } } })).toBe(0)

	const good = rosterCsv(
		[
			['P-1', 'Phòng Một', 'S-NEW', 'Phòng'],
			['S-NEW', 'Sở Mới', '', 'sở, ban, ngành'],
			['X-1', 'UBND phường Đông', '', 'Phường'],
			[known.code, 'Sở Cũ (tên mới)', province.code, 'department'],
		],
		{ headers },
	)
	const okJob = await startImport({ kind: 'tree', bytes: good, fileName: 'cay.csv', scope: province, actorId: admin.id, effectiveAt: day, wait: true })
	expect(await getImportJob(okJob, province.id)).toMatchObject({ status: 'PREVIEW', created: 3, updated: 1, errors: { total: 0 } })
	expect(await confirmImport({ jobId: okJob, scope: province, actorId: admin.id, wait: true })).toBe(true)
	const p1 = await db.orgUnit.findFirstOrThrow({ where: { code: 'P-1' }, include: { parent: true } })
	expect(p1).toMatchObject({ kind: 'division', depth: 2, parent: { code: 'S-NEW', kind: 'department' } })
	expect(p1.path).toBe(`${p1.parent!.path}${p1.id}/`)
	expect(await db.orgUnit.findFirstOrThrow({ where: { code: 'X-1' } })).toMatchObject({ kind: 'commune', parentId: province.id })
	expect(await db.orgUnit.findUniqueOrThrow({ where: { id: known.id } })).toMatchObject({ name: 'Sở Cũ (tên mới)' })
	expect(await db.auditEvent.count({ where: { action: 'tree.import', targetId: okJob } })).toBe(1)
})

test('a manager of unit B can neither see nor change unit A’s tree', async () => {
	const province = await createUnit('Tỉnh Quyền')
	const a = await createUnit('Sở A', province)
	const b = await createUnit('Sở B', province)
	const aDiv = await createUnit('Phòng của A', a, 'division')
	const managerB = await createUser({ unitId: b.id, role: 'MANAGER' })
	const today = new Date().toISOString().slice(0, 10)
	expect(await status(async () => treeRoute.loader(routeArgs(await requestAs(managerB.id), { unitId: String(a.id) })))).toBe(403)
	expect(await status(async () => editRoute.loader(routeArgs(await requestAs(managerB.id), { unitId: String(b.id), targetId: String(aDiv.id) })))).toBe(404)
	expect(
		await status(async () =>
			editRoute.action(routeArgs(await postAs(managerB.id, { intent: 'rename', name: 'Bị đổi', at: today }, 'http://x/'), { unitId: String(b.id), targetId: String(aDiv.id) })),
		),
	).toBe(404)
	const created = await treeRoute.action(
		routeArgs(await postAs(managerB.id, { intent: 'create', parentId: String(a.id), code: 'LEN-LUT', name: 'Phòng lén', kind: 'division', validFrom: today }, 'http://x/'), { unitId: String(b.id) }),
	)
	expect(created.status).toBe(403)
	expect(await db.orgUnit.count({ where: { code: 'LEN-LUT' } })).toBe(0)
	expect((await db.orgUnit.findUniqueOrThrow({ where: { id: aDiv.id } })).name).toBe('Phòng của A')
	// Within B the manager can add a division (a plain form post, no JavaScript needed).
	const own = await treeRoute.action(
		routeArgs(await postAs(managerB.id, { intent: 'create', parentId: String(b.id), code: 'b-p1', name: 'Phòng Một của B', kind: 'division', validFrom: today }, 'http://x/'), { unitId: String(b.id) }),
	)
	expect(await own.json()).toMatchObject({ notice: 'Đã thêm Phòng Một của B.' })
	expect(await db.orgUnit.findFirstOrThrow({ where: { code: 'B-P1' } })).toMatchObject({ parentId: b.id })
})

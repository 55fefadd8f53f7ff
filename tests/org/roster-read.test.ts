// Issue 18 item 13: the preview shows how values were read (sample and every changed row), warns on implausible birth
// dates, accepts unit names as well as codes (close names offered otherwise), and maps look-alike letters ("Ð" U+00D0,
// Cyrillic "а") to Vietnamese ones before usernames are made.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { confirmRosterImport, getImportJob } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createManagedDepartment, createUnit, createUser, importRoster } from '#tests/factories/org.ts'
import { rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const t = translator('vi')

async function setup(name: string) {
	const { dept, divisions, manager } = await createManagedDepartment(name, { divisions: [`Phòng Tổ chức ${name}`, `Phòng Tài chính ${name}`] })
	return { dept, division: divisions[0]!, finance: divisions[1]!, manager }
}

async function preview(ctx: Awaited<ReturnType<typeof setup>>, rows: Parameters<typeof rosterXlsx>[0], headers?: Array<string>) {
	const bytes = await rosterXlsx(rows, headers ? { headers } : {})
	const jobId = await importRoster(bytes, { scope: ctx.dept, actorId: ctx.manager.id, fileName: 'ds.xlsx' })
	return { jobId, job: (await getImportJob(jobId, ctx.dept.id))! }
}

test('look-alike letters become Vietnamese ones in names and usernames', async () => {
	const ctx = await setup('A')
	const { jobId, job } = await preview(ctx, [
		['\u00D0ỗ Công', '', '', '', ctx.dept.code, '', '', ''],
		['Nguyễn V\u0430n \u0410nh', '', '', '', ctx.dept.code, '', '', ''],
	])
	expect(job.errors.total).toBe(0)
	expect(job.preview.rows.map((r) => r.name)).toEqual(['Đỗ Công', 'Nguyễn Van Anh'])
	await confirmRosterImport({ jobId, scope: ctx.dept, actorId: ctx.manager.id, wait: true })
	expect(await db.user.findFirst({ where: { fullName: 'Đỗ Công' }, select: { username: true } })).toEqual({ username: 'cong.d' })
	expect(await db.user.findFirst({ where: { fullName: 'Nguyễn Van Anh' }, select: { username: true } })).toEqual({ username: 'anh.nv' })
})

test('a unit may be written by its name; an unknown one lists close names, an ambiguous one asks for the code', async () => {
	const ctx = await setup('B')
	const { job } = await preview(ctx, [
		['Người Một', '', '', '', '  phòng   TỔ CHỨC b ', '', '', ''],
		['Người Hai', '', '', '', ctx.finance.code.toLowerCase(), '', '', ''],
	])
	expect(job.errors.total).toBe(0)
	expect(job.preview.rows.map((r) => [r.unit, r.unitCode, r.unitByName])).toEqual([
		['Phòng Tổ chức B', ctx.division.code, true],
		['Phòng Tài chính B', ctx.finance.code, false],
	])
	// A file whose unit column is headed "Đơn vị" and holds names.
	const named = await preview(ctx, [['Người Ba', 'Phòng Tài chính B']], ['Họ và tên', 'Đơn vị'])
	expect(named.job.errors.total).toBe(0)
	expect(named.job.preview.rows[0]).toMatchObject({ unitCode: ctx.finance.code, unitByName: true })

	const wrong = await preview(ctx, [['Người Bốn', '', '', '', 'Phòng Tổ chưc B', '', '', '']])
	expect(wrong.job.errors.items.map((e) => formatImportMessage(t, e))).toEqual([
		`Dòng 2, cột E (Mã đơn vị): «Phòng Tổ chưc B» không phải mã hay tên đơn vị nào trong Sở B. Có phải là: Phòng Tổ chức B (${ctx.division.code}); Phòng Tài chính B (${ctx.finance.code})?`,
	])
	await createUnit('Phòng Tổ chức B', ctx.finance, 'division')
	const twice = await preview(ctx, [['Người Năm', '', '', '', 'Phòng Tổ chức B', '', '', '']])
	expect(twice.job.errors.items.map((e) => e.key)).toEqual(['import.unit.ambiguous'])
})

test('the preview shows how dates, phones and units were read for the first rows and every changed row, and warns on implausible births', async () => {
	const ctx = await setup('C')
	const existing = await createUser({ fullName: 'Lê Văn Cũ' })
	await db.membership.create({ data: { userId: existing.id, orgUnitId: ctx.division.id, title: 'Chuyên viên' } })
	const filler = Array.from({ length: 10 }, (_, i) => [`Người Mẫu ${String.fromCharCode(65 + i)}`, '', '', '', ctx.dept.code, '', '', ''])
	const { job } = await preview(ctx, [
		['Trần Thị Số', 33000, '', 912345678, ctx.dept.code, '', '', ''],
		['Phạm Văn Trẻ', '01/01/2015', '', '+84 912 000 111', ctx.dept.code, '', '', ''],
		['Vũ Văn Già', '1935', '', '', ctx.dept.code, '', '', ''],
		...filler,
		['Lê Văn Cũ', '', '', '', ctx.division.code, 'Trưởng phòng', '', ''],
	])
	expect(job.errors.total).toBe(0)
	const rows = job.preview.rows
	expect(rows).toHaveLength(11)
	expect(rows[0]).toMatchObject({ row: 2, birth: '07/05/1990', birthNote: 'serial', phone: '0912345678', phoneNote: 'zero', action: 'new' })
	expect(rows[1]).toMatchObject({ row: 3, birth: '01/01/2015', phone: '0912000111', phoneNote: '84' })
	expect(rows[2]).toMatchObject({ row: 4, birth: '1935', birthNote: 'year' })
	// Row 15 is past the sample but changes someone already there: shown with what changes.
	expect(rows[10]).toMatchObject({ row: 15, name: 'Lê Văn Cũ', action: 'update', changes: [{ field: 'title', from: 'Chuyên viên', to: 'Trưởng phòng' }] })
	const warnings = job.warnings.items.map((w) => formatImportMessage(t, w))
	const age = new Date().getUTCFullYear() - 2015
	expect(warnings).toContain(`Dòng 3, cột B (Ngày sinh): Ngày sinh «01/01/2015»: người này mới ${age} tuổi, chưa đủ tuổi làm cán bộ, công chức; hãy kiểm tra lại.`)
	expect(warnings).toContain('Dòng 4, cột B (Ngày sinh): Ngày sinh «1935» trước năm 1940: hãy kiểm tra lại (có thể gõ nhầm năm).')
})

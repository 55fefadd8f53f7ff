import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { confirmRosterImport, getImportJob } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createManagedDepartment, importRoster, requestAs } from '#tests/factories/org.ts'
import { rosterCsv, rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const t = translator('vi')
const today = new Date()

async function setup(name: string) {
	const { province, dept, divisions, siblings, manager } = await createManagedDepartment(name, { divisions: [`Phòng ${name}`], siblings: [`Sở khác ${name}`] })
	return { province, dept, division: divisions[0]!, other: siblings[0]!, manager, scope: dept }
}

async function importFile(bytes: Buffer, ctx: Awaited<ReturnType<typeof setup>>, mode: 'upsert' | 'sync' = 'upsert', effectiveAt = today) {
	const jobId = await importRoster(bytes, { scope: ctx.scope, actorId: ctx.manager.id, mode, effectiveAt })
	const preview = await getImportJob(jobId, ctx.dept.id)
	return { jobId, preview: preview! }
}

async function counts() {
	return { users: await db.user.count(), memberships: await db.membership.count(), active: await db.membership.count({ where: { validTo: null } }) }
}

test('an XLSX roster becomes accounts and memberships in one confirmed import, audited once', async () => {
	const ctx = await setup('A')
	const file = await rosterXlsx(
		[
			['  Nguye\u0302\u0303n   Thi\u0323 Hương ', new Date(Date.UTC(1985, 2, 15)), 'Huong.NT@Example.vn', '0912 345 678', ctx.dept.code, 'Chuyên viên', 'mạng xã hội; Lãnh đạo', 'Có'],
			['Trần Văn Bình', '02/01/1990', '', 912345679, ctx.division.code.toLowerCase(), 'Trưởng phòng', 'lãnh đạo', 'x'],
			['Lê Thị Cúc', 33000, null, null, ctx.division.code, null, null, 'Không'],
		],
		{ titleRows: [['DANH SÁCH CÁN BỘ, CÔNG CHỨC'], []], merges: ['A1:H1'] },
	)
	const { jobId, preview } = await importFile(file, ctx)
	expect(preview.errors.items.map((e) => formatImportMessage(t, e))).toEqual([])
	expect(preview).toMatchObject({ status: 'PREVIEW', rowCount: 3, newUsers: 3, created: 3, updated: 0, ended: 0 })
	expect(await db.user.count({ where: { email: 'huong.nt@example.vn' } })).toBe(0)

	expect(await confirmRosterImport({ jobId, scope: ctx.scope, actorId: ctx.manager.id, request: await requestAs(ctx.manager.id), wait: true })).toBe(true)
	const done = await getImportJob(jobId, ctx.dept.id)
	expect(done).toMatchObject({ status: 'SUCCEEDED', newUsers: 3, created: 3 })
	const huong = await db.user.findUniqueOrThrow({ where: { email: 'huong.nt@example.vn' }, include: { memberships: true } })
	expect(huong).toMatchObject({ fullName: 'Nguyễn Thị Hương', phone: '0912345678', status: 'PENDING', birthYear: 1985, username: 'huong.nt' })
	expect(huong.birthDate?.toISOString().slice(0, 10)).toBe('1985-03-15')
	expect(huong.memberships).toMatchObject([{ orgUnitId: ctx.dept.id, title: 'Chuyên viên', tags: ['social-media', 'leader'], countsInTarget: true, importJobId: jobId }])
	const binh = await db.user.findFirstOrThrow({ where: { fullName: 'Trần Văn Bình' }, include: { memberships: true } })
	expect(binh).toMatchObject({ phone: '0912345679', username: 'binh.tv' })
	expect(binh.memberships[0]).toMatchObject({ orgUnitId: ctx.division.id, tags: ['leader'] })
	const cuc = await db.user.findFirstOrThrow({ where: { fullName: 'Lê Thị Cúc' }, include: { memberships: true } })
	expect(cuc.birthDate?.toISOString().slice(0, 10)).toBe('1990-05-07')
	expect(cuc.memberships[0]!.countsInTarget).toBe(false)
	expect(await db.auditEvent.count({ where: { action: 'roster.import', targetId: jobId, actorId: ctx.manager.id } })).toBe(1)
	// A second confirm of the same job does nothing.
	expect(await confirmRosterImport({ jobId, scope: ctx.scope, actorId: ctx.manager.id, wait: true })).toBe(false)

	// The same file again: everyone recognised, nothing to create.
	const again = await importFile(file, ctx)
	expect(again.preview).toMatchObject({ newUsers: 0, created: 0, updated: 0, unchanged: 3 })
})

test('CSV exports in UTF-8 with BOM, UTF-16 and Windows-1258 with semicolons read the same', async () => {
	const ctx = await setup('B')
	const rows = [
		['Nguyễn Thị Hương', '15/03/1985', 'huong.b@example.vn', '0912000001', ctx.dept.code, 'Chuyên viên', 'Người phát ngôn', 'Có'],
		['Phạm Quốc Việt', '1979', '', '', ctx.division.code, 'Phó trưởng phòng', '', ''],
	]
	for (const [encoding, delimiter] of [['utf8', ','], ['utf8bom', ','], ['utf16le', '\t'], ['utf16be', '\t'], ['win1258', ';']] as const) {
		const { preview } = await importFile(rosterCsv(rows, { encoding, delimiter }), ctx)
		expect(preview.errors.items.map((e) => formatImportMessage(t, e)), encoding).toEqual([])
		expect(preview, encoding).toMatchObject({ rowCount: 2, newUsers: 2, created: 2 })
	}
	const { jobId } = await importFile(rosterCsv(rows, { encoding: 'win1258', delimiter: ';' }), ctx)
	await confirmRosterImport({ jobId, scope: ctx.scope, actorId: ctx.manager.id, wait: true })
	const viet = await db.user.findFirstOrThrow({ where: { fullName: 'Phạm Quốc Việt' } })
	expect(viet.fullName).toBe('Phạm Quốc Việt'.normalize('NFC'))
	expect(viet.birthYear).toBe(1979)
	expect(await db.membership.count({ where: { user: { email: 'huong.b@example.vn' }, tags: { has: 'spokesperson' } } })).toBe(1)
})

test('errors name the row and column, block the confirm, and nothing is written', async () => {
	const ctx = await setup('C')
	// On the manager's roster, so the message may name them (someone outside it is never named: the re-check test below).
	const taken = await db.user.create({ data: { fullName: 'Hoàng Văn Có Sẵn', email: 'taken@example.vn' } })
	await db.membership.create({ data: { userId: taken.id, orgUnitId: ctx.division.id } })
	const before = await counts()
	const file = await rosterXlsx([
		['Đúng Người', '01/01/1980', 'ok@example.vn', '', ctx.dept.code, '', '', ''],
		['', '01/01/1980', '', '', ctx.dept.code, '', '', ''],
		['Sai Ngày', '31/02/1980', '', '', ctx.dept.code, '', '', ''],
		['Sai Thư', '', 'khong-phai-email', '', ctx.dept.code, '', '', ''],
		['Sai Mã', '', '', '', 'KHONG-CO', '', '', ''],
		['Ngoài Phạm Vi', '', '', '', ctx.other.code, '', '', ''],
		['Người Khác', '', 'taken@example.vn', '', ctx.dept.code, '', '', ''],
		['Đúng Người', '01/01/1980', 'ok@example.vn', '', ctx.dept.code, '', '', ''],
		['Sai Điện Thoại', '', '', '12345', ctx.dept.code, '', '', 'có lẽ'],
	])
	const { jobId, preview } = await importFile(file, ctx)
	const lines = preview.errors.items.map((e) => formatImportMessage(t, e))
	expect(lines).toEqual([
		'Dòng 3, cột A (Họ và tên): Thiếu họ và tên.',
		'Dòng 4, cột B (Ngày sinh): Ngày sinh «31/02/1980» không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 15/03/1985.',
		'Dòng 5, cột C (Email): Email «khong-phai-email» không đúng định dạng.',
		`Dòng 6, cột E (Mã đơn vị): Mã đơn vị «KHONG-CO» không có trong ${ctx.dept.name} (xem trang «Mã đơn vị» của tệp mẫu).`,
		`Dòng 7, cột E (Mã đơn vị): Mã đơn vị «${ctx.other.code}» không có trong ${ctx.dept.name} (xem trang «Mã đơn vị» của tệp mẫu).`,
		'Dòng 8, cột C (Email): Đã được dùng cho một người khác trong hệ thống: Hoàng Văn Có Sẵn.',
		'Dòng 9, cột A (Họ và tên): Trùng với dòng 2 (cùng người, cùng đơn vị).',
		'Dòng 10, cột D (Số điện thoại): Số điện thoại «12345» không hợp lệ (cần 10 chữ số, bắt đầu bằng 0).',
		'Dòng 10, cột H (Tính vào chỉ tiêu): Giá trị «co le» không hợp lệ; hãy ghi Có hoặc Không.',
	])
	expect(await confirmRosterImport({ jobId, scope: ctx.scope, actorId: ctx.manager.id, wait: true })).toBe(false)
	expect(await counts()).toEqual(before)
})

test('sync ends the memberships of people missing from the file at the chosen date and deletes nobody', async () => {
	const ctx = await setup('D')
	const first = await rosterXlsx([
		['Người Một', '01/01/1981', 'mot.d@example.vn', '', ctx.dept.code, '', '', ''],
		['Người Hai', '01/01/1982', 'hai.d@example.vn', '', ctx.division.code, '', '', ''],
		['Người Ba', '01/01/1983', 'ba.d@example.vn', '', ctx.division.code, '', '', ''],
	])
	const a = await importFile(first, ctx)
	await confirmRosterImport({ jobId: a.jobId, scope: ctx.scope, actorId: ctx.manager.id, wait: true })
	const usersBefore = await db.user.count()
	const leaving = new Date('2026-12-31T17:00:00Z')
	// "Người Hai" moves to the department; "Người Ba" leaves. The manager's own membership is not in the file either,
	// and a file never ends it (issue 16): it is kept with a warning.
	const second = await rosterXlsx([
		['Người Một', '01/01/1981', 'mot.d@example.vn', '', ctx.dept.code, 'Chuyên viên chính', '', ''],
		['Người Hai', '01/01/1982', 'hai.d@example.vn', '', ctx.dept.code, '', '', ''],
	])
	const b = await importFile(second, ctx, 'sync', leaving)
	expect(b.preview).toMatchObject({ created: 1, updated: 1, ended: 2, newUsers: 0 })
	expect(b.preview.warnings.items.map((w) => w.key)).toContain('import.warn.keptSelf')
	await confirmRosterImport({ jobId: b.jobId, scope: ctx.scope, actorId: ctx.manager.id, wait: true })
	expect(await db.user.count()).toBe(usersBefore)
	const hai = await db.membership.findMany({ where: { user: { email: 'hai.d@example.vn' } }, orderBy: { createdAt: 'asc' } })
	expect(hai.map((m) => [m.orgUnitId, m.validTo?.toISOString() ?? null])).toEqual([
		[ctx.division.id, leaving.toISOString()],
		[ctx.dept.id, null],
	])
	const ba = await db.membership.findFirstOrThrow({ where: { user: { email: 'ba.d@example.vn' } } })
	expect(ba.validTo?.toISOString()).toBe(leaving.toISOString())
	expect(await db.membership.findFirstOrThrow({ where: { user: { email: 'mot.d@example.vn' } } })).toMatchObject({ title: 'Chuyên viên chính', validTo: null })
	expect(await db.membership.findFirstOrThrow({ where: { userId: ctx.manager.id } })).toMatchObject({ validTo: null })
})

test('a confirm re-checks the file: a clash added after the preview fails the import with nothing written', async () => {
	const ctx = await setup('E')
	const file = await rosterXlsx([
		['Người Mới', '', 'moi.e@example.vn', '', ctx.dept.code, '', '', ''],
		['Người Muộn', '', 'muon.e@example.vn', '', ctx.dept.code, '', '', ''],
	])
	const { jobId, preview } = await importFile(file, ctx)
	expect(preview.errors.total).toBe(0)
	await db.user.create({ data: { fullName: 'Ai Đó Khác', email: 'muon.e@example.vn' } })
	const before = await counts()
	await confirmRosterImport({ jobId, scope: ctx.scope, actorId: ctx.manager.id, wait: true })
	const job = await getImportJob(jobId, ctx.dept.id)
	expect(job?.status).toBe('FAILED')
	expect(job?.errors.items.map((e) => formatImportMessage(t, e))).toEqual(['Dòng 3, cột C (Email): Đã được dùng cho một người khác, ngoài phạm vi bạn quản lý; hãy kiểm tra lại với người này.'])
	expect(await counts()).toEqual(before)
	// Another unit's page cannot show this job.
	expect(await getImportJob(jobId, ctx.other.id)).toBeNull()
})

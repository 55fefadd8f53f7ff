import ExcelJS from 'exceljs'
import { expect, test } from 'vitest'
import { activateAccount } from '#app/auth/activation.server.ts'
import { db } from '#app/db.server.ts'
import * as codesRoute from '#app/routes/org.$unitId_.imports.$jobId_.codes.ts'
import * as errorsRoute from '#app/routes/org.$unitId_.imports.$jobId_.errors[.]xlsx.ts'
import * as jobRoute from '#app/routes/org.$unitId_.imports.$jobId.tsx'
import * as uploadRoute from '#app/routes/org.$unitId_.imports._index.tsx'
import * as templateRoute from '#app/routes/org.$unitId_.imports.template[.]xlsx.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { rosterCsv, rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs, status } from '#tests/setup/routes.ts'

useTestDb()

async function upload(userId: string, unitId: number, file: Buffer, name = 'danh-sach.xlsx', mode = 'upsert') {
	const effectiveAt = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10)
	const request = await postAs(userId, { file: new File([new Uint8Array(file)], name), mode, effectiveAt }, `http://localhost/org/${unitId}/imports?index`)
	return uploadRoute.action(routeArgs(request, { unitId: String(unitId) }))
}

async function readXlsx(response: Response) {
	const workbook = new ExcelJS.Workbook()
	await workbook.xlsx.load(await response.arrayBuffer())
	return workbook
}

test('upload → preview → confirm → print cards through the routes, with codes that activate accounts', async () => {
	const province = await createUnit('Tỉnh R')
	const dept = await createUnit('Sở R', province)
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	const template = await templateRoute.loader(routeArgs(await requestAs(manager.id), { unitId: String(dept.id) }))
	expect(template.headers.get('Content-Disposition')).toContain('mau-danh-sach-can-bo.xlsx')
	const book = await readXlsx(template)
	expect(book.worksheets.map((w) => w.name)).toEqual(['Danh sách', 'Mã đơn vị', 'Hướng dẫn'])
	expect(book.getWorksheet('Danh sách')!.getRow(1).values).toEqual([undefined, 'Họ và tên', 'Ngày sinh', 'Email', 'Số điện thoại', 'Mã đơn vị', 'Chức vụ', 'Nhóm', 'Tính vào chỉ tiêu'])
	expect(book.getWorksheet('Mã đơn vị')!.getCell('A2').value).toBe(dept.code)

	const bad = await rosterXlsx([['Người Một', '40/40/1980', '', '', dept.code, '', '', '']])
	const badRedirect = (await upload(manager.id, dept.id, bad)) as Response
	expect(badRedirect.status).toBe(302)
	const badJobId = badRedirect.headers.get('Location')!.split('/').at(-1)!
	const errors = await errorsRoute.loader(routeArgs(await requestAs(manager.id), { unitId: String(dept.id), jobId: badJobId }))
	const errorSheet = (await readXlsx(errors)).getWorksheet('Lỗi')!
	expect(errorSheet.getRow(4).values).toEqual([
		undefined,
		2,
		'B',
		'Ngày sinh',
		'Dòng 2, cột B (Ngày sinh): Ngày sinh «40/40/1980» không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 15/03/1985.',
	])

	const good = await rosterXlsx([
		['Người Một', '01/01/1980', '', '', dept.code, '', '', ''],
		['Người Hai', '02/02/1982', 'hai.r@example.vn', '', dept.code, '', '', ''],
	])
	const redirect = (await upload(manager.id, dept.id, good)) as Response
	const jobId = redirect.headers.get('Location')!.split('/').at(-1)!
	const page = await jobRoute.loader(routeArgs(await requestAs(manager.id), { unitId: String(dept.id), jobId }))
	const data = await page.json()
	expect(data.job).toMatchObject({ status: 'PREVIEW', newUsers: 2, errors: { total: 0 } })
	await jobRoute.action(routeArgs(await requestAs(manager.id, 'http://localhost/', { method: 'POST' }), { unitId: String(dept.id), jobId }))
	expect(await db.importJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: 'SUCCEEDED', created: 2 })

	const xlsx = await codesRoute.action(routeArgs(await postAs(manager.id, { format: 'xlsx' }), { unitId: String(dept.id), jobId }))
	const rows = (await readXlsx(xlsx)).worksheets[0]!.getSheetValues().slice(2) as Array<Array<string>>
	expect(rows.map((r) => r[1])).toEqual(['Người Hai', 'Người Một'])
	const [, , , username, , code] = rows[1]!
	expect(await activateAccount(username!, code!, 'mat-khau-moi-du-dai')).not.toBeNull()
	const pdf = await codesRoute.action(routeArgs(await postAs(manager.id, { format: 'pdf' }), { unitId: String(dept.id), jobId }))
	const bytes = Buffer.from(await pdf.arrayBuffer())
	expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
	// The first download issues the batch, the second prints the same codes again; both are audited.
	expect(await db.auditEvent.count({ where: { action: 'activation.issue', targetId: jobId } })).toBe(1)
	expect(await db.auditEvent.count({ where: { action: 'activation.print', targetId: jobId } })).toBe(1)
})

test('a manager of unit B can neither see nor change unit A’s imports', async () => {
	const province = await createUnit('Tỉnh S')
	const a = await createUnit('Sở A', province)
	const b = await createUnit('Sở B', province)
	const managerA = await createUser({ unitId: a.id, role: 'MANAGER' })
	const managerB = await createUser({ unitId: b.id, role: 'MANAGER' })
	const learner = await createUser({ unitId: a.id })
	const file = await rosterXlsx([['Người Ba', '', '', '', a.code, '', '', '']])
	const jobId = ((await upload(managerA.id, a.id, file)) as Response).headers.get('Location')!.split('/').at(-1)!
	const asB = () => requestAs(managerB.id)
	expect(await status(async () => uploadRoute.loader(routeArgs(await asB(), { unitId: String(a.id) })))).toBe(403)
	expect(await status(async () => upload(managerB.id, a.id, file))).toBe(403)
	expect(await status(async () => upload(learner.id, a.id, file))).toBe(403)
	expect(await status(async () => jobRoute.loader(routeArgs(await asB(), { unitId: String(a.id), jobId })))).toBe(403)
	// Through B's own unit the job of A does not exist.
	expect(await status(async () => jobRoute.loader(routeArgs(await asB(), { unitId: String(b.id), jobId })))).toBe(404)
	expect(await status(async () => errorsRoute.loader(routeArgs(await asB(), { unitId: String(b.id), jobId })))).toBe(404)
	expect(await status(async () => templateRoute.loader(routeArgs(await asB(), { unitId: String(a.id) })))).toBe(403)
	expect(await status(async () => jobRoute.action(routeArgs(await requestAs(managerB.id, 'http://localhost/', { method: 'POST' }), { unitId: String(a.id), jobId })))).toBe(403)
	// B's own code in a file uploaded to B's page cannot reach unit A either.
	const sneaky = await rosterXlsx([['Người Bốn', '', '', '', a.code, '', '', '']])
	const sneakyJob = ((await upload(managerB.id, b.id, sneaky)) as Response).headers.get('Location')!.split('/').at(-1)!
	const job = await db.importJob.findUniqueOrThrow({ where: { id: sneakyJob } })
	expect(JSON.stringify(job.errors)).toContain('import.unit.unknown')
	expect(await status(async () => jobRoute.action(routeArgs(await requestAs(managerB.id, 'http://localhost/', { method: 'POST' }), { unitId: String(b.id), jobId: sneakyJob })))).toBe(302)
	expect(await db.user.count({ where: { fullName: 'Người Bốn' } })).toBe(0)
	expect(await db.importJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: 'PREVIEW' })
})

test('a large file is checked and imported in the background while its page refreshes itself', async () => {
	const dept = await createUnit('Sở Lớn')
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	const given = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Lan', 'Mai', 'Nam']
	const rows = Array.from({ length: 12_000 }, (_, i) => [`Nguyễn Văn ${given[i % 8]}`, '', `nguoi${i}@lon.example.vn`, '', dept.code, 'Chuyên viên', '', 'Có'])
	const bytes = rosterCsv(rows)
	expect(bytes.length).toBeGreaterThan(256 * 1024)
	const redirect = (await upload(manager.id, dept.id, bytes, 'lon.csv')) as Response
	const jobId = redirect.headers.get('Location')!.split('/').at(-1)!
	// The response came back before the check finished.
	expect((await db.importJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe('VALIDATING')
	const pageData = async () => (await jobRoute.loader(routeArgs(await requestAs(manager.id), { unitId: String(dept.id), jobId }))).json()
	const metaOf = (data: unknown) => jobRoute.meta({ data, params: {}, matches: [], location: { pathname: '/', search: '', hash: '', state: null, key: '' } } as unknown as Parameters<typeof jobRoute.meta>[0])
	expect(metaOf({ busy: true, job: { fileName: 'lon.csv' } })).toContainEqual({ httpEquiv: 'refresh', content: '2' })
	const until = async (status: string) => {
		for (let i = 0; i < 600; i++) {
			const data = await pageData()
			if (data.job.status === status) return data
			await new Promise((r) => setTimeout(r, 100))
		}
		throw new Error(`job never reached ${status}`)
	}
	expect((await until('PREVIEW')).job).toMatchObject({ newUsers: 12_000, errors: { total: 0 } })
	await jobRoute.action(routeArgs(await requestAs(manager.id, 'http://localhost/', { method: 'POST' }), { unitId: String(dept.id), jobId }))
	const done = await until('SUCCEEDED')
	expect(done.busy).toBe(false)
	expect(metaOf(done)).not.toContainEqual({ httpEquiv: 'refresh', content: '2' })
	expect(await db.membership.count({ where: { importJobId: jobId } })).toBe(12_000)
})

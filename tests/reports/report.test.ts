// Periodic reports from month-end snapshots: the XLSX read back equals the dashboard's numbers at that instant, the
// PDF says the totals, the CSV is one line per unit; missing snapshots and bad requests are said, never a 500.
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { beforeAll, expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { getChildRows } from '#app/reports/completion.server.ts'
import { periodEnd } from '#app/reports/completion.ts'
import { buildReport, isReport, parseReportPeriod, type Report, reportCsv, reportPdf, reportXlsx, summaryText } from '#app/reports/report.server.ts'
import { takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { loader as downloadLoader } from '#app/routes/org.$unitId_.reports_.$format.ts'
import { assign, certify, createCourse, enroll, join } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { pdfText } from '../certificates/pdf-text.ts'

let world: Awaited<ReturnType<typeof setUp>>
const MONTH = '2026-03'

async function setUp() {
	const root = await createUnit('Tỉnh Báo Cáo')
	const a = await createUnit('Sở Ánh Dương', root)
	const b = await createUnit('Sở Bình Minh', root)
	const a1 = await createUnit('Phòng Một', a, 'division')
	const course = await createCourse('bao-cao-dinh-ky')
	await assign(course, root, { dueAt: new Date('2026-02-28T00:00:00Z') })
	const people = await Promise.all(['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung'].map((fullName) => createUser({ fullName, password: null })))
	await join(people[0]!, a1)
	await join(people[1]!, a1)
	await join(people[2]!, b)
	await join(people[3]!, b)
	await certify(people[0]!, course.versions[0]!, { issuedAt: new Date('2026-01-15T00:00:00Z') })
	await certify(people[2]!, course.versions[0]!, { issuedAt: new Date('2026-03-20T00:00:00Z') })
	await enroll(people[1]!, course.versions[0]!, { startedAt: new Date('2026-02-01T00:00:00Z') })
	// A certificate after the month: must not change the report of March.
	await certify(people[3]!, course.versions[0]!, { issuedAt: new Date('2026-04-10T00:00:00Z') })
	const manager = await createUser()
	await db.roleGrant.create({ data: { userId: manager.id, orgUnitId: a.id, role: 'MANAGER' } })
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })
	return { root, a, b, a1, course, manager, admin }
}

useTestDb()
beforeAll(async () => {
	world = await setUp()
})

async function collect(stream: Readable) {
	const chunks: Array<Buffer> = []
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array))
	return Buffer.concat(chunks)
}

test('report periods: first half, the year up to November, any months; malformed or reversed ones are refused', () => {
	expect(parseReportPeriod('h1-2026')).toMatchObject({ from: '2026-01', to: '2026-06' })
	expect(parseReportPeriod('year-2026')).toMatchObject({ from: '2025-12', to: '2026-11' })
	expect(parseReportPeriod('2026-02..2026-05')).toMatchObject({ from: '2026-02', to: '2026-05' })
	for (const bad of ['', 'h2-2026', 'year-26', '2026-05..2026-02', '2026-13..2026-14', "2026-01..2026-02'; DROP"]) expect(parseReportPeriod(bad)).toBeNull()
})

test('before any snapshot the report says which months are missing; the download sends back to the page', async () => {
	const period = parseReportPeriod('2026-01..2026-03')!
	const problem = await buildReport(world.root.id, period, null)
	expect(problem && !isReport(problem) && problem.missing).toEqual(['2026-01', '2026-02', '2026-03'])
	const request = await requestAs(world.admin.id, `http://localhost/org/${world.root.id}/reports/xlsx?period=2026-01..2026-03`)
	const response = await downloadLoader({ request, params: { unitId: String(world.root.id), format: 'xlsx' }, context: {} })
	expect(response.status).toBe(303)
	expect(response.headers.get('Location')).toContain(`/org/${world.root.id}/reports?period=2026-01..2026-03`)
})

test('the XLSX read back equals the dashboard at the month’s end; the PDF and CSV carry the same totals', async () => {
	await takeMonthSnapshot(MONTH)
	const built = await buildReport(world.root.id, parseReportPeriod('2026-01..2026-03')!, { id: world.course.id, title: 'Báo cáo định kỳ' })
	expect(built && isReport(built)).toBe(true)
	const report = built as Report
	expect(report.last.period).toBe(MONTH)
	expect(report.missing).toEqual(['2026-01', '2026-02'])
	const live = (await getChildRows(world.root.id, { courseId: world.course.id, at: periodEnd(MONTH) }))!
	expect(report.last.total).toEqual(live.total)
	expect(report.last.total).toMatchObject({ target: 4, completed: 2, inProgress: 1, overdue: 2 })

	const book = new ExcelJS.Workbook()
	await book.xlsx.load((await collect(reportXlsx(report))) as unknown as ArrayBuffer)
	expect(book.worksheets.map((s) => s.name)).toEqual(['Tổng hợp', 'Cấp 1', 'Cấp 2'])
	const level1 = book.getWorksheet('Cấp 1')!
	const sheetRows = new Map<string, Array<unknown>>()
	level1.eachRow((row, n) => {
		if (n > 5) sheetRows.set(String(row.getCell(1).value), [2, 3, 4, 5, 6, 7].map((c) => row.getCell(c).value))
	})
	for (const row of live.rows) {
		expect(sheetRows.get(row.unit.name), row.unit.name).toEqual([row.target, row.completed, row.rate === null ? null : Math.round(row.rate * 1000) / 10, row.inProgress, row.notStarted, row.overdue])
	}
	expect(level1.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 })
	expect(book.getWorksheet('Cấp 2')!.getRow(6).getCell(1).value).toBe('Phòng Một')
	expect(book.getWorksheet('Tổng hợp')!.getRow(6).getCell(2).value).toBe(4)

	const text = pdfText((await collect(reportPdf(report))) as Buffer)
	expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
	expect(text).toContain('Sở Ánh Dương')
	expect(summaryText(report)).toContain('có 4 lượt')
	// The summary is justified: pdfkit places its words one by one, so the extracted text has no spaces there.
	expect(text.replace(/\s+/g, '')).toContain('đãhoànthành2lượt,đạt50,0%')
	expect(text.replace(/\s+/g, ' ')).toContain('Tổng Tỉnh Báo Cáo 4 2 50,0% 1 1 2')

	const csv = reportCsv(report).split('\r\n')
	expect(csv[0]).toBe('\uFEFFCấp,Mã đơn vị,Đơn vị,Phải hoàn thành,Đã hoàn thành,Tỉ lệ (%),Đang học,Chưa bắt đầu,Quá hạn,Tháng')
	expect(csv[1]).toContain('Tỉnh Báo Cáo,4,2,50,1,1,2,2026-03')
})

test('downloads are scoped and audited: a manager of one department gets it for that department only', async () => {
	const url = (unitId: number) => `http://localhost/org/${unitId}/reports/csv?period=2026-01..2026-03`
	const own = await downloadLoader({ request: await requestAs(world.manager.id, url(world.a.id)), params: { unitId: String(world.a.id), format: 'csv' }, context: {} })
	expect(own.status).toBe(200)
	expect(own.headers.get('Content-Disposition')).toContain('Bao-cao_So-Anh-Duong_2026-01..2026-03.csv')
	expect(await db.auditEvent.count({ where: { action: 'report.export', actorId: world.manager.id } })).toBe(1)
	const other = await downloadLoader({ request: await requestAs(world.manager.id, url(world.b.id)), params: { unitId: String(world.b.id), format: 'csv' }, context: {} }).catch(
		(thrown: unknown) => thrown,
	)
	expect(other instanceof Response && other.status).toBe(403)
})

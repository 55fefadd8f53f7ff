// Youth dashboards and reports (issue 10 item 4), built on the dashboards and reports module: the Tỉnh đoàn's
// ranking of đoàn cơ sở and chi đoàn with the completion rule's numbers, its community digital teams, the youth
// wording, and the periodic report (XLSX read back, PDF text, CSV) carrying the same numbers and the youth title.
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { type OrgKind } from '#app/db-types.ts'
import { getCommunityTeams } from '#app/reports/community.server.ts'
import { getChildRows, getLevelRows, rollupRefreshSettled } from '#app/reports/completion.server.ts'
import { periodEnd } from '#app/reports/completion.ts'
import { buildReport, COMMUNITY_SHEET, isReport, parseReportPeriod, type Report, reportCsv, reportPdf, reportXlsx, summaryText, YOUTH_REPORT_TITLE } from '#app/reports/report.server.ts'
import { takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { loader as dashboardLoader } from '#app/routes/org.$unitId_.dashboard.tsx'
import { loader as downloadLoader } from '#app/routes/org.$unitId_.reports_.$format.ts'
import { assign, certify, createCourse, enroll, join } from '#tests/factories/learning.ts'
import { createUnit, createUser, createYouthRoot, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { pdfText } from '../certificates/pdf-text.ts'

let world: Awaited<ReturnType<typeof setUp>>
const MONTH = '2026-03'
const AT = periodEnd(MONTH)

async function setUp() {
	const root = await createYouthRoot('Tỉnh đoàn Thử Nghiệm')
	const under = (name: string, parent: Parameters<typeof createUnit>[1], kind: OrgKind) => createUnit(name, parent, kind)
	const dcsA = await under('Đoàn xã An Hòa', root, 'youth_grassroots')
	const dcsB = await under('Đoàn trường THPT Bình Minh', root, 'youth_grassroots')
	const cdA1 = await under('Chi đoàn thôn Một', dcsA, 'youth_branch')
	const cdA2 = await under('Chi đoàn thôn Hai', dcsA, 'youth_branch')
	const cdB1 = await under('Chi đoàn 11A1', dcsB, 'youth_branch')
	const teamA = await under('Tổ công nghệ số cộng đồng xã An Hòa', dcsA, 'community_team')
	const teamB = await under('Tổ công nghệ số cộng đồng phường Bình Minh', dcsB, 'community_team')
	const course = await createCourse('ky-nang-so-doan-vien')
	await assign(course, root, { dueAt: new Date('2026-02-28T00:00:00Z') })
	const names = ['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Văn Cường', 'Phạm Thị Duyên', 'Hoàng Văn Em', 'Đỗ Thị Phương']
	const [an, bich, cuong, duyen, em, phuong] = await Promise.all(names.map((fullName) => createUser({ fullName, password: null })))
	await join(an!, cdA1)
	await join(an!, teamA) // in a chi đoàn and in the team: once in the đoàn cơ sở and the Tỉnh đoàn
	await join(bich!, cdA1)
	await join(cuong!, cdA2)
	await join(duyen!, cdB1)
	await join(em!, teamA)
	await join(phuong!, teamB)
	await certify(an!, course.versions[0]!, { issuedAt: new Date('2026-01-15T00:00:00Z') })
	await certify(duyen!, course.versions[0]!, { issuedAt: new Date('2026-03-10T00:00:00Z') })
	await certify(em!, course.versions[0]!, { issuedAt: new Date('2026-02-20T00:00:00Z') })
	await enroll(bich!, course.versions[0]!, { startedAt: new Date('2026-02-01T00:00:00Z') })
	// After the month: not in March's numbers.
	await certify(cuong!, course.versions[0]!, { issuedAt: new Date('2026-04-02T00:00:00Z') })
	const officer = await createUser({ fullName: 'Bí thư Tỉnh đoàn' })
	await db.roleGrant.create({ data: { userId: officer.id, orgUnitId: root.id, role: 'YOUTH_ADMIN' } })
	return { root, dcsA, dcsB, cdA1, cdA2, cdB1, teamA, teamB, course, officer }
}

useTestDb()
beforeAll(async () => {
	world = await setUp()
})
afterAll(() => rollupRefreshSettled())

async function collect(stream: Readable) {
	const chunks: Array<Buffer> = []
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array))
	return Buffer.concat(chunks)
}

async function dashboard(unitId: number, search = '') {
	const request = await requestAs(world.officer.id, `http://localhost/org/${unitId}/dashboard${search}`)
	const response = await dashboardLoader({ request, params: { unitId: String(unitId) }, context: {} })
	await rollupRefreshSettled()
	return response.json()
}

test('the Tỉnh đoàn ranks its đoàn cơ sở, then its chi đoàn, with the completion rule’s numbers at the month’s end', async () => {
	const data = await dashboard(world.root.id, `?course=ky-nang-so-doan-vien&asOf=2026-03-31`)
	expect(data.problems).toEqual([])
	expect(data.unit.tree).toBe('YOUTH')
	// Six people, An counted once though in a chi đoàn and a team; An, Duyên, Em certified by 31 March; Bích started.
	expect(data.total).toMatchObject({ target: 6, completed: 3, inProgress: 1, notStarted: 2, overdue: 3 })
	expect(data.rows.map((r) => [r.name, r.kind, r.counts.target, r.counts.completed])).toEqual([
		['Đoàn trường THPT Bình Minh', 'youth_grassroots', 2, 1],
		['Đoàn xã An Hòa', 'youth_grassroots', 4, 2],
	])
	const branches = await dashboard(world.root.id, `?course=ky-nang-so-doan-vien&asOf=2026-03-31&level=2`)
	expect(branches.filters.level).toBe(2)
	expect(branches.rows.map((r) => [r.name, r.counts.target, r.counts.completed, r.counts.rate])).toEqual([
		['Chi đoàn 11A1', 1, 1, 1],
		['Tổ công nghệ số cộng đồng xã An Hòa', 2, 2, 1],
		['Chi đoàn thôn Một', 2, 1, 0.5],
		['Chi đoàn thôn Hai', 1, 0, 0],
		['Tổ công nghệ số cộng đồng phường Bình Minh', 1, 0, 0],
	])
	// The same numbers as the module's own ranking (the dashboard adds nothing of its own).
	const live = (await getLevelRows(world.root.id, 2, { courseId: world.course.id, at: AT }))!
	expect(branches.rows.map((r) => r.counts.completed)).toEqual(live.rows.map((r) => r.completed))
})

test('community digital teams: how many, how many at 100%, their members required and trained', async () => {
	const data = await dashboard(world.root.id, `?course=ky-nang-so-doan-vien&asOf=2026-03-31`)
	const teamsShown = data.teams!
	expect(teamsShown.full).toBe(1)
	expect(teamsShown.rows.map((r) => [r.name, r.counts.target, r.counts.completed])).toEqual([
		['Tổ công nghệ số cộng đồng xã An Hòa', 2, 2],
		['Tổ công nghệ số cộng đồng phường Bình Minh', 1, 0],
	])
	expect(teamsShown.members).toMatchObject({ target: 3, completed: 2 })
	// From a đoàn cơ sở: its own team only. Today (after Cường's April certificate) nothing changes for the teams.
	const teams = (await getCommunityTeams(world.dcsB, { courseId: world.course.id }))!
	expect([teams.teams.length, teams.full, teams.members.target]).toEqual([1, 0, 1])
	// A government or school unit has no such section.
	const gov = await createUnit('Tỉnh Không Có Đoàn')
	expect(await getCommunityTeams(gov)).toBeNull()
})

test('progress by month works on a youth unit once months are snapshot', async () => {
	await takeMonthSnapshot('2026-02')
	await takeMonthSnapshot(MONTH)
	const data = await dashboard(world.root.id, '?course=ky-nang-so-doan-vien')
	const months = new Map(data.months.map((m) => [m.period, m.rate]))
	// February: An and Em of six; March: Duyên too.
	expect(months.get('2026-02')).toBeCloseTo(2 / 6)
	expect(months.get('2026-03')).toBeCloseTo(3 / 6)
})

test('the Tỉnh đoàn’s report: XLSX read back equals the dashboard, with the youth title and a community teams sheet', async () => {
	await takeMonthSnapshot(MONTH)
	const built = await buildReport(world.root.id, parseReportPeriod('2026-01..2026-03')!, { id: world.course.id, title: 'Kỹ năng số cho đoàn viên' })
	expect(built && isReport(built)).toBe(true)
	const report = built as Report
	const live = (await getChildRows(world.root.id, { courseId: world.course.id, at: AT }))!
	expect(report.last.total).toEqual(live.total)
	expect(report.communityTeams?.full).toBe(1)

	const book = new ExcelJS.Workbook()
	await book.xlsx.load((await collect(reportXlsx(report))) as unknown as ArrayBuffer)
	expect(book.worksheets.map((s) => s.name)).toEqual(['Tổng hợp', 'Cấp 1', 'Cấp 2', COMMUNITY_SHEET])
	expect(book.getWorksheet('Tổng hợp')!.getRow(1).getCell(1).value).toBe(YOUTH_REPORT_TITLE)
	const sheetRows = (name: string) => {
		const rows = new Map<string, Array<unknown>>()
		book.getWorksheet(name)!.eachRow((row, n) => {
			if (n > 5) rows.set(String(row.getCell(1).value), [2, 3, 4, 5, 6, 7].map((c) => row.getCell(c).value))
		})
		return rows
	}
	const values = (r: { target: number; completed: number; rate: number | null; inProgress: number; notStarted: number; overdue: number }) => [
		r.target,
		r.completed,
		r.rate === null ? null : Math.round(r.rate * 1000) / 10,
		r.inProgress,
		r.notStarted,
		r.overdue,
	]
	const level1 = sheetRows('Cấp 1')
	for (const row of live.rows) expect(level1.get(row.unit.name), row.unit.name).toEqual(values(row))
	const dash = await dashboard(world.root.id, `?course=ky-nang-so-doan-vien&asOf=2026-03-31`)
	const teamsSheet = sheetRows(COMMUNITY_SHEET)
	for (const team of dash.teams!.rows) expect(teamsSheet.get(team.name), team.name).toEqual(values(team.counts))
	expect(teamsSheet.get('Cộng các tổ')).toEqual(values(dash.teams!.members))
	expect(book.getWorksheet('Tổng hợp')!.getRow(6).getCell(2).value).toBe(dash.total.target)

	const text = pdfText((await collect(reportPdf(report))) as Buffer).replace(/\s+/g, ' ')
	expect(text).toContain('ĐOÀN TNCS HỒ CHÍ MINH')
	expect(text).toContain('BCH TỈNH ĐOÀN THỬ NGHIỆM')
	expect(text).toContain('TM. BAN THƯỜNG VỤ')
	expect(text).not.toContain('THỦ TRƯỞNG ĐƠN VỊ')
	expect(text.replace(/\s+/g, '')).toContain('Kếtquảtậphuấnkỹnăngsốvàứngxửtrênmôitrườngmạngchođoànviên,thanhniên')
	expect(text).toContain('Tổng Tỉnh đoàn Thử Nghiệm 6 3 50,0% 1 2 3')
	expect(text).toContain('Cộng các tổ 3 2 66,7%')
	expect(summaryText(report)).toContain('có 6 lượt đoàn viên, thanh niên phải hoàn thành')
	expect(summaryText(report)).toContain('Có 2 tổ công nghệ số cộng đồng, trong đó 1 tổ có toàn bộ thành viên đã hoàn thành')

	const csv = reportCsv(report).split('\r\n')
	expect(csv.filter((l) => l.startsWith('to-cong-nghe-so,'))).toHaveLength(2)
})

test('the download of a youth unit carries the youth report; a government report keeps its own wording', async () => {
	const url = `http://localhost/org/${world.root.id}/reports/xlsx?period=2026-01..2026-03&course=ky-nang-so-doan-vien`
	const response = await downloadLoader({ request: await requestAs(world.officer.id, url), params: { unitId: String(world.root.id), format: 'xlsx' }, context: {} })
	expect(response.status).toBe(200)
	const book = new ExcelJS.Workbook()
	await book.xlsx.load((await collect(Readable.fromWeb(response.body! as Parameters<typeof Readable.fromWeb>[0]))) as unknown as ArrayBuffer)
	expect(book.worksheets.at(-1)!.name).toBe(COMMUNITY_SHEET)

	const gov = await createUnit('Tỉnh Chính Quyền')
	const dept = await createUnit('Sở Một', gov)
	const staff = await createUser({ password: null })
	await join(staff, dept, { validFrom: new Date('2026-01-01T00:00:00Z') })
	const course = await createCourse('khoa-can-bo')
	await assign(course, gov, { dueAt: new Date('2026-06-30T00:00:00Z') })
	// Snapshots already taken stay as they are: a later month for the government's report.
	await takeMonthSnapshot('2026-04')
	const report = (await buildReport(gov.id, parseReportPeriod('2026-04..2026-04')!, null)) as Report
	expect(report.communityTeams).toBeNull()
	expect(summaryText(report)).toContain('cán bộ, công chức, viên chức')
	const text = pdfText((await collect(reportPdf(report))) as Buffer)
	expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
	expect(text).toContain('THỦ TRƯỞNG ĐƠN VỊ')
})

// The official report PDF in the administrative format of Nghị định 30/2020/NĐ-CP, Phụ lục I (issue 18 item 17):
// superior body above the issuing unit, national heading and motto, number and symbol, place and date, title;
// Times New Roman metrics (Tinos), A4 with the decree's margins, body in 14 pt; long unit names wrap, never cut.
import { Readable } from 'node:stream'
import { beforeAll, expect, test } from 'vitest'
import { buildReport, isReport, issuerLines, parseReportPeriod, placeName, REPORT_MARGINS, reportPdf, superiorLine } from '#app/reports/report.server.ts'
import { takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { assign, certify, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { pdfObjects, pdfTextRuns } from '../certificates/pdf-text.ts'

let sample: Awaited<ReturnType<typeof sampleReport>>
useTestDb()
beforeAll(async () => {
	sample = await sampleReport()
})

async function collect(stream: Readable) {
	const chunks: Array<Buffer> = []
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array))
	return Buffer.concat(chunks)
}

const LONG = 'Ủy ban nhân dân phường Trần Hưng Đạo, thành phố Minh Sơn mở rộng'

async function sampleReport() {
	const root = await createUnit('Tỉnh Minh Sơn')
	const dept = await createUnit('Sở Văn hóa, Thể thao và Du lịch', root)
	const long = await createUnit(LONG, dept, 'division')
	const short = await createUnit('Phòng Tổ chức', dept, 'division')
	const course = await createCourse('bao-cao-nd30')
	await assign(course, dept, { dueAt: new Date('2026-02-28T00:00:00Z') })
	const people = await Promise.all(['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường'].map((fullName) => createUser({ fullName, password: null })))
	await join(people[0]!, long)
	await join(people[1]!, short)
	await join(people[2]!, dept)
	await certify(people[0]!, course.versions[0]!, { issuedAt: new Date('2026-01-15T00:00:00Z') })
	await takeMonthSnapshot('2026-03')
	const report = await buildReport(dept.id, parseReportPeriod('2026-03..2026-03')!, null)
	if (!report || !isReport(report)) throw new Error('no report')
	return { report, dept }
}

test('the report PDF has the heading, number, place and date, title and layout of NĐ 30/2020', async () => {
	const { report, dept } = sample
	const pdf = await collect(reportPdf(report, new Date('2026-03-04T18:00:00Z')))
	const runs = pdfTextRuns(pdf).filter((r) => r.text.trim())
	const find = (text: string) => {
		const run = runs.find((r) => r.text.replace(/\s+/g, ' ').trim() === text)
		if (!run) throw new Error(`no line "${text}" in ${runs.map((r) => r.text).join(' | ')}`)
		return run
	}
	const superior = find('UBND TỈNH MINH SƠN')
	// The unit's name breaks where the column ends, as a long name does in the model.
	const agency = find('SỞ VĂN HÓA, THỂ THAO VÀ')
	expect(runs[runs.indexOf(agency) + 1]!.text.trim()).toBe('DU LỊCH')
	const number = find(`Số: /BC-${dept.code}`)
	const national = find('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
	const motto = find('Độc lập - Tự do - Hạnh phúc')
	// 01:00 on 5 March in Vietnam; days below 10 take a leading zero, March does not.
	const date = find('Minh Sơn, ngày 05 tháng 3 năm 2026')
	const title = find('BÁO CÁO')
	// Superior above agency above number on the left; heading above motto above place and date on the right.
	expect(superior.y).toBeGreaterThan(agency.y)
	expect(agency.y).toBeGreaterThan(number.y)
	expect(national.y).toBeGreaterThan(motto.y)
	expect(motto.y).toBeGreaterThan(date.y)
	expect(national.x).toBeGreaterThan(agency.x + 100)
	expect(Math.abs(superior.y - national.y)).toBeLessThan(1)
	expect(title.y).toBeLessThan(Math.min(number.y, date.y))
	// Sizes: headings 12.5–13.5, body 14 (13–14 allowed).
	expect([superior.size, agency.size, national.size]).toEqual([12.5, 12.5, 12.5])
	expect([motto.size, date.size, title.size, number.size]).toEqual([13.5, 13.5, 14, 13])
	const summary = runs.find((r) => r.text.replace(/\s+/g, '').includes('phảihoànthành'))!
	expect(summary.size).toBe(14)
	// Bold for the agency and the motto, italic for the date, upright for the superior body.
	const fontsOf = new Map<string, string>()
	const page = [...pdfObjects(pdf).values()].find((o) => /\/Type\s*\/Page\b/.test(o.dict))!
	const resources = /\/Font\s*<<([\s\S]*?)>>/.exec([...pdfObjects(pdf).values()].map((o) => o.dict).find((d) => /\/Font\s*<</.test(d)) ?? page.dict)?.[1] ?? ''
	for (const m of resources.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
		const base = /\/BaseFont\s*\/([\w+-]+)/.exec(pdfObjects(pdf).get(Number(m[2]))!.dict)?.[1] ?? ''
		fontsOf.set(m[1]!, base.replace(/^[A-Z]{6}\+/, ''))
	}
	expect(fontsOf.get(superior.font)).toBe('Tinos-Regular')
	expect(fontsOf.get(agency.font)).toBe('Tinos-Bold')
	expect(fontsOf.get(motto.font)).toBe('Tinos-Bold')
	expect(fontsOf.get(date.font)).toBe('Tinos-Italic')
	// A4, and no text in the margins (left 30 mm, top 20 mm).
	expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/)
	for (const r of runs) {
		expect(r.x, r.text).toBeGreaterThanOrEqual(REPORT_MARGINS.left - 0.01)
		expect(r.y, r.text).toBeLessThanOrEqual(841.89 - REPORT_MARGINS.top)
	}
	expect(REPORT_MARGINS.left).toBeCloseTo(85.04, 1)
	expect(REPORT_MARGINS.right).toBeCloseTo(42.52, 1)
})

test('a long unit name in the table wraps onto more lines; nothing is cut', async () => {
	const { report } = sample
	const pdf = await collect(reportPdf(report))
	const text = pdfTextRuns(pdf)
		.map((r) => r.text)
		.join(' ')
		.replace(/\s+/g, ' ')
	expect(text).toContain(`${LONG} `)
	expect(text).toContain('Tổng Sở Văn hóa, Thể thao và Du lịch')
	expect(text).toContain('(trực thuộc trực tiếp)')
	expect(text).not.toContain('…')
	// The number columns' headers stay on one line each.
	for (const header of ['Phải HT', 'Đã HT', 'Đang học', 'Chưa học', 'Quá hạn']) expect(text).toContain(` ${header} `)
})

test('the heading names a People’s Committee as the model does; the place is the province’s name', () => {
	const committee = { name: 'Ủy ban nhân dân tỉnh Minh Sơn', kind: 'province' }
	expect(superiorLine(committee)).toBe('UBND TỈNH MINH SƠN')
	expect(issuerLines(committee)).toEqual(['ỦY BAN NHÂN DÂN', 'TỈNH MINH SƠN'])
	expect(superiorLine({ name: 'Tỉnh Minh Sơn', kind: 'province' })).toBe('UBND TỈNH MINH SƠN')
	expect(issuerLines({ name: 'Uỷ ban nhân dân phường An Lạc', kind: 'commune' })).toEqual(['ỦY BAN NHÂN DÂN', 'PHƯỜNG AN LẠC'])
	expect(superiorLine({ name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'department' })).toBe('SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH')
	for (const root of ['Ủy ban nhân dân tỉnh Minh Sơn', 'Tỉnh Minh Sơn', 'Ngành Giáo dục tỉnh Minh Sơn', 'Tỉnh đoàn Minh Sơn']) expect(placeName(root), root).toBe('Minh Sơn')
	expect(placeName('Minh Sơn')).toBe('Minh Sơn')
})

test('a report on several pages numbers them from the second page, centred in the top margin', async () => {
	const { report } = sample
	const row = report.levels[0]!.rows[0]!
	const long = { ...report, levels: [{ ...report.levels[0]!, rows: Array.from({ length: 70 }, (_, i) => ({ ...row, unit: { ...row.unit, name: `Phòng số ${i + 1}` } })) }] }
	const pdf = await collect(reportPdf(long))
	const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length
	expect(pages).toBeGreaterThanOrEqual(3)
	const top = 841.89 - REPORT_MARGINS.top
	const numbers = pdfTextRuns(pdf).filter((r) => r.y > top)
	expect(numbers.map((r) => r.text)).toEqual(Array.from({ length: pages - 1 }, (_, i) => String(i + 2)))
	for (const n of numbers) {
		expect(n.size).toBe(13)
		// Centred on the text column (left 30 mm, right 15 mm): the digit starts near its middle.
		expect(Math.abs(n.x - (REPORT_MARGINS.left + (595.28 - REPORT_MARGINS.left - REPORT_MARGINS.right) / 2))).toBeLessThan(10)
	}
})

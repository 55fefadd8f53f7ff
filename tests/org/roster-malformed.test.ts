// More than 200 generated bad files: each must give a clear Vietnamese message (naming the row and column when
// the problem is in a cell), never crash, and never write a person or a membership.
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { beforeAll, expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { type OrgUnit } from '#app/db-types.ts'
import { confirmRosterImport, getImportJob, startRosterImport } from '#app/org/import-jobs.server.ts'
import { formatImportMessage, type ImportMessage } from '#app/org/import-messages.ts'
import { parseBirthDate } from '#app/org/roster-rows.server.ts'
import { MAX_DATA_ROWS } from '#app/org/spreadsheet.server.ts'
import { type MessageKey } from '#app/ui/i18n/vi.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { encodeText, HEADERS, rosterCsv, rosterCsvText, rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'

let dept: OrgUnit
let scope: OrgUnit
let managerId: string
let baseline: { users: number; memberships: number }

useTestDb()
beforeAll(async () => {
	const province = await createUnit('Tỉnh Thử')
	// Fixed codes, because the files are generated before the units exist.
	dept = await db.orgUnit.update({ where: { id: (await createUnit('Sở Thử Nghiệm', province)).id }, data: { code: 'CODE' } })
	await db.orgUnit.update({ where: { id: (await createUnit('Sở Bên Cạnh', province)).id }, data: { code: 'OTHER' } })
	managerId = (await createUser({ unitId: dept.id, role: 'MANAGER' })).id
	scope = dept
	await db.user.create({ data: { fullName: 'Chủ Cũ Thư', email: 'da.co@example.vn', phone: '0987654321' } })
	for (const n of [1, 2]) {
		const u = await db.user.create({ data: { fullName: 'Trùng Tên Nhau' } })
		await db.membership.create({ data: { userId: u.id, orgUnitId: dept.id, title: `Người ${n}` } })
	}
	baseline = { users: await db.user.count(), memberships: await db.membership.count() }
})

const t = translator('vi')

type Expect = { key?: MessageKey; row?: number; column?: string }
type Case = { name: string; file: () => Promise<Buffer> | Buffer; expect: Expect }
const cases: Array<Case> = []

// Rows that are fine, so that the bad one sits in a realistic file.
function goodRow(i: number): Array<ExcelJS.CellValue> {
	return [`Người Tốt ${'ABCDEFGHIJKLMNOP'[i % 16]}${'abcdefghij'[Math.floor(i / 16) % 10]}`, '01/01/1980', `tot${i}@example.vn`, '', 'CODE', 'Chuyên viên', '', 'Có']
}

function rowsWith(bad: Array<ExcelJS.CellValue>, position: number, total = 12) {
	return Array.from({ length: total }, (_, i) => (i === position ? bad : goodRow(i)))
}

const columns = 'ABCDEFGH'
function withCell(field: number, value: ExcelJS.CellValue) {
	const row = goodRow(999)
	row[field] = value
	return row
}

// ——— bad cell values, in XLSX and in CSV, at two positions ———
const badCells: Array<[string, number, ExcelJS.CellValue, MessageKey]> = [
	['empty name', 0, '', 'import.name.required'],
	['spaces as name', 0, '    ', 'import.name.required'],
	['digits as name', 0, '12345', 'import.name.invalid'],
	['formula text as name', 0, '=HYPERLINK("http://x")', 'import.name.invalid'],
	['name of 121 letters', 0, 'A'.repeat(121), 'import.name.tooLong'],
	['name starting with @', 0, '@lenh', 'import.name.invalid'],
	['31 February', 1, '31/02/1990', 'import.birth.invalid'],
	['month first', 1, '12/31/1990', 'import.birth.monthFirst'],
	['two-digit year', 1, '1/1/90', 'import.birth.shortYear'],
	['words as date', 1, 'hôm qua', 'import.birth.invalid'],
	['year in the future', 1, '2999', 'import.birth.future'],
	['before 1900', 1, '01/01/1850', 'import.birth.tooOld'],
	['letters as date', 1, 'abc', 'import.birth.invalid'],
	['month 13', 1, '15/13/1990', 'import.birth.invalid'],
	['date in the future', 1, '01/01/2990', 'import.birth.future'],
	['ISO with day 32', 1, '1990-01-32', 'import.birth.invalid'],
	['email without @', 2, 'abc', 'import.email.invalid'],
	['email without domain dot', 2, 'a@b', 'import.email.invalid'],
	['email with space', 2, 'a b@c.vn', 'import.email.invalid'],
	['email without local part', 2, '@x.vn', 'import.email.invalid'],
	['email with two @', 2, 'a@@b.vn', 'import.email.invalid'],
	['email of 300 characters', 2, `${'x'.repeat(300)}@a.vn`, 'import.email.invalid'],
	['short phone', 3, '123', 'import.phone.invalid'],
	['letters as phone', 3, 'abc', 'import.phone.invalid'],
	['foreign phone', 3, '+1 202 555 0100', 'import.phone.invalid'],
	['phone with 14 digits', 3, '09123456789012', 'import.phone.invalid'],
	['empty unit code', 4, '', 'import.unit.required'],
	['unknown unit code', 4, 'KHONG-CO', 'import.unit.unknown'],
	['unit code outside the scope', 4, 'OTHER', 'import.unit.unknown'],
	// The unit column also takes names (issue 18 item 13): only text longer than any unit name is refused.
	['unit code of 201 characters', 4, 'X'.repeat(201), 'import.unit.tooLong'],
	['title of 121 characters', 5, 'T'.repeat(121), 'import.title.tooLong'],
	['group of 50 characters', 6, 'n'.repeat(50), 'import.tags.invalid'],
	['"có lẽ" as counts', 7, 'có lẽ', 'import.counts.invalid'],
	['"maybe" as counts', 7, 'maybe', 'import.counts.invalid'],
	['"2" as counts', 7, '2', 'import.counts.invalid'],
	['huge cell', 5, 'Đ'.repeat(5000), 'import.cell.tooLong'],
]
for (const [name, field, value, key] of badCells) {
	for (const position of [0, 9]) {
		const row = position + 2
		cases.push({ name: `XLSX, ${name}, row ${row}`, file: () => rosterXlsx(rowsWith(withCell(field, value), position)), expect: { key, row, column: columns[field] } })
		cases.push({ name: `CSV, ${name}, row ${row}`, file: () => rosterCsv(rowsWith(withCell(field, value), position)), expect: { key, row, column: columns[field] } })
	}
}

// Numbers where Excel stores them as numbers.
const badNumbers: Array<[string, number, number, MessageKey]> = [
	['negative serial date', 1, -5, 'import.birth.invalid'],
	['serial date far in the future', 1, 99_999_999, 'import.birth.invalid'],
	['fractional year', 1, 1985.5, 'import.birth.invalid'],
	['phone as a short number', 3, 12345, 'import.phone.invalid'],
	['phone as a fraction', 3, 912345678.5, 'import.phone.invalid'],
]
for (const [name, field, value, key] of badNumbers) {
	cases.push({ name: `XLSX, ${name}`, file: () => rosterXlsx(rowsWith(withCell(field, value), 3)), expect: { key, row: 5, column: columns[field] } })
}

// ——— formulas, Excel errors, merged cells (XLSX only) ———
for (let field = 0; field < 8; field++) {
	cases.push({
		name: `formula without a saved result in column ${columns[field]}`,
		file: () => rosterXlsx(rowsWith(withCell(field, { formula: 'CONCATENATE(A2,B2)', date1904: false }), 4)),
		expect: { key: 'import.cell.formula', row: 6, column: columns[field] },
	})
}
for (const error of ['#N/A', '#REF!', '#VALUE!', '#DIV/0!'] as const) {
	for (const field of [0, 4]) {
		cases.push({
			name: `Excel error ${error} in column ${columns[field]}`,
			file: () => rosterXlsx(rowsWith(withCell(field, { error }), 2)),
			expect: { key: 'import.cell.excelError', row: 4, column: columns[field] },
		})
	}
}
for (const [range, row, column] of [['E3:E5', 3, 'E'], ['A4:A6', 4, 'A'], ['B2:C2', 2, 'B'], ['F7:H7', 7, 'F'], ['C10:D12', 10, 'C'], ['A1:H1', 1, 'A'], ['B1:C1', 1, 'B']] as const) {
	cases.push({ name: `merged cells ${range}`, file: () => rosterXlsx(rowsWith(goodRow(0), 99), { merges: [range] }), expect: { key: 'import.cell.merged', row, column } })
}

// ——— headers ———
const without = (i: number) => HEADERS.filter((_, j) => j !== i)
const rowWithout = (i: number) => goodRow(0).filter((_, j) => j !== i)
cases.push(
	{ name: 'XLSX without "Mã đơn vị"', file: () => rosterXlsx([rowWithout(4)], { headers: without(4) }), expect: { key: 'import.header.missing', row: 1 } },
	{ name: 'CSV without "Mã đơn vị"', file: () => rosterCsv([rowWithout(4)], { headers: without(4) }), expect: { key: 'import.header.missing', row: 1 } },
	{ name: 'XLSX without "Họ và tên"', file: () => rosterXlsx([rowWithout(0)], { headers: without(0) }), expect: { key: 'import.header.missing', row: 1 } },
	{ name: 'CSV without "Họ và tên"', file: () => rosterCsv([rowWithout(0)], { headers: without(0) }), expect: { key: 'import.header.missing', row: 1 } },
	{ name: 'XLSX with two e-mail columns', file: () => rosterXlsx([[...goodRow(0), 'x@y.vn']], { headers: [...HEADERS, 'Thư điện tử'] }), expect: { key: 'import.header.duplicate', row: 1, column: 'I' } },
	{ name: 'CSV with two name columns', file: () => rosterCsv([[...goodRow(0), 'Tên Khác']], { headers: [...HEADERS, 'Họ tên'] }), expect: { key: 'import.header.duplicate', row: 1, column: 'I' } },
	{ name: 'XLSX with only headers', file: () => rosterXlsx([]), expect: { key: 'import.file.onlyHeader', row: 1 } },
	{ name: 'CSV with only headers', file: () => rosterCsv([]), expect: { key: 'import.file.onlyHeader', row: 1 } },
	{ name: 'XLSX with a title and only headers', file: () => rosterXlsx([], { titleRows: [['DANH SÁCH'], ['Kèm theo công văn số …']] }), expect: { key: 'import.file.onlyHeader', row: 3 } },
	{ name: 'CSV with headers and empty rows', file: () => Buffer.from(`${HEADERS.join(',')}\r\n,,,,,,,\r\n,,,,,,,\r\n`), expect: { key: 'import.file.onlyHeader', row: 1 } },
	{ name: 'XLSX of unrelated columns', file: () => rosterXlsx([['a', 'b', 'c']], { headers: ['Cột 1', 'Cột 2', 'Cột 3'] }), expect: { key: 'import.header.notFound' } },
	{ name: 'CSV of numbers only', file: () => Buffer.from('1,2,3\n4,5,6\n'), expect: { key: 'import.header.notFound' } },
	{ name: 'header below row 20', file: () => rosterXlsx([goodRow(0)], { titleRows: Array.from({ length: 25 }, (_, i) => [`Ghi chú ${i}`]) }), expect: { key: 'import.header.notFound' } },
	{ name: 'wrong columns: English headers of another system', file: () => rosterCsv([['x', 'y']], { headers: ['Employee ID', 'Department'] }), expect: { key: 'import.header.notFound' } },
)

// ——— duplicates, in the file and against the database ———
const dupe = (rows: Array<Array<ExcelJS.CellValue>>) => () => rosterXlsx(rows)
cases.push(
	{ name: 'the same person twice in one unit', file: dupe([goodRow(1), goodRow(2), goodRow(1)]), expect: { key: 'import.dup.row', row: 4, column: 'A' } },
	{ name: 'one e-mail for two names', file: dupe([goodRow(1), [...goodRow(2).slice(0, 2), 'tot1@example.vn', ...goodRow(2).slice(3)]]), expect: { key: 'import.dup.otherName', row: 3, column: 'C' } },
	{ name: 'one phone for two names', file: dupe([withPhone(goodRow(1), '0911111111'), withPhone(goodRow(2), '0911111111')]), expect: { key: 'import.dup.otherName', row: 3, column: 'D' } },
	// That person is on no roster the importer manages: the message must not name them.
	{ name: 'an e-mail of someone else in the database', file: dupe([[...goodRow(1).slice(0, 2), 'da.co@example.vn', ...goodRow(1).slice(3)]]), expect: { key: 'import.db.otherOutside', row: 2, column: 'C' } },
	{ name: 'a phone of someone else in the database', file: dupe([withPhone(goodRow(1), '0987654321')]), expect: { key: 'import.db.otherOutside', row: 2, column: 'D' } },
	{ name: 'a name shared by two people of the unit', file: dupe([['Trùng Tên Nhau', '', '', '', 'CODE', '', '', '']]), expect: { key: 'import.db.ambiguous', row: 2, column: 'A' } },
)
function withPhone(row: Array<ExcelJS.CellValue>, phone: string) {
	const copy = [...row]
	copy[2] = ''
	copy[3] = phone
	return copy
}

// ——— files that are not rosters at all ———
function junk(seed: number, length: number, prefix: Array<number> = []) {
	let a = seed
	const bytes = Buffer.alloc(length)
	for (let i = 0; i < length; i++) {
		a = (a * 1103515245 + 12345) & 0x7fffffff
		bytes[i] = a & 0xff
	}
	Buffer.from(prefix).copy(bytes)
	return bytes
}
cases.push(
	{ name: 'an empty file', file: () => Buffer.alloc(0), expect: { key: 'import.file.empty' } },
	{ name: 'only blank lines', file: () => Buffer.from('  \r\n\r\n   \n'), expect: { key: 'import.file.empty' } },
	{ name: 'a UTF-8 BOM and nothing else', file: () => Buffer.from([0xef, 0xbb, 0xbf]), expect: { key: 'import.file.empty' } },
	{ name: 'an old .xls file', file: () => junk(3, 4096, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), expect: { key: 'import.file.xls' } },
	{ name: 'a PDF', file: () => Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), expect: { key: 'import.file.pdf' } },
	{ name: 'CSV with NUL bytes', file: () => Buffer.concat([Buffer.from(`${HEADERS.join(',')}\n`), Buffer.from([0, 1, 2, 3, 0, 0])]), expect: { key: 'import.file.binary' } },
	{ name: 'TCVN3 (ABC) text', file: () => Buffer.from('Hä vµ tªn,M· ®¬n vÞ\r\nNguyÔn V¨n An,SNV\r\nTrÇn ThÞ B×nh,SNV\r\n', 'latin1'), expect: { key: 'import.file.legacyVn' } },
	{ name: 'bytes undefined in Windows-1258', file: () => Buffer.from([0x48, 0x8d, 0x8e, 0x8f, 0x90, 0x2c, 0x9d, 0x9e, 0x0a]), expect: { key: 'import.file.encoding' } },
	{ name: 'unbalanced quotes', file: () => Buffer.from(`${HEADERS.join(',')}\n"Nguyễn Văn An,01/01/1980,,,CODE,,,\n`), expect: { key: 'import.file.csvQuotes', row: 2 } },
	{ name: 'quote inside an unquoted field', file: () => Buffer.from(`${HEADERS.join(',')}\nNguyễn "Văn" An,01/01/1980,,,CODE,,,\n`), expect: { key: 'import.file.csvQuotes' } },
	{ name: 'a 2 MB line', file: () => Buffer.from(`${HEADERS.join(',')}\n${'x'.repeat(2 * 1024 * 1024)},,,,CODE\n`), expect: { key: 'import.file.hugeRecord' } },
	{ name: 'a ZIP with a text file', file: () => zipOf({ 'hello.txt': 'xin chào' }), expect: { key: 'import.file.notXlsx' } },
	{ name: 'a Word document', file: () => zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }), expect: { key: 'import.file.docx' } },
	{ name: 'an OpenDocument sheet', file: () => zipOf({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' }), expect: { key: 'import.file.ods' } },
	{ name: 'an XLSX whose workbook is garbage', file: () => zipOf({ 'xl/workbook.xml': '<<<not xml', 'xl/worksheets/sheet1.xml': '<<<' }), expect: {} },
	{ name: 'an XLSX without worksheets', file: () => zipOf({ 'xl/workbook.xml': '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>' }), expect: {} },
)
for (let seed = 1; seed <= 12; seed++) {
	cases.push({ name: `random bytes named .xlsx #${seed}`, file: () => junk(seed, 512 * seed), expect: {} })
	cases.push({ name: `random bytes after a ZIP signature #${seed}`, file: () => junk(seed + 100, 300 * seed, [0x50, 0x4b, 0x03, 0x04]), expect: { key: 'import.file.badZip' } })
}
for (const cut of [10, 100, 500, 1000, 2000, 3000, 4000, 0.5, 0.75, 0.9]) {
	cases.push({
		name: `a real XLSX cut at ${cut < 1 ? `${cut * 100}%` : `${cut} bytes`}`,
		file: async () => {
			const full = await rosterXlsx(rowsWith(goodRow(0), 99, 30))
			return full.subarray(0, cut < 1 ? Math.floor(full.length * cut) : cut)
		},
		expect: {},
	})
}
async function zipOf(files: Record<string, string>) {
	const zip = new JSZip()
	for (const [name, content] of Object.entries(files)) zip.file(name, content)
	return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

// ——— beyond the row cap: 1,000,001 data rows ———
cases.push({
	name: 'CSV with 1,000,001 rows',
	file: () => {
		const line = 'Nguyễn Văn An,,,,CODE\n'
		return Buffer.concat([Buffer.from(`${HEADERS.join(',')}\n`), Buffer.from(line.repeat(1_000_001))])
	},
	expect: { key: 'import.file.tooManyRows', row: MAX_DATA_ROWS + 2 },
})
cases.push({
	name: 'XLSX with 1,000,001 rows',
	file: async () => {
		// Written by hand with shared strings: exceljs would need minutes to write a million rows.
		const chunks = [Buffer.from('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="E1" t="s"><v>1</v></c></row>')]
		for (let start = 2; start <= 1_000_002; start += 10_000) {
			let text = ''
			for (let r = start; r < Math.min(start + 10_000, 1_000_003); r++) text += `<row r="${r}"><c r="A${r}" t="s"><v>2</v></c><c r="E${r}" t="s"><v>3</v></c></row>`
			chunks.push(Buffer.from(text))
		}
		const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
		const zip = new JSZip()
		zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
		zip.file('xl/workbook.xml', `<?xml version="1.0"?><workbook ${ns}><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>`)
		zip.file('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
		zip.file('xl/sharedStrings.xml', `<?xml version="1.0"?><sst ${ns} count="4" uniqueCount="4"><si><t>Họ và tên</t></si><si><t>Mã đơn vị</t></si><si><t>Nguyễn Văn An</t></si><si><t>CODE</t></si></sst>`)
		zip.file('xl/worksheets/sheet1.xml', Buffer.concat([Buffer.from(`<?xml version="1.0"?><worksheet ${ns}><sheetData>`), ...chunks, Buffer.from('</sheetData></worksheet>')]))
		return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
	},
	expect: { key: 'import.file.tooManyRows', row: MAX_DATA_ROWS + 2 },
})

test(`at least 200 malformed files are covered (${cases.length})`, () => {
	expect(cases.length).toBeGreaterThanOrEqual(200)
})

function check(messages: Array<ImportMessage>, expected: Expect, name: string) {
	expect(messages.length, name).toBeGreaterThan(0)
	const lines = messages.map((m) => formatImportMessage(t, m))
	for (const line of lines) {
		expect(line, name).not.toMatch(/\{\w+\}/)
		expect(line.length, name).toBeGreaterThan(10)
	}
	if (!expected.key) return
	const hit = messages.find((m) => m.key === expected.key && (!expected.row || m.row === expected.row) && (!expected.column || m.column === expected.column))
	expect(hit, `${name}: ${lines.join(' | ')}`).toBeDefined()
	const line = formatImportMessage(t, hit!)
	if (expected.row && expected.column) expect(line, name).toMatch(new RegExp(`^Dòng ${expected.row}, cột ${expected.column} \\(`))
	else if (expected.row) expect(line, name).toMatch(new RegExp(`^Dòng ${expected.row}(:|,)`))
}

for (const c of cases) {
	test(`malformed: ${c.name}`, async () => {
		const bytes = await c.file()
		const jobId = await startRosterImport({ bytes, fileName: 'loi.xlsx', scope, actorId: managerId, mode: 'sync', effectiveAt: new Date(), wait: true })
		const job = await getImportJob(jobId, dept.id)
		expect(job?.status, c.name).toBe('PREVIEW')
		check(job!.errors.items, c.expect, c.name)
		expect(await confirmRosterImport({ jobId, scope, actorId: managerId, wait: true })).toBe(false)
		expect({ users: await db.user.count(), memberships: await db.membership.count() }).toEqual(baseline)
		expect(await db.membership.count({ where: { validTo: { not: null } } })).toBe(0)
	})
}

test('dates are read from real dates, serial numbers and text in Vietnamese order', () => {
	const year = 2026
	const read = (cell: Parameters<typeof parseBirthDate>[0]) => {
		const r = parseBirthDate(cell, year)
		return 'error' in r ? r.error : `${r.date?.toISOString().slice(0, 10) ?? '-'} ${r.year}`
	}
	expect(read({ kind: 'date', date: new Date(Date.UTC(1985, 2, 15)) })).toBe('1985-03-15 1985')
	expect(read({ kind: 'number', value: 31121 })).toBe('1985-03-15 1985')
	expect(read({ kind: 'text', text: '31121' })).toBe('1985-03-15 1985')
	expect(read({ kind: 'text', text: '15/03/1985' })).toBe('1985-03-15 1985')
	expect(read({ kind: 'text', text: '5/3/1985' })).toBe('1985-03-05 1985')
	expect(read({ kind: 'text', text: '15-03-1985' })).toBe('1985-03-15 1985')
	expect(read({ kind: 'text', text: '15.03.1985' })).toBe('1985-03-15 1985')
	expect(read({ kind: 'text', text: '1985-03-15' })).toBe('1985-03-15 1985')
	expect(read({ kind: 'text', text: '03/1985' })).toBe('- 1985')
	expect(read({ kind: 'number', value: 1985 })).toBe('- 1985')
	expect(read({ kind: 'text', text: '29/02/1984' })).toBe('1984-02-29 1984')
	expect(read({ kind: 'text', text: '29/02/1985' })).toBe('import.birth.invalid')
})

test('a UTF-16 file without a BOM and CSV text with LF endings are read too', async () => {
	const text = rosterCsvText([['Nguyễn Văn Tư', '', '', '', dept.code, '', '', '']])
	const noBom = encodeText(text, 'utf16le').subarray(2)
	for (const bytes of [noBom, Buffer.from(text.replace(/\r\n/g, '\n'))]) {
		const jobId = await startRosterImport({ bytes, fileName: 'ok.csv', scope, actorId: managerId, mode: 'upsert', effectiveAt: new Date(), wait: true })
		const job = await getImportJob(jobId, dept.id)
		expect(job?.errors.items.map((e) => formatImportMessage(t, e))).toEqual([])
		expect(job).toMatchObject({ newUsers: 1, created: 1 })
	}
})

test('an XLSX with its parts in an unusual order, and a sheet id unlike its file number, is read with its merges', async () => {
	const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
	const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`
	const zip = new JSZip()
	// The worksheet first, the workbook and its relations after it: exceljs's streaming reader used to fail here.
	zip.file(
		'xl/worksheets/sheet1.xml',
		`<?xml version="1.0"?><worksheet ${ns}><sheetData><row r="1">${cell('A1', 'Họ và tên')}${cell('B1', 'Mã đơn vị')}</row><row r="2">${cell('A2', 'Nguyễn Văn Thứ Tự')}${cell('B2', 'CODE')}</row><row r="3">${cell('A3', 'Trần Văn Gộp')}${cell('B3', 'CODE')}</row><row r="4">${cell('A4', 'Lê Văn Gộp')}</row></sheetData><mergeCells count="1"><mergeCell ref="B3:B4"/></mergeCells></worksheet>`,
	)
	zip.file('xl/workbook.xml', `<?xml version="1.0"?><workbook ${ns}><sheets><sheet name="Danh sách &amp; ghi chú" sheetId="7" r:id="rId3"/></sheets></workbook>`)
	zip.file('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
	zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
	const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
	const jobId = await startRosterImport({ bytes, fileName: 'thu-tu.xlsx', scope, actorId: managerId, mode: 'upsert', effectiveAt: new Date(), wait: true })
	const job = await getImportJob(jobId, dept.id)
	expect(job?.errors.items.map((e) => formatImportMessage(t, e))).toEqual([
		'Dòng 3, cột B (Mã đơn vị): Ô bị gộp (B3:B4); hãy bỏ gộp ô và điền giá trị cho từng dòng.',
		'Dòng 4, cột B (Mã đơn vị): Thiếu mã đơn vị.',
	])
})

// Reading rosters row by row: the streaming readers hand rows over as they are read and stop when asked, the
// roster reader finds its header sheet by sheet exactly as the whole-file reader did, and large UTF-8 files are
// recognised as UTF-8 wherever their first 4 MB end. No database here.
import { expect, test } from 'vitest'
import { readRosterFile } from '#app/org/roster-rows.server.ts'
import { decodeText, readSpreadsheet, scanSpreadsheet, type SheetRow } from '#app/org/spreadsheet.server.ts'
import { HEADERS, rosterCsv, rosterXlsx } from '#tests/factories/roster-files.ts'

const person = (i: number) => [`Nguyễn Thị Hương ${'ABCDEFGHIJ'[i % 10]}`, '15/03/1985', `nguoi${i}@example.vn`, '', 'SVH', 'Chuyên viên', 'lãnh đạo', 'Có']

test('XLSX and CSV rows are handed over in order and reading stops when the visitor says so', async () => {
	for (const bytes of [await rosterXlsx(Array.from({ length: 50 }, (_, i) => person(i))), rosterCsv(Array.from({ length: 50 }, (_, i) => person(i)))]) {
		const seen: Array<number> = []
		const outcome = await scanSpreadsheet(bytes, { row: (r: SheetRow) => (seen.push(r.row), r.row === 10 ? 'stop' : undefined) })
		expect(outcome.ok).toBe(true)
		expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i + 1))
		// Collected whole, the same file gives every row and the same cells.
		const whole = await readSpreadsheet(bytes)
		expect(whole.ok && whole.sheets[0]!.rows.length).toBe(51)
		expect(whole.ok && whole.sheets[0]!.rows[1]!.cells[0]).toEqual({ kind: 'text', text: 'Nguyễn Thị Hương A' })
	}
})

test('rows share their repeated values, and the shared lists cannot be changed through one row', async () => {
	const parsed = await readRosterFile(await rosterXlsx(Array.from({ length: 30 }, (_, i) => person(i))))
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
	const [a, b] = [parsed.rows[0]!, parsed.rows[10]!]
	expect(a).toMatchObject({ fullName: 'Nguyễn Thị Hương A', unitCode: 'SVH', title: 'Chuyên viên', tags: ['leader'], birthYear: 1985 })
	expect(b.tags).toBe(a.tags)
	expect(b.birthDate).toBe(a.birthDate)
	expect(Object.isFrozen(a.tags)).toBe(true)
	expect(a.email).not.toBe(b.email)
})

test('the roster sheet is found after an instructions sheet, and a complete header wins as the whole-file reader decided', async () => {
	const instructions = { name: 'Hướng dẫn', rows: [['Điền danh sách vào trang sau.'], ['Mỗi dòng một người.']] }
	const after = await readRosterFile(await rosterXlsx([person(1), person(2)], { before: [instructions] }))
	expect(after.ok && after.rows.map((r) => r.email)).toEqual(['nguoi1@example.vn', 'nguoi2@example.vn'])
	expect(after.ok && after.headerRow).toBe(1)

	// A first sheet whose header scores higher but lacks the unit code is the best header: its problem is reported.
	const richer = { name: 'Tổng hợp', rows: [['Họ và tên', 'Ngày sinh', 'Email', 'Số điện thoại', 'Chức vụ'], ['Trần Văn An', '', '', '', '']] }
	const outcome = await readRosterFile(await rosterXlsx([person(1)], { before: [richer], headers: ['Họ và tên', 'Mã đơn vị'] }))
	expect(outcome).toEqual({ ok: false, problems: [{ key: 'import.header.missing', row: 1, vars: { header: 'Mã đơn vị' } }] })

	// A header below its sheet's first 20 rows is never found, in any sheet.
	const deep = await readRosterFile(await rosterXlsx([person(1)], { titleRows: Array.from({ length: 22 }, (_, i) => [`Ghi chú ${i}`]) }))
	expect(deep.ok ? 'ok' : deep.problems[0]!.key).toBe('import.header.notFound')
})

test('a UTF-8 file over 4 MB is UTF-8 even when its 4th megabyte ends inside a letter', () => {
	const line = 'Nguyễn Thị Hương,15/03/1985,,,SVH,Chuyên viên,,Có\r\n'
	const text = `${HEADERS.join(',')}\r\n${line.repeat(Math.ceil((4.2 * 1024 * 1024) / Buffer.byteLength(line)))}`
	// Shift the text until byte 4 MiB falls in the middle of a multi-byte letter.
	let bytes = Buffer.from(text)
	for (let pad = 0; (bytes[4 * 1024 * 1024]! & 0xc0) !== 0x80; pad++) bytes = Buffer.from(`${' '.repeat(pad)}${text}`)
	const decoded = decodeText(bytes)
	expect(decoded.ok && decoded.encoding).toBe('utf-8')
	// An invalid byte further on is an encoding error, not a reason to read the file as another code page.
	const broken = Buffer.concat([bytes, Buffer.from([0xff, 0x0a])])
	expect(decodeText(broken)).toEqual({ ok: false, problem: { key: 'import.file.encoding' } })
})

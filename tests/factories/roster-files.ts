// Builders of roster files as agencies produce them: XLSX from Excel, CSV in UTF-8 (with or without BOM),
// UTF-16 and Windows-1258. Used by the import tests, the malformed-file tests, the e2e journey and the bench.
import ExcelJS from 'exceljs'
import { ROSTER_HEADERS, ROSTER_FIELDS } from '#app/org/roster-rows.server.ts'

export const HEADERS = ROSTER_FIELDS.map((f) => ROSTER_HEADERS[f])

type XlsxOptions = {
	headers?: Array<string>
	/** Rows written above the header (a title such as "DANH SÁCH CÁN BỘ"). */
	titleRows?: Array<Array<ExcelJS.CellValue>>
	merges?: Array<string>
	sheetName?: string
	/** Worksheets added before the roster sheet. */
	before?: Array<{ name: string; rows: Array<Array<ExcelJS.CellValue>> }>
	dateFormat?: string
}

export async function rosterXlsx(rows: Array<Array<ExcelJS.CellValue>>, options: XlsxOptions = {}) {
	const workbook = new ExcelJS.Workbook()
	for (const sheet of options.before ?? []) {
		const ws = workbook.addWorksheet(sheet.name)
		for (const r of sheet.rows) ws.addRow(r)
	}
	const ws = workbook.addWorksheet(options.sheetName ?? 'Danh sách')
	for (const r of options.titleRows ?? []) ws.addRow(r)
	ws.addRow(options.headers ?? HEADERS)
	for (const r of rows) {
		const added = ws.addRow(r)
		added.eachCell((cell) => {
			if (cell.value instanceof Date) cell.numFmt = options.dateFormat ?? 'dd/mm/yyyy'
		})
	}
	for (const m of options.merges ?? []) ws.mergeCells(m)
	return Buffer.from(await workbook.xlsx.writeBuffer())
}

function csvField(value: unknown, delimiter: string) {
	const text = value === null || value === undefined ? '' : String(value)
	return /["\n\r]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text
}

export type CsvEncoding = 'utf8' | 'utf8bom' | 'utf16le' | 'utf16be' | 'win1258'

export function rosterCsvText(rows: Array<Array<unknown>>, { headers = HEADERS, delimiter = ',' }: { headers?: Array<string>; delimiter?: string } = {}) {
	return [headers, ...rows].map((r) => r.map((v) => csvField(v, delimiter)).join(delimiter)).join('\r\n') + '\r\n'
}

export function encodeText(text: string, encoding: CsvEncoding): Buffer {
	switch (encoding) {
		case 'utf8':
			return Buffer.from(text, 'utf8')
		case 'utf8bom':
			return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
		case 'utf16le':
			return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
		case 'utf16be': {
			const le = Buffer.from(text, 'utf16le')
			for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!]
			return Buffer.concat([Buffer.from([0xfe, 0xff]), le])
		}
		case 'win1258':
			return encodeWindows1258(text)
	}
}

export function rosterCsv(rows: Array<Array<unknown>>, options: { headers?: Array<string>; delimiter?: string; encoding?: CsvEncoding } = {}) {
	return encodeText(rosterCsvText(rows, options), options.encoding ?? 'utf8bom')
}

let table: Map<string, number> | undefined

/** What Excel writes for "CSV (Comma delimited)" on Vietnamese Windows: code page 1258, tones as combining marks. */
export function encodeWindows1258(text: string): Buffer {
	if (!table) {
		table = new Map()
		const decoder = new TextDecoder('windows-1258')
		for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b)
	}
	const map = table
	const out: Array<number> = []
	for (const ch of text.normalize('NFC')) {
		const direct = map.get(ch)
		if (direct !== undefined) {
			out.push(direct)
			continue
		}
		// A letter with a tone: the base (perhaps with its own diacritic, â ê ô ơ ư ă) then the tone mark.
		const [first, ...marks] = [...ch.normalize('NFD')]
		let base = first!
		// Dot below sorts before the circumflex in NFD ("ệ" = e + ̣ + ̂): compose whichever mark the code page has.
		for (const m of marks.slice()) {
			const composed = (base + m).normalize('NFC')
			if (map.has(composed)) {
				base = composed
				marks.splice(marks.indexOf(m), 1)
			}
		}
		const b = map.get(base)
		if (b === undefined) throw new Error(`Cannot encode ${ch} in Windows-1258`)
		out.push(b)
		for (const m of marks) {
			const mark = map.get(m)
			if (mark === undefined) throw new Error(`Cannot encode ${ch} in Windows-1258`)
			out.push(mark)
		}
	}
	return Buffer.from(out)
}

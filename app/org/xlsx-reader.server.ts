// A small XLSX reader: JSZip for the archive, saxes for the XML, no streams. exceljs's streaming reader (unzipper
// underneath) occasionally lost a worksheet's rows under load and failed outright when the workbook part came
// after the worksheets in the archive; reading parts by name has no such order or timing dependence. It returns
// the cells a roster needs: text, numbers, dates (by the cell's number format), booleans, errors and formulas
// without a saved result, plus merged ranges.
import JSZip from 'jszip'
import { SaxesParser } from 'saxes'

export type XlsxCell =
	| { kind: 'empty' }
	| { kind: 'text'; text: string }
	| { kind: 'number'; value: number }
	| { kind: 'date'; date: Date }
	| { kind: 'bool'; value: boolean }
	| { kind: 'invalid'; reason: 'formula' | 'error'; text: string }

export type XlsxSheet = {
	name: string
	rows: Array<{ row: number; cells: Array<XlsxCell> }>
	merges: Array<{ top: number; left: number; bottom: number; right: number }>
	/** More rows than asked for: reading stopped early. */
	truncated: boolean
}

const EMPTY: XlsxCell = { kind: 'empty' }

/** Calls `on` for each element open/close and text, with namespace prefixes dropped. */
async function sax(
	file: JSZip.JSZipObject,
	on: { open?: (name: string, attrs: Record<string, string>) => void; close?: (name: string) => void; text?: (text: string) => void },
	stop: () => boolean = () => false,
) {
	const parser = new SaxesParser()
	const local = (name: string) => name.slice(name.indexOf(':') + 1)
	if (on.open) parser.on('opentag', (node) => on.open!(local(node.name), node.attributes as Record<string, string>))
	if (on.close) parser.on('closetag', (node) => on.close!(local(node.name)))
	if (on.text) parser.on('text', on.text)
	const bytes = await file.async('uint8array')
	const decoder = new TextDecoder('utf-8')
	const CHUNK = 1 << 20
	for (let i = 0; i < bytes.length && !stop(); i += CHUNK) {
		parser.write(decoder.decode(bytes.subarray(i, i + CHUNK), { stream: i + CHUNK < bytes.length }))
	}
	if (!stop()) parser.close()
}

// Built-in number formats that are dates (ECMA-376 §18.8.30), and custom ones that show a day, month or year.
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58])

function isDateFormat(code: string) {
	const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '')
	return /[dmy]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare)
}

function columnIndex(ref: string) {
	let n = 0
	for (const ch of ref) {
		const c = ch.charCodeAt(0)
		if (c < 65 || c > 90) break
		n = n * 26 + (c - 64)
	}
	return n - 1
}

function excelDate(serial: number, date1904: boolean) {
	const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)
	return new Date(epoch + Math.round(serial * 86_400_000))
}

/** Reads every worksheet (in workbook order) up to `maxRows` rows each. Throws on XML it cannot parse. */
export async function readXlsxSheets(zip: JSZip, maxRows: number): Promise<Array<XlsxSheet>> {
	const workbookFile = zip.file('xl/workbook.xml')
	if (!workbookFile) throw new Error('no workbook')
	const sheetRefs: Array<{ name: string; rid: string }> = []
	let date1904 = false
	await sax(workbookFile, {
		open: (name, a) => {
			if (name === 'sheet') sheetRefs.push({ name: a.name ?? '', rid: a['r:id'] ?? a.id ?? '' })
			if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true'
		},
	})
	const targets = new Map<string, string>()
	const rels = zip.file('xl/_rels/workbook.xml.rels')
	if (rels) {
		await sax(rels, {
			open: (name, a) => {
				if (name === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target.startsWith('/') ? a.Target.slice(1) : `xl/${a.Target.replace(/^\.\//, '')}`)
			},
		})
	}

	const shared: Array<string> = []
	const sharedFile = zip.file('xl/sharedStrings.xml')
	if (sharedFile) {
		let inSi = false
		let inT = false
		let inPhonetic = false
		let text = ''
		await sax(sharedFile, {
			open: (name) => {
				if (name === 'si') {
					inSi = true
					text = ''
				} else if (name === 'rPh') inPhonetic = true
				else if (name === 't' && inSi && !inPhonetic) inT = true
			},
			close: (name) => {
				if (name === 'si') {
					shared.push(text)
					inSi = false
				} else if (name === 'rPh') inPhonetic = false
				else if (name === 't') inT = false
			},
			text: (t) => {
				if (inT) text += t
			},
		})
	}

	const dateStyles: Array<boolean> = []
	const stylesFile = zip.file('xl/styles.xml')
	if (stylesFile) {
		const custom = new Map<number, string>()
		let inCellXfs = false
		await sax(stylesFile, {
			open: (name, a) => {
				if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '')
				else if (name === 'cellXfs') inCellXfs = true
				else if (name === 'xf' && inCellXfs) {
					const id = Number(a.numFmtId ?? 0)
					dateStyles.push(BUILTIN_DATES.has(id) || (custom.has(id) && isDateFormat(custom.get(id)!)))
				}
			},
			close: (name) => {
				if (name === 'cellXfs') inCellXfs = false
			},
		})
	}

	const sheets: Array<XlsxSheet> = []
	const fallback = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))
	const parts = sheetRefs.length
		? sheetRefs.map((s, i) => ({ name: s.name, path: targets.get(s.rid) ?? fallback[i] }))
		: fallback.map((path, i) => ({ name: `Sheet${i + 1}`, path }))
	for (const part of parts) {
		const file = part.path ? zip.file(part.path) : null
		if (!file) continue
		sheets.push(await readSheet(file, part.name, { shared, dateStyles, date1904, maxRows }))
	}
	return sheets
}

async function readSheet(
	file: JSZip.JSZipObject,
	name: string,
	ctx: { shared: Array<string>; dateStyles: Array<boolean>; date1904: boolean; maxRows: number },
): Promise<XlsxSheet> {
	const sheet: XlsxSheet = { name, rows: [], merges: [], truncated: false }
	let row: { row: number; cells: Array<XlsxCell> } | null = null
	let nextRow = 1
	let cell: { col: number; type: string; style: number; value: string | null; formula: string | null; inline: string } | null = null
	let nextCol = 0
	let capture: 'v' | 'f' | 't' | null = null
	let inInline = false
	let inPhonetic = false
	const finishCell = () => {
		if (!row || !cell) return
		const { type, value, formula } = cell
		let out: XlsxCell = EMPTY
		if (type === 'inlineStr') out = cell.inline ? { kind: 'text', text: cell.inline } : EMPTY
		else if (value === null) out = formula !== null ? { kind: 'invalid', reason: 'formula', text: `=${formula}` } : EMPTY
		else if (type === 's') {
			const text = ctx.shared[Number(value)]
			out = text === undefined ? { kind: 'invalid', reason: 'error', text: '' } : text === '' ? EMPTY : { kind: 'text', text }
		} else if (type === 'str') out = value === '' ? EMPTY : { kind: 'text', text: value }
		else if (type === 'b') out = { kind: 'bool', value: value === '1' || value === 'true' }
		else if (type === 'e') out = { kind: 'invalid', reason: 'error', text: value }
		else if (type === 'd') {
			const d = new Date(value)
			out = Number.isNaN(d.getTime()) ? { kind: 'invalid', reason: 'error', text: value } : { kind: 'date', date: d }
		} else {
			const n = Number(value)
			if (!Number.isFinite(n)) out = { kind: 'invalid', reason: 'error', text: value }
			else out = ctx.dateStyles[cell.style] ? { kind: 'date', date: excelDate(n, ctx.date1904) } : { kind: 'number', value: n }
		}
		while (row.cells.length < cell.col) row.cells.push(EMPTY)
		row.cells[cell.col] = out
		cell = null
	}
	await sax(
		file,
		{
			open: (tag, a) => {
				switch (tag) {
					case 'row': {
						const r = a.r ? Number(a.r) : nextRow
						row = { row: r, cells: [] }
						nextRow = r + 1
						nextCol = 0
						break
					}
					case 'c': {
						const col = a.r ? columnIndex(a.r) : nextCol
						cell = { col, type: a.t ?? 'n', style: Number(a.s ?? 0), value: null, formula: null, inline: '' }
						nextCol = col + 1
						break
					}
					case 'v':
						if (cell) {
							capture = 'v'
							cell.value = ''
						}
						break
					case 'f':
						if (cell) {
							capture = 'f'
							cell.formula ??= ''
						}
						break
					case 'is':
						inInline = true
						break
					case 'rPh':
						inPhonetic = true
						break
					case 't':
						if (cell && inInline && !inPhonetic) capture = 't'
						break
					case 'mergeCell': {
						const m = (a.ref ?? '').match(/^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/)
						if (m) sheet.merges.push({ left: columnIndex(m[1]!) + 1, top: Number(m[2]), right: columnIndex(m[3] ?? m[1]!) + 1, bottom: Number(m[4] ?? m[2]) })
						break
					}
				}
			},
			close: (tag) => {
				if (tag === 'v' || tag === 'f' || tag === 't') capture = null
				else if (tag === 'is') inInline = false
				else if (tag === 'rPh') inPhonetic = false
				else if (tag === 'c') finishCell()
				else if (tag === 'row' && row) {
					if (sheet.rows.length >= ctx.maxRows) sheet.truncated = true
					else sheet.rows.push(row)
					row = null
				}
			},
			text: (text) => {
				if (!cell || !capture) return
				if (capture === 'v') cell.value += text
				else if (capture === 'f') cell.formula += text
				else cell.inline += text
			},
		},
		() => sheet.truncated,
	)
	return sheet
}

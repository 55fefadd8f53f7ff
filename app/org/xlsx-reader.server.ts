// A small XLSX reader: JSZip for the archive, saxes for the XML. exceljs's streaming reader (unzipper underneath)
// occasionally lost a worksheet's rows under load and failed outright when the workbook part came after the
// worksheets in the archive; reading parts by name (each one inflated as a stream) has no such order dependence. It returns
// the cells a roster needs: text, numbers, dates (by the cell's number format), booleans, errors and formulas
// without a saved result, plus merged ranges. Parts are inflated and parsed chunk by chunk and rows are handed over
// one at a time (scanXlsxSheets): a 100,000-row sheet is ≈ 40 MB of XML and a million cell objects, which nothing
// needs to hold at once.
import JSZip from 'jszip'
import { SaxesParser } from 'saxes'

export type XlsxCell =
	| { kind: 'empty' }
	| { kind: 'text'; text: string }
	| { kind: 'number'; value: number }
	| { kind: 'date'; date: Date }
	| { kind: 'bool'; value: boolean }
	| { kind: 'invalid'; reason: 'formula' | 'error'; text: string }

/** A merged range, 1-based inclusive bounds. */
export type XlsxMerge = { top: number; left: number; bottom: number; right: number }

const EMPTY: XlsxCell = { kind: 'empty' }

type Row = { row: number; cells: Array<XlsxCell> }

/** What a scan of the workbook reports, sheet by sheet, as it reads. */
export type XlsxVisitor = {
	startSheet?: (index: number, name: string) => void
	/** One row of the current sheet; 'stop' ends the whole scan. */
	row: (row: Row) => void | 'stop'
	/** The sheet is done; merged ranges (written after the rows) are known now. 'stop' skips the remaining sheets. */
	endSheet?: (info: { merges: Array<XlsxMerge>; truncated: boolean }) => void | 'stop'
}

/** Inflated bytes one part may have: a 200,000-row sheet is ≈ 80 MB of XML; beyond this the file is a zip bomb. */
export const MAX_PART_INFLATED_BYTES = 256 * 1024 * 1024
/** Inflated bytes of all the parts read from one file, together. */
export const MAX_FILE_INFLATED_BYTES = 512 * 1024 * 1024
/**
 * Longest run of XML without a tag: a cell holds at most 32,767 characters. The parser keeps such a run (text, a
 * tag's name or attributes) in memory until the next tag, so whitespace inflating to hundreds of MB would.
 */
const MAX_RUN_BYTES = 4 * 1024 * 1024
/** Longest run of inflating and parsing before other requests get the event loop. */
const SLICE_MS = 15

/**
 * A part inflated past the limits while it was read. The sizes the archive's directory states are never trusted:
 * a lying directory, or zip64 sizes that JSZip reads as negative numbers, claimed a 2 GiB sheet was small.
 */
export class XlsxTooLargeError extends Error {
	constructor() {
		super('an XLSX part inflates past the limit')
	}
}

/** Inflated bytes left for the parts of one file. */
type InflateBudget = { left: number }

// JSZip streams a part through its workers; the typings only describe the Node stream wrapper around it.
type PartStream = {
	on(event: 'data', cb: (chunk: Uint8Array) => void): PartStream
	on(event: 'end', cb: () => void): PartStream
	on(event: 'error', cb: (error: Error) => void): PartStream
	resume(): PartStream
	pause(): PartStream
}

/**
 * Calls `on` for each element open/close and text, with namespace prefixes dropped. The part is inflated in small
 * chunks and each is parsed as it comes, so neither the part's bytes nor its text exist whole; `stop` ends early.
 * The inflated bytes are counted as they come and the reading stops with XlsxTooLargeError past the part's limit,
 * the file's `budget` or MAX_RUN_BYTES without a tag; every SLICE_MS the stream pauses for a turn of the event loop, so that a large import
 * does not hold up the web requests.
 */
async function sax(
	file: JSZip.JSZipObject,
	on: { open?: (name: string, attrs: Record<string, string>) => void; close?: (name: string) => void; text?: (text: string) => void },
	budget: InflateBudget,
	stop: () => boolean = () => false,
) {
	const parser = new SaxesParser()
	let sinceTag = 0
	parser.on('opentagstart', () => (sinceTag = 0))
	parser.on('closetag', () => (sinceTag = 0))
	const local = (name: string) => name.slice(name.indexOf(':') + 1)
	if (on.open) parser.on('opentag', (node) => on.open!(local(node.name), node.attributes as Record<string, string>))
	if (on.close) parser.on('closetag', (node) => on.close!(local(node.name)))
	if (on.text) parser.on('text', on.text)
	const decoder = new TextDecoder('utf-8')
	const stream = (file as unknown as { internalStream(type: 'uint8array'): PartStream }).internalStream('uint8array')
	await new Promise<void>((resolve, reject) => {
		let settled = false
		const settle = (error?: unknown) => {
			if (settled) return
			settled = true
			if (error) reject(error instanceof Error ? error : new Error(String(error)))
			else resolve()
		}
		let inflated = 0
		let sliceStart = performance.now()
		stream
			.on('data', (chunk) => {
				if (settled) return
				inflated += chunk.length
				budget.left -= chunk.length
				sinceTag += chunk.length
				if (inflated > MAX_PART_INFLATED_BYTES || budget.left < 0 || sinceTag > MAX_RUN_BYTES) {
					stream.pause()
					settle(new XlsxTooLargeError())
					return
				}
				try {
					parser.write(decoder.decode(chunk, { stream: true }))
					if (stop()) {
						stream.pause()
						settle()
						return
					}
				} catch (error) {
					stream.pause()
					settle(error)
					return
				}
				if (performance.now() - sliceStart > SLICE_MS) {
					stream.pause()
					setImmediate(() => {
						sliceStart = performance.now()
						if (!settled) stream.resume()
					})
				}
			})
			.on('error', (error) => settle(error))
			.on('end', () => {
				if (settled) return
				try {
					parser.write(decoder.decode())
					if (!stop()) parser.close()
					settle()
				} catch (error) {
					settle(error)
				}
			})
			.resume()
	})
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

/**
 * Hands every worksheet's rows (in workbook order, up to `maxRows` rows each) to `visit` as they are read, and
 * returns how many sheets were read. Throws on XML it cannot parse, possibly after some rows were handed over.
 */
export async function scanXlsxSheets(zip: JSZip, maxRows: number, visit: XlsxVisitor): Promise<number> {
	const budget: InflateBudget = { left: MAX_FILE_INFLATED_BYTES }
	const workbookFile = zip.file('xl/workbook.xml')
	if (!workbookFile) throw new Error('no workbook')
	const sheetRefs: Array<{ name: string; rid: string }> = []
	let date1904 = false
	await sax(workbookFile, {
		open: (name, a) => {
			if (name === 'sheet') sheetRefs.push({ name: a.name ?? '', rid: a['r:id'] ?? a.id ?? '' })
			if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true'
		},
	}, budget)
	const targets = new Map<string, string>()
	const rels = zip.file('xl/_rels/workbook.xml.rels')
	if (rels) {
		await sax(rels, {
			open: (name, a) => {
				if (name === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target.startsWith('/') ? a.Target.slice(1) : `xl/${a.Target.replace(/^\.\//, '')}`)
			},
		}, budget)
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
		}, budget)
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
		}, budget)
	}

	const fallback = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))
	const parts = sheetRefs.length
		? sheetRefs.map((s, i) => ({ name: s.name, path: targets.get(s.rid) ?? fallback[i] }))
		: fallback.map((path, i) => ({ name: `Sheet${i + 1}`, path }))
	let read = 0
	for (const part of parts) {
		const file = part.path ? zip.file(part.path) : null
		if (!file) continue
		visit.startSheet?.(read++, part.name)
		const { merges, truncated, stopped } = await readSheet(file, { shared, dateStyles, date1904, maxRows, budget }, (row) => visit.row(row))
		// A sheet cut short has only the merges seen so far: none are reported rather than some.
		if (stopped || visit.endSheet?.({ merges: truncated ? [] : merges, truncated }) === 'stop') break
	}
	return read
}

async function readSheet(
	file: JSZip.JSZipObject,
	ctx: { shared: Array<string>; dateStyles: Array<boolean>; date1904: boolean; maxRows: number; budget: InflateBudget },
	onRow: XlsxVisitor['row'],
) {
	const sheet = { merges: [] as Array<XlsxMerge>, truncated: false, stopped: false, rows: 0 }
	let row: Row | null = null
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
					// The rest of a chunk is still parsed after a stop: nothing more is handed over.
					if (sheet.stopped || sheet.truncated) row = null
					else if (sheet.rows >= ctx.maxRows) sheet.truncated = true
					else {
						sheet.rows++
						if (onRow(row) === 'stop') sheet.stopped = true
					}
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
		ctx.budget,
		() => sheet.truncated || sheet.stopped,
	)
	return sheet
}

// Reading the spreadsheets agencies actually have: XLSX from any Excel version and CSV exported as UTF-8 (with or
// without BOM), UTF-16 ("Unicode text") or the Vietnamese ANSI code page Windows-1258. The file's bytes decide
// the format, never its name. Nothing here throws on bad input: every problem becomes a FileProblem that names
// what to do, and the caller turns it into Vietnamese text. Rows can be handed over one at a time as they are read
// (scanSpreadsheet), so that a 100,000-row roster never exists as a million cell objects; readSpreadsheet collects
// them for the small files (org trees, attendance lists) that are easier to handle whole.
import { isUtf8 } from 'node:buffer'
import { parse as parseCsv } from 'csv-parse/sync'
import JSZip from 'jszip'
import { type ImportMessage } from './import-messages.ts'
import { MAX_PART_INFLATED_BYTES, scanXlsxSheets, XlsxTooLargeError } from './xlsx-reader.server.ts'

/** Data rows an import may hold: a province has ≈ 100,000 staff, so twice that leaves room. */
export const MAX_DATA_ROWS = 200_000
/** Rows above the header that may hold a title ("DANH SÁCH CÁN BỘ …") before the header row. */
export const HEADER_SEARCH_ROWS = 20
/** Excel's own limit for one cell; longer values cannot come from a real sheet. */
const MAX_CELL_CHARS = 32_767

export type Cell =
	| { kind: 'empty' }
	| { kind: 'text'; text: string }
	| { kind: 'number'; value: number }
	| { kind: 'date'; date: Date }
	| { kind: 'bool'; value: boolean }
	/** A formula whose result Excel did not save, or an Excel error such as #N/A. */
	| { kind: 'invalid'; reason: 'formula' | 'error'; text: string }

export type SheetRow = { row: number; cells: Array<Cell> }

export type Sheet = {
	format: 'xlsx' | 'csv'
	encoding?: string
	rows: Array<SheetRow>
	/** Merged ranges as 1-based inclusive bounds. */
	merges: Array<{ top: number; left: number; bottom: number; right: number }>
}

export type ReadOutcome = { ok: true; sheets: Array<Sheet> } | { ok: false; problem: ImportMessage }

export type Merge = Sheet['merges'][number]

/** Receives a file's rows sheet by sheet while it is read. */
export type SheetVisitor = {
	startSheet?: (index: number, info: { format: 'xlsx' | 'csv'; encoding?: string }) => void
	/** One row; 'stop' ends the reading of the whole file. */
	row: (row: SheetRow) => void | 'stop'
	/** The sheet is done: its merged ranges are known only now (XLSX writes them after the rows). 'stop' skips the other sheets. */
	endSheet?: (info: { merges: Array<Merge> }) => void | 'stop'
}

/** Sheets handed over, or why the file cannot be read; rows already handed over are then to be ignored. */
export type ScanOutcome = { ok: true; sheets: number } | { ok: false; problem: ImportMessage }

const EMPTY: Cell = { kind: 'empty' }

export function cellText(cell: Cell | undefined): string {
	if (!cell) return ''
	switch (cell.kind) {
		case 'text':
			return cell.text
		case 'number':
			return String(cell.value)
		case 'bool':
			return cell.value ? 'TRUE' : 'FALSE'
		case 'date':
			return cell.date.toISOString().slice(0, 10)
		case 'invalid':
			return cell.text
		default:
			return ''
	}
}

function startsWith(bytes: Uint8Array, ...prefix: Array<number>) {
	return prefix.every((b, i) => bytes[i] === b)
}

/** Reads an uploaded file into sheets of cells, or says precisely why it cannot. */
export async function readSpreadsheet(bytes: Uint8Array): Promise<ReadOutcome> {
	const sheets: Array<Sheet> = []
	const outcome = await scanSpreadsheet(bytes, {
		startSheet: (_, info) => void sheets.push({ ...info, rows: [], merges: [] }),
		row: (row) => void sheets.at(-1)!.rows.push(row),
		endSheet: ({ merges }) => void (sheets.at(-1)!.merges = merges),
	})
	return outcome.ok ? { ok: true, sheets } : outcome
}

/** Reads an uploaded file and hands its rows to `visit` as they come, or says precisely why it cannot be read. */
export async function scanSpreadsheet(bytes: Uint8Array, visit: SheetVisitor): Promise<ScanOutcome> {
	if (bytes.length === 0) return { ok: false, problem: { key: 'import.file.empty' } }
	if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return scanXlsx(bytes, visit)
	if (startsWith(bytes, 0x50, 0x4b)) return { ok: false, problem: { key: 'import.file.badZip' } }
	if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) return { ok: false, problem: { key: 'import.file.xls' } }
	if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) return { ok: false, problem: { key: 'import.file.pdf' } }
	const decoded = decodeText(bytes)
	if (!decoded.ok) return decoded
	return scanCsv(decoded, visit)
}

// ——— CSV ————————————————————————————————————————————————————————————————————————————————————

/**
 * `source` is what the CSV parser reads: for UTF-8 (nearly every file) the bytes themselves, checked without being
 * turned into one big string; for other encodings the decoded text. `sample` is the start of the text, in NFC.
 */
type Decoded = { ok: true; source: string | Uint8Array; sample: string; encoding: string } | { ok: false; problem: ImportMessage }

/** Control characters never found in a text export: their presence means a binary file or a wrong encoding. */
function hasBinary(text: string) {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i)
		if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) return true
	}
	return false
}
// TCVN3 (ABC) and VNI text read as Windows-1258 turns Vietnamese letters into these Latin-1 symbols.
const LEGACY_VN = /[\u00a1-\u00bf\u00d7\u00f7]/g
const SAMPLE_CHARS = 200_000
const UTF8_PROBE_BYTES = 4 * 1024 * 1024

/** The first `n` bytes, cut back to a character boundary (a multi-byte sequence is never split). */
function utf8Prefix(bytes: Uint8Array, n: number) {
	if (bytes.length <= n) return bytes
	let end = n
	while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--
	return bytes.subarray(0, end)
}

export function decodeText(bytes: Uint8Array): Decoded {
	let encoding: string
	let body = bytes
	if (startsWith(bytes, 0xef, 0xbb, 0xbf)) {
		encoding = 'utf-8'
		body = bytes.subarray(3)
	} else if (startsWith(bytes, 0xff, 0xfe)) {
		encoding = 'utf-16le'
		body = bytes.subarray(2)
	} else if (startsWith(bytes, 0xfe, 0xff)) {
		encoding = 'utf-16be'
		body = bytes.subarray(2)
	} else if (looksUtf16(bytes)) {
		encoding = bytes[0] === 0 ? 'utf-16be' : 'utf-16le'
	} else {
		// UTF-8 when its start reads as UTF-8 (an error further on is reported below, not read as another code page).
		encoding = isUtf8(utf8Prefix(bytes, UTF8_PROBE_BYTES)) ? 'utf-8' : 'windows-1258'
	}
	let source: string | Uint8Array
	let sample: string
	if (encoding === 'utf-8') {
		if (!isUtf8(body)) return { ok: false, problem: { key: 'import.file.encoding' } }
		source = body
		// Four bytes a character at most: this start of the file holds at least the sample.
		sample = new TextDecoder('utf-8').decode(utf8Prefix(body, SAMPLE_CHARS * 4)).normalize('NFC').slice(0, SAMPLE_CHARS)
	} else {
		let text: string
		try {
			text = new TextDecoder(encoding, { fatal: encoding !== 'windows-1258' }).decode(body)
		} catch {
			return { ok: false, problem: { key: 'import.file.encoding' } }
		}
		// Windows-1258 writes tones as combining marks ("Nguyê\u0303n"): NFC makes them the letters people type.
		source = text.normalize('NFC')
		sample = source.slice(0, SAMPLE_CHARS)
	}
	if (hasBinary(sample)) {
		return { ok: false, problem: { key: encoding === 'windows-1258' ? 'import.file.encoding' : 'import.file.binary' } }
	}
	if (encoding === 'windows-1258') {
		const letters = sample.match(/\p{L}/gu)?.length ?? 0
		const odd = sample.match(LEGACY_VN)?.length ?? 0
		if (odd > 3 && odd * 20 > letters) return { ok: false, problem: { key: 'import.file.legacyVn' } }
	}
	return { ok: true, source, sample, encoding }
}

/** Only spaces and line breaks (the sample is in NFC text; the rest of a long file is checked byte by byte). */
function isBlank(decoded: { source: string | Uint8Array; sample: string }) {
	if (decoded.sample.trim()) return false
	const { source } = decoded
	if (typeof source === 'string') return !source.trim()
	for (const b of source) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false
	return true
}

function looksUtf16(bytes: Uint8Array) {
	const n = Math.min(bytes.length, 4096) & ~1
	if (n < 4) return false
	let evenZeros = 0
	let oddZeros = 0
	for (let i = 0; i < n; i += 2) {
		if (bytes[i] === 0) evenZeros++
		if (bytes[i + 1] === 0) oddZeros++
	}
	const half = n / 2
	return oddZeros > half * 0.3 !== evenZeros > half * 0.3
}

/** Excel writes ";" where the list separator is ";" (Vietnamese regional settings), "," elsewhere, tab for UTF-16. */
export function detectDelimiter(text: string) {
	const lines = text.split(/\r?\n/, HEADER_SEARCH_ROWS).filter((l) => l.trim())
	let best = ','
	let bestScore = 0
	for (const d of [',', ';', '\t', '|']) {
		const score = Math.max(0, ...lines.map((l) => l.split(d).length - 1))
		if (score > bestScore) {
			best = d
			bestScore = score
		}
	}
	return best
}

// Thrown from csv-parse's record callback to stop it when the visitor has read enough.
const STOP = Symbol('stop')

function scanCsv(decoded: Extract<Decoded, { ok: true }>, visit: SheetVisitor): ScanOutcome {
	if (isBlank(decoded)) return { ok: false, problem: { key: 'import.file.empty' } }
	const { source, encoding } = decoded
	visit.startSheet?.(0, { format: 'csv', encoding })
	let row = 0
	// A failure of the visitor's own code is a bug to report as such, not a problem of the file.
	let failure: { error: unknown } | null = null
	try {
		// A Buffer view of UTF-8 bytes is parsed as is; a string would be copied into one by csv-parse.
		parseCsv(typeof source === 'string' ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength), {
			delimiter: detectDelimiter(decoded.sample),
			relax_column_count: true,
			skip_empty_lines: false,
			// One more than allowed, so that a longer file is noticed without reading all of it.
			to: MAX_DATA_ROWS + HEADER_SEARCH_ROWS + 1,
			max_record_size: MAX_CELL_CHARS * 40,
			// Each record is handed over and dropped (null keeps csv-parse from collecting them all).
			on_record: (fields: Array<string>) => {
				row++
				let next: void | 'stop'
				try {
					// NFC field by field: UTF-8 files are never decoded whole (other encodings already are NFC).
					next = visit.row({ row, cells: fields.map((f): Cell => (f === '' ? EMPTY : { kind: 'text', text: f.normalize('NFC') })) })
				} catch (error) {
					failure = { error }
					throw error
				}
				if (next === 'stop') throw STOP
				return null
			},
		})
	} catch (error) {
		if (error === STOP) return { ok: true, sheets: 1 }
		if (failure) throw (failure as { error: unknown }).error
		const line = typeof error === 'object' && error && 'lines' in error ? Number(error.lines) : undefined
		const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : ''
		if (code === 'CSV_MAX_RECORD_SIZE') return { ok: false, problem: { key: 'import.file.hugeRecord', row: line } }
		return { ok: false, problem: { key: 'import.file.csvQuotes', row: line } }
	}
	visit.endSheet?.({ merges: [] })
	return { ok: true, sheets: 1 }
}

// ——— XLSX ———————————————————————————————————————————————————————————————————————————————————

type ZipEntry = JSZip.JSZipObject & { _data?: { uncompressedSize?: number } }

async function scanXlsx(bytes: Uint8Array, visit: SheetVisitor): Promise<ScanOutcome> {
	// The archive is opened through its central directory: a truncated or damaged file fails here.
	let zip: JSZip
	try {
		zip = await JSZip.loadAsync(bytes, { checkCRC32: false })
	} catch {
		return { ok: false, problem: { key: 'import.file.badZip' } }
	}
	if (!zip.file('xl/workbook.xml')) {
		const isOdf = zip.file('mimetype') !== null
		const isDocx = zip.file('word/document.xml') !== null
		return { ok: false, problem: { key: isOdf ? 'import.file.ods' : isDocx ? 'import.file.docx' : 'import.file.notXlsx' } }
	}
	// An honest directory that states a part too large is refused at once; a lying one (or zip64 sizes, which JSZip
	// reads as negative numbers) is caught while the parts are inflated (xlsx-reader.server.ts counts the bytes).
	for (const entry of Object.values(zip.files) as Array<ZipEntry>) {
		if ((entry._data?.uncompressedSize ?? 0) > MAX_PART_INFLATED_BYTES) return { ok: false, problem: { key: 'import.file.tooBig' } }
	}

	let sheets: number
	// A failure of the visitor's own code is a bug to report as such, not a problem of the file.
	let failure: { error: unknown } | null = null
	const guard = <T,>(run: () => T) => {
		try {
			return run()
		} catch (error) {
			failure = { error }
			throw error
		}
	}
	try {
		sheets = await scanXlsxSheets(zip, MAX_DATA_ROWS + HEADER_SEARCH_ROWS + 1, {
			startSheet: (index) => guard(() => visit.startSheet?.(index, { format: 'xlsx' })),
			row: (row) => guard(() => visit.row(row)),
			endSheet: ({ merges }) => guard(() => visit.endSheet?.({ merges })),
		})
	} catch (error) {
		if (failure) throw (failure as { error: unknown }).error
		return { ok: false, problem: { key: error instanceof XlsxTooLargeError ? 'import.file.tooBig' : 'import.file.notXlsx' } }
	}
	if (sheets === 0) return { ok: false, problem: { key: 'import.file.noSheet' } }
	return { ok: true, sheets }
}

export function columnLetter(index0: number) {
	let n = index0 + 1
	let s = ''
	while (n > 0) {
		const r = (n - 1) % 26
		s = String.fromCharCode(65 + r) + s
		n = Math.floor((n - 1) / 26)
	}
	return s
}

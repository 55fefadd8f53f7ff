// From cells to roster rows: finds the header row (titles above it are common), maps Vietnamese column names
// written any which way, and checks every cell. No database here: unit codes and people are checked by
// roster-import.server.ts. Each problem names its row and column.
import { fixLookalikes, foldVi, normalizeName } from '#app/ui/collation.ts'
import { type ImportMessage } from './import-messages.ts'
import { type Cell, cellText, columnLetter, HEADER_SEARCH_ROWS, MAX_DATA_ROWS, type Merge, scanSpreadsheet, type SheetRow, type SheetVisitor } from './spreadsheet.server.ts'
import { TAGS } from './tags.ts'

export const ROSTER_FIELDS = ['fullName', 'birthDate', 'email', 'phone', 'unitCode', 'title', 'tags', 'countsInTarget'] as const
export type RosterField = (typeof ROSTER_FIELDS)[number]

/** The template's headers. They are part of the file format, so they stay Vietnamese whatever the UI language. */
export const ROSTER_HEADERS: Record<RosterField, string> = {
	fullName: 'Họ và tên',
	birthDate: 'Ngày sinh',
	email: 'Email',
	phone: 'Số điện thoại',
	unitCode: 'Mã đơn vị',
	title: 'Chức vụ',
	tags: 'Nhóm',
	countsInTarget: 'Tính vào chỉ tiêu',
}

// Folded spellings met in agencies' own lists.
const ALIASES: Record<RosterField | 'familyName' | 'givenName' | 'unitName' | 'ignored', Array<string>> = {
	fullName: ['ho va ten', 'ho ten', 'ho va ten day du', 'full name', 'fullname', 'name'],
	familyName: ['ho', 'ho dem', 'ho va ten dem', 'ho va dem', 'ho va chu dem'],
	givenName: ['ten'],
	birthDate: ['ngay sinh', 'ngay thang nam sinh', 'ngay/thang/nam sinh', 'nam sinh', 'sinh ngay', 'date of birth', 'birth date', 'dob'],
	email: ['email', 'e-mail', 'e mail', 'thu dien tu', 'dia chi email', 'dia chi thu dien tu'],
	phone: ['so dien thoai', 'dien thoai', 'sdt', 'so dt', 'dt', 'dien thoai di dong', 'so di dong', 'phone', 'mobile'],
	unitCode: ['ma don vi', 'ma dv', 'ma co quan', 'unit code', 'unit'],
	// A column of unit names is the unit column when the file has no code column (names are matched like codes).
	unitName: ['don vi', 'ten don vi', 'co quan', 'don vi cong tac', 'noi cong tac'],
	title: ['chuc vu', 'chuc danh', 'chuc vu/chuc danh', 'title', 'position'],
	tags: ['nhom', 'nhom doi tuong', 'doi tuong', 'tags', 'group'],
	countsInTarget: ['tinh vao chi tieu', 'chi tieu', 'tinh chi tieu', 'counts in target'],
	ignored: ['stt', 'tt', 'so thu tu', 'ghi chu', 'note', 'notes', 'gioi tinh'],
}

const MAX_TEXT = 1000
const MAX_NAME = 120
const MAX_UNIT = 200

export type RosterRow = {
	row: number
	fullName: string
	birthDate: Date | null
	birthYear: number | null
	email: string | null
	phone: string | null
	unitCode: string
	title: string | null
	tags: Array<string>
	countsInTarget: boolean
	/** How values were read (READ_* flags), for the preview: a restored leading zero, a date from a serial number. */
	read?: number
}

/** The phone lost its leading zero (a number cell, or 9 digits typed) and got it back. */
export const READ_PHONE_ZERO = 1
/** The phone was written +84… / 84… and became 0…. */
export const READ_PHONE_84 = 2
/** The birth date was an Excel serial number in a cell without a date format. */
export const READ_BIRTH_SERIAL = 4

export type ParsedRoster =
	| { ok: false; problems: Array<ImportMessage> }
	| {
			ok: true
			headerRow: number
			/** Fields the file has a column for: a column left out means "keep what the database has". */
			columns: Array<RosterField>
			rows: Array<RosterRow>
			errors: Array<ImportMessage>
			warnings: Array<ImportMessage>
			/** Column letter and header text of each field, to point at cells found wrong later. */
			where: Partial<Record<RosterField, { column: string; header: string }>>
	  }

function foldHeader(text: string) {
	return foldVi(text)
		.replace(/\(.*?\)|\[.*?\]/g, '')
		.replace(/[*:.]/g, '')
		.replace(/\s+/g, ' ')
		.trim()
}

type Mapping = Map<number, RosterField | 'familyName' | 'givenName' | 'unitName' | 'ignored' | 'unknown'>

function mapHeader(cells: Array<Cell>): Mapping {
	const mapping: Mapping = new Map()
	cells.forEach((cell, i) => {
		const folded = foldHeader(cellText(cell))
		if (!folded) return
		const field = (Object.keys(ALIASES) as Array<keyof typeof ALIASES>).find((f) => ALIASES[f].includes(folded))
		mapping.set(i, field ?? 'unknown')
	})
	const hasCode = [...mapping.values()].includes('unitCode')
	const firstName = [...mapping].find(([, f]) => f === 'unitName')?.[0]
	for (const [i, field] of mapping) if (field === 'unitName') mapping.set(i, !hasCode && i === firstName ? 'unitCode' : 'ignored')
	return mapping
}

function score(mapping: Mapping) {
	let n = 0
	for (const f of mapping.values()) if (f !== 'unknown' && f !== 'ignored') n++
	return n
}

function hasName(fields: Set<string>) {
	return fields.has('fullName') || (fields.has('familyName') && fields.has('givenName'))
}

type Candidate = { sheet: number; index: number; row: number; mapping: Mapping; cells: Array<Cell>; merges: Array<Merge> }

/**
 * Reads a roster file row by row (scanSpreadsheet): the header is looked for in the first rows of each sheet, then
 * every data row becomes a compact RosterRow at once and its cells are dropped. Repeated values (unit codes,
 * titles, groups, birth dates, names) are shared between rows, so 100,000 rows hold a few tens of megabytes.
 */
export async function readRosterFile(bytes: Uint8Array): Promise<ParsedRoster> {
	const reader = new RosterReader()
	const outcome = await scanSpreadsheet(bytes, reader)
	if (!outcome.ok) return { ok: false, problems: [outcome.problem] }
	return reader.result()
}

class RosterReader implements SheetVisitor {
	private sheetIndex = -1
	/** The first rows of the current sheet, where the header may be. */
	private top: Array<SheetRow> = []
	private anyContent = false
	private best: Candidate | null = null
	/** What happens to the current sheet's rows once its header rows have been seen. */
	private state: 'top' | 'data' | 'skip' | 'done' = 'top'
	private chosen: {
		headerRow: number
		headerCells: Array<Cell>
		mapping: Mapping
		used: Array<number>
		col: (field: RosterField | 'familyName' | 'givenName') => number | undefined
		problems: Array<ImportMessage>
	} | null = null
	private rows: Array<RosterRow> = []
	private errors: Array<ImportMessage> = []
	private dataRows = 0
	private tooMany: ImportMessage | null = null
	private readonly year = new Date().getUTCFullYear()
	// Values that repeat from row to row, kept once.
	private readonly strings = new Map<string, string>()
	private readonly tagLists = new Map<string, ReturnType<typeof parseTags>>()
	private readonly births = new Map<string, ReturnType<typeof parseBirthDate>>()

	startSheet(index: number) {
		this.sheetIndex = index
		this.top = []
		this.state = 'top'
	}

	row(r: SheetRow): void | 'stop' {
		if (!this.anyContent && r.cells.some((c) => c.kind !== 'empty')) this.anyContent = true
		if (this.state === 'top') {
			this.top.push(r)
			if (this.top.length === HEADER_SEARCH_ROWS) return this.decide()
			return
		}
		if (this.state === 'data') return this.data(r)
	}

	endSheet({ merges }: { merges: Array<Merge> }): void | 'stop' {
		if (this.state === 'top' && this.decide() === 'stop') return 'stop'
		if (this.best?.sheet === this.sheetIndex) this.best.merges = merges
		if (this.state === 'data' || this.chosen) {
			this.finish(merges)
			return 'stop'
		}
	}

	/** After the first rows of a sheet: is its header the one, and is it complete enough to read the data? */
	private decide(): void | 'stop' {
		for (let i = 0; i < this.top.length; i++) {
			const mapping = mapHeader(this.top[i]!.cells)
			if (!this.best || score(mapping) > score(this.best.mapping)) {
				this.best = { sheet: this.sheetIndex, index: i, row: this.top[i]!.row, mapping, cells: this.top[i]!.cells, merges: [] }
			}
		}
		const top = this.top
		this.top = []
		const best = this.best
		// The first sheet with a name and a unit code column is the roster: instructions may come first in some workbooks.
		if (!best || best.sheet !== this.sheetIndex || !isComplete(best.mapping)) {
			this.state = 'skip'
			return
		}
		const { mapping } = best
		const problems: Array<ImportMessage> = []
		const seen = new Map<string, number>()
		for (const [i, field] of mapping) {
			if (field === 'unknown' || field === 'ignored') continue
			const first = seen.get(field)
			if (first !== undefined) {
				problems.push({ key: 'import.header.duplicate', row: best.row, column: columnLetter(i), header: cellText(best.cells[i]), vars: { other: columnLetter(first) } })
			} else seen.set(field, i)
		}
		// The first column of each field (looked up several times per row).
		const firstColumn = new Map<string, number>()
		for (const [i, field] of mapping) if (!firstColumn.has(field)) firstColumn.set(field, i)
		const col = (field: string) => firstColumn.get(field)
		this.chosen = {
			headerRow: best.row,
			headerCells: best.cells,
			mapping,
			used: [...mapping].filter(([, f]) => f !== 'unknown' && f !== 'ignored').map(([i]) => i),
			col,
			problems,
		}
		if (problems.length) {
			// Merged header cells may explain the problem: they are known when the sheet ends.
			this.state = 'skip'
			return
		}
		this.state = 'data'
		for (const r of top.slice(best.index + 1)) if (this.data(r) === 'stop') return 'stop'
	}

	private data(r: SheetRow): void | 'stop' {
		const { used } = this.chosen!
		if (!used.some((i) => r.cells[i] && r.cells[i]!.kind !== 'empty')) return
		if (++this.dataRows > MAX_DATA_ROWS) {
			this.tooMany = { key: 'import.file.tooManyRows', row: r.row, vars: { max: MAX_DATA_ROWS.toLocaleString('vi-VN') } }
			this.state = 'done'
			return 'stop'
		}
		const row = this.check(r)
		if (row) this.rows.push(row)
	}

	private once(value: string) {
		const kept = this.strings.get(value)
		if (kept !== undefined) return kept
		this.strings.set(value, value)
		return value
	}

	/** One data row: its checked values, or null with its problems added to the errors. */
	private check(r: SheetRow): RosterRow | null {
		const { used, col, headerCells } = this.chosen!
		let rowOk = true
		const fail = (i: number, message: Omit<ImportMessage, 'row' | 'column' | 'header'>) => {
			this.errors.push({ row: r.row, column: columnLetter(i), header: cellText(headerCells[i]), ...message })
			rowOk = false
		}
		// Cells that cannot be read at all, in any used column.
		for (const i of used) {
			const cell = r.cells[i]
			if (!cell) continue
			if (cell.kind === 'invalid') fail(i, { key: cell.reason === 'formula' ? 'import.cell.formula' : 'import.cell.excelError', vars: { value: cell.text.slice(0, 40) } })
			else if (cell.kind === 'text' && cell.text.length > MAX_TEXT) fail(i, { key: 'import.cell.tooLong', vars: { length: cell.text.length, max: MAX_TEXT } })
		}
		if (!rowOk) return null
		const text = (i: number | undefined) => (i === undefined ? '' : normalizeName(cellText(r.cells[i])))

		// Name: one column, or family name + given name in two.
		const nameCol = col('fullName') ?? col('givenName')!
		const fullName = this.once(fixLookalikes(col('fullName') !== undefined ? text(col('fullName')) : normalizeName(`${text(col('familyName'))} ${text(col('givenName'))}`)))
		if (!fullName) fail(nameCol, { key: 'import.name.required' })
		else if (fullName.length > MAX_NAME) fail(nameCol, { key: 'import.name.tooLong', vars: { max: MAX_NAME } })
		else if (/\d/.test(fullName) || !/\p{L}/u.test(fullName) || /^[=+\-@]/.test(fullName)) fail(nameCol, { key: 'import.name.invalid' })

		let read = 0
		let birthDate: Date | null = null
		let birthYear: number | null = null
		const bCol = col('birthDate')
		const bCell = bCol === undefined ? undefined : r.cells[bCol]
		if (bCol !== undefined && bCell && bCell.kind !== 'empty') {
			const key = `${bCell.kind}:${cellText(bCell)}`
			let parsed = this.births.get(key)
			if (!parsed) this.births.set(key, (parsed = parseBirthDate(bCell, this.year)))
			if ('error' in parsed) fail(bCol, { key: parsed.error, vars: { value: cellText(bCell).slice(0, 40) } })
			else {
				birthDate = parsed.date
				birthYear = parsed.year
				if (parsed.date && (bCell.kind === 'number' || bCell.kind === 'text') && /^\d+(\.0+)?$/.test(cellText(bCell).trim())) read |= READ_BIRTH_SERIAL
			}
		}

		let email: string | null = null
		const eCol = col('email')
		if (eCol !== undefined) {
			const raw = text(eCol).toLowerCase().replace(/^mailto:/, '')
			if (raw) {
				if (raw.length > 254 || !/^[^\s@,;<>()]+@[^\s@,;<>()]+\.[a-z]{2,}$/.test(raw)) fail(eCol, { key: 'import.email.invalid', vars: { value: raw.slice(0, 60) } })
				else email = raw
			}
		}

		let phone: string | null = null
		const pCol = col('phone')
		if (pCol !== undefined && r.cells[pCol] && r.cells[pCol]!.kind !== 'empty') {
			const p = normalizePhone(r.cells[pCol]!)
			if (p === null) fail(pCol, { key: 'import.phone.invalid', vars: { value: cellText(r.cells[pCol]).slice(0, 30) } })
			else {
				phone = p
				const digits = cellText(r.cells[pCol]).replace(/\D/g, '')
				if (digits.startsWith('84') && !p.startsWith('084')) read |= READ_PHONE_84
				else if (!digits.startsWith('0')) read |= READ_PHONE_ZERO
			}
		}

		const uCol = col('unitCode')!
		// As written (a code in any case, or a unit's name): roster-import.server.ts matches it against the scope's units.
		const unitCode = this.once(text(uCol))
		if (!unitCode) fail(uCol, { key: 'import.unit.required' })
		// Codes are short; the column may also hold a unit's name, which can be long but not longer than this.
		else if (unitCode.length > MAX_UNIT) fail(uCol, { key: 'import.unit.tooLong' })

		const tCol = col('title')
		const title = tCol === undefined ? null : this.once(text(tCol)) || null
		if (title && title.length > MAX_NAME) fail(tCol!, { key: 'import.title.tooLong', vars: { max: MAX_NAME } })

		let tags: Array<string> = NO_TAGS
		const gCol = col('tags')
		if (gCol !== undefined) {
			const raw = text(gCol)
			let parsed = this.tagLists.get(raw)
			if (!parsed) {
				parsed = parseTags(raw)
				// Shared by every row with the same text: frozen, so that no one row's change reaches the others.
				if ('tags' in parsed) Object.freeze(parsed.tags)
				this.tagLists.set(raw, parsed)
			}
			if ('error' in parsed) fail(gCol, { key: 'import.tags.invalid', vars: { value: parsed.error } })
			else tags = parsed.tags
		}

		let countsInTarget = true
		const cCol = col('countsInTarget')
		if (cCol !== undefined) {
			const raw = foldVi(text(cCol))
			if (raw) {
				if (YES.includes(raw)) countsInTarget = true
				else if (NO.includes(raw)) countsInTarget = false
				else fail(cCol, { key: 'import.counts.invalid', vars: { value: raw.slice(0, 20) } })
			}
		}
		return rowOk ? { row: r.row, fullName, birthDate, birthYear, email, phone, unitCode, title, tags, countsInTarget, read } : null
	}

	/** The chosen sheet ended: merged ranges inside the data are refused, ahead of the row errors of their row. */
	private finish(merges: Array<Merge>) {
		this.state = 'done'
		const chosen = this.chosen!
		if (chosen.problems.length) return
		const mergeErrors: Array<ImportMessage> = []
		// A merged range inside the data leaves every cell but the first empty: refuse it rather than guess.
		for (const m of merges) {
			if (m.bottom < chosen.headerRow) continue
			const hit = chosen.used.find((i) => i + 1 >= m.left && i + 1 <= m.right)
			if (hit === undefined) continue
			const i = Math.max(hit, m.left - 1)
			mergeErrors.push({
				row: Math.max(m.top, chosen.headerRow),
				column: columnLetter(i),
				header: cellText(chosen.headerCells[i]),
				key: 'import.cell.merged',
				vars: { range: `${columnLetter(m.left - 1)}${m.top}:${columnLetter(m.right - 1)}${m.bottom}` },
			})
		}
		this.errors = [...mergeErrors, ...this.errors]
	}

	result(): ParsedRoster {
		if (this.state === 'top') this.decide()
		if (this.tooMany) return { ok: false, problems: [this.tooMany] }
		if (!this.anyContent) return { ok: false, problems: [{ key: 'import.file.empty' }] }
		const best = this.best
		if (!best || score(best.mapping) === 0) return { ok: false, problems: [{ key: 'import.header.notFound', vars: { columns: requiredList() } }] }
		const fields = new Set(best.mapping.values())
		const problems: Array<ImportMessage> = []
		if (!hasName(fields)) problems.push({ key: 'import.header.missing', row: best.row, vars: { header: ROSTER_HEADERS.fullName } })
		if (!fields.has('unitCode')) problems.push({ key: 'import.header.missing', row: best.row, vars: { header: ROSTER_HEADERS.unitCode } })
		problems.push(...(this.chosen?.problems ?? []))
		if (problems.length) {
			// A header merged across columns loses every title but the first: say so rather than "column missing".
			for (const m of best.merges) {
				if (m.top <= best.row && m.bottom >= best.row && m.right > m.left) {
					problems.unshift({ key: 'import.cell.merged', row: best.row, column: columnLetter(m.left - 1), header: cellText(best.cells[m.left - 1]), vars: { range: `${columnLetter(m.left - 1)}${m.top}:${columnLetter(m.right - 1)}${m.bottom}` } })
				}
			}
			return { ok: false, problems }
		}
		const chosen = this.chosen!
		if (this.dataRows === 0) return { ok: false, problems: [{ key: 'import.file.onlyHeader', row: chosen.headerRow }] }
		const warnings: Array<ImportMessage> = []
		for (const [i, field] of chosen.mapping) {
			if (field === 'unknown') warnings.push({ key: 'import.header.unknown', row: chosen.headerRow, column: columnLetter(i), header: cellText(chosen.headerCells[i]) })
		}
		const columns = ROSTER_FIELDS.filter((f) => (f === 'fullName' ? true : chosen.col(f) !== undefined))
		const where: Partial<Record<RosterField, { column: string; header: string }>> = {}
		for (const f of ROSTER_FIELDS) {
			const i = f === 'fullName' ? (chosen.col('fullName') ?? chosen.col('givenName')) : chosen.col(f)
			if (i !== undefined) where[f] = { column: columnLetter(i), header: cellText(chosen.headerCells[i]) }
		}
		return { ok: true, headerRow: chosen.headerRow, columns, rows: this.rows, errors: this.errors, warnings, where }
	}
}

const NO_TAGS = Object.freeze([]) as unknown as Array<string>

function isComplete(mapping: Mapping) {
	const fields = new Set(mapping.values())
	return hasName(fields) && fields.has('unitCode')
}

function requiredList() {
	return `«${ROSTER_HEADERS.fullName}», «${ROSTER_HEADERS.unitCode}»`
}

const YES = ['co', 'x', '1', 'yes', 'y', 'true', 'dung', 'tinh']
const NO = ['khong', '0', 'no', 'n', 'false', 'sai', 'khong tinh', 'k']

// Labels people write in the "Nhóm" column, folded, for the tags the product knows.
const TAG_LABELS: Record<string, (typeof TAGS)[number]> = {
	'mang xa hoi': 'social-media',
	'quan tri mang xa hoi': 'social-media',
	'phu trach mang xa hoi': 'social-media',
	'nguoi phat ngon': 'spokesperson',
	'phat ngon': 'spokesperson',
	'phat ngon vien': 'spokesperson',
	'lanh dao': 'leader',
	'lanh dao quan ly': 'leader',
	'can bo lanh dao': 'leader',
}

/** "mạng xã hội; Lãnh đạo" → ['social-media', 'leader']; other groups become slugs ("Cán bộ trẻ" → "can-bo-tre"). */
export function parseTags(raw: string): { tags: Array<string> } | { error: string } {
	const tags = new Set<string>()
	for (const part of raw.split(/[;,\n]/)) {
		const folded = foldVi(part)
		if (!folded) continue
		const known = TAG_LABELS[folded] ?? (TAGS as ReadonlyArray<string>).find((t) => t === folded)
		const slug = known ?? folded.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
		if (!slug || slug.length > 40) return { error: part.trim().slice(0, 40) }
		tags.add(slug)
	}
	if (tags.size > 10) return { error: raw.slice(0, 40) }
	return { tags: [...tags] }
}

/** Vietnamese numbers: 10 digits starting with 0 (11 for old landlines); +84/84 and Excel's lost leading zero fixed. */
export function normalizePhone(cell: Cell): string | null {
	let digits: string
	if (cell.kind === 'number') digits = Number.isInteger(cell.value) ? String(cell.value) : ''
	else if (cell.kind === 'text') {
		const raw = cell.text.trim()
		if (!/^[+\d\s().-]+$/.test(raw)) return null
		digits = raw.replace(/\D/g, '')
		if (raw.startsWith('+') && !digits.startsWith('84')) return null
	} else return null
	if (digits.startsWith('84') && digits.length >= 11) digits = `0${digits.slice(2)}`
	if (!digits.startsWith('0') && (digits.length === 9 || digits.length === 10)) digits = `0${digits}`
	return /^0\d{9,10}$/.test(digits) ? digits : null
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

function utcDate(y: number, m: number, d: number) {
	const date = new Date(Date.UTC(y, m - 1, d))
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null
}

type BirthError = 'import.birth.invalid' | 'import.birth.future' | 'import.birth.tooOld' | 'import.birth.monthFirst' | 'import.birth.shortYear'

/**
 * Dates come as real Excel dates, as serial numbers in unformatted cells, as text in day/month/year order
 * (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy), as ISO yyyy-mm-dd, or as a year alone.
 */
export function parseBirthDate(cell: Cell, currentYear: number): { date: Date | null; year: number } | { error: BirthError } {
	let date: Date | null = null
	let yearOnly: number | null = null
	if (cell.kind === 'date') {
		date = utcDate(cell.date.getUTCFullYear(), cell.date.getUTCMonth() + 1, cell.date.getUTCDate())
	} else if (cell.kind === 'number' || (cell.kind === 'text' && /^\d+(\.0+)?$/.test(cell.text.trim()))) {
		const n = cell.kind === 'number' ? cell.value : Number(cell.text.trim())
		if (!Number.isInteger(n)) return { error: 'import.birth.invalid' }
		// Four digits are a year: serial numbers 1000–9999 would be births in 1902–1927.
		if (n >= 1000 && n <= 9999) yearOnly = n
		else if (n > 0 && n < 80_000) date = new Date(EXCEL_EPOCH + n * 86_400_000)
		else return { error: 'import.birth.invalid' }
	} else if (cell.kind === 'text') {
		const s = cell.text.trim()
		let m = s.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/)
		if (m) {
			const [d, mo, y] = [Number(m[1]), Number(m[2]), m[3]!]
			if (y.length !== 4) return { error: 'import.birth.shortYear' }
			if (mo > 12 && d <= 12) return { error: 'import.birth.monthFirst' }
			date = utcDate(Number(y), mo, d)
			if (!date) return { error: 'import.birth.invalid' }
		} else if ((m = s.match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/))) {
			date = utcDate(Number(m[1]), Number(m[2]), Number(m[3]))
			if (!date) return { error: 'import.birth.invalid' }
		} else if ((m = s.match(/^(\d{1,2})[/.-](\d{4})$/))) {
			date = null
			yearOnly = Number(m[2])
			if (Number(m[1]) < 1 || Number(m[1]) > 12) return { error: 'import.birth.invalid' }
		} else return { error: 'import.birth.invalid' }
	} else return { error: 'import.birth.invalid' }
	const year = date ? date.getUTCFullYear() : yearOnly!
	if (year < 1900) return { error: 'import.birth.tooOld' }
	if (year > currentYear || (date && date.getTime() > Date.now())) return { error: 'import.birth.future' }
	return { date, year }
}

// "Báo cáo kết quả đào tạo, bồi dưỡng kỹ năng sử dụng internet và ứng xử trên môi trường mạng" for a unit and a
// period (6 months, a year, or any months), read from month-end snapshots only, so that a report sent once can be
// produced again with the same numbers. The figures are those of the period's last month; the months before it give
// the progress line. XLSX (a sheet per level), PDF (the official layout) and CSV are streamed. A Youth Union unit's
// report is the same report in the Đoàn's words (reportWording) with its community digital teams added.
import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import PDFDocument from 'pdfkit'
import { db } from '#app/db.server.ts'
import { countDecidedReviews } from '#app/integrity/reviews.server.ts'
import { type OrgTree } from '#app/db-types.ts'
import { csvLine } from '#app/ui/csv.ts'
import { formatVnDate, formatVnTime, vnClock, vnDayStart } from '#app/ui/dates.ts'
import { timesPdfFonts } from '#app/ui/pdf-fonts.server.ts'
import { type CommunityTeams, snapshotCommunityTeams } from './community.server.ts'
import { type CourseRow, type UnitRef, type UnitRow } from './completion.server.ts'
import { type CompletionCounts, nextPeriod, PERIOD_PATTERN } from './completion.ts'
import { readSnapshots, type SnapshotView } from './snapshots.server.ts'

export const REPORT_TITLE = 'Báo cáo kết quả đào tạo, bồi dưỡng kỹ năng sử dụng internet và ứng xử trên môi trường mạng'
export const YOUTH_REPORT_TITLE = 'Báo cáo kết quả tập huấn kỹ năng số và ứng xử trên môi trường mạng cho đoàn viên, thanh niên'

/**
 * The words of a report that depend on the tree it is about (decision 017): the government's and the schools' reports
 * speak of cán bộ, công chức, viên chức under the national heading and a head of agency's signature; the Youth
 * Union's of đoàn viên, thanh niên under the Đoàn's heading, signed for its standing committee.
 */
export type ReportWording = {
	title: string
	/** The PDF's subtitle after "BÁO CÁO", before the period. */
	subtitle: string
	/** Who is counted, in the summary ("… có 12 lượt {people} phải hoàn thành"). */
	people: string
	/** The units below, in the summary ("Trong 3 {units} có người phải hoàn thành …"). */
	units: string
	/** Left heading above the number: the issuing body, upper case, one line each. */
	issuer: (unit: UnitRef) => Array<string>
	/** Right heading: the national motto, or the Đoàn's name. */
	motto: Array<string>
	/** The signature block: on whose behalf, and who signs. */
	signature: (unit: UnitRef) => Array<string>
}

const GOV_WORDING: ReportWording = {
	title: REPORT_TITLE,
	subtitle: 'Kết quả đào tạo, bồi dưỡng kỹ năng sử dụng internet và ứng xử trên môi trường mạng',
	people: 'cán bộ, công chức, viên chức',
	units: 'đơn vị trực thuộc',
	// A province or a commune issues as its People's Committee.
	issuer: issuerLines,
	motto: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'],
	signature: () => ['THỦ TRƯỞNG ĐƠN VỊ'],
}

const YOUTH_WORDING: ReportWording = {
	title: YOUTH_REPORT_TITLE,
	subtitle: 'Kết quả tập huấn kỹ năng số và ứng xử trên môi trường mạng cho đoàn viên, thanh niên',
	people: 'đoàn viên, thanh niên',
	units: 'cơ sở đoàn trực thuộc',
	// "BCH TỈNH ĐOÀN MINH SƠN / ***", as the Đoàn's documents are headed.
	issuer: (unit) => [`BCH ${unit.name.toUpperCase()}`, '***'],
	motto: ['ĐOÀN TNCS HỒ CHÍ MINH'],
	// A Tỉnh đoàn or đoàn cơ sở signs for its standing committee; a chi đoàn (or a team) for its executive committee.
	signature: (unit) => [unit.kind === 'youth_union' || unit.kind === 'youth_grassroots' ? 'TM. BAN THƯỜNG VỤ' : 'TM. BAN CHẤP HÀNH', 'BÍ THƯ'],
}

export function reportWording(tree: OrgTree): ReportWording {
	return tree === 'YOUTH' ? YOUTH_WORDING : GOV_WORDING
}

// Below the unit, at most this many levels get a sheet (province → departments → divisions → …).
const MAX_LEVELS = 3

export type ReportPeriod = { from: string; to: string; label: string }

/** "h1-2026" (January–June), "year-2026" (December 2025 – November 2026: the annual report is due before 1 December)
 * or "2026-01..2026-09"; null when malformed or reversed. */
export function parseReportPeriod(value: string): ReportPeriod | null {
	const half = /^h1-(\d{4})$/.exec(value)
	if (half) return { from: `${half[1]}-01`, to: `${half[1]}-06`, label: `6 tháng đầu năm ${half[1]}` }
	const year = /^year-(\d{4})$/.exec(value)
	if (year) return { from: `${Number(year[1]) - 1}-12`, to: `${year[1]}-11`, label: `năm ${year[1]} (từ tháng 12/${Number(year[1]) - 1} đến tháng 11/${year[1]})` }
	const range = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(value)
	if (range && PERIOD_PATTERN.test(range[1]!) && PERIOD_PATTERN.test(range[2]!) && range[1]! <= range[2]!) {
		const [fy, fm] = range[1]!.split('-')
		const [ty, tm] = range[2]!.split('-')
		return { from: range[1]!, to: range[2]!, label: `từ tháng ${fm}/${fy} đến tháng ${tm}/${ty}` }
	}
	return null
}

export type Report = {
	unit: UnitRef
	period: ReportPeriod
	course: { id: string; title: string } | null
	/** The month whose snapshot gives the figures (the last one of the period that has a snapshot). */
	last: SnapshotView
	/** Rate month by month over the period (months with a snapshot). */
	months: Array<{ period: string; rate: number | null }>
	/** One entry per level below the unit, ranked. */
	levels: Array<{ depth: number; rows: Array<UnitRow> }>
	missing: Array<string>
	notEnded: Array<string>
	/** Youth units: the community digital teams of the subtree in the last month (null elsewhere, or without teams). */
	communityTeams: CommunityTeams | null
	/** The administrative heading: the superior body's line above the unit (null for a root), and the place name. */
	heading: { superior: string | null; place: string }
	/**
	 * Completions of the subtree reviewed for signs of proxy completion (issue 22) from the period's first month to
	 * the end of the month whose figures the report gives: decisions are never changed, so the count is reproducible.
	 */
	reviews: { reviewed: number; verified: number; withdrawn: number }
}

export type ReportProblem = { kind: 'no-snapshot'; missing: Array<string>; notEnded: Array<string> }

/** The report, or what keeps it from existing (no snapshot in the period). Null when the unit does not exist. */
export async function buildReport(unitId: number, period: ReportPeriod, course: { id: string; title: string } | null): Promise<Report | ReportProblem | null> {
	const first = await readSnapshots(unitId, period, { courseId: course?.id ?? null })
	if (!first) return null
	const last = first.periods.at(-1)
	if (!last) return { kind: 'no-snapshot', missing: first.missing, notEnded: first.notEnded }
	const levels: Report['levels'] = [{ depth: first.unit.depth + 1, rows: last.rows }]
	const deepest = await db.orgUnit.aggregate({ where: { path: { startsWith: first.unit.path } }, _max: { depth: true } })
	const maxDepth = Math.min(deepest._max.depth ?? first.unit.depth, first.unit.depth + MAX_LEVELS)
	for (let depth = first.unit.depth + 2; depth <= maxDepth; depth++) {
		const level = await readSnapshots(unitId, { from: last.period, to: last.period }, { courseId: course?.id ?? null, depth })
		const rows = level?.periods[0]?.rows.filter((r) => !r.direct) ?? []
		if (rows.length) levels.push({ depth, rows })
	}
	const communityTeams = first.unit.tree === 'YOUTH' ? await snapshotCommunityTeams(first.unit, last.period, course?.id ?? null) : null
	const reviews = await countDecidedReviews(first.unit, { from: vnDayStart(`${period.from}-01`), to: vnDayStart(`${nextPeriod(last.period)}-01`) }, course?.id ?? null)
	const rootId = Number(first.unit.path.split('/')[1])
	const [parent, root] = await Promise.all([
		first.unit.parentId === null ? null : db.orgUnit.findUnique({ where: { id: first.unit.parentId }, select: { name: true, kind: true } }),
		db.orgUnit.findUnique({ where: { id: rootId }, select: { name: true } }),
	])
	return {
		unit: first.unit,
		period,
		course,
		last,
		months: first.periods.map((p) => ({ period: p.period, rate: p.total.rate })),
		levels,
		missing: first.missing,
		notEnded: first.notEnded,
		communityTeams,
		heading: { superior: parent && first.unit.tree !== 'YOUTH' ? superiorLine(parent) : null, place: placeName(root?.name ?? first.unit.name) },
		reviews,
	}
}

const COMMITTEE = /^(?:(?:ủy|uỷ) ban nhân dân|ubnd)\s+/iu
const isCommittee = (unit: { name: string; kind: string }) => COMMITTEE.test(unit.name.normalize('NFC').trim()) || unit.kind === 'province' || unit.kind === 'commune'
const territory = (name: string) => name.normalize('NFC').trim().replace(COMMITTEE, '')

/** The superior body's line: a People's Committee abbreviated as the model writes it ("UBND TỈNH MINH SƠN"). */
export function superiorLine(unit: { name: string; kind: string }) {
	return (isCommittee(unit) ? `UBND ${territory(unit.name)}` : unit.name.normalize('NFC').trim()).toUpperCase()
}

/** The issuing body in full; a People's Committee on two lines ("ỦY BAN NHÂN DÂN" / "TỈNH MINH SƠN") as in the model. */
export function issuerLines(unit: { name: string; kind: string }) {
	return isCommittee(unit) ? ['ỦY BAN NHÂN DÂN', territory(unit.name).toUpperCase()] : [unit.name.normalize('NFC').trim().toUpperCase()]
}

/** "Ủy ban nhân dân tỉnh Minh Sơn", "Ngành Giáo dục tỉnh Minh Sơn", "Tỉnh đoàn Minh Sơn" → "Minh Sơn": the place before the date. */
export function placeName(rootName: string) {
	const name = rootName.normalize('NFC').trim()
	return /(?:^|\s)(?:tỉnh đoàn|thành đoàn|tỉnh|thành phố|tp\.)\s+(.+)$/iu.exec(name)?.[1]?.trim() ?? name
}

/** "ngày 05 tháng 3 năm 2026": days below 10 and the months 1 and 2 take a leading zero (NĐ 30/2020, Phụ lục I). */
export function adminDate(at: Date) {
	const { day, month, year } = vnClock(at)
	return `ngày ${String(day).padStart(2, '0')} tháng ${month <= 2 ? `0${month}` : month} năm ${year}`
}

export function isReport(value: Report | ReportProblem): value is Report {
	return !('kind' in value)
}

// One decimal always (88,0% beside 87,5%), as official tables align them.
const pct = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toLocaleString('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`)
const monthLabel = (period: string) => `${period.slice(5)}/${period.slice(0, 4)}`

/** The summary paragraph, built from the numbers. */
export function summaryText(report: Report) {
	const words = reportWording(report.unit.tree)
	const t = report.last.total
	const units = report.levels[0]?.rows.filter((r) => !r.direct && r.target > 0) ?? []
	const full = units.filter((r) => r.rate === 1).length
	const low = units.filter((r) => r.rate !== null && r.rate < 0.5).length
	const subject = report.course ? `khoá học "${report.course.title}"` : 'các khoá học được giao'
	const parts = [
		`Tính đến hết tháng ${monthLabel(report.last.period)}, ${report.unit.name} có ${t.target.toLocaleString('vi-VN')} lượt ${words.people} phải hoàn thành ${subject}; đã hoàn thành ${t.completed.toLocaleString('vi-VN')} lượt, đạt ${pct(t.rate)}.`,
		`Đang học ${t.inProgress.toLocaleString('vi-VN')} lượt, chưa bắt đầu ${t.notStarted.toLocaleString('vi-VN')} lượt; quá hạn chưa hoàn thành ${t.overdue.toLocaleString('vi-VN')} lượt.`,
	]
	if (units.length) parts.push(`Trong ${units.length} ${words.units} có người phải hoàn thành, ${full} đơn vị đạt 100%, ${low} đơn vị dưới 50%.`)
	// Said only when something was reviewed: a period before the signals existed is not a period with none found.
	const reviews = report.reviews
	if (reviews.reviewed) {
		parts.push(
			`Từ tháng ${monthLabel(report.period.from)} đến hết tháng ${monthLabel(report.last.period)}, ${reviews.reviewed.toLocaleString('vi-VN')} lượt hoàn thành có dấu hiệu học hộ, thi hộ đã được xem lại: ${reviews.verified.toLocaleString('vi-VN')} lượt được xác nhận hợp lệ, ${reviews.withdrawn.toLocaleString('vi-VN')} lượt bị thu hồi và phải học lại.`,
		)
	}
	const teams = report.communityTeams
	if (teams) {
		parts.push(
			`Có ${teams.teams.length} tổ công nghệ số cộng đồng, trong đó ${teams.full} tổ có toàn bộ thành viên đã hoàn thành; thành viên các tổ đã hoàn thành ${teams.members.completed.toLocaleString('vi-VN')}/${teams.members.target.toLocaleString('vi-VN')} lượt, đạt ${pct(teams.members.rate)}.`,
		)
	}
	const first = report.months.find((m) => m.rate !== null)
	if (first && report.months.length > 1 && first.period !== report.last.period) {
		parts.push(`So với tháng ${monthLabel(first.period)} (${pct(first.rate)}), tỉ lệ hoàn thành ${(report.last.total.rate ?? 0) >= (first.rate ?? 0) ? 'tăng' : 'giảm'} lên ${pct(report.last.total.rate)}.`)
	}
	if (report.missing.length) parts.push(`Các tháng chưa có số liệu chốt: ${report.missing.map(monthLabel).join(', ')}.`)
	return parts.join(' ')
}

export const COMMUNITY_SHEET = 'Tổ công nghệ số'
const COMMUNITY_CSV_LEVEL = 'to-cong-nghe-so'

const COLUMNS = ['Đơn vị', 'Phải hoàn thành', 'Đã hoàn thành', 'Tỉ lệ (%)', 'Đang học', 'Chưa bắt đầu', 'Quá hạn']

function rowValues(name: string, c: CompletionCounts) {
	return [name, c.target, c.completed, c.rate === null ? null : Math.round(c.rate * 1000) / 10, c.inProgress, c.notStarted, c.overdue]
}

function rowName(row: UnitRow) {
	return row.direct ? `${row.unit.name} (trực thuộc trực tiếp)` : row.unit.name
}

// Four lines above the table (title, unit and period, where the numbers come from, the sheet's title), then the column
// header, frozen.
const SHEET_VIEW = { views: [{ state: 'frozen' as const, ySplit: 5 }] }
const WIDTHS = [{ width: 48 }, ...COLUMNS.slice(1).map(() => ({ width: 15 }))]
type SheetHeader = (sheet: ExcelJS.Worksheet, title: string) => void

function sheetHeader(lines: [string, string, string]): SheetHeader {
	return (sheet, title) => {
		sheet.addRow([lines[0]]).font = { bold: true, size: 13 }
		sheet.addRow([lines[1]])
		sheet.addRow([lines[2]])
		sheet.addRow([title]).font = { bold: true }
		const head = sheet.addRow(COLUMNS)
		head.font = { bold: true }
		head.alignment = { wrapText: true, vertical: 'middle' }
	}
}

function communitySheet(book: ExcelJS.stream.xlsx.WorkbookWriter, header: SheetHeader, teams: CommunityTeams) {
	const sheet = book.addWorksheet(COMMUNITY_SHEET, SHEET_VIEW)
	sheet.columns = WIDTHS
	header(sheet, `Tổ công nghệ số cộng đồng: ${teams.teams.length} tổ, ${teams.full} tổ có toàn bộ thành viên đã hoàn thành`)
	for (const team of teams.teams) sheet.addRow(rowValues(team.unit.name, team)).commit()
	const total = sheet.addRow(rowValues('Cộng các tổ', teams.members))
	total.font = { bold: true }
	total.commit()
	sheet.commit()
}

/** The dashboard's figures at a moment (now, from the rollup or live; or its "as of" date), not a month's snapshot. */
export type CurrentFigures = {
	unit: UnitRef
	course: { title: string } | null
	asOf: Date
	/** How many levels below the unit the ranking is. */
	level: number
	total: CompletionCounts
	rows: Array<UnitRow>
	courses: Array<CourseRow> | null
	communityTeams: CommunityTeams | null
}

/**
 * What the dashboard shows, as XLSX ("Tổng hợp", "Xếp hạng", the community teams): for a unit that needs today's
 * numbers before a month's snapshot exists. Said plainly to be a moment's figures, not the month's closing ones.
 */
export function currentFiguresXlsx(figures: CurrentFigures): Readable {
	const out = new PassThrough()
	const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true })
	book.creator = 'Văn Minh Số'
	const words = reportWording(figures.unit.tree)
	const header = sheetHeader([
		words.title,
		`${figures.unit.name}${figures.course ? ` — ${figures.course.title}` : ''}`,
		`Số liệu tại thời điểm ${timeThenDate(figures.asOf)} (giờ Việt Nam), chưa phải số liệu chốt cuối tháng`,
	])
	const summary = book.addWorksheet('Tổng hợp', SHEET_VIEW)
	summary.columns = WIDTHS
	header(summary, 'Tổng hợp theo khoá học')
	summary.addRow(rowValues(figures.course ? figures.course.title : 'Tất cả khoá học (lượt người × khoá học)', figures.total)).font = { bold: true }
	for (const c of figures.courses ?? []) summary.addRow(rowValues(c.title, c))
	summary.commit()
	const ranking = book.addWorksheet('Xếp hạng', SHEET_VIEW)
	ranking.columns = WIDTHS
	header(ranking, figures.level === 1 ? 'Các đơn vị trực thuộc' : `Các đơn vị cấp ${figures.level} dưới ${figures.unit.name}`)
	for (const row of figures.rows) ranking.addRow(rowValues(rowName(row), row)).commit()
	ranking.commit()
	if (figures.communityTeams) communitySheet(book, header, figures.communityTeams)
	void book.commit().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))))
	return out
}

/** "14:05 ngày 23/11/2026", in Vietnam's time, as an administrative text writes a moment. */
function timeThenDate(at: Date) {
	return `${formatVnTime(at)} ngày ${formatVnDate(at)}`
}

/** XLSX: "Tổng hợp" (header, summary, total, courses, months), then one sheet per level. Numbers, never formulas. */
export function reportXlsx(report: Report): Readable {
	const out = new PassThrough()
	const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true })
	book.creator = 'Văn Minh Số'
	const words = reportWording(report.unit.tree)
	const header = sheetHeader([
		words.title,
		`${report.unit.name} — ${report.period.label}${report.course ? ` — ${report.course.title}` : ''}`,
		`Số liệu chốt cuối tháng ${monthLabel(report.last.period)} (chốt lúc ${formatVnDate(report.last.takenAt)})`,
	])

	const summary = book.addWorksheet('Tổng hợp', SHEET_VIEW)
	summary.columns = WIDTHS
	header(summary, 'Tổng hợp theo khoá học')
	summary.addRow(rowValues(report.course ? report.course.title : 'Tất cả khoá học (lượt người × khoá học)', report.last.total)).font = { bold: true }
	if (!report.course) for (const c of report.last.courses) summary.addRow(rowValues(c.title, c))
	summary.addRow([])
	summary.addRow(['Tỉ lệ hoàn thành theo tháng']).font = { bold: true }
	for (const m of report.months) summary.addRow([`Tháng ${monthLabel(m.period)}`, null, null, m.rate === null ? null : Math.round(m.rate * 1000) / 10])
	summary.addRow([])
	summary.addRow([summaryText(report)]).alignment = { wrapText: true }
	summary.commit()

	for (const [i, level] of report.levels.entries()) {
		const sheet = book.addWorksheet(`Cấp ${i + 1}`, SHEET_VIEW)
		sheet.columns = WIDTHS
		header(sheet, i === 0 ? 'Các đơn vị trực thuộc' : `Các đơn vị cấp ${i + 1} dưới ${report.unit.name}`)
		for (const row of level.rows) sheet.addRow(rowValues(rowName(row), row)).commit()
		sheet.commit()
	}
	if (report.communityTeams) communitySheet(book, header, report.communityTeams)
	void book.commit().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))))
	return out
}

/** CSV (UTF-8 with BOM so that Excel reads Vietnamese): one line per unit and level, for analysts. */
export function reportCsv(report: Report) {
	const lines = [csvLine(['Cấp', 'Mã đơn vị', ...COLUMNS, 'Tháng'])]
	lines.push(csvLine([0, report.unit.code, ...rowValues(report.unit.name, report.last.total), report.last.period]))
	for (const [i, level] of report.levels.entries()) {
		for (const row of level.rows) lines.push(csvLine([i + 1, row.unit.code, ...rowValues(rowName(row), row), report.last.period]))
	}
	// Community teams are units of the levels above too; here they come again under their own "Cấp" word, for filtering.
	for (const team of report.communityTeams?.teams ?? []) {
		lines.push(csvLine([COMMUNITY_CSV_LEVEL, team.unit.code, ...rowValues(team.unit.name, team), report.last.period]))
	}
	return `\uFEFF${lines.join('\r\n')}\r\n`
}

// Page layout of Nghị định 30/2020/NĐ-CP, Phụ lục I (A4; top and bottom margins 20–25 mm, left 30–35 mm, right
// 15–20 mm; Times New Roman, body 13–14 pt): the smallest margins it allows, so that the table has the most room.
const MM = 72 / 25.4
export const REPORT_MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM }

/**
 * PDF, A4 portrait, laid out as an administrative document (NĐ 30/2020, Phụ lục I, mẫu 1.4 "Báo cáo"): left, the
 * superior body (upright capitals) above the issuing unit (bold capitals) with a short rule under it and the number
 * "Số: …/BC-…"; right, the national heading (bold capitals) and motto (bold) with a rule as long as the motto, and
 * the place and date in italics; then the title, the summary in 14 pt, the table (names wrap onto several lines,
 * never cut), "Nơi nhận" and the signature block.
 */
export function reportPdf(report: Report, now = new Date()): Readable {
	const words = reportWording(report.unit.tree)
	const fonts = timesPdfFonts()
	const m = REPORT_MARGINS
	const doc = new PDFDocument({ size: 'A4', margins: m, font: fonts.regular, lang: 'vi-VN', displayTitle: true, info: { Title: words.title }, bufferPages: true })
	const left = m.left
	const width = doc.page.width - m.left - m.right
	const bottom = doc.page.height - m.bottom
	// The two heading columns of the model (issuing body left, national heading right): 42% and 58% of the line.
	const leftWidth = Math.round(width * 0.42)
	const rightX = left + leftWidth
	const rightWidth = width - leftWidth
	const rule = (x: number, colWidth: number, y: number, length: number) => {
		doc.moveTo(x + (colWidth - length) / 2, y).lineTo(x + (colWidth + length) / 2, y).lineWidth(0.6).stroke('#000000')
	}
	const top = doc.y

	// Left: superior body, issuing unit, rule, number.
	let y = top
	if (report.heading.superior) {
		doc.font(fonts.regular).fontSize(12.5).text(report.heading.superior, left, y, { width: leftWidth, align: 'center' })
		y = doc.y
	}
	doc.font(fonts.bold).fontSize(12.5)
	const issuer = words.issuer(report.unit)
	for (const line of issuer) {
		doc.text(line, left, y, { width: leftWidth, align: 'center' })
		y = doc.y
	}
	// The rule under the unit's name: a third of the name's line (the Đoàn's "***" takes its place).
	if (report.unit.tree !== 'YOUTH') rule(left, leftWidth, y + 2, Math.min(leftWidth, doc.widthOfString(issuer.at(-1) ?? '')) / 3)
	doc.font(fonts.regular).fontSize(13).text(`Số:        /BC-${report.unit.code}`, left, y + 10, { width: leftWidth, align: 'center' })
	const leftEnd = doc.y

	// Right: national heading and motto with its rule, then place and date.
	y = top
	const [national, ...motto] = words.motto
	doc.font(fonts.bold).fontSize(report.unit.tree === 'YOUTH' ? 13.5 : 12.5).text(national ?? '', rightX, y, { width: rightWidth, align: 'center' })
	y = doc.y
	doc.font(fonts.bold).fontSize(13.5)
	for (const line of motto) {
		doc.text(line, rightX, y, { width: rightWidth, align: 'center' })
		y = doc.y
	}
	const ruled = motto.at(-1) ?? national ?? ''
	rule(rightX, rightWidth, y + 2, doc.font(fonts.bold).fontSize(13.5).widthOfString(ruled))
	doc.font(fonts.italic).fontSize(13.5).text(`${report.heading.place}, ${adminDate(now)}`, rightX, y + 10, { width: rightWidth, align: 'center' })

	// Title and summary.
	doc.y = Math.max(leftEnd, doc.y) + 22
	doc.font(fonts.bold).fontSize(14).text('BÁO CÁO', left, doc.y, { width, align: 'center' })
	doc.fontSize(14).text(`${words.subtitle} ${report.period.label}`, { width, align: 'center' })
	if (report.course) doc.text(`Khoá học: ${report.course.title}`, { width, align: 'center' })
	doc.moveDown(0.8)
	doc.font(fonts.regular).fontSize(14).text(summaryText(report), left, doc.y, { width, align: 'justify', indent: 10 * MM, lineGap: 2 })
	doc.moveDown(0.8)

	// The table of the first level below the unit, then its total. The name column takes what the six number columns
	// (wide enough for "999.999" and their headers) leave; a long name wraps and its row grows.
	const numberWidth = 54
	const cols = [width - 6 * numberWidth, ...Array<number>(6).fill(numberWidth)]
	const tableSize = 11.5
	const pad = 3
	const HEADER = ['Đơn vị', 'Phải HT', 'Đã HT', 'Tỉ lệ', 'Đang học', 'Chưa học', 'Quá hạn']
	const drawRow = (values: Array<string>, bold = false) => {
		doc.font(bold ? fonts.bold : fonts.regular).fontSize(tableSize)
		const height = Math.max(...values.map((v, i) => doc.heightOfString(v, { width: cols[i]! - 2 * pad }))) + 2 * pad
		if (doc.y + height > bottom) {
			// A table that runs on repeats its header at the top of each page.
			doc.addPage()
			if (values !== HEADER) drawRow(HEADER, true)
			doc.font(bold ? fonts.bold : fonts.regular).fontSize(tableSize)
		}
		const rowTop = doc.y
		let x = left
		for (const [i, v] of values.entries()) {
			doc.text(v, x + pad, rowTop + pad, { width: cols[i]! - 2 * pad, align: i === 0 ? 'left' : 'right' })
			x += cols[i]!
		}
		doc.moveTo(left, rowTop + height).lineTo(left + width, rowTop + height).lineWidth(0.5).stroke('#777777')
		doc.x = left
		doc.y = rowTop + height
	}
	const fmt = (c: CompletionCounts) => [c.target, c.completed].map((n) => n.toLocaleString('vi-VN')).concat([pct(c.rate), ...[c.inProgress, c.notStarted, c.overdue].map((n) => n.toLocaleString('vi-VN'))])
	drawRow(HEADER, true)
	for (const row of report.levels[0]?.rows ?? []) drawRow([rowName(row), ...fmt(row)])
	drawRow([`Tổng ${report.unit.name}`, ...fmt(report.last.total)], true)
	if (report.communityTeams?.teams.length) {
		const teams = report.communityTeams
		doc.moveDown()
		if (doc.y + 80 > bottom) doc.addPage()
		doc.font(fonts.bold).fontSize(14).text(`Tổ công nghệ số cộng đồng (${teams.full}/${teams.teams.length} tổ đạt 100%)`, left, doc.y, { width })
		doc.moveDown(0.5)
		drawRow(HEADER, true)
		for (const team of teams.teams) drawRow([team.unit.name, ...fmt(team)])
		drawRow(['Cộng các tổ', ...fmt(teams.members)], true)
	}

	// "Nơi nhận" (bold italic 12 pt, items 11 pt) on the left; the signature block (bold capitals 14 pt) on the right.
	doc.moveDown(1.5)
	if (doc.y + 110 > bottom) doc.addPage()
	const signY = doc.y
	doc.font(fonts.boldItalic).fontSize(12).text('Nơi nhận:', left, signY, { width: leftWidth })
	doc.font(fonts.regular).fontSize(11).text('- Như trên;\n- Lưu: VT.', { width: leftWidth })
	doc.font(fonts.bold).fontSize(14)
	for (const [i, line] of words.signature(report.unit).entries()) doc.text(line, rightX, i === 0 ? signY : doc.y, { width: rightWidth, align: 'center' })
	doc.font(fonts.italic).fontSize(13).text('(Ký, ghi rõ họ tên, đóng dấu)', { width: rightWidth, align: 'center' })
	// Page numbers from the second page on, upright 13 pt, centred in the top margin; the first page has none.
	const pages = doc.bufferedPageRange()
	for (let i = 1; i < pages.count; i++) {
		doc.switchToPage(pages.start + i)
		doc.font(fonts.regular).fontSize(13).text(String(i + 1), left, m.top / 2 - 6, { width, align: 'center', lineBreak: false })
	}
	doc.end()
	return doc as unknown as Readable
}

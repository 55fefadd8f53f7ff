// Files the roster pages hand out: the Vietnamese template, the error workbook of an import, and the activation
// cards of the people an import created (XLSX and PDF, streamed so that 100,000 cards do not sit in memory).
import { createRequire } from 'node:module'
import { PassThrough, Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import PDFDocument from 'pdfkit'
import { type Translate } from '#app/ui/i18n.ts'
import { formatImportMessage, type ImportMessage } from './import-messages.ts'
import { ROSTER_FIELDS, ROSTER_HEADERS } from './roster-rows.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { FILE_TYPES } from '#app/ui/download.server.ts'

// The roster routes build their responses with these; app/ui/download.server.ts is where they are defined.
export { attachment } from '#app/ui/download.server.ts'
export const XLSX_TYPE = FILE_TYPES.xlsx

const WIDTHS: Record<(typeof ROSTER_FIELDS)[number], number> = {
	fullName: 28,
	birthDate: 13,
	email: 28,
	phone: 15,
	unitCode: 14,
	title: 22,
	tags: 26,
	countsInTarget: 16,
}

export async function rosterTemplate(t: Translate, units: Array<{ code: string; name: string }>) {
	const workbook = new ExcelJS.Workbook()
	workbook.creator = 'Văn Minh Số'
	const sheet = workbook.addWorksheet(t('roster.template.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] })
	sheet.columns = ROSTER_FIELDS.map((f) => ({ header: ROSTER_HEADERS[f], key: f, width: WIDTHS[f] }))
	sheet.getRow(1).font = { bold: true }
	// Text, so that Excel keeps "15/03/1985" and the leading zero of phone numbers as typed.
	sheet.getColumn('birthDate').numFmt = '@'
	sheet.getColumn('phone').numFmt = '@'
	const unitSheet = workbook.addWorksheet(t('roster.template.unitsSheet'))
	unitSheet.columns = [
		{ header: ROSTER_HEADERS.unitCode, key: 'code', width: 18 },
		{ header: t('org.col.unit'), key: 'name', width: 60 },
	]
	unitSheet.getRow(1).font = { bold: true }
	for (const u of units) unitSheet.addRow(u)
	const last = Math.max(2, units.length + 1)
	// Range validations (not per cell): per-cell ones would create 5,000 empty rows, and rows added after them.
	const validations = (sheet as unknown as { dataValidations: { add: (range: string, v: ExcelJS.DataValidation) => void } }).dataValidations
	validations.add('E2:E5001', {
		type: 'list',
		allowBlank: true,
		formulae: [`'${t('roster.template.unitsSheet')}'!$A$2:$A$${last}`],
		showErrorMessage: true,
		errorTitle: ROSTER_HEADERS.unitCode,
		error: t('roster.template.unitError'),
	})
	validations.add('H2:H5001', { type: 'list', allowBlank: true, formulae: ['"Có,Không"'] })
	const help = workbook.addWorksheet(t('roster.template.helpSheet'))
	help.getColumn(1).width = 24
	help.getColumn(2).width = 90
	help.addRow([t('roster.template.helpTitle')]).font = { bold: true, size: 14 }
	help.addRow([])
	for (const f of ROSTER_FIELDS) help.addRow([ROSTER_HEADERS[f], t(`roster.template.help.${f}`)])
	help.addRow([])
	help.addRow([t('roster.template.example')]).font = { bold: true }
	help.addRow(ROSTER_FIELDS.map((f) => ROSTER_HEADERS[f]))
	help.addRow(['Nguyễn Thị Hương', '15/03/1985', 'huong.nt@example.vn', '0912345678', units[0]?.code ?? 'SNV', 'Chuyên viên', 'mạng xã hội', 'Có'])
	help.addRow(['Trần Văn Bình', '02/01/1990', '', '', units[0]?.code ?? 'SNV', 'Trưởng phòng', 'lãnh đạo; người phát ngôn', 'Có'])
	return Buffer.from(await workbook.xlsx.writeBuffer())
}

export async function errorWorkbook(t: Translate, job: { fileName: string; errors: Array<ImportMessage>; errorTotal: number; warnings: Array<ImportMessage> }) {
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet(t('import.errors.sheet'), { views: [{ state: 'frozen', ySplit: 3 }] })
	sheet.columns = [{ width: 8 }, { width: 8 }, { width: 24 }, { width: 100 }]
	sheet.addRow([t('import.errors.fileTitle', { file: job.fileName, count: job.errorTotal })]).font = { bold: true }
	sheet.addRow([])
	const header = sheet.addRow([t('import.col.row'), t('import.col.column'), t('import.col.header'), t('import.col.problem')])
	header.font = { bold: true }
	for (const e of job.errors) sheet.addRow([e.row ?? '', e.column ?? '', e.header ?? '', formatImportMessage(t, e)])
	if (job.errorTotal > job.errors.length) sheet.addRow(['', '', '', t('import.errors.more', { count: job.errorTotal - job.errors.length })])
	if (job.warnings.length) {
		const warn = workbook.addWorksheet(t('import.warnings.sheet'))
		warn.columns = [{ width: 8 }, { width: 8 }, { width: 24 }, { width: 100 }]
		warn.addRow([t('import.col.row'), t('import.col.column'), t('import.col.header'), t('import.col.problem')]).font = { bold: true }
		for (const w of job.warnings) warn.addRow([w.row ?? '', w.column ?? '', w.header ?? '', formatImportMessage(t, w)])
	}
	return Buffer.from(await workbook.xlsx.writeBuffer())
}

export type Card = { fullName: string; username: string | null; email: string | null; unitName: string; code: string }


export function codesWorkbook(t: Translate, cards: Array<Card>, expiresAt: Date, activateUrl: string): ReadableStream {
	const out = new PassThrough()
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true })
	const sheet = workbook.addWorksheet(t('codes.sheet'))
	sheet.columns = [
		{ header: ROSTER_HEADERS.fullName, width: 28 },
		{ header: t('org.col.unit'), width: 36 },
		{ header: t('account.username'), width: 20 },
		{ header: ROSTER_HEADERS.email, width: 28 },
		{ header: t('codes.code'), width: 18 },
		{ header: t('codes.expires'), width: 14 },
		{ header: t('codes.where'), width: 36 },
	]
	void (async () => {
		try {
			for (const c of cards) sheet.addRow([c.fullName, c.unitName, c.username ?? '', c.email ?? '', c.code, formatVnDate(expiresAt), activateUrl]).commit()
			sheet.commit()
			await workbook.commit()
		} catch (error) {
			out.destroy(error as Error)
		}
	})()
	return Readable.toWeb(out) as unknown as ReadableStream
}

const require = createRequire(import.meta.url)
const FONT_REGULAR = require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf')
const FONT_BOLD = require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf')

/** A4 pages of 2 × 5 cards to cut apart, one per person. */
export function codesPdf(t: Translate, cards: Array<Card>, expiresAt: Date, activateUrl: string): ReadableStream {
	const doc = new PDFDocument({ size: 'A4', margin: 28, info: { Title: t('codes.pdfTitle'), Author: 'Văn Minh Số' } })
	doc.registerFont('regular', FONT_REGULAR)
	doc.registerFont('bold', FONT_BOLD)
	const pageW = doc.page.width - 56
	const pageH = doc.page.height - 56
	const cardW = pageW / 2
	const cardH = pageH / 5
	cards.forEach((c, i) => {
		const slot = i % 10
		if (i > 0 && slot === 0) doc.addPage()
		const x = 28 + (slot % 2) * cardW
		const y = 28 + Math.floor(slot / 2) * cardH
		doc.save().dash(3, { space: 3 }).rect(x, y, cardW, cardH).stroke('#999999').restore()
		const w = cardW - 24
		doc.font('bold').fontSize(10).fillColor('#000').text(t('codes.cardTitle'), x + 12, y + 10, { width: w })
		doc.font('bold').fontSize(12).text(c.fullName.normalize('NFC'), x + 12, y + 28, { width: w, lineBreak: false, ellipsis: true })
		doc.font('regular').fontSize(8.5).text(c.unitName.normalize('NFC'), x + 12, y + 45, { width: w, lineBreak: false, ellipsis: true })
		doc.fontSize(9).text(`${t('account.username')}: ${c.username ?? c.email ?? ''}`, x + 12, y + 60, { width: w })
		doc.font('bold').fontSize(16).text(c.code, x + 12, y + 76, { width: w, characterSpacing: 1.5 })
		doc.font('regular').fontSize(8).text(t('codes.cardHint', { url: activateUrl, date: formatVnDate(expiresAt) }), x + 12, y + 100, { width: w })
	})
	doc.end()
	return Readable.toWeb(doc as unknown as Readable) as unknown as ReadableStream
}

/** The current subtree as an importable file: edit it in Excel and import it back. */
export async function treeWorkbook(t: Translate, units: Array<{ code: string; name: string; parentCode: string | null; kind: string }>) {
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet(t('tree.title'), { views: [{ state: 'frozen', ySplit: 1 }] })
	sheet.columns = [
		{ header: 'Mã đơn vị', width: 18 },
		{ header: 'Tên đơn vị', width: 60 },
		{ header: 'Mã đơn vị cấp trên', width: 20 },
		{ header: 'Loại', width: 28 },
	]
	sheet.getRow(1).font = { bold: true }
	for (const u of units) sheet.addRow([u.code, u.name, u.parentCode ?? '', u.kind])
	return Buffer.from(await workbook.xlsx.writeBuffer())
}

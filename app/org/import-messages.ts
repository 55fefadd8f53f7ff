// Problems found in an uploaded file, kept as catalogue keys with the row and column they concern, so that the
// preview page, the error workbook and the tests all show the same Vietnamese (or English) sentence.
import { type MessageKey, type Translate } from '#app/ui/i18n.ts'

export type ImportMessage = {
	key: MessageKey
	/** Row number as the spreadsheet shows it (1-based). */
	row?: number
	/** Column letter as the spreadsheet shows it ("D"). */
	column?: string
	/** The header text of that column in the file. */
	header?: string
	vars?: Record<string, string | number>
}

/** "Dòng 7, cột D (Email): Thư điện tử không đúng định dạng." */
export function formatImportMessage(t: Translate, m: ImportMessage) {
	const text = t(m.key, m.vars)
	if (m.row && m.column) return t('import.at.rowColumn', { row: m.row, column: m.column, header: m.header ?? m.column, text })
	if (m.row) return t('import.at.row', { row: m.row, text })
	if (m.column) return t('import.at.column', { column: m.column, header: m.header ?? m.column, text })
	return text
}

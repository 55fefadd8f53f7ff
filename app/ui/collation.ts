// Vietnamese ordering: Intl.Collator('vi') for text, and people by given name first, as Vietnamese lists are read.
const collator = new Intl.Collator('vi', { numeric: true })

export function compareVi(a: string, b: string) {
	return collator.compare(a, b)
}

function givenName(fullName: string) {
	const parts = fullName.trim().split(/\s+/)
	return parts[parts.length - 1] ?? ''
}

/** "Trần Văn An" sorts before "Nguyễn Thị Bình": by given name, then the full name. */
export function compareViNames(a: string, b: string) {
	return collator.compare(givenName(a), givenName(b)) || collator.compare(a, b)
}

/**
 * Sorts in compareViNames order, splitting each name once rather than on every comparison: for lists of thousands
 * of people (a department's completion list) that is most of the sorting time.
 */
export function sortByViName<T>(items: Array<T>, name: (item: T) => string): Array<T> {
	return items
		.map((item) => ({ item, full: name(item), given: givenName(name(item)) }))
		.sort((a, b) => collator.compare(a.given, b.given) || collator.compare(a.full, b.full))
		.map((x) => x.item)
}

/** NFC, trimmed, single spaces: how every human-entered name is stored. */
export function normalizeName(value: string) {
	return value.normalize('NFC').replace(/\s+/g, ' ').trim()
}

// Letters that look like Vietnamese ones but are not: the Icelandic eth "Ð/ð" and the African D "Ɖ/ɖ" typed or pasted
// for "Đ/đ" (fonts draw them alike), and Cyrillic or Greek capitals and small letters met in names copied from PDFs
// or typed with the wrong keyboard layout. The eth and African D always mean "Đ" in a Vietnamese list; the Cyrillic
// and Greek ones only inside text that also has Latin letters (a name wholly in Cyrillic is left as it is).
const D_LOOKALIKES: Record<string, string> = { '\u00D0': 'Đ', '\u00F0': 'đ', '\u0189': 'Đ', '\u0256': 'đ' }
const SCRIPT_LOOKALIKES: Record<string, string> = {
	А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I', Ј: 'J', Ѕ: 'S',
	а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd',
	Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
	ο: 'o', ν: 'v', ι: 'i',
}
const SCRIPT_LOOKALIKE_RE = new RegExp(`[${Object.keys(SCRIPT_LOOKALIKES).join('')}]`, 'g')
const ANY_LOOKALIKE_RE = new RegExp(`[\u00D0\u00F0\u0189\u0256${Object.keys(SCRIPT_LOOKALIKES).join('')}]`)

/** "Ðỗ Công" (U+00D0) → "Đỗ Công", "Nguyễn Vаn" (Cyrillic а) → "Nguyễn Van"; NFC. */
export function fixLookalikes(value: string) {
	// Most text has none: one scan decides (a roster reads this for every one of up to 200,000 rows).
	if (!ANY_LOOKALIKE_RE.test(value)) return value
	let out = value.replace(/[\u00D0\u00F0\u0189\u0256]/g, (c) => D_LOOKALIKES[c]!)
	if (/[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]/.test(out)) out = out.replace(SCRIPT_LOOKALIKE_RE, (c) => SCRIPT_LOOKALIKES[c]!)
	return out.normalize('NFC')
}

/** "Nguyễn Thị Hương" → "nguyen thi huong": for accent-insensitive matching of names, headers and searches. */
export function foldVi(value: string) {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[đĐ\u00D0\u00F0\u0189\u0256]/g, 'd')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim()
}

// Times New Roman metrics for official documents (Nghị định 30/2020/NĐ-CP, Phụ lục I: "phông chữ tiếng Việt
// Times New Roman"). Tinos is the free font drawn to the same metrics (line breaks and page breaks fall where they
// would in Times New Roman) and has every Vietnamese letter; it comes from npm as TTF, which pdfkit embeds (subset).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { create as openFont, type Font, type Glyph } from 'fontkit'

const require = createRequire(import.meta.url)

const TIMES_FILES = {
	regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
	italic: '@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf',
	bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
	boldItalic: '@expo-google-fonts/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf',
} as const
export type TimesFace = keyof typeof TIMES_FILES

/**
 * A font parsed once and shared by every document of the process (pdfkit takes a fontkit font object).
 *
 * fontkit caches each glyph with the code points it was first asked for. Tinos builds most accented letters from
 * parts ("Ủ" = "U" + hook): when a document embeds "Ủ", subsetting asks for the part "U" with no code point, and
 * the cached "U" then has none in every later document; pdfkit writes that empty list into the text layer, so
 * the "U" of "UBND" could not be read, copied or searched. A glyph that has no code point yet takes the ones it is
 * laid out with.
 */
export function openSharedPdfFont(file: string): Font {
	const font = openFont(readFileSync(require.resolve(file)))
	if (!('getGlyph' in font)) throw new Error(`${file} is a font collection, not a font`)
	const getGlyph = font.getGlyph.bind(font)
	font.getGlyph = (id: number, codePoints?: Array<number>): Glyph => {
		const glyph = getGlyph(id, codePoints)
		if (codePoints?.length && !glyph.codePoints.length) glyph.codePoints = codePoints
		return glyph
	}
	return font
}

let times: Record<TimesFace, Font> | undefined

/** The four Times faces, parsed once per process; pdfkit takes a fontkit font wherever its typings say a path. */
export function timesPdfFonts(): Record<TimesFace, string> {
	times ??= Object.fromEntries(Object.entries(TIMES_FILES).map(([face, file]) => [face, openSharedPdfFont(file)])) as Record<TimesFace, Font>
	return times as unknown as Record<TimesFace, string>
}

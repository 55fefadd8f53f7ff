// The fonts of the app's PDF documents, parsed once per process and shared by every document.
//
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

// Be Vietnam Pro for the certificate and the class cards: the standard PDF fonts have no "ễ" or "ư".
const BE_VIETNAM_FILES = {
	regular: '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf',
	italic: '@expo-google-fonts/be-vietnam-pro/400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf',
	bold: '@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf',
} as const
export type BeVietnamFace = keyof typeof BE_VIETNAM_FILES

// Parsed once per process and shared by every document: pdfkit accepts a fontkit font object, and re-parsing the
// TTF files for each certificate was 80 % of its rendering time. Each document still embeds its own subset.
type SharedFont = Font
let fonts: Record<BeVietnamFace, SharedFont> | undefined
/** Be Vietnam Pro (certificates, class cards): the parsed fonts themselves. */
export function beVietnamFonts() {
	fonts ??= Object.fromEntries(
		Object.entries(BE_VIETNAM_FILES).map(([name, file]) => {
			const font = openFont(readFileSync(require.resolve(file)))
			if (!('getGlyph' in font)) throw new Error(`${file} is a font collection, not a font`)
			memoizeOutlines(font)
			return [name, font]
		}),
	) as Record<BeVietnamFace, SharedFont>
	return fonts
}
/** Be Vietnam Pro as pdfkit font sources, for documents other than the certificate (the class cards). */
export function vietnamesePdfFonts() {
	const shared = beVietnamFonts()
	return { regular: asPdfFontSource(shared.regular), italic: asPdfFontSource(shared.italic), bold: asPdfFontSource(shared.bold) }
}

/** pdfkit 0.20 takes fontkit objects wherever it takes a font (anything with `layout`); its typings list only
 * paths and bytes, so the object travels typed as a path. */
export const asPdfFontSource = (font: SharedFont) => font as unknown as string

// Subsetting decoded every glyph outline again for each document that embeds it: decoded once per process instead, on
// internals of the pinned fontkit 2.0.4 (the certificate PDF tests, which compare bytes, fail if an upgrade changes them).
type GlyphInternals = { _decode: () => unknown }
/** The outline of a glyph, decoded once per process instead of once per document that embeds it. */
function memoizeOutlines(font: SharedFont) {
	const getGlyph = font.getGlyph.bind(font)
	const done = new WeakSet<object>()
	font.getGlyph = (id: number, codePoints?: Array<number>) => {
		const glyph = getGlyph(id, codePoints)
		if (!done.has(glyph)) {
			done.add(glyph)
			const internals = glyph as unknown as GlyphInternals
			const decode = internals._decode.bind(glyph)
			let outline: unknown
			let decoded = false
			internals._decode = () => {
				if (!decoded) {
					outline = decode()
					decoded = true
				}
				return outline
			}
		}
		return glyph
	}
}

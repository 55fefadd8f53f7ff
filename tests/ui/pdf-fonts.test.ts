// The Times faces of official documents, parsed once and shared by every PDF of the process: what a document
// embeds must not change the text layer of the next one (issue 18 item 17: "UBND" read as "BND" in a second report).
import PDFDocument from 'pdfkit'
import { expect, test } from 'vitest'
import { openSharedPdfFont, timesPdfFonts } from '#app/ui/pdf-fonts.server.ts'
import { pdfText } from '../certificates/pdf-text.ts'

async function render(font: unknown, text: string) {
	const doc = new PDFDocument({ compress: false, font: font as string })
	doc.text(text)
	doc.end()
	const chunks: Array<Buffer> = []
	for await (const chunk of doc) chunks.push(Buffer.from(chunk as Uint8Array))
	return Buffer.concat(chunks)
}

test('a letter embedded as a part of an accented letter in one document reads as itself in the next', async () => {
	// A fresh copy, so that no earlier test has laid out "U" before "Ủ" is embedded.
	const bold = openSharedPdfFont('@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf')
	// "Ủ" and "Ờ" are drawn from "U" and "Ơ" (itself from "O"): embedding them asks for those parts without text.
	expect(pdfText(await render(bold, 'Ủ Ờ'))).toBe('Ủ Ờ')
	expect(pdfText(await render(bold, 'UBND TỈNH MINH SƠN CHÍNH QUYỀN'))).toBe('UBND TỈNH MINH SƠN CHÍNH QUYỀN')
})

test('the four faces have every Vietnamese letter, upper and lower case', async () => {
	const letters = 'ĂÂĐÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ'
	const all = `${letters} ${letters.toLowerCase()}`
	for (const [face, font] of Object.entries(timesPdfFonts())) {
		const glyphs = (font as unknown as { glyphsForString: (s: string) => Array<{ id: number }> }).glyphsForString(all.replace(/ /g, ''))
		expect(
			glyphs.filter((g) => g.id === 0),
			face,
		).toEqual([])
		// The long runs wrap; the letters, read back, are the same.
		expect(pdfText(await render(font, all)).replace(/\s+/g, ''), face).toBe(all.replace(/ /g, ''))
	}
})

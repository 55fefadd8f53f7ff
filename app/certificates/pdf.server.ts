// The certificate as an A4 landscape PDF, built from plain data (no request, no database) so that tests render
// it directly. Be Vietnam Pro is embedded (subset) for every Vietnamese letter: the standard PDF fonts have
// no "ễ" or "ư", which is how other platforms end up printing "Nguy?n". Same data → same bytes: the dates in the
// document come from the certificate, never from the clock.
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'
import { translator } from '#app/ui/i18n.server.ts'
import { asPdfFontSource, beVietnamFonts, type BeVietnamFace } from '#app/ui/pdf-fonts.server.ts'
import { type IssuerSnapshot } from './issuers.server.ts'
import { formatVnDate, vnClock } from '#app/ui/dates.ts'

export type CertificatePdfData = {
	serial: string
	holderName: string
	orgName: string
	courseTitle: string
	issuedAt: Date
	expiresAt: Date | null
	verifyUrl: string
	issuer: IssuerSnapshot
}

// pdfkit's word-layout cache (GSUB/GPOS shaping of each word) lives and dies with one document; kept across documents
// here, on internals of the pinned pdfkit 0.20.2 (the PDF tests, which compare bytes and read the text back, fail if an
// upgrade changes them). With the shared glyph outlines (app/ui/pdf-fonts.server.ts) it halves the rendering time
// of a ZIP. It holds pure results, so bytes do not change.
type EmbeddedFontInternals = { layoutCache?: Record<string, unknown> }
type DocumentInternals = { _font: EmbeddedFontInternals; _fontFamilies: Record<string, EmbeddedFontInternals> }

// Words seen across documents; renewed now and then, as serials and addresses add a few new words each time.
const LAYOUT_CACHE_DOCUMENTS = 500
let layoutCaches: Record<BeVietnamFace, Record<string, unknown>> | undefined
let documentsSinceRenewal = 0
function sharedLayoutCaches() {
	if (!layoutCaches || ++documentsSinceRenewal > LAYOUT_CACHE_DOCUMENTS) {
		layoutCaches = { regular: Object.create(null), italic: Object.create(null), bold: Object.create(null) }
		documentsSinceRenewal = 0
	}
	return layoutCaches
}

// A4 landscape in points.
const PAGE = { width: 841.89, height: 595.28 }
const INK = '#1f2937'
const RED = '#a4161a'
const GOLD = '#a67c2e'

/** "Minh Sơn, ngày 05 tháng 02 năm 2026": administrative style pads days below 10 and the months January and February. */
function placeAndDate(t: ReturnType<typeof translator>, place: string, date: Date) {
	const { day, month, year } = vnClock(date)
	return t('pdf.placeDate', { place, day: day < 10 ? `0${day}` : day, month: month < 3 ? `0${month}` : month, year })
}

/** Creates the document and ends it; read it as a stream (ZIP) or collect it with renderCertificatePdf. */
export function createCertificateDocument(data: CertificatePdfData, options: { compress?: boolean } = {}) {
	const t = translator('vi')
	const holderName = data.holderName.normalize('NFC')
	const courseTitle = data.courseTitle.normalize('NFC')
	const shared = beVietnamFonts()
	const caches = sharedLayoutCaches()
	const doc = new PDFDocument({
		// Our regular face as the default font also spares pdfkit from parsing Helvetica's metrics for every document.
		font: asPdfFontSource(shared.regular),
		size: 'A4',
		layout: 'landscape',
		margin: 0,
		compress: options.compress ?? true,
		pdfVersion: '1.7',
		lang: 'vi-VN',
		displayTitle: true,
		info: {
			Title: t('pdf.docTitle', { serial: data.serial }),
			Subject: t('pdf.subject', { course: courseTitle }),
			Author: data.issuer.organisation,
			Creator: 'Văn Minh Số',
			Producer: 'Văn Minh Số (PDFKit)',
			CreationDate: data.issuedAt,
			ModDate: data.issuedAt,
		},
	})
	// The default font is our regular face: file it under its name so that doc.font('regular') finds it, rather than
	// opening a second copy that pdfkit would then merge back by comparing name tables, on every call.
	const internals = doc as unknown as DocumentInternals
	internals._fontFamilies.regular = internals._font
	internals._font.layoutCache = caches.regular
	for (const name of ['bold', 'italic'] as const) {
		doc.registerFont(name, asPdfFontSource(shared[name]))
		doc.font(name)
		internals._font.layoutCache = caches[name]
	}

	const use = (font: BeVietnamFace, size: number, color = INK) => doc.font(font).fontSize(size).fillColor(color)
	const centered = (text: string, cx: number, y: number, spacing = 0) => {
		const width = doc.widthOfString(text, { characterSpacing: spacing })
		doc.text(text, cx - width / 2, y, { lineBreak: false, characterSpacing: spacing })
		return width
	}
	/** The largest size up to `max` (not below `min`) at which `text` fits `width` on one line. Widths scale
	 * linearly with the size, so one measurement suffices. */
	const fit = (font: BeVietnamFace, text: string, width: number, max: number, min: number) => {
		const natural = doc.font(font).fontSize(max).widthOfString(text)
		if (natural <= width) return max
		return Math.max(min, Math.floor(((max * width) / natural) * 4) / 4)
	}

	// Frame: a gold double rule.
	doc.lineWidth(3).strokeColor(GOLD).rect(18, 18, PAGE.width - 36, PAGE.height - 36).stroke()
	doc.lineWidth(0.8).rect(26, 26, PAGE.width - 52, PAGE.height - 52).stroke()

	// Heading: the issuing body on the left, the national title and motto on the right, as on official papers.
	const left = { cx: 215, width: 330 }
	const right = { cx: 590, width: 400 }
	let y = 48
	if (data.issuer.authority) {
		use('regular', fit('regular', data.issuer.authority, left.width, 11, 7), INK)
		centered(data.issuer.authority, left.cx, y)
		y += 15
	}
	use('bold', fit('bold', data.issuer.organisation, left.width, 11, 7), INK)
	centered(data.issuer.organisation, left.cx, y)
	doc.lineWidth(0.7).strokeColor(INK).moveTo(left.cx - 40, y + 17).lineTo(left.cx + 40, y + 17).stroke()

	use('bold', 11.5)
	centered(t('pdf.nation'), right.cx, 48)
	use('bold', 12.5)
	const mottoWidth = centered(t('pdf.motto'), right.cx, 64)
	doc.lineWidth(0.7).moveTo(right.cx - mottoWidth / 2, 82).lineTo(right.cx + mottoWidth / 2, 82).stroke()

	// Title and the statement.
	const cx = PAGE.width / 2
	use('bold', 34, RED)
	centered(t('pdf.title'), cx, 112, 1.5)
	use('bold', 14, RED)
	centered(t('pdf.subtitle'), cx, 158, 1)

	use('regular', 13)
	centered(t('pdf.certifies'), cx, 192)
	// Long names shrink rather than wrap or overflow the frame.
	const nameSize = fit('bold', holderName, 640, 30, 14)
	use('bold', nameSize, '#111827')
	centered(holderName, cx, 212 + (30 - nameSize) * 0.6)

	use('regular', 13)
	const unitLine = t('pdf.unit', { unit: data.orgName.normalize('NFC') })
	use('regular', fit('regular', unitLine, 680, 13, 8))
	if (data.orgName) centered(unitLine, cx, 256)
	use('regular', 13)
	centered(t('pdf.completed'), cx, 280)

	// The course title on at most two lines, shrinking until it does.
	let titleSize = 19
	let lines = wrap(doc, 'bold', courseTitle, 660, titleSize)
	while (lines.length > 2 && titleSize > 11) lines = wrap(doc, 'bold', courseTitle, 660, (titleSize -= 0.5))
	use('bold', titleSize, '#0b3d91')
	const lineHeight = titleSize * 1.3
	const titleTop = lines.length === 1 ? 304 + lineHeight / 2 : 300
	lines.forEach((line, i) => centered(line, cx, titleTop + i * lineHeight))

	use('regular', 12.5)
	const validity = data.expiresAt ? t('pdf.validUntil', { date: formatVnDate(data.expiresAt) }) : t('pdf.noExpiry')
	centered(`${t('pdf.completedOn', { date: formatVnDate(data.issuedAt) })}     •     ${validity}`, cx, 362)

	// Bottom left: the QR code to the public verify page, the serial and the address in clear.
	const qrSize = 92
	const qrX = 60
	const qrY = 420
	drawQr(doc, data.verifyUrl, qrX, qrY, qrSize)
	const textX = qrX + qrSize + 12
	use('bold', 11.5)
	doc.text(t('pdf.serial', { serial: data.serial }), textX, qrY + 8, { lineBreak: false })
	use('italic', 8.5, '#374151')
	doc.text(t('pdf.verifyHint'), textX, qrY + 30, { lineBreak: false })
	use('regular', fit('regular', data.verifyUrl, 250, 8.5, 6), '#374151')
	doc.text(data.verifyUrl, textX, qrY + 44, { lineBreak: false })

	// Bottom right: place and date, the signatory's title, the signature image if any, the name.
	const sign = { cx: 612, width: 330 }
	use('italic', 12)
	centered(placeAndDate(t, data.issuer.place, data.issuedAt), sign.cx, 396)
	use('bold', 12)
	const titleLines = data.issuer.signer.title.split('\n')
	titleLines.forEach((line, i) => centered(line, sign.cx, 416 + i * 16))
	const imageTop = 416 + titleLines.length * 16 + 2
	if (data.issuer.signer.image) {
		doc.image(data.issuer.signer.image, sign.cx - 80, imageTop, { fit: [160, 62], align: 'center', valign: 'center' })
	}
	use('bold', fit('bold', data.issuer.signer.name, sign.width, 13, 9))
	centered(data.issuer.signer.name, sign.cx, Math.max(imageTop + 66, 512))

	doc.end()
	return doc
}

/** The whole PDF in memory (≈ 40 KB): for a single download, with a Content-Length. */
export function renderCertificatePdf(data: CertificatePdfData, options: { compress?: boolean } = {}): Promise<Buffer> {
	const doc = createCertificateDocument(data, options)
	return new Promise((resolve, reject) => {
		const chunks: Array<Buffer> = []
		doc.on('data', (chunk: Buffer) => chunks.push(chunk))
		doc.on('end', () => resolve(Buffer.concat(chunks)))
		doc.on('error', reject)
	})
}

function wrap(doc: PDFKit.PDFDocument, font: BeVietnamFace, text: string, width: number, size: number) {
	doc.font(font).fontSize(size)
	const lines: Array<string> = []
	let line = ''
	for (const word of text.split(/\s+/)) {
		const candidate = line ? `${line} ${word}` : word
		if (line && doc.widthOfString(candidate) > width) {
			lines.push(line)
			line = word
		} else {
			line = candidate
		}
	}
	if (line) lines.push(line)
	return lines
}

/** The QR code as filled squares (vector, sharp at any zoom), runs of dark modules merged into one rectangle. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
	const n = modules.size
	const cell = size / n
	for (let row = 0; row < n; row++) {
		let start = -1
		for (let col = 0; col <= n; col++) {
			const dark = col < n && modules.get(row, col)
			if (dark && start < 0) start = col
			if (!dark && start >= 0) {
				// A hair taller than the cell: no white seams between rows when a viewer anti-aliases.
				doc.rect(x + start * cell, y + row * cell, (col - start) * cell, cell + 0.05)
				start = -1
			}
		}
	}
	doc.fillColor('#000000').fill()
}

// Login cards: A4 pages of 2 × 4 cards to cut apart, one per student: name, class, username, PIN and a QR code that
// opens the login page with the username filled in. Built from plain data so that tests read the text back.
import QRCode from 'qrcode'
import PDFDocument from 'pdfkit'
import { vietnamesePdfFonts } from '#app/ui/pdf-fonts.server.ts'

export type LoginCard = { fullName: string; className: string; username: string; pin: string }

export function cardLoginUrl(origin: string, username: string) {
	return `${origin}/join/login?${new URLSearchParams({ u: username })}`
}

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
	const cell = size / modules.size
	for (let row = 0; row < modules.size; row++) {
		for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) doc.rect(x + col * cell, y + row * cell, cell + 0.05, cell + 0.05)
	}
	doc.fillColor('#000000').fill()
}

export function loginCardsPdf(cards: Array<LoginCard>, options: { origin: string; schoolName: string; title: string }): Promise<Buffer> {
	const doc = new PDFDocument({ size: 'A4', margin: 24, info: { Title: options.title, Author: 'Văn Minh Số' } })
	const fonts = vietnamesePdfFonts()
	doc.registerFont('regular', fonts.regular)
	doc.registerFont('bold', fonts.bold)
	const done = new Promise<Buffer>((resolve, reject) => {
		const chunks: Array<Buffer> = []
		doc.on('data', (c: Buffer) => chunks.push(c))
		doc.on('end', () => resolve(Buffer.concat(chunks)))
		doc.on('error', reject)
	})
	const cardW = (doc.page.width - 48) / 2
	const cardH = (doc.page.height - 48) / 4
	cards.forEach((c, i) => {
		const slot = i % 8
		if (i > 0 && slot === 0) doc.addPage()
		const x = 24 + (slot % 2) * cardW
		const y = 24 + Math.floor(slot / 2) * cardH
		doc.save().dash(3, { space: 3 }).rect(x, y, cardW, cardH).stroke('#999999').restore()
		const qr = 96
		const w = cardW - qr - 36
		doc.font('bold').fontSize(11).fillColor('#0b5c4a').text('Thẻ đăng nhập Văn Minh Số', x + 12, y + 12, { width: cardW - 24 })
		doc.font('bold').fontSize(15).fillColor('#000000').text(c.fullName.normalize('NFC'), x + 12, y + 32, { width: w })
		doc.font('regular').fontSize(10).text(c.className.normalize('NFC'), x + 12, doc.y + 2, { width: w })
		doc.fontSize(9).text(options.schoolName.normalize('NFC'), x + 12, doc.y + 1, { width: w, lineBreak: false, ellipsis: true })
		doc.fontSize(10).text('Tên đăng nhập:', x + 12, y + 112, { width: w })
		doc.font('bold').fontSize(14).text(c.username, x + 12, y + 125, { width: w, lineBreak: false, ellipsis: true })
		doc.font('regular').fontSize(10).text('Mã PIN:', x + 12, y + 146, { width: w })
		doc.font('bold').fontSize(20).text(c.pin, x + 12, y + 158, { width: w, characterSpacing: 3 })
		drawQr(doc, cardLoginUrl(options.origin, c.username), x + cardW - qr - 14, y + 36, qr)
		doc.font('regular').fontSize(7.5).fillColor('#374151').text('Quét mã để mở trang đăng nhập', x + cardW - qr - 20, y + 38 + qr, { width: qr + 12, align: 'center' })
	})
	if (cards.length === 0) doc.font('regular').fontSize(12).text('Lớp chưa có học sinh.', 24, 24)
	doc.end()
	return done
}

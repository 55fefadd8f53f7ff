import { readFileSync } from 'node:fs'
import QRCode from 'qrcode'
import { expect, test } from 'vitest'
import { issuerFor, parseIssuers } from '#app/certificates/issuers.server.ts'
import { type CertificatePdfData, renderCertificatePdf } from '#app/certificates/pdf.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { pdfObjects, pdfText, pdfTextRuns } from './pdf-text.ts'

const issuedAt = new Date('2026-02-05T03:00:00Z')

function sample(overrides: Partial<CertificatePdfData> = {}): CertificatePdfData {
	return {
		serial: 'VMS-2026-7QK3M9XW2D',
		holderName: 'Nguyễn Thị Hương',
		orgName: 'Phòng Chuyển đổi số',
		courseTitle: 'Bảo vệ bí mật nhà nước trên không gian mạng',
		issuedAt,
		expiresAt: new Date('2028-02-05T03:00:00Z'),
		verifyUrl: 'https://vanminhso.minhson.gov.vn/verify/VMS-2026-7QK3M9XW2D',
		issuer: issuerFor('GOV:MS', issuedAt),
		...overrides,
	}
}

test('the PDF carries every Vietnamese string exactly, with an embedded Vietnamese font', async () => {
	const pdf = await renderCertificatePdf(sample(), { compress: false })
	const lines = pdfText(pdf).split('\n')
	for (const expected of [
		'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
		'Độc lập - Tự do - Hạnh phúc',
		'ỦY BAN NHÂN DÂN TỈNH MINH SƠN',
		'SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH',
		'GIẤY CHỨNG NHẬN',
		'Nguyễn Thị Hương',
		'Đơn vị: Phòng Chuyển đổi số',
		'Bảo vệ bí mật nhà nước trên không gian mạng',
		'Ngày hoàn thành: 05/02/2026     •     Có giá trị đến: 05/02/2028',
		'Số hiệu: VMS-2026-7QK3M9XW2D',
		'https://vanminhso.minhson.gov.vn/verify/VMS-2026-7QK3M9XW2D',
		'Minh Sơn, ngày 05 tháng 02 năm 2026',
		'GIÁM ĐỐC',
		'Nguyễn Ngọc Hương',
	]) {
		expect(lines).toContain(expected)
	}
	expect(pdfText(pdf)).not.toContain('\uFFFD')
	const raw = pdf.toString('latin1')
	expect(raw).toContain('/BaseFont /BZZZZZ+BeVietnamPro-Regular')
	expect(raw).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/)
	expect(raw).not.toContain('Helvetica')
})

test('the production (compressed) PDF reads the same', async () => {
	const plain = await renderCertificatePdf(sample(), { compress: false })
	const compressed = await renderCertificatePdf(sample())
	expect(compressed.length).toBeLessThan(plain.length)
	expect(pdfText(compressed)).toBe(pdfText(plain))
})

test('rendering is deterministic: the same certificate gives the same bytes, another one different bytes', async () => {
	const a = await renderCertificatePdf(sample())
	const b = await renderCertificatePdf(sample())
	expect(a.equals(b)).toBe(true)
	const other = await renderCertificatePdf(sample({ holderName: 'Nguyễn Thị Hướng' }))
	expect(other.equals(a)).toBe(false)
	// Caches shared across documents (fonts, outlines, word layouts) never change the bytes: after 600 others
	// (more than one renewal of the layout cache), the first one comes out the same.
	for (let i = 0; i < 600; i++) await renderCertificatePdf(sample({ holderName: `Người Thứ ${i}`, serial: `VMS-2026-${String(i).padStart(10, '0')}` }))
	expect((await renderCertificatePdf(sample())).equals(a)).toBe(true)
	expect(a.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7')
})

test('a decomposed (NFD) name prints as the composed letters', async () => {
	const pdf = await renderCertificatePdf(sample({ holderName: 'Nguyễn Thị Hương'.normalize('NFD') }))
	expect(pdfText(pdf).split('\n')).toContain('Nguyễn Thị Hương')
})

test('a long name shrinks to stay on one line inside the frame', async () => {
	const long = 'Tôn Nữ Hoàng Thị Phương Thảo Nguyên Khánh Ngọc Diệp Bảo Châu'
	const runs = pdfTextRuns(await renderCertificatePdf(sample({ holderName: long })))
	const shortRuns = pdfTextRuns(await renderCertificatePdf(sample()))
	const name = runs.find((r) => r.text === long)!
	expect(name).toBeDefined()
	expect(shortRuns.find((r) => r.text === 'Nguyễn Thị Hương')!.size).toBe(30)
	expect(name.size).toBeLessThan(30)
	expect(name.size).toBeGreaterThanOrEqual(14)
})

test('a long course title wraps on two lines; no expiry says so', async () => {
	const title = 'Kỹ năng phát ngôn và cung cấp thông tin cho báo chí trên không gian mạng dành cho người phát ngôn của cơ quan hành chính'
	const text = pdfText(await renderCertificatePdf(sample({ courseTitle: title, expiresAt: null })))
	const lines = text.split('\n')
	const first = lines.findIndex((l) => title.startsWith(l) && l.length > 10)
	expect(`${lines[first]} ${lines[first + 1]}`).toBe(title)
	expect(text).toContain('Có giá trị: không thời hạn')
})

test('the QR code is drawn as vector squares covering every dark module', async () => {
	const data = sample()
	const pdf = await renderCertificatePdf(data, { compress: false })
	const content = [...pdfObjects(pdf).values()].map((o) => o.stream?.toString('latin1') ?? '').join('\n')
	const rects = content.match(/ re\n/g)?.length ?? 0
	const { modules } = QRCode.create(data.verifyUrl, { errorCorrectionLevel: 'M' })
	const dark = Array.from(modules.data).filter(Boolean).length
	// Runs of dark modules are merged, so there are fewer rectangles than dark modules, but many.
	expect(rects).toBeGreaterThan(100)
	expect(rects).toBeLessThan(dark + 2)
	expect(content).not.toContain('/Subtype /Image')
})

test('the signatory follows the per-province configuration and the issue date, with an optional signature image', async () => {
	const png = 'tests/fixtures/content/valid/courses/mau/images/hinh.png'
	const config = parseIssuers(
		`
default:
  organisation: Cơ quan mặc định
  place: Hà Nội
  signers:
    - { from: 2020-01-01, name: Người Mặc Định, title: GIÁM ĐỐC }
issuers:
  "GOV:MS":
    authority: ỦY BAN NHÂN DÂN TỈNH MINH SƠN
    organisation: SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH
    place: Minh Sơn
    signers:
      - { from: 2024-01-01, name: Trần Văn Cũ, title: GIÁM ĐỐC }
      - { from: 2026-01-01, name: Lê Thị Mới, title: "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC", signatureImage: ${png} }
`,
		'.',
	)
	expect(issuerFor('GOV:MS', new Date('2025-06-01T00:00:00Z'), config).signer.name).toBe('Trần Văn Cũ')
	expect(issuerFor('GOV:XX', issuedAt, config).organisation).toBe('Cơ quan mặc định')
	expect(issuerFor(null, issuedAt, config).place).toBe('Hà Nội')
	const issuer = issuerFor('GOV:MS', issuedAt, config)
	expect(issuer.signer.image?.equals(readFileSync(png))).toBe(true)
	const pdf = await renderCertificatePdf(sample({ issuer }), { compress: false })
	const lines = pdfText(pdf).split('\n')
	expect(lines).toEqual(expect.arrayContaining(['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', 'Lê Thị Mới']))
	expect(pdf.toString('latin1')).toContain('/Subtype /Image')
})

test('a broken issuer file is refused with the field in Vietnamese', () => {
	expect(() => parseIssuers('default:\n  organisation: X\n  place: Y\n  signers: []\n', '.')).toThrow(/default\.signers/)
	expect(() =>
		parseIssuers('default: { organisation: X, place: Y, signers: [{ from: 2025-01-01, name: A, title: B }] }\nissuers: { "MS": { organisation: X, place: Y, signers: [{ from: 2025-01-01, name: A, title: B }] } }\n', '.'),
	).toThrow(/GOV:MÃ/)
	expect(() =>
		parseIssuers('default: { organisation: X, place: Y, signers: [{ from: 2025-01-01, name: A, title: B, signatureImage: khong-co.png }] }\n', '.'),
	).toThrow(/Không tìm thấy ảnh chữ ký/)
})

test('dates print as Vietnamese calendar days whatever the server time zone', () => {
	// 17:30 UTC on 31 December is already 1 January in Vietnam.
	expect(formatVnDate(new Date('2026-12-31T17:30:00Z'))).toBe('01/01/2027')
	expect(formatVnDate(new Date('2026-12-31T16:59:59Z'))).toBe('31/12/2026')
})

test('the rendering reviewed by eye is kept in docs/images: an A4 landscape PNG', () => {
	// Made with `pdftoppm -png -r 96` from a certificate like sample(); redo it when the layout changes.
	const png = readFileSync('docs/images/certificate-example.png')
	expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)
	const width = png.readUInt32BE(16)
	const height = png.readUInt32BE(20)
	expect(width).toBeGreaterThan(height)
	expect(width / height).toBeCloseTo(841.89 / 595.28, 2)
})

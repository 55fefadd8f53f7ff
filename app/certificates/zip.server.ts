// All certificates of a unit as one ZIP, streamed: each PDF is rendered only when the ZIP writer reaches it, and
// yazl pipes it through with backpressure, so memory holds a few PDFs at a time whatever the count, provided the
// HTTP layer waits for the socket too (server/send-response.ts; Remix 2's Express adapter does not, see
// tests/certificates/zip-stream.test.ts). Entries are
// stored, not deflated: the PDF streams are already compressed, and deflating again saves ≈ 10 % of the size for
// ≈ 1 ms more per certificate (measured on a 38 KB certificate), a sixth of its rendering time.
//
// Content-Length is not sent: the size of each PDF is known only once it is rendered, and rendering everything
// first would delay the first byte by the whole job. The page shows the count and an estimated size before the
// download; with JavaScript it then shows progress against that estimate (zip-download.tsx), without it the
// browser's download bar shows the bytes as they stream.
import { Readable } from 'node:stream'
import yazl from 'yazl'
import { db, type Prisma } from '#app/db.server.ts'
import { type OrgUnit } from '#app/db-types.ts'
import { unitZipWhere } from './access.server.ts'
import { MAX_ZIP_ENTRIES } from './limits.ts'
import { certificateFileName } from './names.ts'
import { renderCertificatePdf } from './pdf.server.ts'
import { authenticateMany, pdfDataOf, rootOfCert, rootsOf } from './records.server.ts'
import { type UnitFilter } from './schema.ts'
import { vnDay } from '#app/ui/dates.ts'

export type ZipJob = { count: number; skipped: Array<string>; stream: Readable }

/** Counts first: nothing to send (or too much) is answered with a message, never with an empty or endless file. */
export async function unitZip(unit: Pick<OrgUnit, 'path' | 'tree'>, filter: UnitFilter, now: Date = new Date(), request?: Request | null) {
	const where = unitZipWhere(unit, filter, now)
	const count = await db.certificate.count({ where })
	if (count === 0) return { status: 'empty' as const }
	if (count > MAX_ZIP_ENTRIES) return { status: 'too-many' as const, count }
	return { status: 'ok' as const, job: await certificatesZip(where, request) }
}

/** `request` gives the public address printed in the QR codes when APP_URL is not set (app/public-url.server.ts). */
export async function certificatesZip(where: Prisma.CertificateWhereInput, request?: Request | null): Promise<ZipJob> {
	const rows = await db.certificate.findMany({ where, orderBy: [{ orgName: 'asc' }, { holderName: 'asc' }, { serial: 'asc' }], take: MAX_ZIP_ENTRIES + 1 })
	if (rows.length > MAX_ZIP_ENTRIES) throw new Error(`ZIP of more than ${MAX_ZIP_ENTRIES} certificates`)
	const [{ authentic, tampered }, roots] = await Promise.all([authenticateMany(rows), rootsOf(rows.map((r) => r.orgUnitId))])
	const zip = new yazl.ZipFile()
	for (const cert of authentic) {
		const data = pdfDataOf(cert, rootOfCert(roots, cert), request)
		// Rendered into one buffer (≈ 40 KB) when yazl asks, then handed over as a single chunk: streaming pdfkit's
		// output directly meant dozens of tiny chunks per PDF through every stream stage and socket write.
		zip.addReadStreamLazy(certificateFileName(cert.holderName, cert.serial), { compress: false, mtime: cert.issuedAt }, (callback) => {
			renderCertificatePdf(data).then(
				(pdf) => callback(null, Readable.from([pdf], { objectMode: false })),
				(error: unknown) => callback(error, undefined as never),
			)
		})
	}
	// Rows altered outside the application are left out, and the ZIP says which.
	if (tampered.length) {
		const text = `Các chứng nhận sau không khớp chữ ký số nên không được đưa vào tệp nén:\r\n${tampered.map((c) => c.serial).join('\r\n')}\r\n`
		zip.addBuffer(Buffer.from(text, 'utf8'), 'KHONG-HOP-LE.txt', { compress: false, mtime: new Date(0) })
	}
	zip.end()
	// yazl's output is a PassThrough; its typings only say NodeJS.ReadableStream.
	const stream = zip.outputStream as Readable
	// A render that fails is emitted on the ZipFile, which nothing else listens to: unhandled, it would take the
	// whole process down. Failing the output instead ends this download (the browser reports it) and nothing else.
	zip.on('error', (error: Error) => stream.destroy(error))
	return { count: authentic.length, skipped: tampered.map((c) => c.serial), stream }
}

/** "chung-nhan_SVHTTDL_2026-11-23.zip" */
export function zipFileName(unitCode: string, now: Date = new Date()) {
	const code = unitCode.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'D').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
	const day = vnDay(now)
	return `chung-nhan_${code || 'don-vi'}_${day}.zip`
}

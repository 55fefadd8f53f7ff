// Certificate rows → what the PDF prints and what the verify page says, with the signature checked on the way.
// Rows issued before signing existed are signed the first time they are shown (backfill).
import { db } from '#app/db.server.ts'
import { type Certificate } from '#app/db-types.ts'
import { publicUrl } from '#app/public-url.server.ts'
import { issuerFor, rootKey } from './issuers.server.ts'
import { type CertificatePdfData } from './pdf.server.ts'
import { checkSignature, signCertificate } from './sign.server.ts'

export type Root = { tree: string; code: string }

/** The serial of the person's certificate for a course version that is not revoked, if any (the course and quiz pages link it). */
export async function currentCertificateSerial(userId: string, courseVersionId: string) {
	const row = await db.certificate.findFirst({ where: { userId, courseVersionId, revokedAt: null }, select: { serial: true } })
	return row?.serial ?? null
}

/** The public address printed in the QR code (app/public-url.server.ts): with APP_URL set, the same row always gives
 * the same PDF; without it, the address the downloader reached us at. */
export function verifyUrl(serial: string, request?: Request | null) {
	return publicUrl(`/verify/${serial}`, request)
}

/** Tree roots of the units certificates were issued in (by unit id), for choosing the issuer. */
export async function rootsOf(orgUnitIds: Array<number | null>): Promise<Map<number, Root>> {
	const ids = [...new Set(orgUnitIds.filter((id): id is number => id !== null))]
	if (!ids.length) return new Map()
	const units = await db.orgUnit.findMany({ where: { id: { in: ids } }, select: { id: true, path: true } })
	const rootIdOf = new Map(units.map((u) => [u.id, Number(u.path.split('/').filter(Boolean)[0])]))
	const roots = await db.orgUnit.findMany({ where: { id: { in: [...new Set(rootIdOf.values())] } }, select: { id: true, tree: true, code: true } })
	const rootById = new Map(roots.map((r) => [r.id, r]))
	const result = new Map<number, Root>()
	for (const [unitId, rootId] of rootIdOf) {
		const root = rootById.get(rootId)
		if (root) result.set(unitId, root)
	}
	return result
}

export function pdfDataOf(cert: Certificate, root: Root | null, request?: Request | null): CertificatePdfData {
	return {
		serial: cert.serial,
		holderName: cert.holderName,
		orgName: cert.orgName,
		courseTitle: cert.courseTitle,
		issuedAt: cert.issuedAt,
		expiresAt: cert.expiresAt,
		verifyUrl: verifyUrl(cert.serial, request),
		issuer: issuerFor(rootKey(root), cert.issuedAt),
	}
}

export function rootOfCert(roots: Map<number, Root>, cert: Pick<Certificate, 'orgUnitId'>) {
	return cert.orgUnitId ? (roots.get(cert.orgUnitId) ?? null) : null
}

export async function pdfDataFor(cert: Certificate, request?: Request | null) {
	return pdfDataOf(cert, rootOfCert(await rootsOf([cert.orgUnitId]), cert), request)
}

/** The serial of the certificate that replaced this one (a reissue), if any. */
export async function successorSerial(cert: Pick<Certificate, 'replacedById'>) {
	if (!cert.replacedById) return null
	const successor = await db.certificate.findUnique({ where: { id: cert.replacedById }, select: { serial: true } })
	return successor?.serial ?? null
}

/** True when the row is what was signed. Unsigned rows (issued before signatures) are signed now and pass. */
export async function ensureAuthentic(cert: Certificate): Promise<boolean> {
	const check = checkSignature(cert)
	if (check === 'ok') return true
	if (check !== 'unsigned') return false
	const signature = signCertificate(cert)
	// Only if still unsigned: two concurrent first views must not both write.
	await db.certificate.updateMany({ where: { id: cert.id, signature: null }, data: { signature } })
	cert.signature = signature
	return true
}

/** Backfills a batch at once (a ZIP of old rows): one UPDATE per unsigned row, all in one transaction. */
export async function authenticateMany(certs: Array<Certificate>): Promise<{ authentic: Array<Certificate>; tampered: Array<Certificate> }> {
	const authentic: Array<Certificate> = []
	const tampered: Array<Certificate> = []
	const unsigned: Array<{ id: string; signature: string }> = []
	for (const cert of certs) {
		const check = checkSignature(cert)
		if (check === 'unsigned') {
			cert.signature = signCertificate(cert)
			unsigned.push({ id: cert.id, signature: cert.signature })
		}
		if (check === 'ok' || check === 'unsigned') authentic.push(cert)
		else tampered.push(cert)
	}
	if (unsigned.length) {
		await db.$transaction(unsigned.map((u) => db.certificate.updateMany({ where: { id: u.id, signature: null }, data: { signature: u.signature } })))
	}
	return { authentic, tampered }
}

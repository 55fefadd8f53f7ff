// Revoking (a certificate obtained by fraud, issued by mistake) and reissuing (a misspelt name). Both are
// administrative writes, audited in the same transaction. A reissue keeps the completion and expiry dates of
// the original, takes a new serial and signature, and the original is revoked and points to its successor.
import { audit } from '#app/auth/audit.server.ts'
import { db, type Prisma } from '#app/db.server.ts'
import { type Certificate } from '#app/db-types.ts'
import { newSerial } from './issue.server.ts'
import { signCertificate } from './sign.server.ts'

type Actor = { id: string }

/** False when the certificate is already revoked (a second click, another admin first). */
export async function revokeCertificate(cert: Certificate, reason: string, actor: Actor, request: Request, now: Date = new Date()) {
	return db.$transaction((tx) => revokeWithin(tx, cert, reason, actor, request, now))
}

/**
 * The revocation inside the caller's transaction: a completion withdrawn after review (app/learning/completion.server.ts)
 * revokes its certificate together with the enrollment's reset, so that neither happens without the other.
 */
export async function revokeWithin(tx: Prisma.TransactionClient, cert: Pick<Certificate, 'id' | 'serial' | 'orgUnitId' | 'holderName' | 'courseTitle'>, reason: string, actor: Actor, request: Request | undefined, now: Date = new Date()) {
	const done = await tx.certificate.updateMany({ where: { id: cert.id, revokedAt: null }, data: { revokedAt: now, revokeReason: reason } })
	if (done.count === 0) return false
	await audit(
		{
			actorId: actor.id,
			action: 'certificate.revoke',
			targetType: 'Certificate',
			targetId: cert.serial,
			orgUnitId: cert.orgUnitId,
			request,
			details: { reason, holderName: cert.holderName, course: cert.courseTitle },
		},
		tx,
	)
	return true
}

/** The new certificate, or null when the original was revoked meanwhile. */
export async function reissueCertificate(
	cert: Certificate,
	input: { holderName: string; reason: string },
	actor: Actor,
	request: Request,
	now: Date = new Date(),
) {
	return db.$transaction(async (tx) => {
		const fields = {
			serial: newSerial(now),
			userId: cert.userId,
			courseVersionId: cert.courseVersionId,
			holderName: input.holderName.normalize('NFC'),
			orgUnitId: cert.orgUnitId,
			orgName: cert.orgName,
			courseTitle: cert.courseTitle,
			source: cert.source,
			issuedAt: cert.issuedAt,
			expiresAt: cert.expiresAt,
		}
		const successor = await tx.certificate.create({ data: { ...fields, signature: signCertificate(fields) } })
		const done = await tx.certificate.updateMany({
			where: { id: cert.id, revokedAt: null },
			data: { revokedAt: now, revokeReason: input.reason, replacedById: successor.id },
		})
		if (done.count === 0) {
			await tx.certificate.delete({ where: { id: successor.id } })
			return null
		}
		await audit(
			{
				actorId: actor.id,
				action: 'certificate.reissue',
				targetType: 'Certificate',
				targetId: cert.serial,
				orgUnitId: cert.orgUnitId,
				request,
				details: { reason: input.reason, replacedBy: successor.serial, from: cert.holderName, to: fields.holderName },
			},
			tx,
		)
		return successor
	})
}

// Issuing a certificate when an enrollment completes. The row snapshots the holder's name, unit and the course
// title, so a certificate reads the same after a rename, and is signed in the same transaction (sign.server.ts).
import { randomInt } from 'node:crypto'
import { type Prisma } from '#app/db.server.ts'
import { type CompletionSource } from '#app/generated/prisma/enums.ts'
import { normalizeName } from '#app/ui/collation.ts'
import { signCertificate } from './sign.server.ts'

// Crockford base32 without I, L, O, U: read aloud and typed from paper without ambiguity.
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** "VMS-2026-7QK3M9XW2D": the year, then 50 random bits, so serials cannot be enumerated. */
export function newSerial(at = new Date()) {
	const random = Array.from({ length: 10 }, () => SERIAL_ALPHABET[randomInt(SERIAL_ALPHABET.length)]).join('')
	return `VMS-${at.getUTCFullYear()}-${random}`
}

export function addMonths(date: Date, months: number) {
	const d = new Date(date)
	d.setUTCMonth(d.getUTCMonth() + months)
	return d
}

export type CertificateHolder = { fullName: string; unit: { id: number; name: string } | null }
export type CertificateVersion = { title: string; validityMonths: number | null }
export type IssueInput = { userId: string; courseVersionId: string; source: CompletionSource; at: Date }

/** The signed row of a new certificate, from what it snapshots: the holder's name and unit, the course title. */
export function newCertificateFields(input: IssueInput, holder: CertificateHolder, version: CertificateVersion) {
	const fields = {
		serial: newSerial(input.at),
		userId: input.userId,
		courseVersionId: input.courseVersionId,
		holderName: normalizeName(holder.fullName),
		orgUnitId: holder.unit?.id ?? null,
		orgName: holder.unit?.name ?? '',
		courseTitle: version.title,
		source: input.source,
		issuedAt: input.at,
		expiresAt: version.validityMonths ? addMonths(input.at, version.validityMonths) : null,
	}
	return { ...fields, signature: signCertificate(fields) }
}

export async function issueCertificate(tx: Prisma.TransactionClient, input: IssueInput) {
	const [user, version] = await Promise.all([
		tx.user.findUniqueOrThrow({
			where: { id: input.userId },
			select: {
				fullName: true,
				memberships: {
					where: { validFrom: { lte: input.at }, OR: [{ validTo: null }, { validTo: { gt: input.at } }] },
					orderBy: { validFrom: 'asc' },
					take: 1,
					select: { orgUnit: { select: { id: true, name: true } } },
				},
			},
		}),
		tx.courseVersion.findUniqueOrThrow({ where: { id: input.courseVersionId } }),
	])
	const holder = { fullName: user.fullName, unit: user.memberships[0]?.orgUnit ?? null }
	return tx.certificate.create({ data: newCertificateFields(input, holder, version) })
}

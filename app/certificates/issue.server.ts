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
					select: { tags: true, orgUnit: { select: { id: true, name: true, path: true } } },
				},
			},
		}),
		tx.courseVersion.findUniqueOrThrow({ where: { id: input.courseVersionId } }),
	])
	const holder = { fullName: user.fullName, unit: await issuingUnit(tx, user.memberships, version.courseId, input.at) }
	return tx.certificate.create({ data: newCertificateFields(input, holder, version) })
}

type HolderMembership = { tags: Array<string>; orgUnit: { id: number; name: string; path: string } }

/**
 * The unit a certificate is issued in: the holder's oldest post that an open assignment of the course covers (for
 * someone both on a government roster and in a chi đoàn, the post the course was required for, so that each tree
 * sees the certificates of its own training: issue 10), else their oldest post.
 */
async function issuingUnit(tx: Prisma.TransactionClient, memberships: Array<HolderMembership>, courseId: string, at: Date) {
	if (memberships.length > 1) {
		const ancestors = [...new Set(memberships.flatMap((m) => m.orgUnit.path.split('/').filter(Boolean).map(Number)))]
		const assignments = await tx.assignment.findMany({
			where: { courseId, orgUnitId: { in: ancestors }, createdAt: { lte: at }, OR: [{ closedAt: null }, { closedAt: { gt: at } }] },
			select: { audienceTag: true, orgUnit: { select: { path: true } } },
		})
		const covered = memberships.find((m) => assignments.some((a) => m.orgUnit.path.startsWith(a.orgUnit.path) && (!a.audienceTag || m.tags.includes(a.audienceTag))))
		if (covered) return { id: covered.orgUnit.id, name: covered.orgUnit.name }
	}
	const first = memberships[0]
	return first ? { id: first.orgUnit.id, name: first.orgUnit.name } : null
}

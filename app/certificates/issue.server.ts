// The fields of a new certificate. The row snapshots the holder's name, unit and the course title, so a certificate
// reads the same after a rename, and is signed before it is written (sign.server.ts). Certificates are issued only by
// completing a course (app/learning/completion.server.ts), which also decides the unit.
import { randomInt } from 'node:crypto'
import { type CompletionSource } from '#app/db-types.ts'
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

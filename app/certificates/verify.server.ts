// The public check behind /verify/:serial. It tells a stranger holding the paper whether it is genuine and
// still valid, and shows only what the paper already shows (the name masked). Serials carry 50 random bits and
// each address may ask a limited number of times, so the register cannot be walked.
import { type Limit } from '#app/auth/rate-limit.server.ts'
import { db } from '#app/db.server.ts'
import { issuerFor, rootKey } from './issuers.server.ts'
import { maskName } from './names.ts'
import { ensureAuthentic, rootOfCert, rootsOf, successorSerial } from './records.server.ts'
import { normalizeSerial, SERIAL_PATTERN } from './serial.ts'
import { certificateState } from './validity.ts'

export const VERIFY_LIMIT = (ip: string): Limit => ({ key: `verify:ip:${ip}`, max: 60, windowSeconds: 10 * 60 })

export type VerifiedDetails = {
	serial: string
	maskedName: string
	courseTitle: string
	orgName: string
	issuer: string
	issuedAt: string
	expiresAt: string | null
	revokedAt: string | null
	replacedBy: string | null
}

export type VerifyResult =
	| { status: 'malformed'; serial: string }
	| { status: 'not-found'; serial: string }
	| { status: 'invalid'; serial: string }
	| ({ status: 'valid' | 'expired' | 'revoked' } & VerifiedDetails)

export async function verifyCertificate(input: string, at: Date = new Date()): Promise<VerifyResult> {
	const serial = normalizeSerial(input)
	if (!SERIAL_PATTERN.test(serial)) return { status: 'malformed', serial: input.slice(0, 64) }
	const cert = await db.certificate.findUnique({ where: { serial } })
	if (!cert) return { status: 'not-found', serial }
	// A row that no longer matches its signature was altered outside the application: show nothing from it.
	if (!(await ensureAuthentic(cert))) return { status: 'invalid', serial }
	const state = certificateState(cert, at)
	if (state === 'not-yet-valid') return { status: 'invalid', serial }
	const [root, replacedBy] = await Promise.all([rootsOf([cert.orgUnitId]).then((roots) => rootOfCert(roots, cert)), successorSerial(cert)])
	return {
		status: state,
		serial,
		maskedName: maskName(cert.holderName),
		courseTitle: cert.courseTitle,
		orgName: cert.orgName,
		issuer: issuerFor(rootKey(root), cert.issuedAt).organisation,
		issuedAt: cert.issuedAt.toISOString(),
		expiresAt: cert.expiresAt?.toISOString() ?? null,
		revokedAt: cert.revokedAt?.toISOString() ?? null,
		replacedBy,
	}
}

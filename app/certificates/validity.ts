// When a certificate counts (DESIGN §5): issued on or before the date, not revoked by then, not yet expired.
// Reports and the verify page use the same function so that they never disagree.

export type ValidityFields = { issuedAt: Date; expiresAt: Date | null; revokedAt: Date | null }

export function isCertificateValid(cert: ValidityFields, at: Date = new Date()) {
	const t = at.getTime()
	if (cert.issuedAt.getTime() > t) return false
	if (cert.revokedAt && cert.revokedAt.getTime() <= t) return false
	if (cert.expiresAt && cert.expiresAt.getTime() <= t) return false
	return true
}

export type CertificateState = 'valid' | 'expired' | 'revoked' | 'not-yet-valid'

/** Revocation outranks expiry: a revoked certificate reads "revoked" whatever its dates. */
export function certificateState(cert: ValidityFields, at: Date = new Date()): CertificateState {
	const t = at.getTime()
	if (cert.revokedAt && cert.revokedAt.getTime() <= t) return 'revoked'
	if (cert.issuedAt.getTime() > t) return 'not-yet-valid'
	if (cert.expiresAt && cert.expiresAt.getTime() <= t) return 'expired'
	return 'valid'
}

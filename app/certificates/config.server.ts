// Start-up check of what certificates need, so that a production server without its signing key (or with a
// broken issuer file) stops at once with a clear message instead of failing at the first completed course.
import { getIssuers } from './issuers.server.ts'
import { getSigningKey } from './keys.server.ts'

export function checkCertificateConfig() {
	getSigningKey()
	getIssuers()
}

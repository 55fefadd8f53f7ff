// Start-up check of what certificates need, so that a production server without its signing key (or with a
// broken issuer file) stops at once with a clear message instead of failing at the first completed course.
import { getEnv } from '#app/env.server.ts'
import { getIssuers } from './issuers.server.ts'
import { getSigningKey } from './keys.server.ts'

export function checkCertificateConfig() {
	getSigningKey()
	getIssuers()
	const env = getEnv()
	if (env.NODE_ENV === 'production' && !env.APP_URL) {
		console.warn('APP_URL chưa được đặt: mã QR trên chứng nhận sẽ trỏ tới http://localhost:3000. Hãy đặt APP_URL=https://<tên miền>.')
	}
}

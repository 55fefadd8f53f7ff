// The one public address of the site for every absolute link that leaves the page: certificate QR codes and PDFs,
// activation slips, invite links and QR codes, mails. APP_URL when set; otherwise the origin the visitor reached us
// at (what they can reach again). Work without a request (cron, CLIs) has no such origin: it needs APP_URL and says
// so instead of printing a private default such as localhost.
import { getEnv } from '#app/env.server.ts'

export const APP_URL_MISSING =
	'APP_URL chưa được đặt: cần địa chỉ công khai của trang (ví dụ APP_URL=https://vanminhso.<tỉnh>.gov.vn) để in đường dẫn và mã QR. ' +
	'/ APP_URL is not set: the public address of the site (e.g. APP_URL=https://vanminhso.<province>.gov.vn) is needed for printed links and QR codes.'

export const APP_URL_REQUIRED_IN_PRODUCTION =
	'Không khởi động được: khi NODE_ENV=production phải đặt APP_URL (địa chỉ công khai, ví dụ https://vanminhso.<tỉnh>.gov.vn), vì mã QR trên chứng nhận, phiếu kích hoạt và thư đều in địa chỉ này. ' +
	'/ Cannot start: with NODE_ENV=production APP_URL must be set (the public address, e.g. https://vanminhso.<province>.gov.vn), as certificate QR codes, activation slips and mails print it.'

type Configured = { APP_URL?: string | undefined }

/** The public origin, without a trailing slash. */
export function publicOrigin(request?: Request | null, env: Configured = getEnv()): string {
	if (env.APP_URL) return env.APP_URL.replace(/\/+$/, '')
	if (request) return new URL(request.url).origin
	throw new Error(APP_URL_MISSING)
}

/** An absolute link to a path of the site ("/verify/…"). */
export function publicUrl(path: string, request?: Request | null, env: Configured = getEnv()): string {
	return `${publicOrigin(request, env)}${path.startsWith('/') ? path : `/${path}`}`
}

/** Start-up check: production serves people who print and scan these links, so a guess is not good enough. */
export function checkPublicUrlConfig(env: Configured & { NODE_ENV?: string } = getEnv()) {
	if (env.NODE_ENV === 'production' && !env.APP_URL) throw new Error(APP_URL_REQUIRED_IN_PRODUCTION)
}

// Issue 18 item 4: one public address for every absolute link. APP_URL when set; otherwise the request's origin;
// without either (cron, CLIs) a clear refusal; and production does not start without APP_URL.
import { expect, test } from 'vitest'
import { APP_URL_MISSING, checkPublicUrlConfig, publicOrigin, publicUrl } from '#app/public-url.server.ts'
import { inviteUrl } from '#app/youth/invites.server.ts'

const request = new Request('https://vanminhso.minhson.example/org/20/imports/abc/codes', { method: 'POST' })

test('APP_URL wins over the request; without it the request origin is used; without both, a clear refusal', () => {
	expect(publicUrl('/verify/VMS-1', request, { APP_URL: 'https://vms.tinh.gov.vn/' })).toBe('https://vms.tinh.gov.vn/verify/VMS-1')
	expect(publicUrl('/verify/VMS-1', request, {})).toBe('https://vanminhso.minhson.example/verify/VMS-1')
	expect(publicOrigin(null, { APP_URL: 'https://vms.tinh.gov.vn' })).toBe('https://vms.tinh.gov.vn')
	expect(() => publicOrigin(null, {})).toThrow(APP_URL_MISSING)
	expect(APP_URL_MISSING).toMatch(/APP_URL chưa được đặt.*APP_URL is not set/)
})

test('production refuses to start without APP_URL, in Vietnamese and English; development and a set APP_URL start', () => {
	expect(() => checkPublicUrlConfig({ NODE_ENV: 'production' })).toThrow(/Không khởi động được: khi NODE_ENV=production phải đặt APP_URL.*Cannot start: with NODE_ENV=production APP_URL must be set/)
	expect(() => checkPublicUrlConfig({ NODE_ENV: 'production', APP_URL: 'https://vms.tinh.gov.vn' })).not.toThrow()
	expect(() => checkPublicUrlConfig({ NODE_ENV: 'development' })).not.toThrow()
})

test('the test environment has no APP_URL, so the app code follows the request (invite links, like slips and QR codes)', () => {
	expect(process.env.APP_URL).toBeUndefined()
	expect(inviteUrl(request, 'abc')).toBe('https://vanminhso.minhson.example/invite/abc')
})

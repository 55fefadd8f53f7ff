// The first-party device identifier of issue 22 ("one browser, many people"): a random value in an HttpOnly cookie,
// stored only hashed (sha256) in the learning traces. It names a browser profile, not a person, and is nothing a
// script on the page can read. A browser without it gets one on the response of its first traced action.
import { createHash, randomBytes } from 'node:crypto'
import { secureCookies } from '#app/env.server.ts'

export const DEVICE_COOKIE = 'vms_device'
// Browsers cap a cookie's lifetime at 400 days (RFC 6265bis); asking for more would be cut to this anyway.
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60
// 128 random bits in base64url: exactly 22 characters. Anything else in the cookie was not made here.
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/
const COOKIE_VALUE = new RegExp(`(?:^|;\\s*)${DEVICE_COOKIE}=([^;]*)`)

/** The device id the browser sent, or null when it sent none or one this app did not make. */
export function readDeviceId(request: Request): string | null {
	const value = request.headers.get('Cookie')?.match(COOKIE_VALUE)?.[1]?.trim()
	return value && DEVICE_ID.test(value) ? value : null
}

export function newDeviceId() {
	return randomBytes(16).toString('base64url')
}

/** The Set-Cookie header that gives the browser its device id. */
export function deviceCookie(id: string) {
	return `${DEVICE_COOKIE}=${id}; Path=/; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secureCookies() ? '; Secure' : ''}`
}

/** What the traces store of a device id. */
export function deviceHash(id: string) {
	return createHash('sha256').update(id).digest('hex')
}

/** The request's device: its id, and the Set-Cookie header to send when the browser had none (else null). */
export function deviceOf(request: Request): { id: string; setCookie: string | null } {
	const known = readDeviceId(request)
	if (known) return { id: known, setCookie: null }
	const id = newDeviceId()
	return { id, setCookie: deviceCookie(id) }
}

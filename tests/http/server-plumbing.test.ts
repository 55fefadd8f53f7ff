// server/: the security headers every response carries, and the batched access log.
import { PassThrough } from 'node:stream'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { expect, test, vi } from 'vitest'
import { accessLog } from '../../server/access-log.ts'
import { nextNonce, securityHeaders } from '../../server/security-headers.ts'

function exchange(url = '/courses', headers: Record<string, string> = {}) {
	const req = new IncomingMessage(new Socket())
	Object.assign(req, { method: 'GET', url, httpVersion: '1.1', headers })
	const res = new ServerResponse(req)
	return { req, res }
}

test('every response gets a fresh nonce in its CSP and the fixed security headers', () => {
	const set = securityHeaders({ dev: false, hsts: false })
	const { res } = exchange()
	const nonce = set(res)
	const csp = String(res.getHeader('Content-Security-Policy'))
	expect(csp).toContain(`script-src 'self' 'nonce-${nonce}'`)
	expect(csp).toContain("frame-ancestors 'none'")
	expect(csp).toContain("style-src 'self'")
	expect(csp).not.toContain('unsafe-inline')
	expect(res.getHeader('X-Content-Type-Options')).toBe('nosniff')
	expect(res.getHeader('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
	expect(res.getHeader('Strict-Transport-Security')).toBeUndefined()
	const other = exchange().res
	expect(set(other)).not.toBe(nonce)

	const secure = exchange().res
	securityHeaders({ dev: true, hsts: true })(secure)
	expect(secure.getHeader('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains')
	expect(String(secure.getHeader('Content-Security-Policy'))).toContain("connect-src 'self' ws:")
})

test('nonces drawn from the random block are 16 bytes each and never repeat, across refills', () => {
	const seen = new Set<string>()
	for (let i = 0; i < 1000; i++) {
		const nonce = nextNonce()
		expect(Buffer.from(nonce, 'base64')).toHaveLength(16)
		seen.add(nonce)
	}
	expect(seen.size).toBe(1000)
})

test('the access log writes combined-format lines in one batch, after the responses finish', () => {
	vi.useFakeTimers()
	try {
		const out = new PassThrough()
		const written: Array<string> = []
		out.on('data', (chunk: Buffer) => written.push(chunk.toString()))
		const log = accessLog({ out })
		for (const url of ['/a', '/b?x="1"']) {
			const { req, res } = exchange(url, { 'user-agent': 'Trình duyệt "thử"', referer: 'http://localhost/' })
			log(req, res)
			res.statusCode = 200
			res.setHeader('Content-Length', '12')
			res.emit('finish')
		}
		expect(written).toEqual([])
		vi.advanceTimersByTime(250)
		const lines = written.join('').trimEnd().split('\n')
		expect(lines).toHaveLength(2)
		expect(lines[1]).toMatch(/^- - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/b\?x="1" HTTP\/1.1" 200 12 "http:\/\/localhost\/" "Trình duyệt \\"thử\\"" [\d.]+ ms$/)
	} finally {
		vi.useRealTimers()
	}
})

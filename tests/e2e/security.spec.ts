import { expect, test } from '@playwright/test'

test('pages carry a nonce-based Content-Security-Policy and the other security headers', async ({ request }) => {
	const response = await request.get('/login')
	const headers = response.headers()
	expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
	expect(headers['x-content-type-options']).toBe('nosniff')
	expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
	expect(headers['x-powered-by']).toBeUndefined()
})

test('a lesson page, served as a script-less document, carries the same headers with a CSP that allows no inline script', async ({ request }) => {
	const response = await request.get('/courses/an-toan-tren-mang/lessons/lua-dao-mao-danh')
	expect(response.status()).toBe(200)
	const headers = response.headers()
	expect(headers['content-security-policy']).toMatch(/script-src 'self';/)
	expect(headers['content-security-policy']).not.toContain('nonce-')
	expect(headers['content-security-policy']).not.toContain('unsafe-inline')
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
	expect(headers['x-content-type-options']).toBe('nosniff')
	expect(headers['x-frame-options']).toBe('SAMEORIGIN')
	// Every script the page has is a file of our own origin.
	expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
})

test('a form posted from another site is refused and logs nobody in', async ({ request, baseURL }) => {
	const response = await request.post('/login', {
		form: { identifier: 'admin', password: 'VanMinhSo@2026' },
		headers: { Origin: 'https://trang-gia-mao.example' },
		maxRedirects: 0,
	})
	expect(response.status()).toBe(403)
	expect(await response.text()).toContain('Biểu mẫu được gửi từ một trang khác')
	expect(response.headers()['set-cookie']).toBeUndefined()
	const same = await request.post('/login', {
		form: { identifier: 'admin', password: 'VanMinhSo@2026' },
		headers: { Origin: baseURL! },
		maxRedirects: 0,
	})
	expect(same.status()).toBe(302)
	expect(same.headers()['set-cookie']).toMatch(/vms_session=.+HttpOnly.+SameSite=Lax/i)
})

test('an oversized body is refused with a Vietnamese message before anything is parsed', async ({ request, baseURL }) => {
	const response = await request.post('/login', {
		form: { identifier: 'admin', password: 'x'.repeat(2 * 1024 * 1024) },
		headers: { Origin: baseURL! },
	})
	expect(response.status()).toBe(413)
	expect(await response.text()).toContain('vượt quá giới hạn cho phép')
})

test('a malformed login post gets a 400 with field messages, never a stack trace', async ({ request, baseURL }) => {
	const response = await request.post('/login', { form: { identifier: '' }, headers: { Origin: baseURL! } })
	expect(response.status()).toBe(400)
	const html = await response.text()
	expect(html).toContain('Vui lòng nhập thư điện tử hoặc tên đăng nhập.')
	expect(html).not.toMatch(/at \w+ \(.*\.ts:\d+/)
})

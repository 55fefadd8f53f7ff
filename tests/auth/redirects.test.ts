// Open redirects (issue 16 item 4): every place that redirects to a `redirectTo` taken from the request, fed the
// known bypasses. Each answer must stay on this site once a browser resolves it (tabs and newlines dropped, `\` read
// as `/`, dot segments collapsed), and be a valid header value (a newline or a non-ASCII letter threw after the
// session was created: the cookie was lost with a 500).
import { expect, test } from 'vitest'
import { hashPassword } from '#app/auth/password.server.ts'
import { safeRedirect } from '#app/auth/schema.ts'
import { db } from '#app/db.server.ts'
import * as joinLogin from '#app/routes/join.login.tsx'
import * as login from '#app/routes/login.tsx'
import * as setLanguage from '#app/routes/set-language.tsx'
import { createUser, requestAs, TEST_PASSWORD } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const EVIL = [
	'//evil.example',
	'///evil.example',
	'////evil.example/x',
	'/\\evil.example',
	'\\\\evil.example',
	'/\\/evil.example',
	'\\/evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r/evil.example',
	'/\r\n/evil.example',
	'/\t\\evil.example',
	'/\\\t\\evil.example',
	'/.//evil.example',
	'/./\\evil.example',
	'/..//evil.example',
	'/../\\evil.example',
	'/%2e//evil.example',
	'/%2e%2e//evil.example',
	'/x/..//evil.example',
	'javascript:alert(1)',
	'JaVaScRiPt:alert(document.domain)',
	'java\tscript:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'http:/evil.example',
	'http:evil.example',
	'https://evil.example',
	'http://localhost@evil.example',
	'//localhost@evil.example',
	'//evil.example@localhost',
	'/\\localhost@evil.example',
	' //evil.example',
	'\t//evil.example',
	'\u0000//evil.example',
	'https://site.invalid/x',
	'//evil%E3%80%82example',
	'/\\\\evil.example',
	'//%65vil.example',
]
// Stay on the site, made a valid header value by the URL parser's own encoding (not refused: they are paths here).
const ODD = [
	'/%09/evil.example',
	'/%5C/evil.example',
	'/%5c%5cevil.example',
	'/%2F%2Fevil.example',
	'/javascript:alert(1)',
	'/@evil.example',
	'/courses\nSet-Cookie: a=1',
	'/%0d%0aSet-Cookie:%20a=1',
	'/bài-học?tìm=ứng xử#phần 2',
	'/courses/ an-toan',
]

function staysOnSite(location: string | null) {
	expect(location).toMatch(/^\/(?![/\\])/)
	expect(location).toMatch(/^[\x21-\x7e]+$/)
	expect(new URL(location!, 'http://localhost').origin).toBe('http://localhost')
}

test('safeRedirect: each bypass falls back, odd paths come back encoded on this site, plain paths unchanged', () => {
	expect(EVIL.length + ODD.length).toBeGreaterThanOrEqual(30)
	for (const to of EVIL) expect([to, safeRedirect(to, '/home')]).toEqual([to, '/home'])
	for (const to of ODD) staysOnSite(safeRedirect(to))
	expect(safeRedirect('/courses/an-toan?tab=2#q3')).toBe('/courses/an-toan?tab=2#q3')
	expect(safeRedirect('/org/12/members?page=2')).toBe('/org/12/members?page=2')
	expect(safeRedirect('/bài-học')).toBe('/b%C3%A0i-h%E1%BB%8Dc')
	for (const nothing of [null, undefined, '', 'courses', new File([], 'x')]) expect(safeRedirect(nothing, '/join')).toBe('/join')
})

const form = (fields: Record<string, string>) =>
	({ method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }) as const

async function answer(run: () => Promise<unknown>) {
	try {
		return (await run()) as Response
	} catch (thrown) {
		if (thrown instanceof Response) return thrown
		throw thrown
	}
}

test('the login, language, and pupil login routes (signed in or logging in) redirect only within the site', async () => {
	const user = await createUser({ username: 'chuyen.huong' })
	const pupil = await createUser({ username: 'hs.chuyen.huong', password: null })
	await db.loginPin.create({ data: { userId: pupil.id, pinHash: await hashPassword('246810') } })
	const args = (request: Request) => ({ request, params: {}, context: {} }) as never
	let n = 0
	for (const to of [...EVIL, ...ODD]) {
		const ip = { 'x-vms-client-ip': `198.51.100.${n++ % 250}` }
		const viaLogin = await answer(() =>
			login.action(args(new Request('http://localhost/login', { ...form({ identifier: 'chuyen.huong', password: TEST_PASSWORD, redirectTo: to }), headers: { ...form({}).headers, ...ip } }))),
		)
		expect([to, viaLogin.status]).toEqual([to, 302])
		expect(viaLogin.headers.get('Set-Cookie')).toMatch(/^vms_session=/)
		staysOnSite(viaLogin.headers.get('Location'))

		const viaLanguage = await answer(() => setLanguage.action(args(new Request('http://localhost/set-language', form({ lang: 'en', redirectTo: to })))))
		staysOnSite(viaLanguage.headers.get('Location'))

		const back = await requestAs(user.id, `http://localhost/join/login?${new URLSearchParams({ redirectTo: to })}`)
		const signedIn = await answer(() => joinLogin.loader(args(back)))
		staysOnSite(signedIn.headers.get('Location'))

		const viaPin = await answer(() =>
			joinLogin.action(
				args(new Request('http://localhost/join/login', { ...form({ username: 'hs.chuyen.huong', pin: '246810', redirectTo: to }), headers: { ...form({}).headers, ...ip } })),
			),
		)
		expect([to, viaPin.status]).toEqual([to, 302])
		staysOnSite(viaPin.headers.get('Location'))
	}
})

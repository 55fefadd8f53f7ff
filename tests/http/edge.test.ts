// The request edge over real sockets (server/app.ts, server/body-limit.ts, server/send-response.ts): bodies counted
// as they arrive whatever their framing, the encodings an action takes, NUL bytes, and what Express may reveal.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { chunkedPost, type Seen, startEdgeServer } from './edge-server.ts'

let server: Awaited<ReturnType<typeof startEdgeServer>>
const seen: Array<Seen> = []
beforeAll(async () => {
	server = await startEdgeServer(seen)
})
afterAll(() => server.close())

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`

test('a chunked body past the 1 MB form limit is refused with the Vietnamese 413 as it arrives, and the action never gets a form', async () => {
	seen.length = 0
	const answer = await chunkedPost(server.port, '/login', 200 * 1024 * 1024)
	expect(answer.status).toBe(413)
	expect(answer.text).toContain('Dữ liệu gửi lên quá lớn')
	expect(answer.text).toContain('(1 MB)')
	// The server stopped taking the body long before its end (what is in flight is the sockets' buffers).
	expect(answer.sent).toBeLessThan(100 * 1024 * 1024)
	await new Promise((r) => setTimeout(r, 100))
	expect(seen).toHaveLength(1)
	expect(seen[0]!.fields).toBeUndefined()
})

test('an upload route allows 20 MB, chunked or not, and refuses past it', async () => {
	seen.length = 0
	const file = {
		type: 'multipart/form-data; boundary=XX',
		prefix: '--XX\r\nContent-Disposition: form-data; name="file"; filename="danh-sach.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n',
		suffix: '\r\n--XX--\r\n',
	}
	const over = await chunkedPost(server.port, '/org/7/imports', 200 * 1024 * 1024, file)
	expect(over.status).toBe(413)
	expect(over.text).toContain('(20 MB)')
	// The upload reader saw the server's refusal as a size error, not as a form it could not read.
	await expect.poll(() => seen.at(-1)).toEqual({ refused: 'tooLarge' })
	// 2 MB: past the form limit, within the upload one.
	const under = await chunkedPost(server.port, '/org/7/imports', 2 * 1024 * 1024, file)
	expect(under.status).toBe(200)
	expect(seen.at(-1)!.fields).toEqual({ file: `file:${2 * 1024 * 1024}:danh-sach.xlsx` })
})

const upload = (filename: string, fields = '') => ({
	type: 'multipart/form-data; boundary=XX',
	prefix: `${fields}--XX\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
	suffix: '\r\n--XX--\r\n',
})

test('an upload page’s own file limit, below the server’s, is a 413 from the reader, chunked, mid-body', async () => {
	seen.length = 0
	const over = await chunkedPost(server.port, '/org/7/classes/import', 200 * 1024 * 1024, upload('hoc-sinh.csv'))
	expect(over.status).toBe(413)
	expect(over.text).toContain('Tệp quá lớn')
	expect(over.sent).toBeLessThan(100 * 1024 * 1024)
	expect(seen).toEqual([{ refused: 'tooLarge' }])
	const under = await chunkedPost(server.port, '/org/7/classes/import', 1024 * 1024, upload('hoc-sinh.csv', '--XX\r\nContent-Disposition: form-data; name="schoolYear"\r\n\r\n2026\r\n'))
	expect(under.status).toBe(200)
	expect(seen.at(-1)).toEqual({ fields: { schoolYear: '2026', file: `file:${1024 * 1024}:hoc-sinh.csv` } })
})

test('a file named with ; = quotes ‹…> / or \\ is taken, chunked, under its display name', async () => {
	// As a browser writes the names: " as %22, the rest raw.
	const names: Array<[string, string]> = [
		['danh sách; đợt 2.xlsx', 'danh sách; đợt 2.xlsx'],
		['a=b.xlsx', 'a=b.xlsx'],
		['%22><img src=x onerror=alert(1)>.xlsx', '"><img src=x onerror=alert(1)>.xlsx'],
		["‹Sở› <Tư pháp> 'cuối' “2025”.xlsx", "‹Sở› <Tư pháp> 'cuối' “2025”.xlsx"],
		['thư mục/danh sách.xlsx', 'danh sách.xlsx'],
		['C:\\Hồ sơ\\danh sách.xlsx', 'danh sách.xlsx'],
		['bảng\\', 'bảng'],
	]
	for (const [sent, kept] of names) {
		seen.length = 0
		const answer = await chunkedPost(server.port, '/org/7/imports', 256 * 1024, upload(sent))
		expect([sent, answer.status]).toEqual([sent, 200])
		expect([sent, seen]).toEqual([sent, [{ fields: { file: `file:${256 * 1024}:${kept}` } }]])
	}
})

test('a multipart body that cannot be read, or with a NUL in a text field, is a Vietnamese 400, not a 413', async () => {
	seen.length = 0
	const post = (body: string) => fetch(url('/org/7/imports'), { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XX' }, body })
	const part = '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nabc\r\n'
	for (const body of [part, 'not multipart at all', '--XX\r\nContent-Type: text/plain\r\n\r\nabc\r\n--XX--\r\n']) {
		const response = await post(body)
		expect([body, response.status]).toEqual([body, 400])
		expect(await response.text()).toContain('Không đọc được biểu mẫu gửi lên')
	}
	const nul = await post(`--XX\r\nContent-Disposition: form-data; name="mode"\r\n\r\nup\0sert\r\n${part}--XX--\r\n`)
	expect(nul.status).toBe(400)
	expect(await nul.text()).toContain('ký tự rỗng (NUL)')
	expect(seen).toEqual([{ refused: 'unreadable' }, { refused: 'unreadable' }, { refused: 'unreadable' }, { refused: 'nul' }])
})

test('a small chunked form reaches the action whole', async () => {
	seen.length = 0
	const answer = await chunkedPost(server.port, '/login', 64 * 1024, { fill: 'b' })
	expect(answer.status).toBe(200)
	expect(seen[0]!.fields).toEqual({ ['b'.repeat(64 * 1024)]: '' })
})

test('a declared Content-Length past the limit is refused before anything is read', async () => {
	const response = await fetch(url('/login'), {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new Uint8Array(2 * 1024 * 1024),
	}).catch((error: unknown) => error)
	// The server answers and closes without reading: fetch may see the answer or the reset, never a 200.
	if (response instanceof Response) expect(response.status).toBe(413)
})

test('a NUL byte in a path, a query or an urlencoded form (even split across chunks) is a Vietnamese 400, and the action never gets the form', async () => {
	for (const path of ['/org/%00', '/org/1%00/members', '/courses?q=a%00b', '/verify/ABC%00']) {
		const response = await fetch(url(path))
		expect([path, response.status]).toEqual([path, 400])
		expect(await response.text()).toContain('ký tự rỗng')
	}
	seen.length = 0
	const post = (body: BodyInit) =>
		fetch(url('/login'), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, duplex: 'half' } as RequestInit)
	const whole = await post('identifier=a%00b&password=x')
	expect(whole.status).toBe(400)
	expect(await whole.text()).toContain('ký tự rỗng (NUL)')
	const split = await post(
		new ReadableStream({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('identifier=abc%0'))
				controller.enqueue(new TextEncoder().encode('0&password=x'))
				controller.close()
			},
		}),
	)
	expect(split.status).toBe(400)
	expect(seen.every((s) => s.fields === undefined)).toBe(true)
	// A percent sign typed in a field is sent as %25: "%2500" is not a NUL.
	const typed = await post('identifier=100%2500&password=x')
	expect(typed.status).toBe(200)
	expect(seen.at(-1)!.fields).toEqual({ identifier: '100%00', password: 'x' })
})

test('an action takes only what an HTML form sends: JSON, text and multipart outside the upload pages get a Vietnamese 415', async () => {
	seen.length = 0
	const cases: Array<[string, string, BodyInit]> = [
		['/login', 'application/json', JSON.stringify({ identifier: 'a', password: 'b' })],
		['/login', 'text/plain', 'identifier=a\r\npassword=b'],
		['/set-language', 'text/plain;charset=UTF-8', 'lang=en'],
		['/org/1/members/5', 'application/xml', '<a/>'],
		['/login', 'multipart/form-data; boundary=XX', '--XX\r\nContent-Disposition: form-data; name="identifier"\r\n\r\na\r\n--XX--\r\n'],
	]
	for (const [path, type, body] of cases) {
		const response = await fetch(url(path), { method: 'POST', headers: { 'Content-Type': type }, body })
		expect([path, type, response.status]).toEqual([path, type, 415])
		expect(await response.text()).toContain('Định dạng dữ liệu không được hỗ trợ')
	}
	expect(seen).toEqual([])
	const plain = await fetch(url('/login'), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: 'identifier=a' })
	expect(plain.status).toBe(200)
	// Without a body too: a browser's form always names its encoding, and formData() would throw (a 500) without one.
	for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect([method, (await fetch(url('/logout'), { method })).status]).toEqual([method, 415])
	expect((await fetch(url('/logout'), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(200)
})

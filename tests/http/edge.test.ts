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
	expect(seen.at(-1)!.fields).toBeUndefined()
	// 2 MB: past the form limit, within the upload one.
	const under = await chunkedPost(server.port, '/org/7/imports', 2 * 1024 * 1024, file)
	expect(under.status).toBe(200)
	expect(seen.at(-1)!.fields).toEqual({ file: `file:${2 * 1024 * 1024}` })
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

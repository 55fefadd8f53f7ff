// The upload pages' form reader (app/ui/uploads.server.ts): names as browsers and other clients write them, bodies
// cut or split anywhere, the limits, and the temporary file that holds the upload.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { MAX_FILE_NAME_CHARS, parseDisposition, readUpload, uploadDisplayName } from '#app/ui/uploads.server.ts'

let tmp: string
const previousTmp = process.env.TMPDIR
beforeAll(() => {
	// os.tmpdir() reads TMPDIR on each call: the reader's temporary files land here, where the tests can see them.
	tmp = mkdtempSync(path.join(os.tmpdir(), 'vms-uploads-test-'))
	process.env.TMPDIR = tmp
})
afterAll(() => {
	if (previousTmp === undefined) delete process.env.TMPDIR
	else process.env.TMPDIR = previousTmp
	rmSync(tmp, { recursive: true, force: true })
})

const TYPE = 'multipart/form-data; boundary=----vms7MA4YWxk'
const part = (disposition: string, content: string | Buffer, type?: string) =>
	Buffer.concat([Buffer.from(`------vms7MA4YWxk\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`), Buffer.from(content), Buffer.from('\r\n')])
const close = Buffer.from('------vms7MA4YWxk--\r\n')
/** A browser's roster form: `filename` is written in the header as given (encode it as the browser would first). */
const CSV = 'Họ và tên\r\nNgười Một\r\n'
const rosterBody = (filename: string, content: string | Buffer = CSV) =>
	Buffer.concat([part('form-data; name="mode"', 'upsert'), part(`form-data; name="file"; filename="${filename}"`, content, 'text/csv'), close])
/** What the HTML standard has a browser do to a file's name in the header. */
const browserEncoded = (name: string) => name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

/** The body in chunks of `sizes` (cycled), as a socket may deliver it; `pulled` counts what the reader took. */
function streamed(body: Buffer, sizes: Array<number> = [64 * 1024]) {
	const stats = { pulled: 0, cancelled: false }
	let at = 0
	let turn = 0
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (at >= body.length) return controller.close()
			const size = sizes[turn++ % sizes.length]!
			const chunk = body.subarray(at, at + size)
			at += chunk.length
			stats.pulled += chunk.length
			controller.enqueue(new Uint8Array(chunk))
		},
		cancel() {
			stats.cancelled = true
		},
	})
	return { stream, stats }
}

const request = (body: BodyInit | Uint8Array | ReadableStream<Uint8Array>, type = TYPE) =>
	new Request('http://localhost/org/1/imports', { method: 'POST', headers: { 'Content-Type': type }, body: body as BodyInit, duplex: 'half' } as RequestInit)

async function fileOf(body: Buffer | ReadableStream<Uint8Array>, maxFileBytes = 1024 * 1024) {
	const result = await readUpload(request(body), { maxFileBytes })
	if (!result.ok) return result
	const file = result.form.get('file') as File
	return { mode: result.form.get('mode'), name: file.name, size: file.size, type: file.type, text: await file.text() }
}

test('a file named with ; = quotes ‹…> / or \\ is accepted, under a display name without folders', async () => {
	const cases: Array<[string, string]> = [
		['danh sách; tháng 5.csv', 'danh sách; tháng 5.csv'],
		['a=b; name="x".csv', 'a=b; name="x".csv'],
		['"><img src=x onerror=alert(1)>.csv', '"><img src=x onerror=alert(1)>.csv'],
		['‹Sở Tư pháp› <bản cuối>.csv', '‹Sở Tư pháp› <bản cuối>.csv'],
		["Đoàn 'Thanh niên' “2025”.csv", "Đoàn 'Thanh niên' “2025”.csv"],
		['thư mục/danh sách.csv', 'danh sách.csv'],
		['C:\\Users\\An\\danh sách.csv', 'danh sách.csv'],
		['bảng\\', 'bảng'],
		['../../etc/passwd', 'passwd'],
	]
	for (const [name, shown] of cases) {
		const got = await fileOf(rosterBody(browserEncoded(name)))
		expect([name, got]).toEqual([name, { mode: 'upsert', name: shown, size: Buffer.byteLength(CSV), type: 'text/csv', text: CSV }])
	}
	// What fetch (undici) sends, as a browser: the quotes percent-encoded, the rest raw.
	const form = new FormData()
	form.set('mode', 'upsert')
	form.set('file', new File(['x'], 'a"b;c=d.csv'))
	const sent = await readUpload(new Request('http://localhost/', { method: 'POST', body: form }), { maxFileBytes: 10 })
	expect(sent.ok && (sent.form.get('file') as File).name).toBe('a"b;c=d.csv')
})

test('quotes are read as other clients write them too: \\" escapes, raw quotes, filename*', () => {
	expect(parseDisposition('form-data; name="file"; filename="a\\"b.csv"')).toEqual({ name: 'file', filename: 'a"b.csv' })
	expect(parseDisposition('form-data; name="file"; filename="a "b" c.csv"')).toEqual({ name: 'file', filename: 'a "b" c.csv' })
	// A browser's name ending in a backslash: not an escaped quote.
	expect(parseDisposition('form-data; name="file"; filename="a\\"')).toEqual({ name: 'file', filename: 'a\\' })
	expect(parseDisposition('form-data; name="file"; filename="x.csv"; filename*=UTF-8\'\'danh%20s%C3%A1ch.csv')).toEqual({ name: 'file', filename: 'danh sách.csv' })
	expect(parseDisposition('form-data; name=mode')).toEqual({ name: 'mode' })
	expect(parseDisposition('form-data; filename="x.csv"')).toBeNull()
	expect(parseDisposition('attachment; name="file"')).toBeNull()
})

test('display names are NFC, without control or direction characters, and cut to 120 characters keeping the extension', () => {
	expect(uploadDisplayName('Danh sa\u0301ch ca\u0301n bô\u0323.xlsx')).toBe('Danh sách cán bộ.xlsx')
	expect(uploadDisplayName('Danh sa\u0301ch ca\u0301n bô\u0323.xlsx')).toBe('Danh sách cán bộ.xlsx'.normalize('NFC'))
	expect(uploadDisplayName('a\tb\r\nc\u0000d\u007f.csv')).toBe('a b c d .csv')
	// U+202E would show «hoso‮xslx.exe» as «hosoexe.xlsx».
	expect(uploadDisplayName('hoso\u202exslx.exe')).toBe('hoso xslx.exe')
	const long = uploadDisplayName(`${'Danh sách cán bộ '.repeat(20)}.xlsx`)
	expect([...long]).toHaveLength(MAX_FILE_NAME_CHARS)
	expect(long.endsWith('.xlsx')).toBe(true)
	expect(uploadDisplayName('///')).toBe('')
})

test('a body split anywhere reads the same', async () => {
	const body = rosterBody('danh sách; "x".csv', Buffer.from(`\r\n------vms7MA4YWx\r\n${'Người Một\r\n'.repeat(50)}`))
	const whole = await fileOf(body)
	expect(whole).toMatchObject({ name: 'danh sách; "x".csv', mode: 'upsert' })
	for (const sizes of [[1], [2, 3], [7, 1, 64], [body.length - 1, 1]]) expect([sizes, await fileOf(streamed(body, sizes).stream)]).toEqual([sizes, whole])
})

test('a file past the route’s limit is a 413, the body is not read further, and its bytes were only ever in a temporary file', async () => {
	const limit = 2 * 1024 * 1024
	const head = Buffer.concat([part('form-data; name="mode"', 'upsert'), Buffer.from('------vms7MA4YWxk\r\nContent-Disposition: form-data; name="file"; filename="lon.csv"\r\n\r\n')])
	const body = Buffer.concat([head, Buffer.alloc(50 * 1024 * 1024, 'a'), Buffer.from('\r\n'), close])
	const { stream, stats } = streamed(body)
	// While the upload arrives, its bytes are in a file of the temporary directory.
	const sizes: Array<number> = []
	const watch = setInterval(() => {
		for (const f of readdirSync(tmp)) sizes.push(statSync(path.join(tmp, f), { throwIfNoEntry: false })?.size ?? 0)
	}, 1)
	const result = await readUpload(request(stream), { maxFileBytes: limit })
	clearInterval(watch)
	expect(result).toEqual({ ok: false, status: 413, error: 'tooLarge' })
	expect(stats.pulled).toBeLessThan(limit + 256 * 1024)
	expect(stats.cancelled).toBe(true)
	expect(readdirSync(tmp)).toEqual([])
	expect(Math.max(0, ...sizes)).toBeGreaterThan(0)
	// At the limit exactly: accepted, and the temporary file is gone too.
	const exact = await fileOf(Buffer.concat([head, Buffer.alloc(limit, 'b'), Buffer.from('\r\n'), close]), limit)
	expect(exact).toMatchObject({ name: 'lon.csv', size: limit })
	expect(readdirSync(tmp)).toEqual([])
	// Other file parts count against the same limit, and are not kept.
	const two = Buffer.concat([part('form-data; name="other"; filename="a.csv"', Buffer.alloc(limit, 'c')), part('form-data; name="file"; filename="b.csv"', 'd'), close])
	expect(await fileOf(two, limit)).toEqual({ ok: false, status: 413, error: 'tooLarge' })
	expect(await fileOf(two, limit + 1)).toMatchObject({ name: 'b.csv', size: 1 })
})

test('the server’s own size refusal, seen through the body stream, is a 413', async () => {
	const error = Object.assign(new Error('request body larger than 20 bytes'), { name: 'BodyTooLargeError' })
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(new Uint8Array(rosterBody('x.csv').subarray(0, 120)))
			controller.error(error)
		},
	})
	expect(await readUpload(request(stream), { maxFileBytes: 1024 })).toEqual({ ok: false, status: 413, error: 'tooLarge' })
	expect(readdirSync(tmp)).toEqual([])
})

test('a body that is not a readable form is a 400, never a 413', async () => {
	const good = rosterBody('danh-sach.csv')
	const bodies: Array<[string, BodyInit, string?]> = [
		['cut before its closing boundary', good.subarray(0, good.length - 20)],
		['cut inside the headers', good.subarray(0, 90)],
		['empty', ''],
		['no boundary', good, 'multipart/form-data'],
		['another boundary', good, 'multipart/form-data; boundary=other'],
		['urlencoded', 'mode=upsert', 'application/x-www-form-urlencoded'],
		['a header line without a colon', Buffer.concat([Buffer.from('------vms7MA4YWxk\r\nContent-Disposition form-data; name="mode"\r\n\r\nx\r\n'), close])],
		['no Content-Disposition', Buffer.concat([Buffer.from('------vms7MA4YWxk\r\nContent-Type: text/plain\r\n\r\nx\r\n'), close])],
		['a part without headers', Buffer.concat([Buffer.from('------vms7MA4YWxk\r\n\r\nx\r\n'), close])],
		['a part without a name', Buffer.concat([part('form-data; filename="a.csv"', 'x'), close])],
		['junk after a boundary', Buffer.concat([Buffer.from('------vms7MA4YWxkjunk\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n'), close])],
		['headers past 8 KB', Buffer.concat([Buffer.from(`------vms7MA4YWxk\r\nContent-Disposition: form-data; name="a"\r\nX-Pad: ${'p'.repeat(9000)}\r\n\r\nx\r\n`), close])],
		['text fields past 64 KB', Buffer.concat([part('form-data; name="mode"', 'u'.repeat(70 * 1024)), close])],
		['more than 32 parts', Buffer.concat([...Array.from({ length: 33 }, (_, i) => part(`form-data; name="f${i}"`, 'x')), close])],
	]
	for (const [what, body, type] of bodies) expect([what, await readUpload(request(body, type), { maxFileBytes: 1024 })]).toEqual([what, { ok: false, status: 400, error: 'unreadable' }])
	expect(readdirSync(tmp)).toEqual([])
})

test('a NUL in a text field or a field name is a 400; in a file name it is dropped', async () => {
	const nulValue = Buffer.concat([part('form-data; name="mode"', 'up\u0000sert'), part('form-data; name="file"; filename="a.csv"', 'x'), close])
	expect(await readUpload(request(nulValue), { maxFileBytes: 1024 })).toEqual({ ok: false, status: 400, error: 'nul' })
	const nulName = Buffer.concat([part('form-data; name="mo\u0000de"', 'upsert'), close])
	expect(await readUpload(request(nulName), { maxFileBytes: 1024 })).toEqual({ ok: false, status: 400, error: 'nul' })
	expect(await fileOf(rosterBody('danh\u0000sach.csv'))).toMatchObject({ name: 'danh sach.csv' })
	expect(readdirSync(tmp)).toEqual([])
})

test('an empty file input still reads as a part with no name and no bytes (the routes say "choose a file")', async () => {
	expect(await fileOf(rosterBody('', ''))).toEqual({ mode: 'upsert', name: '', size: 0, type: 'text/csv', text: '' })
	// Preamble and epilogue are ignored; text fields are NFC.
	const body = Buffer.concat([Buffer.from('preamble\r\n'), part('form-data; name="mode"', 'u\u0301'), part('form-data; name="file"; filename="a.csv"', 'x'), close, Buffer.from('epilogue')])
	const result = await readUpload(request(body), { maxFileBytes: 10 })
	expect(result.ok && result.form.get('mode')).toBe('ú')
})

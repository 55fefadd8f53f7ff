// The unit ZIP must follow its reader: a PDF is rendered only when the download has room for it, so a slow
// client (a modem, a phone on 3G) never makes the server render the whole ZIP into memory ahead of the socket.
// Renders are counted through the real renderer; the "client" is a Writable we stall and release.
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { type LoaderFunctionArgs } from '@remix-run/node'
import { writeReadableStreamToWritable } from '@remix-run/node'
import { beforeAll, beforeEach, expect, test, vi } from 'vitest'
import { db } from '#app/db.server.ts'
import { writeWithBackpressure } from '../../server/send-response.ts'
import { loader as zipLoader } from '#app/routes/certificates.unit.$unitId_.zip.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { issueCertificate } from '#tests/factories/certificates.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { pdfText } from './pdf-text.ts'
import { readZip } from './zip-read.ts'

const renders = vi.hoisted(() => ({ count: 0, failAt: 0 }))
vi.mock('#app/certificates/pdf.server.ts', async (importOriginal) => {
	const actual = await importOriginal<typeof import('#app/certificates/pdf.server.ts')>()
	return {
		...actual,
		renderCertificatePdf: async (...args: Parameters<typeof actual.renderCertificatePdf>) => {
			renders.count++
			if (renders.count === renders.failAt) throw new Error('pdfkit failed')
			return actual.renderCertificatePdf(...args)
		},
	}
})

const N = 40
/** A certificate is ≈ 38 KB; none is smaller than this, so bytes delivered / this bounds the PDFs delivered. */
const MIN_PDF_BYTES = 25_000
/** PDFs that may sit between the renderer and a stalled client: in the sink, the web stream's queue, yazl's pipes. */
const SLACK = 5

let unitId = 0
let managerId = ''
useTestDb()
beforeAll(async () => {
	const root = await createUnit('Tỉnh Thử')
	const dept = await createUnit('Sở Thử', root)
	unitId = dept.id
	managerId = (await createUser({ unitId: dept.id, role: 'MANAGER' })).id
	const course = await db.course.create({ data: { slug: 'bao-ve-bi-mat' } })
	const version = await db.courseVersion.create({
		data: { courseId: course.id, version: 1, contentHash: 'h1', title: 'Bảo vệ bí mật nhà nước trên không gian mạng', passMark: 80, validityMonths: 24 },
	})
	for (let i = 0; i < N; i++) {
		const user = await createUser({ fullName: `Nguyễn Thị Hương ${i}`, unitId: dept.id })
		await db.$transaction((tx) => issueCertificate(tx, { userId: user.id, courseVersionId: version.id, source: 'ONLINE', at: new Date() }))
	}
})
beforeEach(() => {
	renders.count = 0
	renders.failAt = 0
})

/** The route's own Response: what Express is handed. */
async function zipResponse() {
	const request = await requestAs(managerId, `http://localhost/certificates/unit/${unitId}/zip`)
	const response = await zipLoader({ request, params: { unitId: String(unitId) }, context: {} } as LoaderFunctionArgs)
	expect(response.status).toBe(200)
	expect(response.headers.get('X-Certificate-Count')).toBe(String(N))
	return response.body!
}

/** Waits until rendering has stopped (no new PDF for half a second). */
async function settled() {
	let last = -1
	for (let i = 0; i < 200 && renders.count !== last; i++) {
		last = renders.count
		await new Promise((r) => setTimeout(r, 500))
	}
	return renders.count
}

/** A client that takes nothing until released: like a socket whose buffers are full. */
function stalledClient() {
	const chunks: Array<Buffer> = []
	const waiting: Array<() => void> = []
	let open = false
	const sink = new Writable({
		highWaterMark: 16 * 1024,
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(chunk)
			if (open) callback()
			else waiting.push(() => callback())
		},
	})
	return {
		sink,
		bytes: () => chunks.reduce((n, c) => n + c.length, 0),
		zip: () => Buffer.concat(chunks),
		release() {
			open = true
			for (const callback of waiting.splice(0)) callback()
		},
	}
}

test('a reader that stops stops the rendering: only a few PDFs are rendered ahead of what it has read', async () => {
	const reader = (await zipResponse()).getReader()
	let bytes = 0
	const readChunks = async (n: number) => {
		for (let i = 0; i < n; i++) {
			const { done, value } = await reader.read()
			if (done) return true
			bytes += value.length
		}
		return false
	}
	// Nothing read yet: the body is lazy.
	expect(await settled()).toBeLessThanOrEqual(SLACK)
	await readChunks(1)
	expect(await settled()).toBeLessThanOrEqual(SLACK)
	// A third of the way, then stop again.
	await readChunks(N)
	const delivered = Math.ceil(bytes / MIN_PDF_BYTES)
	expect(await settled()).toBeLessThanOrEqual(delivered + SLACK)
	expect(renders.count).toBeLessThan(N)
	while (!(await readChunks(16)));
	expect(renders.count).toBe(N)
})

test('Remix 2\'s own writer ignores backpressure: a stalled client makes it render every PDF into memory', async () => {
	// Why server.ts must not hand streamed bodies to @remix-run/express (decision 007). If this starts failing,
	// the adapter has been fixed upstream and server/send-response.ts can go.
	const client = stalledClient()
	const writing = writeReadableStreamToWritable(await zipResponse(), client.sink)
	expect(await settled()).toBe(N)
	expect(client.sink.writableLength).toBeGreaterThan(N * MIN_PDF_BYTES)
	client.release()
	await writing
})

test('writing with backpressure: a stalled client holds the rendering at a few PDFs; released, it gets N valid PDFs', async () => {
	const client = stalledClient()
	const writing = writeWithBackpressure(await zipResponse(), client.sink)
	expect(await settled()).toBeLessThanOrEqual(SLACK)
	expect(client.bytes()).toBeLessThan(SLACK * 60_000)
	client.release()
	await writing
	expect(renders.count).toBe(N)
	const entries = readZip(client.zip())
	expect(entries).toHaveLength(N)
	for (const entry of entries) {
		expect(entry.name).toMatch(/^Nguyen-Thi-Huong-\d+_VMS-\d{4}-[0-9A-Z]{10}\.pdf$/)
		expect(entry.data.subarray(0, 5).toString('latin1')).toBe('%PDF-')
		expect(pdfText(entry.data)).toContain(`Nguyễn Thị Hương ${entry.name.match(/-(\d+)_/)![1]}`)
	}
})

test('a client that goes away mid-download cancels the ZIP: no more PDFs are rendered', async () => {
	const client = stalledClient()
	const writing = writeWithBackpressure(await zipResponse(), client.sink)
	const before = await settled()
	client.sink.destroy()
	await writing
	expect(await settled()).toBe(before)
	expect(before).toBeLessThanOrEqual(SLACK)
})

test('a PDF that fails to render ends the download with an error instead of crashing the server', async () => {
	renders.failAt = 3
	const client = stalledClient()
	client.release()
	// The connection is destroyed with the error (an HTTP server answers that by closing the socket).
	const destroyed = once(client.sink, 'error')
	await expect(writeWithBackpressure(await zipResponse(), client.sink)).rejects.toThrow('pdfkit failed')
	expect(((await destroyed)[0] as Error).message).toBe('pdfkit failed')
	expect(client.sink.destroyed).toBe(true)
	expect(await settled()).toBeLessThanOrEqual(3 + SLACK)
})

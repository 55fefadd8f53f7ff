// The Express side of streamed responses, over real sockets: a client that stops reading stops the server from
// pulling the body (bounded by the kernel's socket buffers, not by the body's size), and compression still flushes
// each chunk so that streamed HTML is not held back until the end.
import { once } from 'node:events'
import http from 'node:http'
import { type AddressInfo } from 'node:net'
import { createGunzip } from 'node:zlib'
import compression from 'compression'
import express from 'express'
import { afterEach, expect, test } from 'vitest'
import { sendResponse } from '../../server/send-response.ts'

const servers: Array<http.Server> = []
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections()
		await new Promise((r) => server.close(r))
	}
})

async function serve(app: express.Express) {
	const server = app.listen(0, '127.0.0.1')
	servers.push(server)
	await once(server, 'listening')
	return (server.address() as AddressInfo).port
}

test('status, headers (repeated ones too) and a body without one', async () => {
	const app = express()
	app.get('/none', (_req, res) => {
		const headers = new Headers({ 'X-Certificate-Count': '3' })
		headers.append('Set-Cookie', 'a=1')
		headers.append('Set-Cookie', 'b=2')
		void sendResponse(res, new Response(null, { status: 303, statusText: 'See Other', headers: { ...Object.fromEntries(headers), Location: '/x' } }))
	})
	app.get('/body', (_req, res) => {
		const headers = new Headers()
		headers.append('Set-Cookie', 'a=1')
		headers.append('Set-Cookie', 'b=2')
		void sendResponse(res, new Response('Chứng nhận', { status: 200, headers }))
	})
	const port = await serve(app)
	const none = await fetch(`http://127.0.0.1:${port}/none`, { redirect: 'manual' })
	expect(none.status).toBe(303)
	expect(none.headers.get('Location')).toBe('/x')
	expect(none.headers.get('X-Certificate-Count')).toBe('3')
	const body = await fetch(`http://127.0.0.1:${port}/body`)
	expect(await body.text()).toBe('Chứng nhận')
	expect(body.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
})

test('a client that stops reading stops the server from pulling the body', async () => {
	const CHUNK = new Uint8Array(64 * 1024)
	const TOTAL = 4096 // chunks: 256 MB if nothing held it back
	let pulled = 0
	const app = express()
	app.get('/big', (_req, res) => {
		const body = new ReadableStream<Uint8Array>(
			{
				pull(controller) {
					if (pulled === TOTAL) return controller.close()
					pulled++
					controller.enqueue(CHUNK)
				},
			},
			{ highWaterMark: 1 },
		)
		void sendResponse(res, new Response(body, { headers: { 'Content-Type': 'application/zip' } }))
	})
	const port = await serve(app)
	const response = await new Promise<http.IncomingMessage>((resolve) => http.get({ host: '127.0.0.1', port, path: '/big' }, resolve))
	response.pause()
	// Let the socket buffers fill, then check that the server stopped.
	let last = -1
	while (pulled !== last) {
		last = pulled
		await new Promise((r) => setTimeout(r, 300))
	}
	// Loopback socket buffers can take some tens of MB; the point is that it is not the whole body.
	expect(pulled * CHUNK.length).toBeLessThan(80 * 1024 * 1024)
	expect(pulled).toBeLessThan(TOTAL)
	response.destroy()
})

test('through compression, each chunk is flushed at once: streamed HTML is not held back until the end', async () => {
	let clientGotFirst!: () => void
	const firstArrived = new Promise<void>((r) => (clientGotFirst = r))
	const app = express()
	app.use(compression())
	app.get('/page', (_req, res) => {
		const body = new ReadableStream<Uint8Array>({
			async start(controller) {
				controller.enqueue(new TextEncoder().encode(`<!doctype html><p>Phần đầu${' '.repeat(2000)}</p>`))
				// The rest only once the browser has the first part, as with deferred data.
				await firstArrived
				controller.enqueue(new TextEncoder().encode('<p>Phần sau</p>'))
				controller.close()
			},
		})
		void sendResponse(res, new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }))
	})
	const port = await serve(app)
	const response = await new Promise<http.IncomingMessage>((resolve) =>
		http.get({ host: '127.0.0.1', port, path: '/page', headers: { 'Accept-Encoding': 'gzip' } }, resolve),
	)
	expect(response.headers['content-encoding']).toBe('gzip')
	const text = response.pipe(createGunzip()).setEncoding('utf8')
	let html = ''
	text.on('data', (chunk: string) => {
		html += chunk
		if (html.includes('Phần đầu')) clientGotFirst()
	})
	await once(text, 'end')
	expect(html).toContain('<p>Phần sau</p>')
})

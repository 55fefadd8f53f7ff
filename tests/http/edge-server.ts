// A real socket in front of createApp (server/app.ts) and the Remix request handler (server/send-response.ts), with
// a two-route build instead of the app's: a resource route that reads the body as an action would. Used by the
// tests of the request edge.
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { type ServerBuild } from '@remix-run/node'
import type express from 'express'
import { translator } from '../../app/ui/i18n.server.ts'
import { readUpload, uploadRefusalKey } from '../../app/ui/uploads.server.ts'
import { createApp } from '../../server/app.ts'
import { bodyLimitFor } from '../../server/body-limit.ts'
import { createRequestHandler } from '../../server/send-response.ts'

/** What the fake action saw: the fields it read, the upload reader's refusal, or the error reading them gave. */
export type Seen = { fields?: Record<string, string>; refused?: string; error?: string }

/**
 * The file limit of the fake upload pages, as the real routes pass it to `readUpload`: the pupils' page stops at
 * 1 MB, below the server's 20 MB; the roster page's limit is set above the server's here, so that the server's own
 * refusal is what the reader sees.
 */
const FILE_LIMIT = (pathname: string) => (pathname.includes('/classes/import') ? 1024 * 1024 : 100 * 1024 * 1024)

export function fakeBuild(seen: Array<Seen>): ServerBuild {
	const action = async ({ request }: { request: Request }) => {
		try {
			const type = request.headers.get('content-type') ?? ''
			let form: FormData
			if (type.startsWith('multipart/')) {
				const upload = await readUpload(request, { maxFileBytes: FILE_LIMIT(new URL(request.url).pathname) })
				if (!upload.ok) {
					seen.push({ refused: upload.error })
					return new Response(translator('vi')(uploadRefusalKey(upload.error, 'import.file.tooLarge'), { max: 1 }), { status: upload.status })
				}
				form = upload.form
			} else {
				form = await request.formData()
			}
			const fields = Object.fromEntries([...form].map(([k, v]) => [k, typeof v === 'string' ? v : `file:${v.size}:${v.name}`]))
			seen.push({ fields })
			return Response.json({ ok: true, fields })
		} catch (error) {
			seen.push({ error: String(error) })
			return Response.json({ ok: false }, { status: 500 })
		}
	}
	return {
		mode: 'production',
		entry: { module: { default: () => new Response('document', { status: 500 }) } },
		routes: {
			root: { id: 'root', path: '', module: { default: () => null } },
			any: { id: 'any', parentId: 'root', path: '*', module: { action, loader: () => Response.json({ loader: true }) } },
		},
		assets: { routes: {}, entry: { module: '/entry.js', imports: [] }, url: '/manifest.js', version: '1' },
		publicPath: '/build/',
		assetsBuildDirectory: 'build/client',
		future: {},
		isSpaMode: false,
		basename: undefined,
	} as unknown as ServerBuild
}

/** A client dir with one asset, like build/client. */
export function clientDir() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'vms-client-'))
	mkdirSync(path.join(dir, 'assets'))
	writeFileSync(path.join(dir, 'assets', 'app-123.js'), 'console.log(1)')
	writeFileSync(path.join(dir, 'favicon.ico'), 'ico')
	return dir
}

export async function startEdgeServer(seen: Array<Seen> = [], { handler }: { handler?: express.RequestHandler } = {}) {
	const dir = clientDir()
	const app = createApp({
		handler: handler ?? createRequestHandler({ build: fakeBuild(seen), mode: 'production', bodyLimit: bodyLimitFor }),
		clientDir: dir,
		dev: false,
		hsts: false,
		logRequest: () => {},
	})
	const server = http.createServer(app)
	server.listen(0, '127.0.0.1')
	await once(server, 'listening')
	const port = (server.address() as AddressInfo).port
	return {
		port,
		seen,
		clientDir: dir,
		close: async () => {
			server.closeAllConnections()
			await new Promise((r) => server.close(r))
		},
	}
}

/**
 * A raw HTTP/1.1 request with a chunked body of `total` bytes (in 64 KB chunks of `fill`), written as fast as the
 * server takes it; resolves with the status line and what was sent once the server answered or closed.
 */
export function chunkedPost(
	port: number,
	urlPath: string,
	total: number,
	{ type = 'application/x-www-form-urlencoded', fill = 'a', prefix = '', suffix = '' } = {},
) {
	return new Promise<{ status: number; sent: number; text: string }>((resolve) => {
		const socket = connect(port, '127.0.0.1')
		let sent = 0
		let received = Buffer.alloc(0)
		let finished = false
		const chunk = Buffer.alloc(64 * 1024, fill)
		const end = () => {
			if (finished) return
			finished = true
			socket.destroy()
			const text = received.toString('utf8')
			resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), sent, text })
		}
		socket.on('connect', () => {
			socket.write(`POST ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\n\r\n`)
			if (prefix) socket.write(`${Buffer.byteLength(prefix).toString(16)}\r\n${prefix}\r\n`)
			const pump = () => {
				while (!finished && sent < total) {
					sent += chunk.length
					socket.write(`${chunk.length.toString(16)}\r\n`)
					socket.write(chunk)
					if (!socket.write('\r\n')) return void socket.once('drain', pump)
				}
				if (finished || sent < total) return
				if (suffix) socket.write(`${Buffer.byteLength(suffix).toString(16)}\r\n${suffix}\r\n`)
				socket.write('0\r\n\r\n')
			}
			pump()
		})
		socket.on('data', (data) => {
			received = Buffer.concat([received, data])
			// The whole answer is in once its body (Content-Length) has arrived.
			const head = received.indexOf('\r\n\r\n')
			const length = Number(/content-length: (\d+)/i.exec(received.toString('latin1'))?.[1] ?? NaN)
			const chunkedDone = /transfer-encoding: chunked/i.test(received.subarray(0, head).toString('latin1')) && received.subarray(-5).toString() === '0\r\n\r\n'
			if (head >= 0 && (received.length - head - 4 >= length || chunkedDone)) end()
		})
		socket.on('error', end)
		socket.on('close', end)
	})
}

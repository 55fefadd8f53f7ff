// The Express request handler for the Remix build, with one difference from `@remix-run/express` 2.17: the
// response body is written with backpressure. Remix 2's adapter writes each chunk without looking at what
// `res.write()` returns (`writeReadableStreamToWritable`), so a slow client made the server read a streamed body
// to its end into the socket's memory: a 5,000-certificate ZIP was rendered entirely ahead of a modem. Here the
// next chunk is read only once the socket has drained, and a client that goes away cancels the body (the ZIP
// stops rendering). React Router 7 does the same (remix-run/react-router#15049), so this file goes with the move.
//
// The request is built here too (`remixRequest`), for its body: the adapter hands Remix the raw request stream,
// so the size limits could only look at Content-Length (a chunked body went through whole, and `formData()` kept
// all of it in memory), and a client that left mid-body ended the stream normally (a cut-short form was parsed).
// Here the body is counted as it arrives and errors past the route's limit; the 413 is answered at once.
//
// Each request runs with a DatabaseWatch (app/db-retry.server.ts) and every route's loader and action guarded by
// server/db-unavailable.ts: a dropped database connection gives a GET one more run, or a 503 "not saved, try
// again" page with Retry-After, instead of a 500.
import { type Writable } from 'node:stream'
import { type AppLoadContext, createRequestHandler as createRemixHandler, type ServerBuild } from '@remix-run/node'
import type express from 'express'
import { databaseWatch, watchDatabase } from '../app/db-retry.server.ts'
import { BodyNulError, BodyTooLargeError, limitedBody, refuseNul, refuseTooLarge } from './body-limit.ts'
import { guardDatabase, RETRY_AFTER_SECONDS } from './db-unavailable.ts'

type GetLoadContext = (req: express.Request, res: express.Response) => AppLoadContext | Promise<AppLoadContext>

/** Drop-in for `createRequestHandler` from `@remix-run/express`, same options. */
export function createRequestHandler({
	build,
	getLoadContext,
	mode = process.env.NODE_ENV,
	bodyLimit = () => Number.POSITIVE_INFINITY,
}: {
	build: ServerBuild | (() => Promise<ServerBuild>)
	getLoadContext?: GetLoadContext
	mode?: string
	/** Bytes the request's body may have; past that it is refused with a 413 as it arrives. */
	bodyLimit?: (req: express.Request) => number
}): express.RequestHandler {
	const handle = createRemixHandler(typeof build === 'function' ? async () => guardDatabase(await build()) : guardDatabase(build), mode)
	return (req, res, next) =>
		watchDatabase(async () => {
			try {
				const request = remixRequest(req, res, bodyLimit(req))
				const context = await getLoadContext?.(req, res)
				let response = await handle(request, context)
				// Remix keeps only Set-Cookie from a thrown response's headers on a page: the 503 of a lost database
				// connection gets its Retry-After back here.
				if (response.status === 503 && (databaseWatch()?.lost ?? 0) > 0 && !response.headers.has('Retry-After')) {
					const headers = new Headers(response.headers)
					headers.set('Retry-After', String(RETRY_AFTER_SECONDS))
					response = new Response(response.body, { status: response.status, statusText: response.statusText, headers })
				}
				// The body was refused while the app read it: the 413 (or 400) has been sent, whatever the app answered.
				if (res.headersSent) await response.body?.cancel()
				else await sendResponse(res, response)
			} catch (error) {
				// Express 4 does not catch rejected promises: hand the error on, as the adapter does.
				next(error)
			}
		})
}

/**
 * The Fetch API request Remix gets: the URL from the (trusted) Host headers, an abort signal for a client that
 * leaves before its answer, and for a body, `limitedBody`: refused past `limit` bytes (413) or for a NUL byte in an
 * urlencoded form (400), answered at once, and the request's signal aborted so the app stops and logs nothing.
 */
export function remixRequest(req: express.Request, res: express.Response, limit: number) {
	// req.hostname follows the "trust proxy" setting (X-Forwarded-Host); the port comes from that header or Host.
	const portOf = (value: string | undefined) => {
		const port = Number.parseInt(value?.split(':')[1] ?? '', 10)
		return Number.isSafeInteger(port) ? port : null
	}
	const port = portOf(req.get('X-Forwarded-Host')) ?? portOf(req.get('host'))
	const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`)
	const headers = new Headers()
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue
		for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
	}
	const controller = new AbortController()
	let answered = false
	res.once('finish', () => (answered = true))
	res.once('close', () => {
		if (!answered) controller.abort()
	})
	const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal: controller.signal }
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		init.body = limitedBody(req, limit, {
			onRefused: (error) => {
				controller.abort()
				if (error instanceof BodyTooLargeError) refuseTooLarge(res, error.limit)
				else if (error instanceof BodyNulError) refuseNul(res)
			},
		})
		init.duplex = 'half'
	}
	return new Request(url.href, init)
}

/** Status, headers, then the body at the pace of the client. */
export async function sendResponse(res: express.Response, response: Response) {
	res.statusMessage = response.statusText
	res.status(response.status)
	for (const [key, value] of response.headers.entries()) res.append(key, value)
	if (/text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) res.flushHeaders()
	if (response.body) await writeWithBackpressure(response.body, res)
	else res.end()
}

/** What the body is written to: an HTTP response, possibly wrapped by compression (which adds `flush`). */
export type BodySink = Writable & { flush?: () => void }

/**
 * Reads the next chunk only when the sink can take it. Returns when the body has been written, or when the
 * client went away (the body is then cancelled so that whatever produces it stops).
 */
export async function writeWithBackpressure(body: ReadableStream<Uint8Array>, sink: BodySink) {
	const reader = body.getReader()
	try {
		while (true) {
			if (sink.destroyed) {
				await reader.cancel()
				return
			}
			const { done, value } = await reader.read()
			if (done) {
				sink.end()
				return
			}
			const ready = sink.write(value)
			// compression() buffers until flushed: without this, streamed HTML (deferred data) would wait for the end.
			sink.flush?.()
			if (!ready && !(await drained(sink))) {
				await reader.cancel()
				return
			}
		}
	} catch (error) {
		sink.destroy(error instanceof Error ? error : new Error(String(error)))
		throw error
	}
}

/** True on 'drain'; false if the sink closes or fails first (a client that disconnected). */
function drained(sink: BodySink): Promise<boolean> {
	if (sink.destroyed || sink.writableEnded) return Promise.resolve(false)
	return new Promise((resolve) => {
		const settle = (ok: boolean) => {
			sink.removeListener('close', onClose)
			sink.removeListener('error', onClose)
			resolve(ok)
		}
		const onDrain = () => settle(true)
		const onClose = () => settle(false)
		// `once`, not on/off: compression() forwards 'drain' listeners to its zlib stream, and `once` removes itself
		// there when it fires.
		sink.once('drain', onDrain)
		sink.once('close', onClose)
		sink.once('error', onClose)
	})
}

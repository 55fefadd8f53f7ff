// The Express request handler for the Remix build, with one difference from `@remix-run/express` 2.17: the
// response body is written with backpressure. Remix 2's adapter writes each chunk without looking at what
// `res.write()` returns (`writeReadableStreamToWritable`), so a slow client made the server read a streamed body
// to its end into the socket's memory: a 5,000-certificate ZIP was rendered entirely ahead of a modem. Here the
// next chunk is read only once the socket has drained, and a client that goes away cancels the body (the ZIP
// stops rendering). React Router 7 does the same (remix-run/react-router#15049), so this file goes with the move.
//
// Everything else is the adapter's own code: requests are still built by its `createRemixRequest` (host and
// port from the trusted headers, abort signal on a closed connection, streamed bodies).
import { type Writable } from 'node:stream'
import { createRemixRequest } from '@remix-run/express/dist/server.js'
import { type AppLoadContext, createRequestHandler as createRemixHandler, type ServerBuild } from '@remix-run/node'
import type express from 'express'

type GetLoadContext = (req: express.Request, res: express.Response) => AppLoadContext | Promise<AppLoadContext>

/** Drop-in for `createRequestHandler` from `@remix-run/express`, same options. */
export function createRequestHandler({
	build,
	getLoadContext,
	mode = process.env.NODE_ENV,
}: {
	build: ServerBuild | (() => Promise<ServerBuild>)
	getLoadContext?: GetLoadContext
	mode?: string
}): express.RequestHandler {
	const handle = createRemixHandler(build, mode)
	return async (req, res, next) => {
		try {
			const request = createRemixRequest(req, res)
			const context = await getLoadContext?.(req, res)
			await sendResponse(res, await handle(request, context))
		} catch (error) {
			// Express 4 does not catch rejected promises: hand the error on, as the adapter does.
			next(error)
		}
	}
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

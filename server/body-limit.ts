// What a request body may be, decided before any app code reads it: its size, counted as the bytes arrive, so a
// chunked body without Content-Length is bounded too.
import { type IncomingMessage } from 'node:http'
import type express from 'express'
import { refuse } from './refuse.ts'

/** Any form without files. */
export const MAX_BODY_BYTES = 1024 * 1024
/** Uploads (roster, org tree, attendance and student files); the routes cap each file again. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
const UPLOAD_PATH = /^\/org\/\d+\/(?:imports(?:\/tree)?|training\/[\w-]+|classes\/import)(?:\.data)?$/

const isUpload = (req: express.Request) => req.method === 'POST' && UPLOAD_PATH.test(req.path)

export function bodyLimitFor(req: express.Request) {
	return isUpload(req) ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES
}

export class BodyTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`request body larger than ${limit} bytes`)
	}
}

export function refuseTooLarge(res: express.Response, limit: number) {
	refuse(
		res,
		413,
		'Dữ liệu gửi lên quá lớn',
		`Nội dung gửi lên vượt quá giới hạn cho phép (${limit / 1024 / 1024} MB). Không có dữ liệu nào bị thay đổi.`,
		{ unread: true },
	)
}

const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0

/** A declared length over the limit is refused at once; the body itself is counted as it is read (`limitedBody`). */
export const checkRequestEdge: express.RequestHandler = (req, res, next) => {
	if (req.method === 'GET' || req.method === 'HEAD' || !hasBody(req)) return next()
	const limit = bodyLimitFor(req)
	if (Number(req.headers['content-length'] ?? 0) > limit) return refuseTooLarge(res, limit)
	next()
}

/**
 * The request's body as a web stream that errors (never ends early) once more than `limit` bytes have arrived,
 * or when the client leaves before its end: a cut-short body must not be parsed as a complete form. Bytes are
 * pulled only as fast as the reader takes them, and after a refusal the rest is read and dropped.
 */
export function limitedBody(
	req: IncomingMessage,
	limit: number,
	{ onRefused }: { onRefused?: (error: BodyTooLargeError) => void } = {},
) {
	let received = 0
	let done = false
	let detach = () => {}
	return new ReadableStream<Uint8Array>(
		{
			start(controller) {
				const finish = (error?: Error) => {
					if (done) return
					done = true
					detach()
					// Read and drop the rest: paused, the socket would stall the 413 behind an unread body.
					req.resume()
					if (error) controller.error(error)
					else controller.close()
				}
				const onData = (chunk: Buffer) => {
					received += chunk.length
					if (received > limit) {
						const error = new BodyTooLargeError(limit)
						onRefused?.(error)
						return finish(error)
					}
					controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
					if ((controller.desiredSize ?? 0) <= 0) req.pause()
				}
				const onEnd = () => finish()
				const onClose = () => finish(new Error('the client closed the connection before the end of the request body'))
				const onError = (error: Error) => finish(error)
				req.on('data', onData)
				req.once('end', onEnd)
				req.once('close', onClose)
				req.once('error', onError)
				detach = () => {
					req.off('data', onData)
					req.off('end', onEnd)
					req.off('close', onClose)
					req.off('error', onError)
				}
			},
			pull() {
				if (!done) req.resume()
			},
			cancel() {
				if (done) return
				done = true
				detach()
				req.resume()
			},
		},
		{ highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
	)
}

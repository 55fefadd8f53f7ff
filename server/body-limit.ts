// What a request body may be, decided before any app code reads it: its size (counted as the bytes arrive, so a
// chunked body without Content-Length is bounded too), its encoding (an action takes HTML forms, nothing else), and
// no NUL byte in a URL or an urlencoded form (PostgreSQL refuses NUL in text: it would be a 500 deep inside).
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
	// By name: the app's upload reader (app/ui/uploads.server.ts) sees it through the request stream, from another bundle.
	override name = 'BodyTooLargeError'
	constructor(readonly limit: number) {
		super(`request body larger than ${limit} bytes`)
	}
}

export class BodyNulError extends Error {
	constructor() {
		super('NUL byte in an urlencoded request body')
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

export function refuseNul(res: express.Response) {
	refuse(res, 400, 'Yêu cầu không hợp lệ', 'Dữ liệu gửi lên chứa ký tự rỗng (NUL), không thể là nội dung của một biểu mẫu. Không có dữ liệu nào bị thay đổi.', {
		unread: true,
	})
}

const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0
const mediaType = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()

/**
 * The checks that need no body: NUL in the URL (%00), a declared length over the limit, an encoding other than an
 * HTML form's (for every method but GET, HEAD and OPTIONS). The body itself is counted as it is read (`limitedBody`).
 */
export const checkRequestEdge: express.RequestHandler = (req, res, next) => {
	if (/%00/.test(req.url) || req.url.includes('\0')) {
		return refuse(res, 400, 'Địa chỉ không hợp lệ', 'Địa chỉ chứa ký tự rỗng (%00), không thể là một trang của hệ thống.')
	}
	if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
	const limit = bodyLimitFor(req)
	if (hasBody(req) && Number(req.headers['content-length'] ?? 0) > limit) return refuseTooLarge(res, limit)
	// Even without a body: a browser's form always says what it is, and formData() throws on anything else.
	const type = mediaType(req)
	if (type !== 'application/x-www-form-urlencoded' && !(type === 'multipart/form-data' && isUpload(req))) {
		return refuse(
			res,
			415,
			'Định dạng dữ liệu không được hỗ trợ',
			'Trang này chỉ nhận dữ liệu từ biểu mẫu (application/x-www-form-urlencoded; tệp tải lên chỉ ở các trang nhập tệp). Không có dữ liệu nào bị thay đổi.',
			{ unread: true },
		)
	}
	next()
}

/**
 * The request's body as a web stream that errors (never ends early) once more than `limit` bytes have arrived,
 * or on a NUL byte in an urlencoded body (raw or as %00), or when the client leaves before its end: a cut-short
 * body must not be parsed as a complete form. Bytes are pulled only as fast as the reader takes them, and after a
 * refusal the rest is read and dropped.
 */
export function limitedBody(
	req: IncomingMessage,
	limit: number,
	{
		refuseNul = mediaType(req) === 'application/x-www-form-urlencoded',
		onRefused,
	}: { refuseNul?: boolean; onRefused?: (error: BodyTooLargeError | BodyNulError) => void } = {},
) {
	let received = 0
	// The end of the previous chunk, for a %00 split across two chunks.
	let tail = ''
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
					const refusal = (error: BodyTooLargeError | BodyNulError) => {
						onRefused?.(error)
						finish(error)
					}
					if (received > limit) return refusal(new BodyTooLargeError(limit))
					if (refuseNul) {
						const text = tail + chunk.toString('latin1')
						if (text.includes('\0') || /%00/.test(text)) return refusal(new BodyNulError())
						tail = text.slice(-2)
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

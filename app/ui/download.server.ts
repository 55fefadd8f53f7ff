// How the app hands out a file: its type, an attachment name that survives every browser (ASCII fallback plus the
// UTF-8 name), never cached by a shared proxy (the files hold people's data), streamed when the body is a stream.
import { Readable } from 'node:stream'

export const FILE_TYPES = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	pdf: 'application/pdf',
	csv: 'text/csv; charset=utf-8',
	zip: 'application/zip',
	svg: 'image/svg+xml',
} as const

export type FileType = keyof typeof FILE_TYPES

/** Content-Disposition with an ASCII fallback and, for a name that needs it, the UTF-8 name (RFC 6266). */
export function attachment(fileName: string) {
	const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^\w.-]+/g, '-')
	return ascii === fileName ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

export type FileBody = Readable | ReadableStream<Uint8Array> | Uint8Array | ArrayBuffer | string

export type FileDownload = {
	name: string
	type: FileType
	/** A function for a body that starts work when made (a stream): it is made only once the file is to be sent. */
	body: FileBody | (() => FileBody)
	/** Extra response headers (a count the page reads, a session cookie). */
	headers?: HeadersInit
}

/** The response for a downloaded file. */
export function fileResponse({ name, type, body: made, headers }: FileDownload): Response {
	const body = typeof made === 'function' ? made() : made
	const out = new Headers(headers)
	out.set('Content-Type', FILE_TYPES[type])
	out.set('Content-Disposition', attachment(name))
	out.set('Cache-Control', 'private, no-store')
	const payload: BodyInit =
		body instanceof Readable ? (Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>) : body instanceof ArrayBuffer ? new Uint8Array(body) : (body as BodyInit)
	return new Response(payload, { headers: out })
}

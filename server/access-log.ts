// Access log in the "combined" format, one line per response, written in batches: a write(2) per request was a
// large share of a lesson page's cost (decision 009). Lines wait at most FLUSH_MS; the buffer is flushed on exit.
import { type IncomingMessage, type ServerResponse } from 'node:http'

const FLUSH_MS = 200
const MAX_BUFFERED = 64 * 1024

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => String(n).padStart(2, '0')

function clfDate(date: Date) {
	return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
}

function quoted(value: string | undefined) {
	return value ? `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"` : '"-"'
}

export function accessLog({ out = process.stdout, trustProxy = false }: { out?: NodeJS.WritableStream; trustProxy?: boolean } = {}) {
	let buffered: Array<string> = []
	let size = 0
	let timer: NodeJS.Timeout | undefined
	const flush = () => {
		if (timer) clearTimeout(timer)
		timer = undefined
		if (!buffered.length) return
		out.write(buffered.join(''))
		buffered = []
		size = 0
	}
	process.once('exit', flush)

	/** Call when the request arrives: the line is written when the response finishes. */
	return function log(req: IncomingMessage, res: ServerResponse) {
		const started = performance.now()
		res.once('finish', () => {
			const forwarded = trustProxy ? req.headers['x-forwarded-for']?.toString().split(',')[0]?.trim() : undefined
			const address = forwarded || req.socket.remoteAddress || '-'
			const length = res.getHeader('Content-Length') ?? '-'
			const ms = (performance.now() - started).toFixed(1)
			const line = `${address} - - [${clfDate(new Date())}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode} ${length} ${quoted(req.headers.referer)} ${quoted(req.headers['user-agent'])} ${ms} ms\n`
			buffered.push(line)
			size += line.length
			if (size >= MAX_BUFFERED) flush()
			else timer ??= setTimeout(flush, FLUSH_MS).unref()
		})
	}
}

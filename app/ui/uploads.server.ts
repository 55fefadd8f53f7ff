// The one reader of the upload pages' forms (roster, org tree, attendance and student files). Remix's memory upload
// handler kept a file part in memory up to the route's limit before refusing it (four refused 200 MB uploads held
// ≈ 95 MB of RSS), and its header parser split Content-Disposition on every `;` and `=`, so a file named «a;b.xlsx»
// or with a quote in its name was answered "file too large" (every route turned any parse error into a 413).
// Here the file part goes to a temporary file as it arrives, counted against the route's limit; the only 413 is a
// file past that limit, a body that is not a readable form is a 400, and the file's name becomes a display name.
import { randomUUID } from 'node:crypto'
import { type FileHandle, open, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export type UploadRefusal =
	/** The file is larger than the route allows: 413. */
	| 'tooLarge'
	/** Not a multipart form that can be read to its end (cut short, malformed headers, no boundary…): 400. */
	| 'unreadable'
	/** A text field or a field name with a NUL byte, which PostgreSQL refuses in text: 400. */
	| 'nul'

export type UploadResult = { ok: true; form: FormData } | { ok: false; status: 400 | 413; error: UploadRefusal }

/** What a form may hold besides its file. A browser sends a few short fields; anything bigger is not our form. */
const MAX_FIELD_BYTES = 64 * 1024
const MAX_PARTS = 32
const MAX_HEADER_BYTES = 8 * 1024
/** Display names longer than this are cut (keeping the extension): they are shown in tables and audit entries. */
export const MAX_FILE_NAME_CHARS = 120

class Refused extends Error {
	constructor(readonly refusal: UploadRefusal) {
		super(`upload refused: ${refusal}`)
	}
}

/**
 * Reads a multipart/form-data request: text fields in memory (64 KB in all), the part named `fileField` (the first
 * one; other file parts are read and dropped) through a temporary file that is deleted before this returns. All
 * file parts together may have `maxFileBytes`; past that the body is no longer read. The form given back holds the
 * file as a `File` with a sanitised name (`uploadDisplayName`).
 */
export async function readUpload(request: Request, { maxFileBytes, fileField = 'file' }: { maxFileBytes: number; fileField?: string }): Promise<UploadResult> {
	const boundary = boundaryOf(request.headers.get('Content-Type'))
	if (!boundary || !request.body) return { ok: false, status: 400, error: 'unreadable' }
	const reader = request.body.getReader()
	const scanner = new MultipartScanner(boundary)
	const read: ReadState = { fields: [], fieldBytes: 0, parts: 0, fileBytes: 0, file: null, current: null }
	let ended = false
	try {
		while (!scanner.complete) {
			let chunk: ReadableStreamReadResult<Uint8Array>
			try {
				chunk = await reader.read()
			} catch (error) {
				ended = true
				// The body stream failed: the server refused it past its own limit (and has answered the 413 already),
				// or the client left. Either way there is no complete form to read.
				throw new Refused(error instanceof Error && error.name === 'BodyTooLargeError' ? 'tooLarge' : 'unreadable')
			}
			if (chunk.done) {
				ended = true
				break
			}
			for (const event of scanner.push(chunk.value)) await take(read, event, { maxFileBytes, fileField })
		}
		if (!scanner.complete) return { ok: false, status: 400, error: 'unreadable' }
		const form = new FormData()
		for (const [name, value] of read.fields) form.append(name, value)
		if (read.file) {
			await read.file.handle.close()
			form.append(fileField, new File([await readFile(read.file.path)], read.file.name, { type: read.file.type }))
		}
		return { ok: true, form }
	} catch (error) {
		if (!(error instanceof Refused)) throw error
		return { ok: false, status: error.refusal === 'tooLarge' ? 413 : 400, error: error.refusal }
	} finally {
		// Stop reading a refused body, or an epilogue after the closing boundary (the server drops the rest).
		if (!ended) await reader.cancel().catch(() => {})
		if (read.file) {
			await read.file.handle.close().catch(() => {})
			await rm(read.file.path, { force: true })
		}
	}
}

type ReadState = {
	fields: Array<[string, string]>
	fieldBytes: number
	parts: number
	/** Every file part's bytes, the kept one and the dropped ones. */
	fileBytes: number
	file: { name: string; type: string; path: string; handle: FileHandle } | null
	/** The part being read: a text field collects its bytes, the kept file writes them, any other file drops them. */
	current: { kind: 'text'; name: string; chunks: Array<Uint8Array> } | { kind: 'file' } | { kind: 'drop' } | null
}

async function take(read: ReadState, event: ScanEvent, { maxFileBytes, fileField }: { maxFileBytes: number; fileField: string }) {
	if (event.type === 'part') {
		if (++read.parts > MAX_PARTS) throw new Refused('unreadable')
		if (event.name.includes('\0')) throw new Refused('nul')
		if (event.filename === undefined) {
			read.current = { kind: 'text', name: event.name, chunks: [] }
		} else if (event.name === fileField && !read.file) {
			const tmp = path.join(os.tmpdir(), `vms-upload-${randomUUID()}`)
			read.file = { name: uploadDisplayName(event.filename), type: event.contentType, path: tmp, handle: await open(tmp, 'wx', 0o600) }
			read.current = { kind: 'file' }
		} else {
			read.current = { kind: 'drop' }
		}
	} else if (event.type === 'data') {
		const current = read.current
		if (!current) throw new Error('multipart data outside a part')
		if (current.kind === 'text') {
			read.fieldBytes += event.bytes.length
			if (read.fieldBytes > MAX_FIELD_BYTES) throw new Refused('unreadable')
			current.chunks.push(event.bytes)
		} else {
			read.fileBytes += event.bytes.length
			if (read.fileBytes > maxFileBytes) throw new Refused('tooLarge')
			if (current.kind === 'file') await writeAll(read.file!.handle, event.bytes)
		}
	} else {
		if (read.current?.kind === 'text') {
			const value = new TextDecoder().decode(Buffer.concat(read.current.chunks))
			if (value.includes('\0')) throw new Refused('nul')
			read.fields.push([read.current.name, value.normalize('NFC')])
		}
		read.current = null
	}
}

async function writeAll(handle: FileHandle, bytes: Uint8Array) {
	let offset = 0
	while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten
}

/** The boundary of a multipart/form-data Content-Type (RFC 2046: 1–70 characters), or null. */
export function boundaryOf(contentType: string | null) {
	if (!contentType) return null
	const [type, ...params] = contentType.split(';')
	if (type!.trim().toLowerCase() !== 'multipart/form-data') return null
	for (const param of params) {
		const eq = param.indexOf('=')
		if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue
		let value = param.slice(eq + 1).trim()
		if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
		// Printable ASCII only: it is searched for as bytes.
		return value.length >= 1 && value.length <= 70 && /^[\x20-\x7e]+$/.test(value) ? value : null
	}
	return null
}

/**
 * The name to show and store for an uploaded file: NFC, without the folders a client may have sent (`/` or `\`),
 * without control and bidirectional-override characters (which could make «cv‮xslx.exe» look like an .xlsx),
 * whitespace collapsed, at most `MAX_FILE_NAME_CHARS` characters with the extension kept. May be '' (the routes
 * then use their default name).
 */
export function uploadDisplayName(raw: string) {
	const segments = raw
		.normalize('NFC')
		.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, ' ')
		.split(/[/\\]/)
		.map((s) => s.replace(/\s+/gu, ' ').trim())
		.filter(Boolean)
	const name = segments.at(-1) ?? ''
	const chars = [...name]
	if (chars.length <= MAX_FILE_NAME_CHARS) return name
	const ext = /\.[\p{L}\p{N}]{1,10}$/u.exec(name)?.[0] ?? ''
	return chars.slice(0, MAX_FILE_NAME_CHARS - ext.length).join('').trimEnd() + ext
}

type ScanEvent = { type: 'part'; name: string; filename?: string; contentType: string } | { type: 'data'; bytes: Uint8Array } | { type: 'end' }

const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')

/**
 * A streaming multipart/form-data reader: feed it the body's chunks, it yields each part's headers, its bytes (in
 * slices of the chunks, never more than a chunk plus a boundary held back) and its end. Malformed input throws
 * `Refused('unreadable')`. `complete` says whether the closing boundary was seen.
 */
class MultipartScanner {
	// Every delimiter but the first is preceded by CRLF; starting with one makes the first look the same.
	private pending: Buffer = Buffer.from('\r\n')
	private state: 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done' = 'preamble'
	private readonly delimiter: Buffer

	constructor(boundary: string) {
		this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1')
	}

	get complete() {
		return this.state === 'done'
	}

	*push(chunk: Uint8Array): Generator<ScanEvent> {
		if (this.state === 'done') return
		const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
		this.pending = this.pending.length ? Buffer.concat([this.pending, bytes]) : bytes
		while (true) {
			if (this.state === 'preamble' || this.state === 'body') {
				const at = this.pending.indexOf(this.delimiter)
				if (at < 0) {
					// Keep what could be the start of a delimiter cut by the chunk's end.
					const safe = this.pending.length - (this.delimiter.length - 1)
					if (safe > 0) {
						if (this.state === 'body') yield { type: 'data', bytes: this.pending.subarray(0, safe) }
						this.pending = this.pending.subarray(safe)
					}
					return
				}
				if (this.state === 'body') {
					if (at > 0) yield { type: 'data', bytes: this.pending.subarray(0, at) }
					yield { type: 'end' }
				}
				this.pending = this.pending.subarray(at + this.delimiter.length)
				this.state = 'afterDelimiter'
			} else if (this.state === 'afterDelimiter') {
				if (this.pending.length < 2) return
				if (this.pending[0] === 0x2d && this.pending[1] === 0x2d) {
					// The closing delimiter: what follows (the epilogue) is ignored.
					this.state = 'done'
					this.pending = Buffer.alloc(0)
					return
				}
				const eol = this.pending.indexOf(CRLF)
				if (eol < 0) {
					if (this.pending.length > 256) throw new Refused('unreadable')
					return
				}
				// RFC 2046 allows spaces and tabs between a delimiter and its line end.
				if (!/^[ \t]*$/.test(this.pending.subarray(0, eol).toString('latin1'))) throw new Refused('unreadable')
				this.pending = this.pending.subarray(eol + 2)
				this.state = 'headers'
			} else if (this.state === 'headers') {
				// A part with no header at all cannot be form-data (Content-Disposition is required).
				if (this.pending.length >= 2 && this.pending[0] === 0x0d && this.pending[1] === 0x0a) throw new Refused('unreadable')
				const end = this.pending.indexOf(HEADER_END)
				if (end < 0) {
					if (this.pending.length > MAX_HEADER_BYTES) throw new Refused('unreadable')
					return
				}
				if (end > MAX_HEADER_BYTES) throw new Refused('unreadable')
				yield partHeaders(this.pending.subarray(0, end))
				this.pending = this.pending.subarray(end + HEADER_END.length)
				this.state = 'body'
			} else {
				return
			}
		}
	}
}

function partHeaders(block: Buffer): ScanEvent {
	// Browsers send a file's name as raw UTF-8 in the header.
	const lines = new TextDecoder().decode(block).split('\r\n')
	const headers = new Map<string, string>()
	let last = ''
	for (const line of lines) {
		// Obsolete line folding: a continuation of the previous header.
		if (/^[ \t]/.test(line) && last) {
			headers.set(last, `${headers.get(last)} ${line.trim()}`)
			continue
		}
		const colon = line.indexOf(':')
		if (colon <= 0) throw new Refused('unreadable')
		last = line.slice(0, colon).trim().toLowerCase()
		if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim())
	}
	const disposition = parseDisposition(headers.get('content-disposition') ?? '')
	if (!disposition) throw new Refused('unreadable')
	const contentType = headers.get('content-type') ?? ''
	return {
		type: 'part',
		name: disposition.name,
		filename: disposition.filename,
		contentType: /^[\w.+-]+\/[\w.+-]+$/.test(contentType.split(';')[0]!.trim()) ? contentType.split(';')[0]!.trim().toLowerCase() : 'application/octet-stream',
	}
}

/**
 * `form-data; name="…"; filename="…"` read as a browser writes it. The HTML standard has browsers send `"`, CR
 * and LF in a name as %22, %0D and %0A and everything else (`;`, `=`, `\`, quotes ‘’, non-ASCII) raw inside the
 * quotes, so the value runs to its closing quote, not to the next `;`. Other clients escape `"` as `\"` (RFC 7578
 * quoted-string); a browser's name ending in `\` would then look unterminated, and is read up to the first quote.
 * `filename*=UTF-8''…` (RFC 5987) wins over `filename`.
 */
export function parseDisposition(value: string): { name: string; filename?: string } | null {
	const semicolon = value.indexOf(';')
	const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase()
	if (type !== 'form-data') return null
	const params = new Map<string, string>()
	let i = semicolon < 0 ? value.length : semicolon + 1
	while (i < value.length) {
		while (i < value.length && /[\s;]/.test(value[i]!)) i++
		if (i >= value.length) break
		const eq = value.indexOf('=', i)
		const nextSemicolon = value.indexOf(';', i)
		if (eq < 0 || (nextSemicolon >= 0 && nextSemicolon < eq)) {
			// A bare word without a value: skipped.
			i = nextSemicolon < 0 ? value.length : nextSemicolon + 1
			continue
		}
		const key = value.slice(i, eq).trim().toLowerCase()
		i = eq + 1
		while (i < value.length && /[ \t]/.test(value[i]!)) i++
		let text: string
		if (value[i] === '"') {
			const quoted = readQuoted(value, i + 1)
			text = quoted.text
			i = quoted.next
		} else {
			const end = value.indexOf(';', i)
			text = value.slice(i, end < 0 ? value.length : end).trim()
			i = end < 0 ? value.length : end + 1
		}
		if (!params.has(key)) params.set(key, text)
	}
	const name = params.get('name')
	if (!name) return null
	const extended = params.has('filename*') ? decodeExtended(params.get('filename*')!) : null
	const filename = extended ?? (params.has('filename') ? unpercent(params.get('filename')!) : undefined)
	return { name: unpercent(name), ...(filename === undefined ? {} : { filename }) }
}

/**
 * A quoted string from `start` (just after its opening quote). Its closing quote is one followed by `;` or the end:
 * a raw quote elsewhere is part of the name. `\"` and `\\` are escapes if the string is closed that way; if it is not
 * (a browser's name ending in `\`), backslashes are read as they are.
 */
function readQuoted(value: string, start: number) {
	const closes = (quote: number) => {
		let j = quote + 1
		while (value[j] === ' ' || value[j] === '\t') j++
		return j >= value.length || value[j] === ';'
	}
	let text = ''
	for (let i = start; i < value.length; i++) {
		const c = value[i]!
		// Only \" and \\ are escapes: a lone backslash (a Windows path) stays.
		if (c === '\\' && (value[i + 1] === '"' || value[i + 1] === '\\')) {
			text += value[++i]
			continue
		}
		if (c === '"' && closes(i)) return { text, next: i + 1 }
		text += c
	}
	for (let i = start; i < value.length; i++) if (value[i] === '"' && closes(i)) return { text: value.slice(start, i), next: i + 1 }
	return { text: value.slice(start), next: value.length }
}

const unpercent = (text: string) =>
	text.replace(/%(22|0d|0a)/gi, (_, code: string) => ({ '22': '"', '0d': '\r', '0a': '\n' })[code.toLowerCase() as '22' | '0d' | '0a'])

function decodeExtended(text: string) {
	const m = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(text)
	if (!m) return null
	try {
		if (m[1]!.toLowerCase() === 'utf-8') return decodeURIComponent(m[2]!)
		if (m[1]!.toLowerCase() === 'iso-8859-1') return m[2]!.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
	} catch {
		// Not valid percent-encoding: fall back to `filename`.
	}
	return null
}

/** The message key of a refusal; `tooLarge` is the route's own (it names the route's limit). */
export function uploadRefusalKey<K extends string>(refusal: UploadRefusal, tooLarge: K) {
	return refusal === 'tooLarge' ? tooLarge : refusal === 'nul' ? ('upload.nul' as const) : ('upload.unreadable' as const)
}

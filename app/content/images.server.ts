// What content:check knows about a lesson image: that it is safe to serve, how big it is on screen (width and height
// go on the <img> so the page does not jump when it arrives) and how many bytes it adds to the page.
//
// SVG is allowed because illustrations drawn as text weigh a few KB and stay sharp, but an SVG is a document that
// can carry script, load other URLs or embed HTML. So the checker reads it with an allow-list: only drawing elements
// and attributes without handlers or outside references pass. The server adds a CSP that forbids scripts anyway
// (routes/content.assets.$file.ts); the check keeps such a file out of the repository in the first place.
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants } from 'node:zlib'

/** A single image file on disk. Beyond this it is a photo that should be resized, or an SVG that should be simplified. */
export const MAX_IMAGE_BYTES = 40 * 1024
/** The images of one lesson as served (SVG compressed): the page itself takes ~30 KB of the 100 KB budget. */
export const MAX_LESSON_IMAGE_BYTES = 60 * 1024
/**
 * The narrowest place a figure is shown on a 360 px phone (the smallest screen we design for), in CSS px: inside an
 * Exercise box, 360 − 2 × 16 (page) − 2 × 10 (box border and padding, tailwind.css) − 2 × 1 (image border).
 */
export const PHONE_COLUMN_PX = 306
/** Text in a figure must stay at least this big on that phone, in CSS px. */
export const MIN_TEXT_PX = 11

export type ImageProblem = { line: number; message: string }
export type ImageInfo = { width: number; height: number; bytes: number; servedBytes: number }
export type InspectedImage = { ok: true; info: ImageInfo } | { ok: false; problems: Array<ImageProblem> }

/** Drawing elements an illustration needs; nothing that scripts, links, loads or embeds. */
const SVG_ELEMENTS = new Set([
	'svg',
	'g',
	'defs',
	'title',
	'desc',
	'rect',
	'circle',
	'ellipse',
	'line',
	'polyline',
	'polygon',
	'path',
	'text',
	'tspan',
	'use',
	'symbol',
	'marker',
	'linearGradient',
	'radialGradient',
	'stop',
	'clipPath',
	'mask',
	'pattern',
])

const EXPLAIN_ELEMENT: Record<string, string> = {
	script: 'thẻ <script> không được phép trong ảnh SVG',
	foreignObject: 'thẻ <foreignObject> (nhúng HTML) không được phép trong ảnh SVG',
	image: 'thẻ <image> (nhúng ảnh khác) không được phép: vẽ trực tiếp hoặc dùng ảnh riêng',
	a: 'thẻ <a> (liên kết) không được phép trong ảnh SVG',
	style: 'thẻ <style> không được phép: dùng thuộc tính như fill="…", font-size="…" trên từng phần tử',
	iframe: 'thẻ <iframe> không được phép trong ảnh SVG',
	animate: 'hiệu ứng động (<animate>) không được phép trong ảnh SVG',
	set: 'thẻ <set> không được phép trong ảnh SVG',
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/?[^>]*>|[^<]+/g
const ATTRIBUTE = /\s*([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/y
const NAME = /^[A-Za-z_][-A-Za-z0-9_.:]*$/

function lineAtOffset(text: string, offset: number) {
	let line = 1
	for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++
	return line
}

function localName(name: string) {
	return name.includes(':') ? name.slice(name.indexOf(':') + 1) : name
}

/** `14`, `14px` → 14; anything relative (em, %) → null (not checked). */
function pixels(value: string) {
	const match = /^\s*(\d+(?:\.\d+)?)(px)?\s*$/.exec(value)
	return match ? Number(match[1]) : null
}

/** Checks one SVG document; returns its problems and, when it has them, its intrinsic size and smallest text. */
export function checkSvg(text: string): { problems: Array<ImageProblem>; width?: number; height?: number } {
	const problems: Array<ImageProblem> = []
	const at = (offset: number, message: string) => problems.push({ line: lineAtOffset(text, offset), message })
	let root: { width?: number; height?: number; viewBoxWidth?: number } | undefined
	const fontSizes: Array<{ offset: number; px: number }> = []
	let depth = 0

	for (const match of text.matchAll(TOKEN)) {
		const token = match[0]
		const offset = match.index
		if (!token.startsWith('<')) {
			if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(token)) at(offset, 'ký tự & phải viết là &amp; trong ảnh SVG')
			continue
		}
		if (token.startsWith('<!--') || token.startsWith('<?xml')) continue
		if (token.startsWith('<!')) {
			at(offset, 'DOCTYPE, ENTITY và CDATA không được phép trong ảnh SVG (chúng có thể nạp nội dung từ nơi khác)')
			continue
		}
		if (token.startsWith('<?')) {
			at(offset, 'chỉ thị xử lý <?…?> không được phép trong ảnh SVG')
			continue
		}
		if (token.startsWith('</')) {
			depth--
			continue
		}
		const selfClosing = token.endsWith('/>')
		const inner = token.slice(1, selfClosing ? -2 : -1)
		const name = /^[^\s/>]+/.exec(inner)?.[0] ?? ''
		const element = localName(name)
		if (!SVG_ELEMENTS.has(element)) {
			at(offset, EXPLAIN_ELEMENT[element] ?? `phần tử <${name}> không được phép trong ảnh SVG (chỉ dùng: ${[...SVG_ELEMENTS].join(', ')})`)
		}
		if (depth === 0 && root) at(offset, 'ảnh SVG chỉ có một phần tử gốc <svg>')
		if (depth === 0 && !root && element !== 'svg') at(offset, 'phần tử gốc phải là <svg>')
		const attributes = new Map<string, string>()
		const rest = inner.slice(name.length).trimEnd()
		ATTRIBUTE.lastIndex = 0
		while (ATTRIBUTE.lastIndex < rest.length) {
			const parsed = ATTRIBUTE.exec(rest)
			const attribute = parsed?.[1] ?? ''
			const value = parsed?.[2] ?? parsed?.[3]
			if (!parsed || !NAME.test(attribute) || value === undefined) {
				at(offset, `thuộc tính${attribute ? ` "${attribute}"` : ''} của <${name}> không hợp lệ (viết tên="giá trị")`)
				break
			}
			attributes.set(attribute, value)
		}
		for (const [attribute, value] of attributes) {
			const local = localName(attribute).toLowerCase()
			if (local.startsWith('on')) at(offset, `thuộc tính sự kiện ${attribute}="…" (chạy mã) không được phép trong ảnh SVG`)
			else if (local === 'href' && !value.startsWith('#')) {
				at(offset, `tham chiếu ra ngoài ${attribute}="${value}" không được phép: ảnh SVG chỉ được trỏ tới phần tử của chính nó (#id)`)
			} else if (/url\(\s*['"]?(?!#)/i.test(value)) {
				at(offset, `tham chiếu ra ngoài url(…) trong ${attribute} không được phép: chỉ dùng url(#id)`)
			} else if (/javascript:|@import|expression\(/i.test(value)) at(offset, `giá trị của ${attribute} chứa mã hoặc lệnh nạp tệp`)
			if (local === 'font-size') {
				const px = pixels(value)
				if (px !== null) fontSizes.push({ offset, px })
			}
		}
		if (depth === 0 && !root && element === 'svg') {
			root = {}
			if (attributes.get('xmlns') !== 'http://www.w3.org/2000/svg') {
				at(offset, 'phần tử <svg> cần xmlns="http://www.w3.org/2000/svg" (không có thì trình duyệt không hiện ảnh)')
			}
			const box = (attributes.get('viewBox') ?? '').trim().split(/[\s,]+/).map(Number)
			if (box.length !== 4 || box.some((n) => !Number.isFinite(n)) || box[2]! <= 0 || box[3]! <= 0) {
				at(offset, 'phần tử <svg> cần viewBox="0 0 rộng cao" để ảnh co giãn theo màn hình')
			} else {
				root.viewBoxWidth = box[2]
				root.width = pixels(attributes.get('width') ?? '') ?? box[2]
				root.height = pixels(attributes.get('height') ?? '') ?? box[3]
			}
		}
		if (!selfClosing) depth++
	}
	if (!root) problems.push({ line: 1, message: 'không phải ảnh SVG: thiếu phần tử <svg>' })
	if (root?.width && root.height && root.viewBoxWidth) {
		// On a phone a figure fills the column (tailwind.css .figure img), whatever its own width; text scales with it.
		const scale = PHONE_COLUMN_PX / root.viewBoxWidth
		const smallest = fontSizes.reduce<(typeof fontSizes)[number] | undefined>((min, f) => (!min || f.px < min.px ? f : min), undefined)
		if (smallest && smallest.px * scale < MIN_TEXT_PX) {
			at(
				smallest.offset,
				`chữ cỡ ${smallest.px} sẽ chỉ còn ${(smallest.px * scale).toFixed(1)} px trên điện thoại rộng 360 px (cần ít nhất ${MIN_TEXT_PX} px): tăng font-size hoặc thu hẹp viewBox`,
			)
		}
		return { problems, width: Math.round(root.width), height: Math.round(root.height) }
	}
	return { problems }
}

/** Width and height of a PNG, JPEG, GIF or WebP from its header, or null when the header is not understood. */
export function rasterSize(data: Buffer): { width: number; height: number } | null {
	if (data.length > 24 && data.readUInt32BE(0) === 0x89504e47) return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
	if (data.length > 10 && data.toString('ascii', 0, 3) === 'GIF') return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) }
	if (data.length > 30 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WEBP') {
		const chunk = data.toString('ascii', 12, 16)
		if (chunk === 'VP8X') return { width: data.readUIntLE(24, 3) + 1, height: data.readUIntLE(27, 3) + 1 }
		if (chunk === 'VP8L') {
			const bits = data.readUInt32LE(21)
			return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
		}
		if (chunk === 'VP8 ') return { width: data.readUInt16LE(26) & 0x3fff, height: data.readUInt16LE(28) & 0x3fff }
		return null
	}
	if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
		let offset = 2
		while (offset + 9 < data.length && data[offset] === 0xff) {
			const marker = data[offset + 1]!
			const length = data.readUInt16BE(offset + 2)
			// Start-of-frame markers (baseline, progressive, …) carry the size; 0xC4, 0xC8 and 0xCC are not frames.
			if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
				return { width: data.readUInt16BE(offset + 7), height: data.readUInt16BE(offset + 5) }
			}
			offset += 2 + length
		}
	}
	return null
}

/** SVG goes out compressed (text); the other formats are already compressed. */
export function servedBytes(data: Buffer, ext: string) {
	if (ext !== '.svg') return data.length
	return brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }).length
}

const inspected = new Map<string, { key: string; result: InspectedImage }>()

/** Everything content:check wants to know about one image file (memoised by path, size and mtime). */
export function inspectImage(file: string): InspectedImage {
	const stat = statSync(file)
	const key = `${stat.size}:${stat.mtimeMs}`
	const known = inspected.get(file)
	if (known?.key === key) return known.result
	const result = inspectUncached(file, stat.size)
	inspected.set(file, { key, result })
	return result
}

function inspectUncached(file: string, bytes: number): InspectedImage {
	const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
	if (bytes > MAX_IMAGE_BYTES) {
		return { ok: false, problems: [{ line: 1, message: `ảnh nặng ${kb(bytes)}, tối đa ${kb(MAX_IMAGE_BYTES)}: thu nhỏ, nén lại hoặc vẽ đơn giản hơn` }] }
	}
	const data = readFileSync(file)
	const ext = path.extname(file).toLowerCase()
	let size: { width: number; height: number } | null
	if (ext === '.svg') {
		const svg = checkSvg(data.toString('utf8'))
		if (svg.problems.length) return { ok: false, problems: svg.problems }
		size = svg.width && svg.height ? { width: svg.width, height: svg.height } : null
	} else size = rasterSize(data)
	if (!size) return { ok: false, problems: [{ line: 1, message: 'không đọc được kích thước ảnh: tệp hỏng hoặc không đúng định dạng theo đuôi tệp' }] }
	return { ok: true, info: { ...size, bytes, servedBytes: servedBytes(data, ext) } }
}

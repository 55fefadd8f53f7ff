// Reads the text of a PDF that pdfkit wrote, without poppler: glyph codes in the page's TJ/Tj operators mapped back
// to Unicode through each font's ToUnicode CMap (the same map a viewer uses for copy-paste and search). Enough for
// our single-page certificates; not a general PDF parser.
import { inflateSync } from 'node:zlib'

type PdfObject = { dict: string; stream: Buffer | null }

export function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
	const text = pdf.toString('latin1')
	const objects = new Map<number, PdfObject>()
	const header = /(\d+) 0 obj\s*/g
	let match: RegExpExecArray | null
	while ((match = header.exec(text))) {
		const start = match.index + match[0].length
		const end = text.indexOf('endobj', start)
		const body = text.slice(start, end)
		const streamAt = body.indexOf('stream')
		let stream: Buffer | null = null
		let dict = body
		if (streamAt >= 0 && /\/Length (\d+)/.test(body.slice(0, streamAt))) {
			dict = body.slice(0, streamAt)
			const length = Number(/\/Length (\d+)/.exec(dict)![1])
			let dataStart = start + streamAt + 'stream'.length
			if (text[dataStart] === '\r') dataStart++
			if (text[dataStart] === '\n') dataStart++
			const raw = pdf.subarray(dataStart, dataStart + length)
			stream = /\/Filter\s*\/FlateDecode/.test(dict) ? inflateSync(raw) : Buffer.from(raw)
		}
		objects.set(Number(match[1]), { dict, stream })
		header.lastIndex = end
	}
	return objects
}

function utf16Hex(hex: string) {
	const bytes = Buffer.from(hex, 'hex')
	let out = ''
	for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i))
	return out
}

function parseCMap(cmap: string) {
	const map = new Map<number, string>()
	for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
		for (const line of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi)) {
			const from = parseInt(line[1]!, 16)
			const to = parseInt(line[2]!, 16)
			if (line[3]!.startsWith('[')) {
				// An empty entry "<>" is a glyph with no text: it reads as U+FFFD, so that a test sees the gap.
				const targets = [...line[3]!.matchAll(/<([0-9a-f]*)>/gi)].map((m) => m[1]!)
				for (let code = from; code <= to; code++) map.set(code, utf16Hex(targets[code - from]!) || '\uFFFD')
			} else {
				const base = utf16Hex(line[3]!.slice(1, -1))
				for (let code = from; code <= to; code++) map.set(code, String.fromCharCode(base.charCodeAt(0) + code - from))
			}
		}
	}
	for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
		for (const line of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(parseInt(line[1]!, 16), utf16Hex(line[2]!))
	}
	return map
}

/** x, y: where the block's text starts (its Tm), in PDF points from the page's bottom left. */
export type TextRun = { font: string; size: number; text: string; x: number; y: number }

/** Every BT…ET block of every page, in drawing order, with its font size. */
export function pdfTextRuns(pdf: Buffer): Array<TextRun> {
	const objects = pdfObjects(pdf)
	const ref = (dict: string, key: string) => {
		const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)
		return m ? Number(m[1]) : null
	}
	const runs: Array<TextRun> = []
	for (const [, page] of objects) {
		if (!/\/Type\s*\/Page\b/.test(page.dict)) continue
		const resources = objects.get(ref(page.dict, 'Resources')!)?.dict ?? page.dict
		const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? ''
		const cmaps = new Map<string, Map<number, string>>()
		for (const m of fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
			const font = objects.get(Number(m[2]))!
			const toUnicode = ref(font.dict, 'ToUnicode')
			cmaps.set(m[1]!, toUnicode ? parseCMap(objects.get(toUnicode)!.stream!.toString('latin1')) : new Map())
		}
		const content = objects.get(ref(page.dict, 'Contents')!)!.stream!.toString('latin1')
		for (const block of content.matchAll(/BT([\s\S]*?)ET/g)) {
			let font = ''
			let size = 0
			let text = ''
			const at = /([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+Tm/.exec(block[1]!)
			const [x, y] = at ? [Number(at[5]), Number(at[6])] : [Number.NaN, Number.NaN]
			for (const op of block[1]!.matchAll(/\/(\w+)\s+([\d.]+)\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9a-f]*)>\s*Tj/gi)) {
				if (op[1]) {
					font = op[1]
					size = Number(op[2])
					continue
				}
				const hex = op[3] !== undefined ? [...op[3].matchAll(/<([0-9a-f]*)>/gi)].map((m) => m[1]!).join('') : op[4]!
				const cmap = cmaps.get(font) ?? new Map()
				for (let i = 0; i + 3 < hex.length; i += 4) text += cmap.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD'
			}
			runs.push({ font, size, text, x, y })
		}
	}
	return runs
}

/** The page text, one line per text block. */
export function pdfText(pdf: Buffer) {
	return pdfTextRuns(pdf)
		.map((r) => r.text)
		.join('\n')
}

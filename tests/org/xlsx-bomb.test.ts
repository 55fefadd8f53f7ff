// XLSX zip bombs (issue 16 item 6): the sizes in an archive's directory are claims. Here the directory says the
// worksheet is 4 KB while it inflates to 1 GiB (whitespace inside <sheetData>, which an XML parser accepts, so
// only a count of the inflated bytes can stop it). The reading must stop at the limit with the Vietnamese
// message, in bounded time and memory, and keep the event loop turning for the other requests meanwhile.
import { constants, crc32, deflateRawSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { readSpreadsheet } from '#app/org/spreadsheet.server.ts'
import { MAX_PART_INFLATED_BYTES } from '#app/org/xlsx-reader.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { translator } from '#app/ui/i18n.server.ts'

type Entry = { name: string; data: Buffer; crc: number; size: number; claimedSize?: number }

/** A ZIP (deflate, no zip64) whose directory states `claimedSize` where given instead of the real size. */
function zip(entries: Array<Entry>) {
	const parts: Array<Buffer> = []
	const central: Array<Buffer> = []
	let offset = 0
	for (const e of entries) {
		const name = Buffer.from(e.name)
		const size = e.claimedSize ?? e.size
		const local = Buffer.alloc(30)
		local.writeUInt32LE(0x04034b50, 0)
		local.writeUInt16LE(20, 4)
		local.writeUInt16LE(8, 8)
		local.writeUInt32LE(e.crc >>> 0, 14)
		local.writeUInt32LE(e.data.length, 18)
		local.writeUInt32LE(size, 22)
		local.writeUInt16LE(name.length, 26)
		parts.push(local, name, e.data)
		const dir = Buffer.alloc(46)
		dir.writeUInt32LE(0x02014b50, 0)
		dir.writeUInt16LE(20, 4)
		dir.writeUInt16LE(20, 6)
		dir.writeUInt16LE(8, 10)
		dir.writeUInt32LE(e.crc >>> 0, 16)
		dir.writeUInt32LE(e.data.length, 20)
		dir.writeUInt32LE(size, 24)
		dir.writeUInt16LE(name.length, 28)
		dir.writeUInt32LE(offset, 42)
		central.push(dir, name)
		offset += 30 + name.length + e.data.length
	}
	const dirBytes = Buffer.concat(central)
	const end = Buffer.alloc(22)
	end.writeUInt32LE(0x06054b50, 0)
	end.writeUInt16LE(entries.length, 8)
	end.writeUInt16LE(entries.length, 10)
	end.writeUInt32LE(dirBytes.length, 12)
	end.writeUInt32LE(offset, 16)
	return Buffer.concat([...parts, dirBytes, end])
}

const small = (name: string, text: string): Entry => {
	const raw = Buffer.from(text)
	return { name, data: deflateRawSync(raw), crc: crc32(raw), size: raw.length }
}

/**
 * `head`, then `fill` bytes of `unit` repeated (spaces by default), then `tail`, deflated. One 4 MB block is
 * compressed once, ending in a sync flush (byte-aligned, not final), and repeated: a valid deflate stream that
 * inflates to `fill` bytes, built in milliseconds instead of deflating a GiB.
 */
function bomb(name: string, head: string, fill: number, tail: string, claimedSize: number | undefined, unit = ' '): Entry {
	const segment = (bytes: Buffer) => deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_SYNC_FLUSH })
	const block = Buffer.alloc(4 * 1024 * 1024 - ((4 * 1024 * 1024) % unit.length), unit)
	const blockDeflated = segment(block)
	const out = [segment(Buffer.from(head))]
	let crc = crc32(head)
	for (let written = 0; written < fill; written += block.length) {
		const piece = fill - written >= block.length ? block : block.subarray(0, fill - written)
		out.push(piece === block ? blockDeflated : segment(piece))
		crc = crc32(piece, crc)
	}
	out.push(deflateRawSync(Buffer.from(tail)))
	crc = crc32(tail, crc)
	return { name, data: Buffer.concat(out), crc, size: Buffer.byteLength(head) + fill + Buffer.byteLength(tail), claimedSize }
}

const WORKBOOK =
	'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
const RELS =
	'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
const SHEET_HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>'

test('a worksheet that inflates to 1 GiB behind a directory saying 4 KB is refused at the limit, in bounded time and memory, without stalling the event loop', async () => {
	const GiB = 1024 * 1024 * 1024
	const sheet = bomb('xl/worksheets/sheet1.xml', SHEET_HEAD, GiB, '</sheetData></worksheet>', 4096)
	const file = zip([small('[Content_Types].xml', '<Types/>'), small('xl/workbook.xml', WORKBOOK), small('xl/_rels/workbook.xml.rels', RELS), sheet])
	expect(file.length).toBeLessThan(5 * 1024 * 1024)

	const before = process.memoryUsage().rss
	let peak = before
	let longestGap = 0
	let last = performance.now()
	const sampler = setInterval(() => {
		const now = performance.now()
		longestGap = Math.max(longestGap, now - last)
		last = now
		peak = Math.max(peak, process.memoryUsage().rss)
	}, 10)
	const started = performance.now()
	const outcome = await readSpreadsheet(new Uint8Array(file))
	const took = performance.now() - started
	clearInterval(sampler)

	expect(outcome).toEqual({ ok: false, problem: { key: 'import.file.tooBig' } })
	expect(formatImportMessage(translator('vi'), { key: 'import.file.tooBig' })).toContain('Tệp quá lớn sau khi giải nén')
	console.log(`1 GiB bomb (${(file.length / 1024 / 1024).toFixed(1)} MB): refused after ${Math.round(took)} ms, RSS +${Math.round((peak - before) / 1024 / 1024)} MB, longest event-loop gap ${Math.round(longestGap)} ms`)
	// Stopped at the part limit (256 MB inflated), not after the whole GiB; memory is chunks, not the part.
	expect(took).toBeLessThan(15_000)
	expect(peak - before).toBeLessThan(150 * 1024 * 1024)
	expect(longestGap).toBeLessThan(1_000)
})

test('a workbook under the limits still reads, whitespace and all', async () => {
	const sheet = bomb('xl/worksheets/sheet1.xml', SHEET_HEAD, 1024 * 1024, '</sheetData></worksheet>', undefined)
	const file = zip([small('xl/workbook.xml', WORKBOOK), small('xl/_rels/workbook.xml.rels', RELS), sheet])
	const outcome = await readSpreadsheet(new Uint8Array(file))
	expect(outcome.ok).toBe(true)
	if (outcome.ok) expect(outcome.sheets[0]!.rows[0]!.cells[0]).toEqual({ kind: 'text', text: 'Họ và tên' })
	expect(MAX_PART_INFLATED_BYTES).toBeLessThan(1024 * 1024 * 1024)
})

test('a worksheet of 300 MB of small tags (no long run for the parser to hold) stops at the part limit', async () => {
	const tag = `<x a="${' '.repeat(1000)}"/>`
	const fill = 300 * 1024 * 1024 - ((300 * 1024 * 1024) % tag.length)
	const sheet = bomb('xl/worksheets/sheet1.xml', SHEET_HEAD, fill, '</sheetData></worksheet>', 4096, tag)
	const file = zip([small('xl/workbook.xml', WORKBOOK), small('xl/_rels/workbook.xml.rels', RELS), sheet])
	const before = process.memoryUsage().rss
	const started = performance.now()
	expect(await readSpreadsheet(new Uint8Array(file))).toEqual({ ok: false, problem: { key: 'import.file.tooBig' } })
	console.log(`300 MB of tags (${(file.length / 1024 / 1024).toFixed(1)} MB): refused after ${Math.round(performance.now() - started)} ms, RSS +${Math.round((process.memoryUsage().rss - before) / 1024 / 1024)} MB`)
	expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024)
})

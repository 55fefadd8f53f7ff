// Reads the entries of a ZIP from its central directory and checks each entry's CRC: enough to prove that what we
// stream is a well-formed archive (stored or deflated entries, data descriptors allowed).
import { crc32, inflateRawSync } from 'node:zlib'

export type ZipEntry = { name: string; data: Buffer }

export function readZip(zip: Buffer): Array<ZipEntry> {
	let eocd = zip.length - 22
	while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--
	if (eocd < 0) throw new Error('no end of central directory record')
	const count = zip.readUInt16LE(eocd + 10)
	let at = zip.readUInt32LE(eocd + 16)
	const entries: Array<ZipEntry> = []
	for (let i = 0; i < count; i++) {
		if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`)
		const method = zip.readUInt16LE(at + 10)
		const crc = zip.readUInt32LE(at + 16)
		const compressedSize = zip.readUInt32LE(at + 20)
		const nameLength = zip.readUInt16LE(at + 28)
		const extraLength = zip.readUInt16LE(at + 30)
		const commentLength = zip.readUInt16LE(at + 32)
		const localOffset = zip.readUInt32LE(at + 42)
		const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
		if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${name}`)
		const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28)
		const raw = zip.subarray(dataStart, dataStart + compressedSize)
		const data = method === 0 ? Buffer.from(raw) : inflateRawSync(raw)
		if (crc32(data) !== crc) throw new Error(`CRC mismatch for ${name}`)
		entries.push({ name, data })
		at += 46 + nameLength + extraLength + commentLength
	}
	return entries
}

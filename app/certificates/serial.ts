// Serial numbers as people type them: "vms 2026 7qk3m9xw2d" or with a letter O for a zero still finds the certificate.
import { z } from 'zod'

export const SERIAL_PATTERN = /^VMS-\d{4}-[0-9A-HJKMNP-TV-Z]{10}$/

/** Upper case, no spaces, dashes restored, and Crockford's look-alikes (O → 0, I/L → 1) in the random part. */
export function normalizeSerial(input: string) {
	const compact = input.normalize('NFC').toUpperCase().replace(/[\s\-–—_.]+/g, '')
	const match = /^VMS(\d{4})([0-9A-Z]{10})$/.exec(compact)
	if (!match) return input.trim().toUpperCase()
	const random = match[2]!.replace(/O/g, '0').replace(/[IL]/g, '1')
	return `VMS-${match[1]}-${random}`
}

export const SerialSchema = z
	.string()
	.max(64)
	.transform(normalizeSerial)
	.pipe(z.string().regex(SERIAL_PATTERN))

// Certificate signatures: Ed25519 over a canonical JSON of the fields a certificate asserts. A row edited in the
// database (another name, a later expiry) no longer matches its signature, and the verify page says so.
// Revocation is deliberately outside the signature: it is a later event recorded on the row, not something the
// certificate itself asserts.
import { sign, verify } from 'node:crypto'
import { getKeyring, getSigningKey, type Keyring, type SigningKey } from './keys.server.ts'

export type SignedFields = {
	serial: string
	userId: string
	courseVersionId: string
	holderName: string
	orgUnitId: number | null
	orgName: string
	courseTitle: string
	source: string
	issuedAt: Date
	expiresAt: Date | null
}

const VERSION = 1

/** Sorted keys, no whitespace, ISO dates, NFC text: the same certificate always gives the same bytes. */
export function canonicalJson(c: SignedFields): string {
	const payload: Record<string, string | number | null> = {
		courseTitle: c.courseTitle.normalize('NFC'),
		courseVersionId: c.courseVersionId,
		expiresAt: c.expiresAt ? c.expiresAt.toISOString() : null,
		holderName: c.holderName.normalize('NFC'),
		issuedAt: c.issuedAt.toISOString(),
		orgName: c.orgName.normalize('NFC'),
		orgUnitId: c.orgUnitId,
		serial: c.serial,
		source: c.source,
		userId: c.userId,
		v: VERSION,
	}
	return JSON.stringify(Object.fromEntries(Object.keys(payload).sort().map((k) => [k, payload[k]])))
}

/** "ed25519:<key id>:<base64url signature>" */
export function signCertificate(c: SignedFields, key: SigningKey = getSigningKey()): string {
	const signature = sign(null, Buffer.from(canonicalJson(c), 'utf8'), key.privateKey)
	return `ed25519:${key.keyId}:${signature.toString('base64url')}`
}

export type SignatureCheck = 'ok' | 'mismatch' | 'unsigned' | 'unknown-key'

/** Checked with the key the signature names: the active one or one retired by a rotation (decision 018). */
export function checkSignature(c: SignedFields & { signature: string | null }, keys: SigningKey | Keyring = getKeyring()): SignatureCheck {
	if (!c.signature) return 'unsigned'
	const match = /^ed25519:([0-9a-f]{16}):([A-Za-z0-9_-]{86})$/.exec(c.signature)
	if (!match) return 'mismatch'
	const publicKey = 'verifiers' in keys ? keys.verifiers.get(match[1]!) : match[1] === keys.keyId ? keys.publicKey : undefined
	if (!publicKey) return 'unknown-key'
	const ok = verify(null, Buffer.from(canonicalJson(c), 'utf8'), publicKey, Buffer.from(match[2]!, 'base64url'))
	return ok ? 'ok' : 'mismatch'
}

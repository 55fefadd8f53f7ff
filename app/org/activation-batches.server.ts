// Activation codes printed for an import as ONE batch (decision 021): the first download issues it, every later
// download — PDF or XLSX — shows the same codes, and only an explicit, confirmed reissue replaces them. The codes
// stay checkable by hash (activation.server.ts); to print them again the server also keeps each code sealed with
// AES-256-GCM under a key derived from its own secret, and drops the sealed copy once the code is used, replaced or
// expired.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { getSigningKey } from '#app/certificates/keys.server.ts'
import { db, type Prisma } from '#app/db.server.ts'
import { ACTIVATION_DAYS, generateCode, hashCode } from '#app/auth/activation.server.ts'

const SEAL_VERSION = 'v1'

// One key per batch, derived (HKDF-SHA256) from the private half of the certificate signing key: the only secret a
// deployment already must keep out of the database. A database copy alone therefore opens no code.
function batchKey(batchId: string) {
	const secret = getSigningKey().privateKey.export({ type: 'pkcs8', format: 'der' })
	return Buffer.from(hkdfSync('sha256', secret, Buffer.from(batchId), Buffer.from('vms activation batch codes v1'), 32))
}

/** "v1.<iv>.<ciphertext+tag>" (base64url). The user id is bound in as associated data: a sealed code moved to another row does not open. */
export function sealCode(batchId: string, userId: string, code: string) {
	const iv = randomBytes(12)
	const cipher = createCipheriv('aes-256-gcm', batchKey(batchId), iv)
	cipher.setAAD(Buffer.from(userId))
	const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final(), cipher.getAuthTag()])
	return `${SEAL_VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`
}

/** The code, or null when it cannot be opened (another key since: `npm run keys:rotate`, or a tampered value). */
export function openCode(batchId: string, userId: string, sealed: string) {
	const [version, iv, body] = sealed.split('.')
	if (version !== SEAL_VERSION || !iv || !body) return null
	try {
		const bytes = Buffer.from(body, 'base64url')
		const decipher = createDecipheriv('aes-256-gcm', batchKey(batchId), Buffer.from(iv, 'base64url'))
		decipher.setAAD(Buffer.from(userId))
		decipher.setAuthTag(bytes.subarray(bytes.length - 16))
		return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8')
	} catch {
		return null
	}
}

type Tx = Prisma.TransactionClient

/** The batch every download of the job shows: the newest one not voided. */
export function currentBatch(importJobId: string, client: Pick<Tx, 'activationBatch'> = db) {
	return client.activationBatch.findFirst({ where: { importJobId, voidedAt: null }, orderBy: { issuedAt: 'desc' } })
}

/** Sealed copies of codes that can no longer be used are deleted: nothing readable outlives its use. */
export async function dropDeadSealedCodes(client: Pick<Tx, 'activationCode'> = db, now = new Date()) {
	await client.activationCode.updateMany({ where: { sealed: { not: null }, OR: [{ usedAt: { not: null } }, { expiresAt: { lte: now } }] }, data: { sealed: null } })
}

/** A new batch of codes for these people, replacing any unused code they had (a code is one per person). */
export async function issueBatch(tx: Tx, input: { importJobId: string; orgUnitId: number; issuedById: string | null; userIds: Array<string> }) {
	const expiresAt = new Date(Date.now() + ACTIVATION_DAYS * 24 * 3600 * 1000)
	const batch = await tx.activationBatch.create({ data: { importJobId: input.importJobId, orgUnitId: input.orgUnitId, issuedById: input.issuedById, expiresAt } })
	const codes = input.userIds.map((userId) => ({ userId, code: generateCode() }))
	for (let i = 0; i < codes.length; i += 5000) {
		const part = codes.slice(i, i + 5000)
		await tx.activationCode.deleteMany({ where: { userId: { in: part.map((c) => c.userId) }, usedAt: null } })
		await tx.activationCode.createMany({
			data: part.map((c) => ({
				userId: c.userId,
				codeHash: hashCode(c.code),
				expiresAt,
				createdById: input.issuedById,
				batchId: batch.id,
				sealed: sealCode(batch.id, c.userId, c.code),
			})),
		})
	}
	return { batch, codes: new Map(codes.map((c) => [c.userId, c.code])) }
}

/** The batch's codes still usable, opened, by user id; `unreadable` counts those the current key cannot open. */
export async function openBatch(batchId: string, client: Pick<Tx, 'activationCode'> = db, now = new Date()) {
	const rows = await client.activationCode.findMany({
		where: { batchId, usedAt: null, expiresAt: { gt: now }, sealed: { not: null } },
		select: { userId: true, sealed: true },
	})
	const codes = new Map<string, string>()
	let unreadable = 0
	for (const r of rows) {
		const code = openCode(batchId, r.userId, r.sealed!)
		if (code === null) unreadable++
		else codes.set(r.userId, code)
	}
	return { codes, unreadable }
}

/** How many of the batch's codes are used, and how many printed ones are still live (what a reissue voids). */
export async function batchCounts(batchId: string, now = new Date()) {
	const [issued, used, live] = await Promise.all([
		db.activationCode.count({ where: { batchId } }),
		db.activationCode.count({ where: { batchId, usedAt: { not: null } } }),
		db.activationCode.count({ where: { batchId, usedAt: null, expiresAt: { gt: now } } }),
	])
	return { issued, used, live }
}

/** Voids the batch: its unused codes stop working at once (the reissue that follows prints new ones). */
export async function voidBatch(tx: Tx, batchId: string) {
	const voided = await tx.activationCode.deleteMany({ where: { batchId, usedAt: null, expiresAt: { gt: new Date() } } })
	await tx.activationCode.updateMany({ where: { batchId }, data: { sealed: null } })
	await tx.activationBatch.update({ where: { id: batchId }, data: { voidedAt: new Date() } })
	return voided.count
}

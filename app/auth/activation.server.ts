// One-time activation codes for accounts created by an admin or a roster import. A code is checked by its SHA-256;
// an admin's code is shown once, an import's codes are also kept sealed for reprinting (org/activation-batches.server.ts).
import { createHash, randomInt } from 'node:crypto'
import { db, type Prisma } from '#app/db.server.ts'
import { hashPassword } from './password.server.ts'
import { normalizeIdentifier } from './schema.ts'

// No 0/O, 1/I/L: codes are read off paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const ACTIVATION_DAYS = 30

export function hashCode(code: string) {
	return createHash('sha256').update(code).digest('hex')
}

/** "ABCD-EFGH-JKMN": 12 symbols of 31 ≈ 59 bits. */
export function generateCode() {
	const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)])
	return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`
}

export function normalizeCode(input: string) {
	const plain = input.toUpperCase().replace(/[^A-Z0-9]/g, '')
	return plain.length === 12 ? `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}` : plain
}

type Tx = Pick<Prisma.TransactionClient, 'activationCode'>

/** Replaces any unused code of the user with a new one and returns it in clear, once. */
export async function issueActivationCode(userId: string, createdById: string | null, tx: Tx = db) {
	const code = generateCode()
	const expiresAt = new Date(Date.now() + ACTIVATION_DAYS * 24 * 3600 * 1000)
	await tx.activationCode.deleteMany({ where: { userId, usedAt: null } })
	await tx.activationCode.create({ data: { userId, codeHash: hashCode(code), expiresAt, createdById } })
	return { code, expiresAt }
}

/** Sets the password and activates the account when the code matches this user and is still valid. */
export async function activateAccount(identifier: string, code: string, password: string) {
	const id = normalizeIdentifier(identifier)
	const row = await db.activationCode.findUnique({
		where: { codeHash: hashCode(normalizeCode(code)) },
		include: { user: { select: { id: true, username: true, email: true, status: true } } },
	})
	const matches = row && (row.user.username === id || row.user.email === id)
	if (!row || !matches || row.usedAt || row.expiresAt <= new Date() || row.user.status === 'DISABLED') return null
	const passwordHash = await hashPassword(password)
	return db.$transaction(async (tx) => {
		// Conditional update: two concurrent activations with one code cannot both succeed.
		// The sealed copy of a printed code (org/activation-batches.server.ts) goes with its use.
		const used = await tx.activationCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date(), sealed: null } })
		if (used.count !== 1) return null
		await tx.password.upsert({
			where: { userId: row.userId },
			create: { userId: row.userId, hash: passwordHash },
			update: { hash: passwordHash },
		})
		await tx.user.update({ where: { id: row.userId }, data: { status: 'ACTIVE' } })
		return row.userId
	})
}

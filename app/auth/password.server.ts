import { hash, verify } from '@node-rs/argon2'

// argon2id with the OWASP minimum (19 MiB, 2 passes): ~25–60 ms a hash on our 2-core machines.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const

export function hashPassword(password: string) {
	return hash(password.normalize('NFC'), OPTIONS)
}

export async function verifyPassword(passwordHash: string, password: string) {
	try {
		return await verify(passwordHash, password.normalize('NFC'))
	} catch {
		return false
	}
}

// A hash of a random string, verified against when the account does not exist, so that the response time does
// not reveal which usernames exist.
let dummyHash: Promise<string> | undefined
export async function verifyAgainstDummy(password: string) {
	dummyHash ??= hashPassword(crypto.randomUUID())
	await verifyPassword(await dummyHash, password)
	return false
}

// The Ed25519 key that signs certificates. Production must be given one (environment or file), so that every app
// process signs with the same key and a redeploy never invalidates what was issued; development generates one into
// ./.data/keys on first start (never when the database already holds signed certificates: see key-check.server.ts);
// tests use a throw-away key held in memory. Keys retired by `npm run keys:rotate` keep verifying: their public halves
// live in a directory next to the key file (<dir>/public/<key id>.pem, or CERT_PUBLIC_KEYS_DIR). Decision 018.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { getEnv } from '#app/env.server.ts'

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; keyId: string }

export const DEV_KEY_FILE = '.data/keys/certificate-signing-key.pem'

export const MISSING_KEY_MESSAGE =
	'Thiếu khoá ký chứng nhận (Ed25519). Trong môi trường production hãy đặt CERT_SIGNING_KEY_FILE=/duong/dan/khoa.pem ' +
	'hoặc CERT_SIGNING_KEY="<khoá PKCS#8 PEM>". Tạo khoá: openssl genpkey -algorithm ed25519 -out khoa.pem (xem docs/operations.md).'

type KeySource = {
	nodeEnv: 'development' | 'production' | 'test'
	key?: string
	keyFile?: string
	/** Where development keeps its generated key. */
	devKeyFile?: string
	/** false: a missing development key is an error, not a new key (the database holds signed certificates). */
	generate?: boolean
}

/** Reads the configured key, or creates one outside production. Throws with a Vietnamese explanation otherwise. */
export function loadSigningKey(source: KeySource): SigningKey {
	if (source.key) return fromPrivateKey(parsePrivateKey(source.key, 'CERT_SIGNING_KEY'))
	if (source.keyFile) {
		if (!existsSync(source.keyFile)) throw new Error(`Không tìm thấy tệp khoá ký chứng nhận CERT_SIGNING_KEY_FILE=${source.keyFile}.`)
		return fromPrivateKey(parsePrivateKey(readFileSync(source.keyFile, 'utf8'), 'CERT_SIGNING_KEY_FILE'))
	}
	if (source.nodeEnv === 'production') throw new Error(MISSING_KEY_MESSAGE)
	if (source.nodeEnv === 'test') return fromPrivateKey(generateKeyPairSync('ed25519').privateKey)
	const file = source.devKeyFile ?? DEV_KEY_FILE
	if (existsSync(file)) return fromPrivateKey(parsePrivateKey(readFileSync(file, 'utf8'), file))
	if (source.generate === false) throw new Error(`Không tìm thấy khoá ký chứng nhận ${file}, và không tạo khoá mới vì cơ sở dữ liệu đã có chứng nhận được ký. (Signing key missing.)`)
	const { privateKey } = generateKeyPairSync('ed25519')
	mkdirSync(path.dirname(file), { recursive: true })
	writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
	chmodSync(file, 0o600)
	console.log(`Đã tạo khoá ký chứng nhận cho môi trường phát triển: ${file}`)
	return fromPrivateKey(privateKey)
}

function parsePrivateKey(text: string, where: string): KeyObject {
	// Environment variables often carry a PEM on one line with literal "\n".
	const pem = text.includes('\\n') ? text.replace(/\\n/g, '\n') : text
	let key: KeyObject
	try {
		key = pem.includes('-----BEGIN')
			? createPrivateKey(pem)
			: createPrivateKey({ key: Buffer.from(pem.trim(), 'base64'), format: 'der', type: 'pkcs8' })
	} catch {
		throw new Error(`${where} không phải là khoá riêng PKCS#8 hợp lệ.`)
	}
	if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${where} phải là khoá Ed25519 (đang là ${key.asymmetricKeyType}).`)
	return key
}

function fromPrivateKey(privateKey: KeyObject): SigningKey {
	const publicKey = createPublicKey(privateKey)
	return { privateKey, publicKey, keyId: keyIdOf(publicKey) }
}

/** A short fingerprint stored with each signature, so that a future key rotation knows which key to check with. */
export function keyIdOf(publicKey: KeyObject) {
	return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)
}

/** Where this installation keeps its keys: the private key file (none when given inline or in tests) and the
 * directory of public keys that verify (the active one and every retired one). */
export function keyLocation(env = getEnv()): { keyFile: string | null; publicDir: string | null } {
	const keyFile = env.CERT_SIGNING_KEY_FILE ?? (env.CERT_SIGNING_KEY || env.NODE_ENV !== 'development' ? null : DEV_KEY_FILE)
	const publicDir = env.CERT_PUBLIC_KEYS_DIR ?? (keyFile ? path.join(path.dirname(keyFile), 'public') : null)
	return { keyFile, publicDir }
}

/** Public keys (SPKI PEM) named <key id>.pem; a file whose key does not match its name is refused. */
export function loadPublicKeys(dir: string | null): Map<string, KeyObject> {
	const keys = new Map<string, KeyObject>()
	if (!dir || !existsSync(dir)) return keys
	for (const name of readdirSync(dir).filter((n) => n.endsWith('.pem')).sort()) {
		const file = path.join(dir, name)
		let key: KeyObject
		try {
			key = createPublicKey(readFileSync(file, 'utf8'))
		} catch {
			throw new Error(`${file} không phải là khoá công khai PEM hợp lệ. (Not a public key.)`)
		}
		if (key.asymmetricKeyType !== 'ed25519' || keyIdOf(key) !== name.slice(0, -4)) {
			throw new Error(`${file}: khoá công khai không khớp tên tệp (phải là <mã khoá>.pem của một khoá Ed25519). (Public key does not match its file name.)`)
		}
		keys.set(keyIdOf(key), key)
	}
	return keys
}

export function publicKeyPem(key: KeyObject) {
	return key.export({ type: 'spki', format: 'pem' }).toString()
}

/** What verifies certificates: the active key and the retired ones, by key id. */
export type Keyring = { active: SigningKey; verifiers: Map<string, KeyObject> }

let cached: SigningKey | undefined
let cachedPublic: Map<string, KeyObject> | undefined

export function getSigningKey(options: { generate?: boolean } = {}): SigningKey {
	if (cached) return cached
	const env = getEnv()
	cached = loadSigningKey({ nodeEnv: env.NODE_ENV, key: env.CERT_SIGNING_KEY, keyFile: env.CERT_SIGNING_KEY_FILE, generate: options.generate })
	return cached
}

export function getKeyring(options: { generate?: boolean } = {}): Keyring {
	const active = getSigningKey(options)
	cachedPublic ??= loadPublicKeys(keyLocation().publicDir)
	return { active, verifiers: new Map([...cachedPublic, [active.keyId, active.publicKey]]) }
}

/** Tests (and the benchmark) pin a key of their own; `undefined` goes back to the configured one. */
export function setSigningKeyForTests(key: SigningKey | undefined) {
	cached = key
	cachedPublic = undefined
}

/**
 * `npm run keys:rotate`: a new active key in `keyFile`; the old key's public half stays in `publicDir`, so that
 * everything it signed still verifies. The new key is written next to the file and renamed over it, so a crash
 * leaves either key whole.
 */
export function rotateSigningKey(keyFile: string, publicDir: string) {
	if (!existsSync(keyFile)) throw new Error(`Không tìm thấy khoá ký hiện tại ${keyFile}. (Current signing key not found.)`)
	const old = fromPrivateKey(parsePrivateKey(readFileSync(keyFile, 'utf8'), keyFile))
	const { privateKey } = generateKeyPairSync('ed25519')
	const next = fromPrivateKey(privateKey)
	mkdirSync(publicDir, { recursive: true })
	for (const key of [old, next]) {
		const file = path.join(publicDir, `${key.keyId}.pem`)
		if (!existsSync(file)) writeFileSync(file, publicKeyPem(key.publicKey))
	}
	const temporary = `${keyFile}.new-${process.pid}`
	writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
	chmodSync(temporary, 0o600)
	renameSync(temporary, keyFile)
	return { oldKeyId: old.keyId, newKeyId: next.keyId }
}

export function signingKeyFromPem(pem: string) {
	return fromPrivateKey(parsePrivateKey(pem, 'PEM'))
}

// The Ed25519 key that signs certificates. Production must be given one (environment or file), so that every app
// process signs with the same key and a redeploy never invalidates what was issued; development generates one into
// ./.data/keys on first start; tests use a throw-away key held in memory.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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

let cached: SigningKey | undefined

export function getSigningKey(): SigningKey {
	if (cached) return cached
	const env = getEnv()
	cached = loadSigningKey({ nodeEnv: env.NODE_ENV, key: env.CERT_SIGNING_KEY, keyFile: env.CERT_SIGNING_KEY_FILE })
	return cached
}

/** Tests (and the benchmark) pin a key of their own; `undefined` goes back to the configured one. */
export function setSigningKeyForTests(key: SigningKey | undefined) {
	cached = key
}

export function signingKeyFromPem(pem: string) {
	return fromPrivateKey(parsePrivateKey(pem, 'PEM'))
}

// Start-up check that this server holds a key for every signature in its database. Without it a restore onto a
// machine with another key (or a new development key) showed every certificate as "không hợp lệ" (issue 17).
import { runSql } from '#app/db.server.ts'
import { CERTIFICATES_BY_KEY, SIGNING_KEY_IDS } from './key-check.sql.ts'
import { getKeyring, keyLocation } from './keys.server.ts'

/** The distinct signing key ids of the certificates, by a loose index scan (one index probe per key, not per row). */
export async function signingKeyIdsInUse(): Promise<Array<string>> {
	const rows = await runSql(SIGNING_KEY_IDS, {})
	return rows.map((r) => r.id)
}

export class MissingSigningKeysError extends Error {
	override name = 'MissingSigningKeysError'
}

/**
 * Throws, naming the keys and what to do, when certificates were signed by keys this server does not hold. A
 * development key is generated only when no certificate is signed yet: a new key can never verify old ones.
 */
export async function checkCertificateKeys() {
	const inUse = await signingKeyIdsInUse()
	let keyring
	try {
		keyring = getKeyring({ generate: inUse.length === 0 })
	} catch (error) {
		if (!inUse.length) throw error
		throw new MissingSigningKeysError(missingMessage(inUse, await counts(inUse), error instanceof Error ? error.message : String(error)))
	}
	const missing = inUse.filter((id) => !keyring.verifiers.has(id))
	if (missing.length) throw new MissingSigningKeysError(missingMessage(missing, await counts(missing)))
	return { inUse, active: keyring.active.keyId }
}

async function counts(ids: Array<string>) {
	const rows = await runSql(CERTIFICATES_BY_KEY, { keyIds: ids })
	return new Map(rows.map((r) => [r.id, r.n]))
}

function missingMessage(ids: Array<string>, byKey: Map<string, number>, cause?: string) {
	const { keyFile, publicDir } = keyLocation()
	const list = ids.map((id) => `${id} (${byKey.get(id) ?? 0} chứng nhận)`).join(', ')
	return (
		`Không khởi động: cơ sở dữ liệu có chứng nhận được ký bằng khoá mà máy chủ này không có: ${list}. ` +
		(cause ? `${cause} ` : '') +
		`Nếu chạy tiếp, các chứng nhận đó sẽ hiện "không hợp lệ". Hãy khôi phục khoá cùng cơ sở dữ liệu: npm run restore -- <tệp sao lưu> ` +
		`(bản sao lưu chứa cả khoá), hoặc đặt lại khoá ký ${keyFile ? `vào ${keyFile}` : 'qua CERT_SIGNING_KEY_FILE'} và khoá công khai cũ vào ` +
		`${publicDir ?? 'CERT_PUBLIC_KEYS_DIR'}/<mã khoá>.pem (docs/operations.md). ` +
		`(Refusing to start: certificates were signed by keys this server does not hold (${ids.join(', ')}); restore the keys with the backup.)`
	)
}

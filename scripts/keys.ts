/**
 * Certificate signing keys (decision 018).
 *
 *   npm run keys:rotate     a new signing key in CERT_SIGNING_KEY_FILE (development: .data/keys); the old key's
 *                           public half stays in <key dir>/public (or CERT_PUBLIC_KEYS_DIR), so what it signed still
 *                           verifies. Restart every app process afterwards; take a new backup (npm run backup).
 *   npm run keys:check      whether this installation holds a key for every certificate signature in DATABASE_URL
 *                           (the same check the server makes before it starts)
 */
import { checkCertificateKeys } from '#app/certificates/key-check.server.ts'
import { keyLocation, rotateSigningKey } from '#app/certificates/keys.server.ts'
import { getEnv } from '#app/env.server.ts'
import { checkDatabase, CliError, runCli } from './cli.ts'

await runCli(async () => {
	const command = process.argv[2]
	if (command === 'rotate') {
		const env = getEnv()
		if (env.CERT_SIGNING_KEY) {
			throw new CliError('CERT_SIGNING_KEY đặt khoá trực tiếp trong biến môi trường, không ghi được khoá mới: hãy dùng CERT_SIGNING_KEY_FILE. (Rotation needs CERT_SIGNING_KEY_FILE.)')
		}
		const { keyFile, publicDir } = keyLocation(env)
		if (!keyFile || !publicDir) throw new CliError('Đặt CERT_SIGNING_KEY_FILE (tệp khoá ký) trước khi đổi khoá. (Set CERT_SIGNING_KEY_FILE.)')
		const { oldKeyId, newKeyId } = rotateSigningKey(keyFile, publicDir)
		console.log(
			`Đã đổi khoá ký chứng nhận (key rotated): ${oldKeyId} → ${newKeyId}. Khoá mới ở ${keyFile}; khoá công khai cũ giữ ở ${publicDir} để chứng nhận cũ vẫn hợp lệ. ` +
				'Hãy khởi động lại mọi tiến trình ứng dụng và sao lưu lại (npm run backup).',
		)
		return 0
	}
	if (command === 'check') {
		await checkDatabase()
		const { inUse, active } = await checkCertificateKeys()
		console.log(`Đủ khoá (all keys held): chứng nhận được ký bằng ${inUse.length ? inUse.join(', ') : '(chưa có chứng nhận nào được ký)'}; khoá ký hiện tại ${active}.`)
		return 0
	}
	throw new CliError('usage: npm run keys:rotate | npm run keys:check')
})

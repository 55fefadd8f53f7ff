/**
 * Creates a provincial administrator on a real installation (production seeds no demo users).
 * Prints a one-time activation code; the person activates at /activate and chooses a password.
 *
 *   npm run admin:create -- --name "Nguyễn Văn A" --username admin.tinh --province "Ủy ban nhân dân tỉnh X" --code X
 *
 * --province and --code create the GOV root unit when the tree is empty; otherwise the admin is granted the
 * existing GOV root.
 */
import { parseArgs } from 'node:util'
import { issueActivationCode } from '#app/auth/activation.server.ts'
import { audit } from '#app/auth/audit.server.ts'
import { db } from '#app/db.server.ts'
import { normalizeName } from '#app/ui/collation.ts'
import { checkDatabase, CliError, runCli } from './cli.ts'

function fail(message: string): never {
	throw new CliError(message)
}

await runCli(async () => {
	let values
	try {
		values = parseArgs({
			options: {
				name: { type: 'string' },
				username: { type: 'string' },
				email: { type: 'string' },
				province: { type: 'string' },
				code: { type: 'string' },
			},
		}).values
	} catch (error) {
		fail(`${error instanceof Error ? error.message : error}\nusage: npm run admin:create -- --name "Họ Tên" --username ten.dang.nhap [--province "Tên" --code MÃ]`)
	}

	const fullName = values.name ? normalizeName(values.name) : fail('Thiếu --name (họ và tên).')
	const username = values.username?.trim().toLowerCase() ?? fail('Thiếu --username.')
	if (!/^[a-z0-9._-]{3,40}$/.test(username)) fail('--username chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới (3–40 ký tự).')

	await checkDatabase()
	const result = await db.$transaction(async (tx) => {
		let root = await tx.orgUnit.findFirst({ where: { tree: 'GOV', parentId: null } })
		if (!root) {
			if (!values.province || !values.code) fail('Cây tổ chức đang trống: cần --province "Tên" và --code MÃ để tạo đơn vị gốc.')
			const created = await tx.orgUnit.create({
				data: { tree: 'GOV', kind: 'province', code: values.code, name: normalizeName(values.province), path: 'pending', depth: 0 },
			})
			root = await tx.orgUnit.update({ where: { id: created.id }, data: { path: `/${created.id}/` } })
		}
		if (await tx.user.findFirst({ where: { username } })) fail(`Tên đăng nhập "${username}" đã có người dùng.`)
		const user = await tx.user.create({ data: { fullName, username, email: values.email?.toLowerCase(), status: 'PENDING' } })
		await tx.roleGrant.create({ data: { userId: user.id, role: 'ADMIN', orgUnitId: root.id } })
		const code = await issueActivationCode(user.id, null, tx)
		await audit({ actorId: null, action: 'admin.create', targetType: 'User', targetId: user.id, orgUnitId: root.id, details: { username } }, tx)
		return { root, code }
	})
	console.log(`Đã tạo quản trị ${fullName} (${username}) cho ${result.root.name}.`)
	console.log(`Mã kích hoạt (một lần, hết hạn ${result.code.expiresAt.toISOString().slice(0, 10)}): ${result.code.code}`)
})

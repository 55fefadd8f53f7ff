// Issue 17 item 2: the backup and restore drill, on PGlite and on PostgreSQL (skipped there only without
// TEST_DATABASE_URL). Seed certificates signed by two keys (a rotation in between) → npm run backup → wipe the
// database and the keys → npm run restore → the same figures and every certificate verifies. Without the keys the
// start-up check refuses instead of generating a new key.
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { loadPublicKeys, signingKeyFromPem } from '#app/certificates/keys.server.ts'
import { checkSignature, signCertificate } from '#app/certificates/sign.server.ts'
import { pgConfig } from '#app/db-adapters.server.ts'
import { createPrismaClient, setDbForTests } from '#app/db.server.ts'
import { certify, createCourse, enroll } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { PG_TEMPLATE_DB, templatePath } from '#tests/setup/global-setup.ts'

const roots: Array<string> = []
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })))

function cli(script: string, args: Array<string>, env: NodeJS.ProcessEnv) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { env, encoding: 'utf8', timeout: 240_000 })
	return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() }
}

async function pgAdmin(sql: string) {
	const client = new pg.Client(pgConfig(process.env.TEST_DATABASE_URL!))
	await client.connect()
	try {
		await client.query(sql)
	} finally {
		await client.end()
	}
}

type Mode = { name: string; postgres: boolean }

describe.each<Mode>([
	{ name: 'PGlite', postgres: false },
	{ name: 'PostgreSQL', postgres: true },
])('backup and restore drill on $name', ({ postgres }) => {
	it.skipIf(postgres && !process.env.TEST_DATABASE_URL)(
		'keeps the figures and every certificate valid',
		async () => {
			const root = mkdtempSync(path.join(os.tmpdir(), 'vms-drill-'))
			roots.push(root)
			const keyFile = path.join(root, 'keys', 'certificate-signing-key.pem')
			const issuersFile = path.join(root, 'config', 'certificate-issuers.yaml')
			mkdirSync(path.dirname(keyFile), { recursive: true })
			mkdirSync(path.dirname(issuersFile), { recursive: true })
			writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
			copyFileSync('config/certificate-issuers.yaml', issuersFile)

			let url: string
			let memory: PGlite | undefined
			const dbName = `vms_drill_${process.pid}`
			if (postgres) {
				await pgAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
				await pgAdmin(`CREATE DATABASE ${dbName} TEMPLATE ${PG_TEMPLATE_DB}`)
				const u = new URL(process.env.TEST_DATABASE_URL!)
				u.pathname = `/${dbName}`
				url = u.toString()
			} else {
				url = `pglite:${path.join(root, 'data', 'db')}`
				mkdirSync(path.join(root, 'data'))
				// Seeded in memory (a PGlite directory on disk is slow to write through Prisma), then written out below.
				memory = new PGlite({ loadDataDir: new Blob([readFileSync(templatePath())]) })
				await memory.waitReady
			}
			const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, NODE_ENV: 'development', CERT_SIGNING_KEY_FILE: keyFile, CERT_ISSUERS_FILE: issuersFile, VMS_DEBUG: '' }

			// Seed: certificates signed by key A, a rotation, more signed by key B.
			const client = memory ? createPrismaClient('pglite:memory', { pglite: memory }) : createPrismaClient(url, { poolSize: 2 })
			setDbForTests(client)
			const sign = async (cert: Awaited<ReturnType<typeof certify>>, pem: string) =>
				client.certificate.update({ where: { id: cert.id }, data: { signature: signCertificate(cert, signingKeyFromPem(pem)) } })
			const keyA = readFileSync(keyFile, 'utf8')
			const unit = await createUnit('Sở Diễn Tập')
			const course = await createCourse('dien-tap')
			const version = course.versions[0]!
			const people = []
			for (const name of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hoàng Cường', 'Phạm Thu Dung', 'Hoàng Minh Em', 'Đỗ Quốc Phong'])
				people.push(await createUser({ fullName: name, password: null, unitId: unit.id }))
			for (const person of people.slice(0, 3)) await sign(await certify(person, version, { issuedAt: new Date('2026-03-02T03:04:05.678Z') }), keyA)
			const rotate = cli('scripts/keys.ts', ['rotate'], env)
			expect(rotate.status, rotate.stderr).toBe(0)
			const keyB = readFileSync(keyFile, 'utf8')
			expect(keyB).not.toBe(keyA)
			for (const person of people.slice(3, 5)) await sign(await certify(person, version, { issuedAt: new Date('2026-09-10T00:00:00Z'), expiresAt: new Date('2028-09-10T00:00:00Z') }), keyB)
			await enroll(people[5]!, version, { startedAt: new Date('2026-10-01T00:00:00Z') })
			const before = { users: await client.user.count(), enrollments: await client.enrollment.count(), certificates: await client.certificate.count() }
			expect(before).toEqual({ users: 6, enrollments: 6, certificates: 5 })
			const keyIds = (await client.certificate.findMany({ select: { signingKeyId: true } })).map((c) => c.signingKeyId)
			expect(new Set(keyIds)).toEqual(new Set([signingKeyFromPem(keyA).keyId, signingKeyFromPem(keyB).keyId]))
			setDbForTests(undefined)
			await client.$disconnect()
			if (memory) {
				const written = new PGlite(path.join(root, 'data', 'db'), { loadDataDir: await memory.dumpDataDir('none') })
				await written.waitReady
				await written.close()
				await memory.close()
			}

			// Backup.
			const archive = path.join(root, 'backup.tar')
			const backup = cli('scripts/backup.ts', ['create', '--out', archive], env)
			console.log(`$ npm run backup -- --out ${archive}\n${backup.stdout}${backup.stderr ? `\n${backup.stderr}` : ''}`)
			expect(backup.status, backup.stderr).toBe(0)
			const listing = spawnSync('tar', ['-tf', archive], { encoding: 'utf8' }).stdout
			expect(listing).toContain('manifest.json')
			expect(listing).toContain('keys/certificate-signing-key.pem')
			expect(listing).toContain(`keys/public/${signingKeyFromPem(keyA).keyId}.pem`)
			expect(listing).toContain('config/certificate-issuers.yaml')

			// Wipe everything: the database, the keys, the issuer file.
			if (postgres) {
				await pgAdmin(`DROP DATABASE ${dbName} WITH (FORCE)`)
				await pgAdmin(`CREATE DATABASE ${dbName}`)
			} else {
				rmSync(path.join(root, 'data'), { recursive: true, force: true })
			}
			rmSync(path.join(root, 'keys'), { recursive: true, force: true })
			rmSync(issuersFile)

			const restore = cli('scripts/backup.ts', ['restore', archive], env)
			console.log(`$ npm run restore -- ${archive}\n${restore.stdout}${restore.stderr ? `\n${restore.stderr}` : ''}`)
			expect(restore.status, restore.stderr).toBe(0)
			expect(restore.stdout).toContain('5/5')
			expect(readFileSync(keyFile, 'utf8')).toBe(keyB)
			expect(readFileSync(issuersFile, 'utf8')).toBe(readFileSync('config/certificate-issuers.yaml', 'utf8'))

			// The same figures, and every certificate verifies with the restored keys.
			const restored = createPrismaClient(url, { poolSize: 2 })
			try {
				expect({ users: await restored.user.count(), enrollments: await restored.enrollment.count(), certificates: await restored.certificate.count() }).toEqual(before)
				const active = signingKeyFromPem(readFileSync(keyFile, 'utf8'))
				const keyring = { active, verifiers: new Map([...loadPublicKeys(path.join(root, 'keys', 'public')), [active.keyId, active.publicKey]]) }
				const certificates = await restored.certificate.findMany()
				expect(certificates.map((c) => checkSignature(c, keyring))).toEqual(certificates.map(() => 'ok'))
			} finally {
				await restored.$disconnect()
			}

			// The server's start-up check: all keys held…
			const check = cli('scripts/keys.ts', ['check'], env)
			expect(check.status, check.stderr).toBe(0)
			// …and without them it refuses, naming what is missing, and generates nothing.
			renameSync(path.join(root, 'keys'), path.join(root, 'keys-aside'))
			const refused = cli('scripts/keys.ts', ['check'], env)
			expect(refused.status).not.toBe(0)
			expect(refused.stderr).toMatch(/^Không khởi động: cơ sở dữ liệu có chứng nhận được ký bằng khoá mà máy chủ này không có: .*npm run restore/)
			expect(refused.stderr).toContain(`${signingKeyFromPem(keyA).keyId} (3 chứng nhận)`)
			expect(existsSync(keyFile)).toBe(false)
			renameSync(path.join(root, 'keys-aside'), path.join(root, 'keys'))

			// A second restore over the data is refused without --replace.
			const again = cli('scripts/backup.ts', ['restore', archive], env)
			expect(again.status).not.toBe(0)
			expect(again.stderr).toMatch(/thêm --replace để ghi đè/)

			if (postgres) await pgAdmin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
		},
		600_000,
	)
})

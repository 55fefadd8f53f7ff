/**
 * Seeds the database. Outside production: a demo province (GOV, EDU and YOUTH trees, ~300 staff) and five demo
 * accounts whose shared password is listed in the README. In production nothing demo is ever written.
 *
 *   npm run db:seed               seed (refuses when the database already has org units)
 *   tsx prisma/seed.ts --if-empty seed only an empty database (used by `npm start`)
 */
import { parseArgs } from 'node:util'
import { hashPassword } from '#app/auth/password.server.ts'
import { checkDatabase, runCli } from '../scripts/cli.ts'
import { db } from '#app/db.server.ts'
import { seedDemoCertificates } from './demo-certificates.ts'
import { buildDemoData, DEMO_PASSWORD } from './demo-data.ts'
import { seedDemoProgress, seedDemoSnapshots } from './demo-progress.ts'
import { seedDemoSchools } from './demo-schools.ts'
import { seedDemoYouth } from './demo-youth.ts'

const { values } = parseArgs({ options: { 'if-empty': { type: 'boolean', default: false } } })

// The demo province as it stands since the 2025 reorganisation (communes directly under the province), so that
// month-end snapshots of past months count its staff.
const DEMO_SINCE = new Date('2025-07-01T00:00:00+07:00')

async function main() {
	if ((await db.orgUnit.count()) > 0) {
		if (values['if-empty']) return
		console.error('The database already has data; run `npm run db:reset` for a fresh demo database.')
		process.exitCode = 1
		return
	}
	const started = performance.now()
	const demo = buildDemoData()
	const passwordHash = await hashPassword(DEMO_PASSWORD)
	await db.$transaction(
		async (tx) => {
			await tx.orgUnit.createMany({ data: demo.units.map((u) => ({ ...u, validFrom: DEMO_SINCE })) })
			// Ids were given explicitly; move the sequence past them.
			await tx.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"OrgUnit"', 'id'), (SELECT max(id) FROM "OrgUnit"))`)
			await tx.user.createMany({ data: demo.users })
			await tx.password.createMany({ data: demo.accounts.map((a) => ({ userId: a.userId, hash: passwordHash })) })
			await tx.membership.createMany({ data: demo.memberships.map((m) => ({ ...m, validFrom: DEMO_SINCE })) })
			await tx.roleGrant.createMany({ data: demo.grants })
		},
		{ timeout: 120_000 },
	)
	await seedDemoSchools(db)
	const youthInvite = await seedDemoYouth(db, demo)
	const certificates = await seedDemoCertificates(db, demo)
	const progress = await seedDemoProgress(db, demo)
	// Every month-end snapshot since the first assignment, so that the monthly line and the periodic reports (half
	// year and year) have figures, computed from the demo's dated progress by the real snapshot code.
	const months = await seedDemoSnapshots(db)
	console.log(
		`Seeded demo data: ${demo.units.length} units, ${demo.users.length} people, ${demo.accounts.length} demo accounts, ${certificates + progress.certificates} certificates, ${progress.assignments} assignments, ${progress.enrollments} courses in progress, ${months.length} month-end snapshots (${Math.round(performance.now() - started)} ms).`,
	)
	if (youthInvite) console.log(`Demo youth invite link (Chi đoàn thôn Đông): ${youthInvite.path}`)
}

if (process.env.NODE_ENV === 'production') {
	console.log('NODE_ENV=production: no demo data is seeded. Create the first administrator with `npm run admin:create`.')
} else {
	// One clear line on failure (a locked data directory, an unreachable database), like the scripts/ tools.
	await runCli(async () => {
		await checkDatabase()
		await main()
	})
}

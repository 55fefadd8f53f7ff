// Demo certificates for the staff of Sở Văn hóa, Thể thao và Du lịch (the demo manager's department), so that the
// manager's certificate page has something to list, download as a ZIP and flag as expiring. Deterministic dates,
// relative to the day of seeding: some certificates expire within 60 days, one has been revoked.
import { newSerial } from '#app/certificates/issue.server.ts'
import { signCertificate } from '#app/certificates/sign.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import { type PrismaClient } from '#app/db.server.ts'
import { ensureCurrentVersion } from '#app/learning/versions.server.ts'
import { type buildDemoData } from './demo-data.ts'

const COURSES = ['quy-tac-ung-xu-can-bo', 'nhan-dien-tin-gia']
const DAY = 24 * 3600_000

export async function seedDemoCertificates(db: PrismaClient, demo: ReturnType<typeof buildDemoData>, now = new Date()) {
	if (COURSES.some((slug) => !getCourse(slug))) {
		console.log('No content build: demo certificates skipped (run `npm run content:build`, then `npm run db:reset`).')
		return 0
	}
	const department = demo.units.find((u) => u.id === demo.ids.sovh)!
	const unitsById = new Map(demo.units.filter((u) => u.path.startsWith(department.path)).map((u) => [u.id, u]))
	const accounts = new Set(demo.accounts.map((a) => a.userId))
	const staff = demo.memberships.filter((m) => unitsById.has(m.orgUnitId) && !accounts.has(m.userId))
	const names = new Map(demo.users.map((u) => [u.id, u.fullName]))
	let count = 0
	for (const [c, slug] of COURSES.entries()) {
		const current = await ensureCurrentVersion(slug)
		if (!current) continue
		const { version } = current
		// The first course: every staff member; the second: every third one.
		const holders = staff.filter((_, i) => c === 0 || i % 3 === 0)
		for (const [i, membership] of holders.entries()) {
			// Spread over the validity period, newest first; with 24 months, the oldest few expire within 60 days.
			const ageDays = Math.round(((i + 0.5) / holders.length) * (version.validityMonths ?? 24) * 30.4) - (c === 0 ? 0 : 200)
			const issuedAt = new Date(now.getTime() - Math.max(3, ageDays) * DAY)
			issuedAt.setUTCHours(2 + (i % 8), (i * 7) % 60, 0, 0)
			const expiresAt = version.validityMonths ? new Date(issuedAt) : null
			expiresAt?.setUTCMonth(expiresAt.getUTCMonth() + version.validityMonths!)
			const fields = {
				serial: newSerial(issuedAt),
				userId: membership.userId,
				courseVersionId: version.id,
				holderName: names.get(membership.userId)!,
				orgUnitId: membership.orgUnitId,
				orgName: unitsById.get(membership.orgUnitId)!.name,
				courseTitle: version.title,
				source: 'ONLINE' as const,
				issuedAt,
				expiresAt,
			}
			await db.enrollment.create({
				data: {
					userId: membership.userId,
					courseVersionId: version.id,
					status: 'COMPLETED',
					startedAt: new Date(issuedAt.getTime() - 2 * DAY),
					lastActivityAt: issuedAt,
					completedAt: issuedAt,
				},
			})
			const revoked = c === 0 && i === 1
			await db.certificate.create({
				data: {
					...fields,
					signature: signCertificate(fields),
					...(revoked ? { revokedAt: new Date(Math.min(now.getTime(), issuedAt.getTime() + 5 * DAY)), revokeReason: 'Cấp nhầm người (dữ liệu mẫu)' } : {}),
				},
			})
			count++
		}
	}
	return count
}

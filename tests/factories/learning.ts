// Builders for courses, assignments, enrollments and certificates with chosen dates, written through the app's client
// (the test file's database). Reports are about dates, so every date here is explicit.
import { db } from '#app/db.server.ts'

let counter = 0
const next = () => ++counter

export async function createCourse(
	slug = `khoa-${next()}`,
	versions: Array<{ publishedAt: Date; validityMonths?: number | null; requiresRecertification?: boolean }> = [{ publishedAt: new Date('2020-01-01T00:00:00Z') }],
) {
	const course = await db.course.create({ data: { slug } })
	const rows = []
	let previous: string | null = null
	for (const [i, v] of versions.entries()) {
		const row: { id: string; version: number } = await db.courseVersion.create({
			data: {
				courseId: course.id,
				version: i + 1,
				contentHash: `hash-${slug}-${i + 1}`,
				title: `Khoá ${slug} (phiên bản ${i + 1})`,
				publishedAt: v.publishedAt,
				passMark: 80,
				validityMonths: v.validityMonths ?? null,
				requiresRecertification: v.requiresRecertification ?? false,
				supersedesId: previous,
			},
		})
		previous = row.id
		rows.push(row)
	}
	return { ...course, versions: rows }
}

export async function assign(
	course: { id: string },
	unit: { id: number },
	input: { dueAt: Date; audienceTag?: string; createdAt?: Date; closedAt?: Date | null; createdById?: string },
) {
	return db.assignment.create({
		data: {
			courseId: course.id,
			orgUnitId: unit.id,
			dueAt: input.dueAt,
			audienceTag: input.audienceTag ?? null,
			createdAt: input.createdAt ?? new Date('2020-01-01T00:00:00Z'),
			closedAt: input.closedAt ?? null,
			createdById: input.createdById ?? 'test',
		},
	})
}

export async function join(
	user: { id: string },
	unit: { id: number },
	input: { validFrom?: Date; validTo?: Date | null; tags?: Array<string>; countsInTarget?: boolean } = {},
) {
	return db.membership.create({
		data: {
			userId: user.id,
			orgUnitId: unit.id,
			validFrom: input.validFrom ?? new Date('2020-01-01T00:00:00Z'),
			validTo: input.validTo ?? null,
			tags: input.tags ?? [],
			countsInTarget: input.countsInTarget ?? true,
		},
	})
}

export async function enroll(user: { id: string }, version: { id: string }, input: { startedAt: Date; completedAt?: Date; lastActivityAt?: Date }) {
	return db.enrollment.create({
		data: {
			userId: user.id,
			courseVersionId: version.id,
			startedAt: input.startedAt,
			lastActivityAt: input.lastActivityAt ?? input.completedAt ?? input.startedAt,
			status: input.completedAt ? 'COMPLETED' : 'IN_PROGRESS',
			completedAt: input.completedAt ?? null,
		},
	})
}

/** A completed enrollment and its certificate, as the grading transaction leaves them. */
export async function certify(
	user: { id: string; fullName?: string },
	version: { id: string },
	input: { issuedAt: Date; expiresAt?: Date | null; revokedAt?: Date | null; startedAt?: Date },
) {
	await enroll(user, version, { startedAt: input.startedAt ?? new Date(input.issuedAt.getTime() - 86_400_000), completedAt: input.issuedAt })
	return db.certificate.create({
		data: {
			serial: `VMS-TEST-${next()}`,
			userId: user.id,
			courseVersionId: version.id,
			holderName: user.fullName ?? 'Người học',
			orgName: 'Đơn vị',
			courseTitle: 'Khoá học',
			issuedAt: input.issuedAt,
			expiresAt: input.expiresAt ?? null,
			revokedAt: input.revokedAt ?? null,
			revokeReason: input.revokedAt ? 'Thử nghiệm' : null,
		},
	})
}

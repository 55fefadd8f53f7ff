// "Khoá học của tôi": required courses (from assignments), then optional ones for the learner's audience, then
// completed ones with their certificates.
import { getCourse, listCourses } from '#app/content/courses.server.ts'
import { type Audience } from '#app/content/audiences.ts'
import { runSql } from '#app/db.server.ts'
import { type UserKind } from '#app/db-types.ts'
import { MY_COURSES } from './my-courses.sql.ts'
import { progressFromDone } from './progress.server.ts'
import { ensureCurrentVersion, RECERTIFICATION_MONTHS } from './versions.server.ts'

const AUDIENCE_OF: Record<UserKind, Array<Audience>> = {
	STAFF: ['staff'],
	STUDENT: ['student-primary', 'student-secondary'],
	YOUTH: ['youth'],
}

export type CourseCard = {
	slug: string
	title: string
	minutes: number
	status: 'not-started' | 'in-progress' | 'completed'
	percent: number
	resumeLesson: string | null
	dueAt: string | null
	overdue: boolean
	certificate: { serial: string; issuedAt: string; expiresAt: string | null } | null
	/** A completion withdrawn after review (issue 22): when and why, until the learner completes the course again. */
	withdrawn: Withdrawal | null
}

export type Withdrawal = { at: string; reason: string }

/** The withdrawal notice of an enrollment, if its completion was withdrawn and not yet earned again. */
export function withdrawalOf(enrollment: { status: string; withdrawnAt: Date | null; withdrawnReason: string | null } | null | undefined): Withdrawal | null {
	if (!enrollment?.withdrawnAt || enrollment.status === 'COMPLETED') return null
	// The sentence around it ends the reason with its own full stop.
	return { at: enrollment.withdrawnAt.toISOString(), reason: (enrollment.withdrawnReason ?? '').trim().replace(/[.。]+$/, '') }
}

export type MyCourses = Awaited<ReturnType<typeof getMyCourses>>

export async function getMyCourses(userId: string, kind: UserKind, now = new Date()) {
	const rows = await runSql(MY_COURSES, { userId, at: now })
	const required = new Map<string, Date>()
	const latestBySlug = new Map<string, (typeof rows)[number]>()
	for (const row of rows) {
		if (row.dueMs !== null) required.set(row.slug, new Date(row.dueMs))
		if (row.enrollmentId) latestBySlug.set(row.slug, row)
	}

	const card = async (slug: string): Promise<CourseCard | null> => {
		const course = getCourse(slug)
		if (!course) return null
		const enrollment = latestBySlug.get(slug)
		// A completed enrollment on an older version stops counting when the current one requires recertification.
		const stale =
			enrollment?.status === 'COMPLETED' && course.meta.requiresRecertification && (enrollment.version ?? 0) < course.meta.version
		// The publication date of that version starts the holders' new deadline.
		const current = stale ? (await ensureCurrentVersion(slug))?.version : undefined
		const completed = enrollment?.status === 'COMPLETED' && !stale
		const progress = progressFromDone(slug, stale ? [] : (enrollment?.lessonsDone ?? []), !!enrollment?.quizPassed && !stale)
		let due = required.get(slug) ?? null
		if (due && stale && current) {
			const recert = new Date(current.publishedAt)
			recert.setUTCMonth(recert.getUTCMonth() + RECERTIFICATION_MONTHS)
			if (recert > due) due = recert
		}
		const certificate = completed && enrollment?.serial ? enrollment : undefined
		return {
			slug,
			title: course.meta.title,
			minutes: course.meta.minutes,
			status: completed ? 'completed' : enrollment && !stale ? 'in-progress' : 'not-started',
			percent: completed ? 100 : (progress?.percent ?? 0),
			resumeLesson: progress?.resumeLesson ?? null,
			dueAt: due?.toISOString() ?? null,
			overdue: !completed && !!due && due < now,
			certificate: certificate
				? {
						serial: certificate.serial!,
						issuedAt: new Date(certificate.issuedAtMs!).toISOString(),
						expiresAt: certificate.expiresAtMs === null ? null : new Date(certificate.expiresAtMs).toISOString(),
					}
				: null,
			withdrawn:
				stale || !enrollment
					? null
					: withdrawalOf({
							status: enrollment.status ?? '',
							withdrawnAt: enrollment.withdrawnAtMs === null ? null : new Date(enrollment.withdrawnAtMs),
							withdrawnReason: enrollment.withdrawnReason,
						}),
		}
	}

	const cards = (await Promise.all(listCourses().map(async (c) => ({ summary: c, card: await card(c.slug) })))).filter(
		(x): x is { summary: (typeof x)['summary']; card: CourseCard } => x.card !== null,
	)
	const audiences = AUDIENCE_OF[kind]
	return {
		required: cards
			.filter((x) => required.has(x.card.slug) && x.card.status !== 'completed')
			.map((x) => x.card)
			.sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '')),
		optional: cards
			.filter((x) => !required.has(x.card.slug) && x.card.status !== 'completed' && x.summary.audience.some((a) => audiences.includes(a)))
			.map((x) => x.card),
		completed: cards.filter((x) => x.card.status === 'completed').map((x) => x.card),
		// Required courses already done: with none left to do, the pages say "all done", not "nothing assigned".
		requiredDone: cards.filter((x) => required.has(x.card.slug) && x.card.status === 'completed').length,
	}
}

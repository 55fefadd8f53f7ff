// Enrollments and lesson progress. An enrollment appears when a learner starts a course and pins the course
// version current at that moment; time spent is measured on the server from when a lesson was opened.
import { getCourse } from '#app/content/courses.server.ts'
import { db, newId, runSql } from '#app/db.server.ts'
import { type EnrollmentStatus } from '#app/db-types.ts'
import { completeCourse } from './completion.server.ts'
import { COMPLETE_LESSON, ENROLLMENT_OF } from './progress.sql.ts'
import { ensureCurrentVersion } from './versions.server.ts'

// A lesson left open over lunch should not count as hours of study.
const MAX_SECONDS_PER_LESSON = 2 * 60 * 60

/** The learner's enrollment in the course's latest started version, if any. */
export async function findEnrollment(userId: string, slug: string) {
	return db.enrollment.findFirst({
		where: { userId, courseVersion: { course: { slug } } },
		orderBy: { startedAt: 'desc' },
		include: { lessons: true, courseVersion: true },
	})
}

/** Whether some attempt of the enrollment passed its quiz (a pass voided when its completion was withdrawn does not). */
export async function quizPassed(enrollmentId: string) {
	return (await db.quizAttempt.count({ where: { enrollmentId, passed: true, voidedAt: null } })) > 0
}

/** The enrollment's latest 20 quiz attempts, newest first (the open one included). */
export function recentAttempts(enrollmentId: string) {
	return db.quizAttempt.findMany({ where: { enrollmentId }, orderBy: { startedAt: 'desc' }, take: 20 })
}

/** An enrollment as the lesson and course actions need it: which version it pins and which lessons are done. */
export type StartedEnrollment = {
	id: string
	userId: string
	courseVersionId: string
	status: EnrollmentStatus
	courseVersion: { id: string; version: number }
	lessons: Array<{ lessonSlug: string; completedAt: Date | null }>
}

/** Starts (or returns) the learner's enrollment. A completed enrollment on an older version is not reused when the
 * current version requires recertification. */
export async function startEnrollment(userId: string, slug: string): Promise<StartedEnrollment | null> {
	const current = await ensureCurrentVersion(slug)
	if (!current) return null
	const [existing] = await runSql(ENROLLMENT_OF, { userId, slug })
	if (existing && !(existing.status === 'COMPLETED' && current.version.requiresRecertification && existing.courseVersionId !== current.version.id)) {
		const { version, lessons, ...rest } = existing
		return {
			...rest,
			courseVersion: { id: existing.courseVersionId, version },
			lessons: lessons.map((l) => ({ lessonSlug: l.lessonSlug, completedAt: l.completedAtMs === null ? null : new Date(l.completedAtMs) })),
		}
	}
	const started = await db.enrollment.upsert({
		where: { userId_courseVersionId: { userId, courseVersionId: current.version.id } },
		create: { userId, courseVersionId: current.version.id },
		update: {},
		include: { lessons: { select: { lessonSlug: true, completedAt: true } }, courseVersion: { select: { id: true, version: true } } },
	})
	return { id: started.id, userId: started.userId, courseVersionId: started.courseVersionId, status: started.status, courseVersion: started.courseVersion, lessons: started.lessons }
}

// "Last active" is for managers' lists, where a minute is precise enough; writing it on every page view is not.
const ACTIVITY_RESOLUTION_MS = 60_000

/**
 * Records that the learner opened a lesson (the start of its time) and that they were active. Re-reading a lesson
 * writes nothing: the opening is kept from the first time and the activity only moves after a minute. `seen` is
 * what the caller already read (the lesson page cache does), to skip even the statements that would change nothing.
 */
export async function openLesson(
	enrollmentId: string,
	lessonSlug: string,
	seen?: { opened: boolean; lastActivityAt: Date | null },
	now = new Date(),
) {
	if (!seen?.opened) {
		await db.lessonProgress.createMany({ data: [{ enrollmentId, lessonSlug, startedAt: now }], skipDuplicates: true })
	}
	const stale = new Date(now.getTime() - ACTIVITY_RESOLUTION_MS)
	if (!seen || !seen.lastActivityAt || seen.lastActivityAt < stale) {
		await db.enrollment.updateMany({ where: { id: enrollmentId, lastActivityAt: { lt: stale } }, data: { lastActivityAt: now } })
	}
}

/** What pressing "Hoàn thành bài học" did: `first` when this request marked it done, `seconds` the time it counts. */
export type LessonCompletion = { done: true; first: boolean; seconds: number } | { done: false; remainingSeconds: number }

/**
 * "Hoàn thành bài học": idempotent; the time spent is from opening to the first completion, capped. Before
 * `minSeconds` from the opening, nothing is marked and the time left is returned (a lesson posted as done without
 * having been opened starts its clock here).
 */
export async function completeLesson(enrollmentId: string, lessonSlug: string, now = new Date(), minSeconds = 0): Promise<LessonCompletion> {
	const [row] = await runSql(COMPLETE_LESSON, {
		id: newId(now.getTime()),
		enrollmentId,
		lessonSlug,
		now,
		minMs: minSeconds * 1000,
		maxSeconds: MAX_SECONDS_PER_LESSON,
	})
	if (!row) throw new Error(`Lesson ${lessonSlug} of enrollment ${enrollmentId} was not written`)
	if (row.completedAtMs === null) {
		const elapsedMs = Math.max(0, now.getTime() - row.startedAtMs)
		return { done: false, remainingSeconds: Math.ceil((minSeconds * 1000 - elapsedMs) / 1000) }
	}
	// Two presses at once both find it open; only the one whose time was written marked it.
	return { done: true, first: !row.wasDone && row.completedAtMs === now.getTime(), seconds: row.secondsSpent }
}

/**
 * The lesson's "Hoàn thành bài học" under its course's safeguards (course.yaml): the minimum time from opening, and,
 * for a course whose quiz may be taken before the lessons, the completion of the course when this was the last lesson
 * and the quiz is already passed (otherwise passing the quiz is what completes it).
 */
export async function finishLesson(
	enrollment: { id: string; userId: string; courseVersionId: string; status: string },
	courseSlug: string,
	lessonSlug: string,
	request?: Request,
	now = new Date(),
): Promise<LessonCompletion> {
	const course = getCourse(courseSlug)
	if (!course) throw new Error(`Course ${courseSlug} is not in the content build`)
	const { minSecondsPerLesson, quizAfterAllLessons } = course.meta.safeguards
	const result = await completeLesson(enrollment.id, lessonSlug, now, minSecondsPerLesson)
	if (result.done && result.first && !quizAfterAllLessons && enrollment.status !== 'COMPLETED') {
		const done = await db.lessonProgress.findMany({ where: { enrollmentId: enrollment.id, completedAt: { not: null } }, select: { lessonSlug: true } })
		const progress = progressFromDone(courseSlug, done.map((l) => l.lessonSlug))
		if (progress?.resumeLesson === null && (await quizPassed(enrollment.id))) {
			await db.$transaction((tx) =>
				completeCourse(tx, {
					source: 'ONLINE',
					courseVersionId: enrollment.courseVersionId,
					at: now,
					userIds: [enrollment.userId],
					audit: { actorId: enrollment.userId, request, details: { course: courseSlug, lastLesson: lessonSlug } },
				}),
			)
		}
	}
	return result
}

export type CourseProgress = {
	lessonsDone: number
	lessonCount: number
	percent: number
	resumeLesson: string | null
	completedLessons: Array<string>
	quizPassed: boolean
}

/** Progress against the lessons of the current content; lessons are matched by slug, so renumbering is harmless. */
export function describeProgress(
	slug: string,
	enrollment: { lessons: Array<{ lessonSlug: string; completedAt: Date | null }> } | null,
	quizPassed = false,
): CourseProgress | null {
	return progressFromDone(slug, (enrollment?.lessons ?? []).filter((l) => l.completedAt).map((l) => l.lessonSlug), quizPassed)
}

/** describeProgress from the slugs of the completed lessons (what the quiz's SQL reads). */
export function progressFromDone(slug: string, doneSlugs: Iterable<string>, quizPassed = false): CourseProgress | null {
	const course = getCourse(slug)
	if (!course) return null
	const done = new Set(doneSlugs)
	const completedLessons = course.lessons.filter((l) => done.has(l.slug)).map((l) => l.slug)
	const lessonCount = course.lessons.length
	// The quiz counts as one more step, so a course is at 100% only when it is complete.
	const steps = lessonCount + 1
	const stepsDone = completedLessons.length + (quizPassed ? 1 : 0)
	return {
		lessonsDone: completedLessons.length,
		lessonCount,
		percent: Math.round((stepsDone * 100) / steps),
		resumeLesson: course.lessons.find((l) => !done.has(l.slug))?.slug ?? null,
		completedLessons,
		quizPassed,
	}
}

// Course identities and versions in the database, taken from the content build. The database never stores lesson
// text: a version row pins a course's version number, content hash and the rules that grading and certificates use.
import { getCourse } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'

/** The current version of a course, created on first use (idempotent and safe across app processes). */
export async function ensureCurrentVersion(slug: string) {
	const course = getCourse(slug)
	if (!course) return null
	const { meta, hash } = course
	const row = await db.course.upsert({ where: { slug }, create: { slug }, update: {} })
	const previous = await db.courseVersion.findFirst({
		where: { courseId: row.id, version: { lt: meta.version } },
		orderBy: { version: 'desc' },
		select: { id: true },
	})
	const version = await db.courseVersion.upsert({
		where: { courseId_version: { courseId: row.id, version: meta.version } },
		create: {
			courseId: row.id,
			version: meta.version,
			contentHash: hash,
			title: meta.title,
			passMark: meta.passMark,
			validityMonths: meta.validityMonths ?? null,
			requiresRecertification: meta.requiresRecertification,
			supersedesId: previous?.id ?? null,
		},
		update: {},
	})
	return { course: row, version }
}

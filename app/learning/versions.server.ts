// Course identities and versions in the database, taken from the content build. The database never stores lesson
// text: a version row pins a course's version number, content hash and the rules that grading and certificates use.
import { getCourse } from '#app/content/courses.server.ts'
import { db, getDb } from '#app/db.server.ts'
import { type Course, type CourseVersion } from '#app/db-types.ts'

/** After a version that requires recertification is published, holders of older versions get this long (decision
 * 006); my courses and the completion reports both apply it. */
export const RECERTIFICATION_MONTHS = 3

type CurrentVersion = { course: Course; version: CourseVersion }

// Version rows never change once written, so each process remembers the ones it has made sure of, per database
// (tests and benches switch) and content hash (a new content build is looked at again).
const ensuredByDb = new WeakMap<object, Map<string, CurrentVersion>>()

/**
 * The current version of a course, created on first use: idempotent and safe when several requests or app processes
 * do it at once (insert-if-absent, then read; a plain upsert raced into unique-constraint errors).
 */
export async function ensureCurrentVersion(slug: string): Promise<CurrentVersion | null> {
	const course = getCourse(slug)
	if (!course) return null
	const { meta, hash } = course
	const key = `${slug}|${meta.version}|${hash}`
	let ensured = ensuredByDb.get(getDb())
	if (!ensured) ensuredByDb.set(getDb(), (ensured = new Map()))
	const known = ensured.get(key)
	if (known) return known
	await db.course.createMany({ data: [{ slug }], skipDuplicates: true })
	const row = await db.course.findUniqueOrThrow({ where: { slug } })
	const previous = await db.courseVersion.findFirst({
		where: { courseId: row.id, version: { lt: meta.version } },
		orderBy: { version: 'desc' },
		select: { id: true },
	})
	await db.courseVersion.createMany({
		data: [
			{
				courseId: row.id,
				version: meta.version,
				contentHash: hash,
				title: meta.title,
				passMark: meta.passMark,
				validityMonths: meta.validityMonths ?? null,
				requiresRecertification: meta.requiresRecertification,
				supersedesId: previous?.id ?? null,
			},
		],
		skipDuplicates: true,
	})
	const version = await db.courseVersion.findUniqueOrThrow({ where: { courseId_version: { courseId: row.id, version: meta.version } } })
	const current = { course: row, version }
	ensured.set(key, current)
	return current
}

// The first starts of a course, at the same moment, create its version rows once and fail no one.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { startEnrollment } from '#app/learning/progress.server.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { createUser } from '#tests/factories/org.ts'

useFixtureCourses()

useTestDb()

test('eight learners starting a never-started course at once all get enrolled in one version', async () => {
	const users = await Promise.all(Array.from({ length: 8 }, () => createUser()))
	expect(await db.course.count({ where: { slug: 'mau' } })).toBe(0)
	const enrollments = await Promise.all(users.map((u) => startEnrollment(u.id, 'mau')))
	expect(enrollments.every((e) => e !== null)).toBe(true)
	expect(await db.course.count({ where: { slug: 'mau' } })).toBe(1)
	expect(await db.courseVersion.count({ where: { course: { slug: 'mau' } } })).toBe(1)
	expect(new Set(enrollments.map((e) => e!.courseVersionId)).size).toBe(1)
})

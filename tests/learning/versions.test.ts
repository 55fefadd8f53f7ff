// The first starts of a course, at the same moment, create its version rows once and fail no one.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { writeContentBuild } from '#app/content/build.server.ts'
import { checkContent } from '#app/content/check.server.ts'
import { db } from '#app/db.server.ts'
import { startEnrollment } from '#app/learning/progress.server.ts'
import { createTestDb, type TestDb } from '#tests/setup/db.ts'
import { createUser } from '#tests/factories/org.ts'

const tmp = mkdtempSync(path.join(tmpdir(), 'vms-versions-'))
let testDb: TestDb

beforeAll(async () => {
	testDb = await createTestDb()
	writeContentBuild(await checkContent('tests/fixtures/content/valid'), path.join(tmp, 'content'))
	process.env.VMS_CONTENT_DIR = path.join(tmp, 'content')
})
afterAll(async () => {
	delete process.env.VMS_CONTENT_DIR
	rmSync(tmp, { recursive: true, force: true })
	await testDb.close()
})

test('eight learners starting a never-started course at once all get enrolled in one version', async () => {
	const users = await Promise.all(Array.from({ length: 8 }, () => createUser()))
	expect(await db.course.count({ where: { slug: 'mau' } })).toBe(0)
	const enrollments = await Promise.all(users.map((u) => startEnrollment(u.id, 'mau')))
	expect(enrollments.every((e) => e !== null)).toBe(true)
	expect(await db.course.count({ where: { slug: 'mau' } })).toBe(1)
	expect(await db.courseVersion.count({ where: { course: { slug: 'mau' } } })).toBe(1)
	expect(new Set(enrollments.map((e) => e!.courseVersionId)).size).toBe(1)
})

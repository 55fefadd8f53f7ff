import { expect, test } from 'vitest'
import { getQuiz } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { countRequiredPeople, createAssignment, closeAssignment, requiredCoursesFor } from '#app/learning/assignments.server.ts'
import { getMyCourses } from '#app/learning/my-courses.server.ts'
import { completeLesson, describeProgress, findEnrollment, startEnrollment } from '#app/learning/progress.server.ts'
import { checkSignature } from '#app/certificates/sign.server.ts'
import { asDrawn, getAttempt, saveAnswers, startAttempt, submitAttempt } from '#app/learning/quiz.server.ts'
import { answerIndex } from '#app/learning/quiz.ts'
import { courseBuilds, courseYaml, rewrite, useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'

useTestDb()
// Version 1 is the fixture course; one test publishes a version 2 of its own.
useFixtureCourses()
const courses = courseBuilds('vms-learning-')

async function province() {
	const root = await createUnit('Tỉnh Thử')
	const dept = await createUnit('Sở Thử', root)
	const division = await createUnit('Phòng Thử', dept, 'division')
	return { root, dept, division }
}

const req = () => requestAs(null)

function rightAnswers(attempt: { questionIds: Array<string> }) {
	const bank = getQuiz('mau')!.bank
	return Object.fromEntries(attempt.questionIds.map((id) => [id, answerIndex(bank.find((q) => q.id === id)!)]))
}
function wrongAnswers(attempt: { questionIds: Array<string> }) {
	return Object.fromEntries(Object.entries(rightAnswers(attempt)).map(([id, a]) => [id, (a + 1) % 4]))
}

test('an assignment is one rule: its target counts tagged, counted, active members of the subtree once each', async () => {
	const { root, dept, division } = await province()
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	const tagged = await createUser()
	await db.membership.createMany({
		data: [
			{ userId: tagged.id, orgUnitId: dept.id, tags: ['social-media'] },
			{ userId: tagged.id, orgUnitId: division.id, tags: ['social-media'] },
		],
	})
	const untagged = await createUser({ unitId: division.id })
	const notCounted = await createUser()
	await db.membership.create({ data: { userId: notCounted.id, orgUnitId: division.id, tags: ['social-media'], countsInTarget: false } })
	const left = await createUser()
	await db.membership.create({ data: { userId: left.id, orgUnitId: division.id, tags: ['social-media'], validTo: new Date(Date.now() - 1000) } })
	const outside = await createUser()
	await db.membership.create({ data: { userId: outside.id, orgUnitId: root.id, tags: ['social-media'] } })

	expect(await countRequiredPeople(dept.path, 'social-media')).toBe(1)
	expect(await countRequiredPeople(dept.path, null)).toBe(3) // manager, tagged, untagged
	const assignmentsBefore = await db.assignment.count()
	const due = new Date('2027-06-30T16:59:59Z')
	const assignment = await createAssignment({ courseSlug: 'mau', audienceTag: 'social-media', dueAt: due }, dept, manager.id, await req())
	expect(await db.assignment.count()).toBe(assignmentsBefore + 1)
	expect(await db.enrollment.count()).toBe(0)
	expect((await requiredCoursesFor(tagged.id)).get('mau')).toEqual(due)
	expect((await requiredCoursesFor(untagged.id)).has('mau')).toBe(false)
	expect((await requiredCoursesFor(outside.id)).has('mau')).toBe(false)
	expect(await db.auditEvent.count({ where: { action: 'assignment.create', targetId: assignment.id } })).toBe(1)
	// Closing it from another department's scope does nothing; from its own, it stops requiring the course.
	const other = await createUnit('Sở Khác', root)
	expect(await closeAssignment(assignment.id, other, manager.id, await req())).toBe(false)
	expect(await closeAssignment(assignment.id, dept, manager.id, await req())).toBe(true)
	expect((await requiredCoursesFor(tagged.id)).has('mau')).toBe(false)
})

test('lessons complete idempotently with time measured on the server, and progress resumes at the first gap', async () => {
	const user = await createUser()
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	expect(enrollment.courseVersion.version).toBe(1)
	const opened = new Date(Date.now() - 95_000)
	await db.lessonProgress.create({ data: { enrollmentId: enrollment.id, lessonSlug: 'bai-hai', startedAt: opened } })
	await completeLesson(enrollment.id, 'bai-hai')
	await completeLesson(enrollment.id, 'bai-hai')
	const row = await db.lessonProgress.findUniqueOrThrow({ where: { enrollmentId_lessonSlug: { enrollmentId: enrollment.id, lessonSlug: 'bai-hai' } } })
	expect(row.secondsSpent).toBeGreaterThanOrEqual(95)
	expect(row.secondsSpent).toBeLessThan(100)
	const progress = describeProgress('mau', await findEnrollment(user.id, 'mau'))
	expect(progress).toMatchObject({ lessonsDone: 1, lessonCount: 2, resumeLesson: 'bai-mot', percent: 33 })
	expect((await startEnrollment(user.id, 'mau'))!.id).toBe(enrollment.id)
})

test('the quiz opens only after the lessons, and a reload returns the same drawn attempt', async () => {
	const user = await createUser()
	expect(await startAttempt(user.id, 'mau')).toEqual({ ok: false, reason: 'not-enrolled' })
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	expect(await startAttempt(user.id, 'mau')).toMatchObject({ ok: false, reason: 'lessons-unfinished' })
	await completeLesson(enrollment.id, 'bai-mot')
	await completeLesson(enrollment.id, 'bai-hai')
	const first = await startAttempt(user.id, 'mau')
	const again = await startAttempt(user.id, 'mau')
	expect(first.ok && again.ok && first.attempt.id === again.attempt.id).toBe(true)
	if (first.ok) expect(first.attempt.questionIds).toHaveLength(1)
})

async function readyLearner() {
	const { dept } = await province()
	const user = await createUser({ fullName: 'Nguyễn Thị Hương', unitId: dept.id })
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	await completeLesson(enrollment.id, 'bai-mot')
	await completeLesson(enrollment.id, 'bai-hai')
	return { user, enrollment, dept }
}

test('failing grades without completing; three failures in a row impose the cool-down', async () => {
	const { user } = await readyLearner()
	for (let i = 0; i < 3; i++) {
		const started = await startAttempt(user.id, 'mau')
		if (!started.ok) throw new Error('attempt refused')
		const outcome = await submitAttempt(started.attempt, 'mau', wrongAnswers(started.attempt), user.id, await req())
		expect(outcome).toEqual({ graded: true, passed: false, completed: false, certificateSerial: null })
	}
	const blocked = await startAttempt(user.id, 'mau')
	expect(blocked).toMatchObject({ ok: false, reason: 'cooldown' })
	if (!blocked.ok && blocked.until) expect(blocked.until.getTime() - Date.now()).toBeGreaterThan(29 * 60_000)
	expect(await db.certificate.count({ where: { userId: user.id } })).toBe(0)
})

test('passing completes the enrollment and issues one audited certificate, however often it is submitted', async () => {
	const { user, enrollment } = await readyLearner()
	const started = await startAttempt(user.id, 'mau')
	if (!started.ok) throw new Error('attempt refused')
	const answers = rightAnswers(started.attempt)
	// A double click: two submissions of the same attempt at once.
	const outcomes = await Promise.all([
		submitAttempt(started.attempt, 'mau', answers, user.id, await req()),
		submitAttempt(started.attempt, 'mau', answers, user.id, await req()),
	])
	expect(outcomes.filter((o) => o.graded)).toHaveLength(1)
	expect(outcomes.every((o) => o.passed && o.completed)).toBe(true)
	// And a replay later (back button, resubmitted form).
	const replay = await submitAttempt(started.attempt, 'mau', wrongAnswers(started.attempt), user.id, await req())
	expect(replay).toMatchObject({ graded: false, passed: true })
	const attempt = await db.quizAttempt.findUniqueOrThrow({ where: { id: started.attempt.id } })
	expect(attempt).toMatchObject({ passed: true, score: 100 })
	const certificates = await db.certificate.findMany({ where: { userId: user.id } })
	expect(certificates).toHaveLength(1)
	expect(certificates[0]).toMatchObject({ holderName: 'Nguyễn Thị Hương', orgName: 'Sở Thử', courseTitle: 'Khoá học mẫu', expiresAt: null })
	expect(certificates[0]!.serial).toMatch(/^VMS-\d{4}-[0-9A-HJKMNP-TV-Z]{10}$/)
	// Written by the quiz's own SQL: the stored row (times included, to the millisecond) is what was signed.
	expect(checkSignature(certificates[0]!)).toBe('ok')
	expect(certificates[0]!.id).toMatch(/^c[a-z0-9]{24}$/)
	expect(Math.abs(certificates[0]!.issuedAt.getTime() - attempt.submittedAt!.getTime())).toBe(0)
	expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).status).toBe('COMPLETED')
	expect(await db.auditEvent.count({ where: { action: 'certificate.issue', actorId: user.id } })).toBe(1)
	expect(asDrawn(attempt).questionIds).toEqual(started.attempt.questionIds)
})

test('answers saved while answering are merged, kept for the page, and frozen once submitted', async () => {
	const { user } = await readyLearner()
	const started = await startAttempt(user.id, 'mau')
	if (!started.ok) throw new Error('attempt refused')
	const [id] = started.attempt.questionIds as [string]
	await saveAnswers(started.attempt.id, { [id]: 2 })
	await saveAnswers(started.attempt.id, { other: 1 })
	const saved = await getAttempt(user.id, 'mau', started.attempt.id)
	expect(saved?.answers).toEqual({ [id]: 2, other: 1 })
	expect(saved).toMatchObject({ userId: user.id, passMark: expect.any(Number), submittedAt: null })
	// Someone else's attempt, or the right attempt under another course, is not found.
	const stranger = await createUser()
	expect(await getAttempt(stranger.id, 'mau', started.attempt.id)).toBeNull()
	expect(await getAttempt(user.id, 'khac', started.attempt.id)).toBeNull()
	await submitAttempt(saved!, 'mau', rightAnswers(saved!), user.id, await req())
	await saveAnswers(started.attempt.id, { [id]: 0 })
	expect((await getAttempt(user.id, 'mau', started.attempt.id))?.answers).toEqual({ ...rightAnswers(saved!), other: 1 })
})

test('a new version that requires recertification makes holders of older versions due again; learners keep their pinned version', async () => {
	const { user, dept } = await readyLearner()
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	await createAssignment({ courseSlug: 'mau', dueAt: new Date('2026-01-31T16:59:59Z') }, dept, manager.id, await req())
	const started = await startAttempt(user.id, 'mau')
	if (!started.ok) throw new Error('attempt refused')
	await submitAttempt(started.attempt, 'mau', rightAnswers(started.attempt), user.id, await req())
	expect((await getMyCourses(user.id, 'STAFF')).completed.map((c) => c.slug)).toEqual(['mau'])
	// Another learner is half-way through version 1 when version 2 is published.
	const { user: midway } = await readyLearner()

	await courses.build('v2', {
		edit: (source) => rewrite(courseYaml(source, 'mau'), (yaml) => yaml.replace('version: 1', 'version: 2\nrequiresRecertification: true')),
	})
	courses.use('v2')
	try {
		const mine = await getMyCourses(user.id, 'STAFF', new Date())
		expect(mine.completed).toEqual([])
		const due = mine.required.find((c) => c.slug === 'mau')
		expect(due).toMatchObject({ status: 'not-started' })
		expect(new Date(due!.dueAt!).getTime()).toBeGreaterThan(Date.now() + 80 * 24 * 3600_000)
		// The in-progress learner stays on version 1, still in progress.
		expect((await findEnrollment(midway.id, 'mau'))!.courseVersion.version).toBe(1)
		const theirs = await getMyCourses(midway.id, 'STAFF')
		expect([...theirs.required, ...theirs.optional].find((c) => c.slug === 'mau')).toMatchObject({ status: 'in-progress' })
		expect((await startEnrollment(midway.id, 'mau'))!.courseVersion.version).toBe(1)
		// The certified one starts version 2 afresh.
		expect((await startEnrollment(user.id, 'mau'))!.courseVersion.version).toBe(2)
	} finally {
		courses.useFixture()
	}
})

test('someone in a government unit and a chi đoàn gets the certificate in the unit whose assignment required the course', async () => {
	const { dept } = await province()
	const youthRoot = await db.orgUnit.create({ data: { tree: 'YOUTH', kind: 'youth_union', code: 'TD-THU', name: 'Tỉnh đoàn Thử', path: 'pending', depth: 0 } })
	const youthRootPath = `/${youthRoot.id}/`
	await db.orgUnit.update({ where: { id: youthRoot.id }, data: { path: youthRootPath } })
	const branch = await createUnit('Chi đoàn Thử', { id: youthRoot.id, path: youthRootPath, depth: 0, tree: 'YOUTH' }, 'youth_branch')
	// The government post is the older one: without an assignment to tell them apart, it would be chosen.
	const user = await createUser({ fullName: 'Trần Văn Thanh', unitId: dept.id })
	await db.membership.create({ data: { userId: user.id, orgUnitId: branch.id, validFrom: new Date(Date.now() + 1) } })
	const officer = await createUser({ unitId: youthRoot.id, role: 'YOUTH_ADMIN' })
	await createAssignment({ courseSlug: 'mau', dueAt: new Date('2027-06-30T00:00:00Z') }, branch, officer.id, await req())
	await new Promise((resolve) => setTimeout(resolve, 5))
	const enrollment = (await startEnrollment(user.id, 'mau'))!
	await completeLesson(enrollment.id, 'bai-mot')
	await completeLesson(enrollment.id, 'bai-hai')
	const started = await startAttempt(user.id, 'mau')
	if (!started.ok) throw new Error('attempt refused')
	expect(await submitAttempt(started.attempt, 'mau', rightAnswers(started.attempt), user.id, await req())).toMatchObject({ passed: true, completed: true })
	const certificate = await db.certificate.findFirstOrThrow({ where: { userId: user.id } })
	expect([certificate.orgUnitId, certificate.orgName]).toEqual([branch.id, 'Chi đoàn Thử'])
})

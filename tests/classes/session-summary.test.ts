// Issue 18 item 16: the live "N em đã trả lời, M em đúng" stays available to the teacher after the session ends, as a
// summary per question (answered, right, what each choice got) and per student (each answer, right or wrong).
import { beforeAll, expect, test } from 'vitest'
import { createClass, createSchool } from '#app/classes/classes.server.ts'
import { answerQuestion, closeClassSession, getClassSession, joinClassSession, moveToStep, startClassSession } from '#app/classes/sessions.server.ts'
import { db } from '#app/db.server.ts'
import { loader } from '#app/routes/teach.session.$sessionId_.summary.tsx'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { courseBuilds, forPupils } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
const courses = courseBuilds('vms-summary-')
beforeAll(async () => {
	// The fixture course, written for primary-school students.
	await courses.build('pupils', { edit: forPupils })
	courses.use('pupils')
})

async function summaryAs(userId: string, sessionId: string) {
	const request = await requestAs(userId, `http://localhost/teach/session/${sessionId}/summary`)
	const response = await loader({ request, params: { sessionId }, context: {} })
	return response.json()
}

test('after closing, the teacher reads each question’s answered and right counts and each student’s answers', async () => {
	const office = await createUnit('Phòng Giáo dục Tóm tắt')
	await db.orgUnit.update({ where: { id: office.id }, data: { tree: 'EDU', kind: 'education_office' } })
	const admin = await createUser({ unitId: office.id, role: 'MANAGER' })
	const school = await createSchool({ ...office, tree: 'EDU', kind: 'education_office' }, { code: 'THTT', name: 'Trường Tiểu học Tóm Tắt', level: 'PRIMARY' }, { actorId: admin.id })
	if (!school.ok) throw new Error(school.error)
	const schoolUnit = await db.orgUnit.findUniqueOrThrow({ where: { id: school.unitId } })
	const klass = await createClass(schoolUnit, { name: '4A', schoolYear: 2026 }, { actorId: admin.id })
	if (!klass.ok) throw new Error(klass.error)
	const a = await db.orgUnit.findUniqueOrThrow({ where: { id: klass.unitId } })
	const teacher = await createUser({ fullName: 'Phạm Ngọc Lan', unitId: a.id, role: 'TRAINER' })
	const elsewhere = await createUser({ fullName: 'Giáo viên khác', unitId: office.id, role: 'TRAINER' })
	await db.roleGrant.deleteMany({ where: { userId: elsewhere.id } })
	const students = []
	for (const [fullName, username] of [['Trần Thị Bình', 'binh.tt'], ['Nguyễn Văn An', 'an.nv'], ['Lê Minh Châu', 'chau.lm']] as const) {
		const s = await db.user.create({ data: { fullName, username, birthYear: 2016, kind: 'STUDENT', status: 'ACTIVE' } })
		await db.membership.create({ data: { userId: s.id, orgUnitId: a.id, validFrom: new Date('2026-09-01') } })
		students.push(s)
	}
	const [binh, an] = students

	const started = await startClassSession(a, 'mau', { actorId: teacher.id })
	if (!started.ok) throw new Error(started.error)
	let event = (await getClassSession([a.path], started.eventId))!
	const code = event.joinCode!
	await joinClassSession(code, an!.id)
	await joinClassSession(code, binh!.id)
	// Steps of the fixture course: section, question, section, question, end.
	await moveToStep(event, teacher.id, 1)
	expect(await answerQuestion(code, an!.id, 1, 0)).toEqual({ ok: true, correct: true })
	expect(await answerQuestion(code, binh!.id, 1, 3)).toEqual({ ok: true, correct: false })
	await moveToStep(event, teacher.id, 3)
	expect(await answerQuestion(code, an!.id, 3, 1)).toMatchObject({ ok: true })
	const secondRight = (await db.classSessionAnswer.findFirstOrThrow({ where: { eventId: event.id, step: 3 } })).correct

	// While it runs, the page says so.
	expect((await summaryAs(teacher.id, event.id)).session).toMatchObject({ open: true, endedAt: null })

	event = (await getClassSession([a.path], event.id))!
	const closed = await closeClassSession(event, students.map((s) => ({ userId: s.id, present: true, completed: false })), { actorId: teacher.id })
	expect(closed).toMatchObject({ ok: true })

	const data = await summaryAs(teacher.id, event.id)
	expect(data.session).toMatchObject({ open: false, className: a.name })
	expect(data.session.endedAt).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/)
	expect(data.questions.map((q: { number: number; step: number; answered: number; correct: number; chosen: Array<number>; asked: boolean }) => [q.number, q.step, q.answered, q.correct, q.chosen, q.asked])).toEqual([
		[1, 1, 2, 1, [1, 0, 0, 1], true],
		[2, 3, 1, secondRight ? 1 : 0, [0, 1, 0, 0], true],
	])
	// Students in Vietnamese order of their given names: An, Bình, Châu; Châu joined nothing and answered nothing.
	expect(data.students.map((s: { fullName: string; joined: boolean; answers: Array<unknown>; correct: number }) => [s.fullName, s.joined, s.answers, s.correct])).toEqual([
		['Nguyễn Văn An', true, [{ choice: 0, correct: true }, { choice: 1, correct: secondRight }], secondRight ? 2 : 1],
		['Trần Thị Bình', true, [{ choice: 3, correct: false }, null], 0],
		['Lê Minh Châu', false, [null, null], 0],
	])

	// A teacher without a grant over the class gets a 404, not the class's answers.
	await expect(summaryAs(elsewhere.id, event.id)).rejects.toMatchObject({ status: 404 })
})

import { beforeAll, expect, test } from 'vitest'
import { loginCardsPdf } from '#app/classes/cards.server.ts'
import { createClass, createSchool, classStudents } from '#app/classes/classes.server.ts'
import { issuePins, pinLogin } from '#app/classes/pins.server.ts'
import { educationResults } from '#app/classes/results.server.ts'
import { answerQuestion, closeChecklist, closeClassSession, getClassSession, joinClassSession, liveStatus, moveToStep, startClassSession, studentView } from '#app/classes/sessions.server.ts'
import { sessionSteps } from '#app/classes/steps.server.ts'
import { db } from '#app/db.server.ts'
import * as closePage from '#app/routes/teach.session.$sessionId_.close.tsx'
import * as projector from '#app/routes/teach.session.$sessionId_.projector.tsx'
import { loader as followState } from '#app/routes/join.$code_.state.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { pdfText } from '#tests/certificates/pdf-text.ts'
import { courseBuilds, forPupils } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
const courses = courseBuilds('vms-classes-')
beforeAll(async () => {
	// The fixture course, written for primary-school students.
	await courses.build('pupils', { edit: forPupils })
	courses.use('pupils')
})

let n = 0
async function school(name = 'Kim Đồng') {
	const office = await createUnit(`Phòng Giáo dục ${++n}`, undefined)
	await db.orgUnit.update({ where: { id: office.id }, data: { tree: 'EDU', kind: 'education_office' } })
	const root = { ...office, tree: 'EDU' as const, kind: 'education_office' as const }
	const admin = await createUser({ unitId: root.id, role: 'MANAGER' })
	const s = await createSchool(root, { code: `TH${n}`, name: `Trường Tiểu học ${name} ${n}`, level: 'PRIMARY' }, { actorId: admin.id })
	if (!s.ok) throw new Error(s.error)
	const schoolUnit = await db.orgUnit.findUniqueOrThrow({ where: { id: s.unitId } })
	const make = async (name: string) => {
		const c = await createClass(schoolUnit, { name, schoolYear: 2026 }, { actorId: admin.id })
		if (!c.ok) throw new Error(c.error)
		return db.orgUnit.findUniqueOrThrow({ where: { id: c.unitId } })
	}
	const a = await make('5A')
	const b = await make('5B')
	const teacher = await createUser({ fullName: 'Phạm Ngọc Lan', unitId: a.id, role: 'TRAINER' })
	const other = await createUser({ fullName: 'Lê Văn Hùng', unitId: a.id, role: 'TRAINER' })
	const students = []
	for (const fullName of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Châu']) {
		students.push(await db.user.create({ data: { fullName, username: `${fullName.split(' ').at(-1)!.toLowerCase()}${n}`, birthYear: 2015, kind: 'STUDENT', status: 'ACTIVE' } }))
	}
	for (const s of students) await db.membership.create({ data: { userId: s.id, orgUnitId: a.id, validFrom: new Date('2026-09-01') } })
	const outsider = await db.user.create({ data: { fullName: 'Đỗ Thu Hà', username: `ha${n}`, kind: 'STUDENT', status: 'ACTIVE' } })
	await db.membership.create({ data: { userId: outsider.id, orgUnitId: b.id, validFrom: new Date('2026-09-01') } })
	return { root, admin, schoolUnit, a, b, teacher, other, students, outsider }
}

test('a whole class session: code, wrong class, following, answering, driving, closing with attendance and completions', async () => {
	const { root, a, teacher, other, students, outsider } = await school()
	const steps = sessionSteps('mau')!
	expect(steps.map((s) => s.kind)).toEqual(['section', 'question', 'section', 'question', 'end'])
	const started = await startClassSession(a, 'mau', { actorId: teacher.id })
	if (!started.ok) throw new Error(started.error)
	// One open session per class.
	expect(await startClassSession(a, 'mau', { actorId: teacher.id })).toMatchObject({ ok: false, error: 'open' })
	const event = (await getClassSession([a.path], started.eventId))!
	const code = event.joinCode!
	expect(code).toMatch(/^[A-Z2-9]{6}$/)

	const [an, binh] = students
	expect(await joinClassSession('ABC', an!.id)).toEqual({ ok: false, error: 'invalid' })
	expect(await joinClassSession(code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ', an!.id)).toEqual({ ok: false, error: 'unknown' })
	// A student of 5B with 5A's code: refused, nothing recorded, and the page shows nothing of the session.
	expect(await joinClassSession(code, outsider.id)).toEqual({ ok: false, error: 'wrong-class' })
	expect(await db.classSessionJoin.count({ where: { userId: outsider.id } })).toBe(0)
	expect(await studentView(code, outsider.id)).toMatchObject({ joined: false })
	expect(await joinClassSession(code.toLowerCase(), an!.id)).toEqual({ ok: true, code })
	expect(await joinClassSession(code, an!.id)).toEqual({ ok: true, code })
	expect(await joinClassSession(code, binh!.id)).toEqual({ ok: true, code })
	expect(await db.classSessionJoin.count({ where: { eventId: event.id } })).toBe(2)
	// The state the students' pages poll: for those who joined only; to anyone else a real code looks unknown.
	const poll = async (userId: string | null, pollCode = code) => {
		const response = await followState({ request: await requestAs(userId, `http://localhost/join/${pollCode}/state`), params: { code: pollCode }, context: {} })
		return [response.status, await response.json()]
	}
	expect(await poll(an!.id)).toEqual([200, { state: '0:false' }])
	expect(await poll(outsider.id)).toEqual([404, { reason: 'not-found' }])
	expect(await poll(null)).toEqual([404, { reason: 'not-found' }])
	expect(await poll(an!.id, code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ')).toEqual([404, { reason: 'not-found' }])

	// Answers only to the question on screen.
	expect(await answerQuestion(code, an!.id, 1, 0)).toEqual({ ok: false, error: 'moved-on' })
	// Another teacher of the class may watch but not drive.
	expect(await moveToStep(event, other.id, 1)).toEqual({ ok: false, error: 'not-driver' })
	expect(await moveToStep(event, teacher.id, 1)).toEqual({ ok: true, step: 1 })
	expect((await studentView(code, an!.id))!.step.kind).toBe('question')
	expect(await answerQuestion(code, an!.id, 1, 0)).toEqual({ ok: true, correct: true })
	expect(await answerQuestion(code, an!.id, 1, 2)).toEqual({ ok: false, error: 'already' })
	expect(await answerQuestion(code, binh!.id, 1, 3)).toEqual({ ok: true, correct: false })
	expect(await answerQuestion(code, outsider.id, 1, 0)).toEqual({ ok: false, error: 'not-joined' })
	const live = await liveStatus({ ...event, step: 1 })
	expect(live).toMatchObject({ joinedCount: 2, answeredCount: 2, correctCount: 1 })

	// The other teacher's POST to the projector is refused with a 403 and changes nothing.
	const request = await requestAs(other.id, `http://localhost/teach/session/${event.id}/projector`, { method: 'POST', body: new URLSearchParams({ intent: 'next' }) })
	const response = (await projector.action({ request, params: { sessionId: event.id }, context: {} })) as Response
	expect(response.status).toBe(403)
	expect((await db.trainingEvent.findUniqueOrThrow({ where: { id: event.id } })).step).toBe(1)

	// Closing before the end says how far the class got: «Hoàn thành» records the whole course (the walk of issue 18
	// certified four pupils for a course their session left at part 5 of 21).
	const closeProgress = async () => {
		const req = await requestAs(teacher.id, `http://localhost/teach/session/${event.id}/close`)
		const res = (await closePage.loader({ request: req, params: { sessionId: event.id }, context: {} })) as Response
		return ((await res.json()) as { progress: { step: number; steps: number } }).progress
	}
	expect(await closeProgress()).toEqual({ step: 2, steps: steps.length })

	await moveToStep((await getClassSession([a.path], event.id))!, teacher.id, 99)
	expect(await closeProgress()).toEqual({ step: steps.length, steps: steps.length })
	const atEnd = (await getClassSession([a.path], event.id))!
	expect(atEnd.step).toBe(steps.length - 1)
	const checklist = await closeChecklist(atEnd)
	expect(checklist.map((p) => [p.fullName, p.present, p.completed])).toEqual([
		['Nguyễn Văn An', true, true],
		['Trần Thị Bình', true, true],
		['Lê Minh Châu', false, false],
	])
	// Without a device, Châu is ticked by hand; the 5B student slipped into the form is not recorded.
	const entries = [...checklist.map((p) => ({ userId: p.id, present: true, completed: p.fullName !== 'Trần Thị Bình' })), { userId: outsider.id, present: true, completed: true }]
	expect(await closeClassSession(atEnd, entries, { actorId: other.id })).toEqual({ ok: false, error: 'not-driver' })
	expect(await closeClassSession(atEnd, entries, { actorId: teacher.id })).toEqual({ ok: true, recorded: 3, present: 3, completions: 2 })
	expect(await closeClassSession(atEnd, entries, { actorId: teacher.id })).toEqual({ ok: false, error: 'closed' })
	expect(await db.attendance.count({ where: { eventId: event.id, present: true } })).toBe(3)
	expect(await db.enrollment.count({ where: { source: 'CLASS', status: 'COMPLETED', userId: { in: students.map((s) => s.id) } } })).toBe(2)
	expect(await db.certificate.count({ where: { source: 'CLASS', userId: { in: students.map((s) => s.id) } } })).toBe(2)
	// Each completion is also in the outbox, with its certificate (decision 022).
	const serials = (await db.certificate.findMany({ where: { source: 'CLASS', userId: { in: students.map((s) => s.id) } } })).map((c) => c.serial).sort()
	expect((await db.completionEvent.findMany({ where: { source: 'CLASS', userId: { in: students.map((s) => s.id) } } })).map((e) => e.certificateSerial).sort()).toEqual(serials)
	expect(await db.attendance.count({ where: { userId: outsider.id } })).toBe(0)
	// The code has expired with the session.
	expect(await joinClassSession(code, students[2]!.id)).toEqual({ ok: false, error: 'closed' })
	expect(await answerQuestion(code, an!.id, steps.length - 1, 0)).toEqual({ ok: false, error: 'closed' })

	const results = await educationResults(root)
	expect(results.total).toEqual({ students: 4, reached: 3, sessions: 1, completed: 2 })
	expect(results.grades).toEqual([{ grade: 5, students: 4, reached: 3, sessions: 1, completed: 2 }])
	expect(results.classes.map((c) => [c.name, c.reached])).toEqual([
		['5A', 3],
		['5B', 0],
	])
})

test('wrong codes are rate-limited per student', async () => {
	const { students } = await school()
	for (let i = 0; i < 9; i++) expect(await joinClassSession('QQQQQQ', students[0]!.id)).toEqual({ ok: false, error: 'unknown' })
	expect(await joinClassSession('QQQQQQ', students[0]!.id)).toMatchObject({ ok: false, error: 'rate-limited' })
	expect(await joinClassSession('QQQQQQ', students[1]!.id)).toEqual({ ok: false, error: 'unknown' })
})

test('login cards: PINs are argon2-hashed, log in once printed, guessing is limited, and the PDF holds the names', async () => {
	const { a, teacher, students } = await school('Lê Lợi')
	const pins = await issuePins(a.id, students.map((s) => s.id), { actorId: teacher.id, grants: [{ role: 'TRAINER' as const, orgUnitId: a.id, path: a.path }] })
	expect(pins.size).toBe(3)
	const stored = await db.loginPin.findUniqueOrThrow({ where: { userId: students[0]!.id } })
	expect(stored.pinHash).toMatch(/^\$argon2id\$/)
	expect(stored.pinHash).not.toContain(pins.get(students[0]!.id)!)
	const request = await requestAs(null, 'http://localhost/join/login', { headers: { 'x-vms-client-ip': '198.51.100.9' } })
	const username = students[0]!.username!
	expect(await pinLogin(request, username.toUpperCase(), pins.get(students[0]!.id)!)).toMatchObject({ ok: true, userId: students[0]!.id })
	for (let i = 0; i < 4; i++) expect(await pinLogin(request, username, '000000')).toEqual({ ok: false, reason: 'invalid' })
	expect(await pinLogin(request, username, '000001')).toMatchObject({ ok: false, reason: 'rate-limited' })
	// Blocked even with the right PIN until the window ends.
	expect(await pinLogin(request, username, pins.get(students[0]!.id)!)).toMatchObject({ ok: false, reason: 'rate-limited' })

	const cards = (await classStudents(a.id)).map((s) => ({ fullName: s.fullName, className: a.name, username: s.username!, pin: pins.get(s.id)! }))
	const pdf = await loginCardsPdf(cards, { origin: 'http://localhost', schoolName: 'Trường Tiểu học Lê Lợi', title: 'Thẻ' })
	const text = pdfText(pdf)
	for (const s of students) expect(text).toContain(s.fullName)
	expect(text).toContain(pins.get(students[1]!.id)!)
	expect(text).toContain('Lớp 5A (2026–2027)')
	// A reset replaces the PIN: the old one no longer works.
	const again = await issuePins(a.id, [students[1]!.id], { actorId: teacher.id, grants: [{ role: 'TRAINER' as const, orgUnitId: a.id, path: a.path }] })
	expect(again.get(students[1]!.id)).toBeDefined()
	const other = await requestAs(null, 'http://localhost/join/login', { headers: { 'x-vms-client-ip': '198.51.100.10' } })
	if (again.get(students[1]!.id) !== pins.get(students[1]!.id)) expect(await pinLogin(other, students[1]!.username!, pins.get(students[1]!.id)!)).toEqual({ ok: false, reason: 'invalid' })
	expect(await pinLogin(other, students[1]!.username!, again.get(students[1]!.id)!)).toMatchObject({ ok: true })
})

import { beforeAll, expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { attendanceSheet, createEvent, getEvent, readAttendanceFile, recordAttendance } from '#app/org/training.server.ts'
import * as eventRoute from '#app/routes/org.$unitId_.training.$eventId.tsx'
import { foldVi } from '#app/ui/collation.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { rosterXlsx } from '#tests/factories/roster-files.ts'
import { courseBuilds, courseYaml, rewrite, useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs } from '#tests/setup/routes.ts'

useTestDb()
// The fixture course completes by its quiz; 'attendance' is the same course, allowing completion by attendance alone.
useFixtureCourses()
const courses = courseBuilds('vms-training-')
beforeAll(async () => {
	await courses.build('attendance', {
		edit: (source) => rewrite(courseYaml(source, 'mau'), (yaml) => `${yaml.trimEnd()}\ninPersonCompletion: attendance\n`),
	})
})

const t = translator('vi')

async function setting(name: string) {
	const dept = await createUnit(`Sở ${name}`)
	const div = await createUnit(`Phòng ${name}`, dept, 'division')
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	const people = []
	for (const fullName of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường']) {
		const user = await db.user.create({ data: { fullName, email: `${foldVi(fullName.split(' ').at(-1)!)}.${foldVi(name)}@example.vn` } })
		await db.membership.create({ data: { userId: user.id, orgUnitId: div.id, validFrom: new Date('2026-01-01') } })
		people.push(user)
	}
	const created = await createEvent(dept, { courseSlug: 'mau', title: 'Tập huấn ứng xử trên mạng', startsAt: new Date('2026-11-20T08:00:00+07:00'), trainerId: manager.id }, { actorId: manager.id })
	if (!created.ok) throw new Error(created.error)
	const event = (await getEvent(dept, created.eventId))!
	return { dept, div, manager, people, event }
}

test('attendees who pass the quiz get an in-person completion and a certificate, once', async () => {
	const { manager, people, event } = await setting('Một')
	expect((await attendanceSheet(event)).map((p) => p.fullName)).toEqual(['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường'])
	const [an, binh, cuong] = people
	const entries = [
		{ userId: an!.id, present: true, passed: true },
		{ userId: binh!.id, present: true, passed: false },
		{ userId: cuong!.id, present: false, passed: true },
	]
	expect(await recordAttendance(event, entries, { actorId: manager.id })).toEqual({ recorded: 3, refused: 0, certificates: 1 })
	const certificate = await db.certificate.findFirstOrThrow({ where: { userId: an!.id } })
	expect(certificate).toMatchObject({ source: 'IN_PERSON', holderName: 'Nguyễn Văn An' })
	expect(await db.enrollment.findFirstOrThrow({ where: { userId: an!.id } })).toMatchObject({ status: 'COMPLETED', source: 'IN_PERSON' })
	expect(await db.certificate.count({ where: { userId: { in: [binh!.id, cuong!.id] } } })).toBe(0)
	// Saving the same checklist again issues nothing twice.
	expect(await recordAttendance(event, entries, { actorId: manager.id })).toMatchObject({ certificates: 0 })
	expect(await db.certificate.count({ where: { userId: an!.id } })).toBe(1)
	expect(await db.auditEvent.count({ where: { action: 'training.attendance', targetId: event.id } })).toBe(2)
	// Someone outside the event's unit cannot be recorded.
	const stranger = await db.user.create({ data: { fullName: 'Người Lạ' } })
	expect(await recordAttendance(event, [{ userId: stranger.id, present: true, passed: true }], { actorId: manager.id })).toEqual({ recorded: 0, refused: 1, certificates: 0 })
})

test('when the course allows it, being present is enough', async () => {
	courses.use('attendance')
	try {
		const { manager, people, event } = await setting('Hai')
		expect(event.attendanceOnly).toBe(true)
		const outcome = await recordAttendance(event, people.map((p, i) => ({ userId: p.id, present: i < 2, passed: false })), { actorId: manager.id })
		expect(outcome.certificates).toBe(2)
	} finally {
		courses.useFixture()
	}
})

test('an attendance file is matched to members and refused whole, by row and column, when a row is wrong', async () => {
	const { dept, manager, event } = await setting('Ba')
	const headers = ['Họ và tên', 'Email', 'Có mặt', 'Đạt']
	const bad = await rosterXlsx(
		[
			['Nguyễn Văn An', '', 'x', 'Đạt'],
			['Không Có Ai', '', 'x', ''],
			['', 'binh.ba@example.vn', 'có lẽ', ''],
		],
		{ headers },
	)
	const read = await readAttendanceFile(event, bad)
	expect(read.ok).toBe(false)
	if (read.ok) return
	expect(read.errors.map((e) => formatImportMessage(t, e))).toEqual([
		'Dòng 3, cột A (Họ và tên): Không tìm thấy «Không Có Ai» trong danh sách đơn vị tổ chức buổi tập huấn.',
		'Dòng 4, cột C (Có mặt): Giá trị «co le» không hợp lệ; hãy ghi Có hoặc Không.',
	])
	// Through the page, without JavaScript: a multipart form post.
	const good = await rosterXlsx(
		[
			['Nguyễn Văn An', '', 'x', 'Đạt'],
			['', 'BINH.BA@example.vn', 'Có', 'Không'],
		],
		{ headers },
	)
	const file = new File([new Uint8Array(good)], 'diem-danh.xlsx')
	const response = await eventRoute.action(routeArgs(await postAs(manager.id, { file }, 'http://x/'), { unitId: String(dept.id), eventId: event.id }))
	expect(await response.json()).toMatchObject({ notice: 'Đã ghi nhận 2 người; cấp 1 chứng nhận mới.', errors: [] })
	expect(await db.attendance.count({ where: { eventId: event.id, present: true } })).toBe(2)
	// Another unit's manager does not find the event.
	const other = await createUnit('Sở Bên')
	const otherManager = await createUser({ unitId: other.id, role: 'MANAGER' })
	await expect(
		eventRoute.loader(routeArgs(await requestAs(otherManager.id), { unitId: String(other.id), eventId: event.id })),
	).rejects.toMatchObject({ status: 404 })
})

import { expect, test } from 'vitest'
import { confirmStudentImport, getStudentImport, startStudentImport } from '#app/classes/student-import.server.ts'
import { createSchool } from '#app/classes/classes.server.ts'
import { db } from '#app/db.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const t = translator('vi')
const csv = (lines: Array<string>) => new TextEncoder().encode(lines.join('\n'))

let n = 0
async function office() {
	const k = ++n
	const unit = await createUnit('Phòng Giáo dục')
	const root = await db.orgUnit.update({ where: { id: unit.id }, data: { tree: 'EDU', kind: 'education_office' } })
	const manager = await createUser({ unitId: root.id, role: 'MANAGER' })
	for (const [code, name] of [['KD', 'Trường Tiểu học Kim Đồng'], ['LQD', 'Trường THCS Lê Quý Đôn']] as const) {
		const s = await createSchool(root, { code: k === 1 ? code : `${code}${k}`, name, level: code === 'KD' ? 'PRIMARY' : 'LOWER_SECONDARY' }, { actorId: manager.id })
		if (!s.ok) throw new Error(s.error)
	}
	return { root, manager }
}

test('a file with mistakes is refused by row and column and writes nothing', async () => {
	const { root, manager } = await office()
	const before = await db.user.count()
	const jobId = await startStudentImport({
		bytes: csv(['Mã trường,Lớp,Họ và tên,Năm sinh,Giới tính', 'KD,5A,Nguyễn Văn An,2015,Nam', 'XX,5A,Trần Thị Bình,2015,Nữ', 'KD,5A,Lê Văn 3,2015,', 'KD,5B,Phạm Thu Hà,,Nữ', 'KD,5B,Nguyễn Văn An,2015,Nam']),
		fileName: 'hoc-sinh.csv',
		scope: root,
		schoolYear: 2026,
		actorId: manager.id,
	})
	const job = (await getStudentImport(jobId, root.id))!
	expect(job.errors.items.map((e) => formatImportMessage(t, e))).toEqual([
		'Dòng 3, cột A (Mã trường): Mã đơn vị «XX» không có trong Phòng Giáo dục (xem trang «Mã đơn vị» của tệp mẫu).',
		'Dòng 4, cột C (Họ và tên): Họ và tên không hợp lệ (không được có chữ số hoặc bắt đầu bằng =, +, -, @).',
		'Dòng 5, cột D (Năm sinh): Thiếu năm sinh (học sinh không có e-mail nên năm sinh giúp phân biệt các em trùng tên).',
		'Dòng 6, cột C (Họ và tên): Học sinh này đã có ở dòng 2 (lớp 5A); nếu là hai em khác nhau, hãy sửa để họ tên khác nhau.',
	])
	expect(await confirmStudentImport({ jobId, scope: root, actorId: manager.id })).toBe(false)
	expect(await db.user.count()).toBe(before)
	expect(await db.orgUnit.count({ where: { kind: 'class' } })).toBe(0)
})

test('a valid file creates the classes and students in one go; the same file again changes nothing', async () => {
	const { root, manager } = await office()
	const file = csv(['Danh sách học sinh năm học 2026–2027', '', 'STT,Mã trường,Lớp,Họ và tên,Năm sinh,Giới tính', '1,KD2,5A,Nguyễn Văn An,2015,Nam', '2,kd2,5a,Trần Thị Bình,2015,Nữ', '3,LQD2,8A,Lê Minh Châu,2012,Nam'])
	const jobId = await startStudentImport({ bytes: file, fileName: 'hs.csv', scope: root, schoolYear: 2026, actorId: manager.id })
	expect(await getStudentImport(jobId, root.id)).toMatchObject({ status: 'PREVIEW', newUsers: 3, created: 3, newClasses: 2, errors: { total: 0 } })
	// The preview wrote nothing.
	expect(await db.orgUnit.count({ where: { kind: 'class' } })).toBe(0)
	expect(await confirmStudentImport({ jobId, scope: root, actorId: manager.id })).toBe(true)
	expect(await confirmStudentImport({ jobId, scope: root, actorId: manager.id })).toBe(false)
	expect(await getStudentImport(jobId, root.id)).toMatchObject({ status: 'SUCCEEDED' })
	const classes = await db.orgUnit.findMany({ where: { kind: 'class' }, include: { eduProfile: true }, orderBy: { code: 'asc' } })
	expect(classes.map((c) => [c.code, c.name, c.eduProfile?.grade])).toEqual([
		['KD2-5A-2026', 'Lớp 5A (2026–2027)', 5],
		['LQD2-8A-2026', 'Lớp 8A (2026–2027)', 8],
	])
	const students = await db.user.findMany({ where: { memberships: { some: { orgUnitId: { in: classes.map((c) => c.id) } } } }, orderBy: { fullName: 'asc' } })
	expect(students.map((s) => [s.fullName, s.kind, s.birthYear, s.email, s.phone, s.username])).toEqual([
		['Lê Minh Châu', 'STUDENT', 2012, null, null, 'chau.lm'],
		['Nguyễn Văn An', 'STUDENT', 2015, null, null, 'an.nv'],
		['Trần Thị Bình', 'STUDENT', 2015, null, null, 'binh.tt'],
	])
	expect(await db.auditEvent.count({ where: { action: 'students.import', targetId: jobId } })).toBe(1)
	const again = await startStudentImport({ bytes: file, fileName: 'hs.csv', scope: root, schoolYear: 2026, actorId: manager.id })
	expect(await getStudentImport(again, root.id)).toMatchObject({ newUsers: 0, created: 0, unchanged: 3, newClasses: 0 })
})

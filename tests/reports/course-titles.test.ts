// Issue 18 item 5: course titles, never slugs, in the dashboard's filter and per-course table, the reports filter and
// the XLSX; the filters list only the courses assigned in the unit's scope (a department is not offered a course
// another department or tree was given).
import ExcelJS from 'exceljs'
import { expect, test } from 'vitest'
import { getCourse } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { loader as dashboardLoader } from '#app/routes/org.$unitId_.dashboard.tsx'
import { loader as xlsxLoader } from '#app/routes/org.$unitId_.dashboard[.]xlsx.ts'
import { loader as reportsLoader } from '#app/routes/org.$unitId_.reports.tsx'
import { assign, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useFixtureCourses()
useTestDb()

test('a course assigned but never started shows its catalogue title; each unit is offered only the courses assigned in its scope', async () => {
	const root = await createUnit('Tỉnh Tên Khoá')
	const a = await createUnit('Sở Có Khoá', root)
	const b = await createUnit('Sở Khác Khoá', root)
	// Assigning creates the course row; its first version appears only when somebody starts it.
	const fresh = await db.course.create({ data: { slug: 'mau' } })
	await assign(fresh, a, { dueAt: new Date('2030-06-30T00:00:00Z') })
	const other = await createCourse('khoa-cua-so-khac')
	await assign(other, b, { dueAt: new Date('2030-06-30T00:00:00Z') })
	await join(await createUser(), a)
	await join(await createUser(), b)
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })
	const title = getCourse('mau')!.meta.title

	const dashboard = async (unitId: number) =>
		(await dashboardLoader({ request: await requestAs(admin.id, `http://localhost/org/${unitId}/dashboard`), params: { unitId: String(unitId) }, context: {} })).json()
	const forA = await dashboard(a.id)
	expect(forA.courses).toEqual([{ slug: 'mau', title }])
	expect(forA.byCourse!.map((c: { title: string }) => c.title)).toEqual([title])
	const forRoot = await dashboard(root.id)
	expect(forRoot.courses.map((c: { slug: string }) => c.slug).sort()).toEqual(['khoa-cua-so-khac', 'mau'])

	const reports = await reportsLoader({ request: await requestAs(admin.id, `http://localhost/org/${a.id}/reports`), params: { unitId: String(a.id) }, context: {} })
	expect((await reports.json()).courses).toEqual([{ slug: 'mau', title }])

	const xlsx = await xlsxLoader({ request: await requestAs(admin.id, `http://localhost/org/${a.id}/dashboard.xlsx`), params: { unitId: String(a.id) }, context: {} })
	const book = new ExcelJS.Workbook()
	await book.xlsx.load(await xlsx.arrayBuffer())
	const cells = book.worksheets.flatMap((sheet) => sheet.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map((v) => String(v ?? '')) : [])))
	expect(cells).toContain(title)
	expect(cells.filter((c) => c.includes('mau'))).toEqual([])
	const withCourse = await xlsxLoader({ request: await requestAs(admin.id, `http://localhost/org/${a.id}/dashboard.xlsx?course=mau`), params: { unitId: String(a.id) }, context: {} })
	const book2 = new ExcelJS.Workbook()
	await book2.xlsx.load(await withCourse.arrayBuffer())
	const cells2 = book2.worksheets.flatMap((sheet) => sheet.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map((v) => String(v ?? '')) : [])))
	expect(cells2.some((c) => c.includes(title))).toBe(true)
	expect(cells2.filter((c) => /\bmau\b/.test(c))).toEqual([])
})

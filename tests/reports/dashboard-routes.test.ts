// The completion dashboard pages: who may see which unit, what bad filters do, what the pages show.
import ExcelJS from 'exceljs'
import { beforeAll, expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { loader as dashboardLoader } from '#app/routes/org.$unitId_.dashboard.tsx'
import { loader as peopleLoader } from '#app/routes/org.$unitId_.dashboard_.people.tsx'
import { loader as xlsxLoader } from '#app/routes/org.$unitId_.dashboard[.]xlsx.ts'
import { loader as reportsLoader } from '#app/routes/reports._index.tsx'
import { assign, certify, createCourse, enroll, join } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

let world: Awaited<ReturnType<typeof setUp>>

async function setUp() {
	const root = await createUnit('Tỉnh Bảng Số Liệu')
	const a = await createUnit('Sở Alpha', root)
	const b = await createUnit('Sở Beta', root)
	const course = await createCourse('bang-so-lieu')
	await assign(course, root, { dueAt: new Date('2025-06-30T00:00:00Z') })
	const done = await createUser({ fullName: 'Lê Thị Xong', password: null })
	const late = await createUser({ fullName: 'Trần Văn Muộn', password: null })
	const started = await createUser({ fullName: 'Phạm Đang Học', password: null })
	await join(done, a)
	await join(late, a)
	await join(started, b)
	await certify(done, course.versions[0]!, { issuedAt: new Date('2025-03-01T00:00:00Z') })
	await enroll(started, course.versions[0]!, { startedAt: new Date('2025-05-01T00:00:00Z') })
	// Viewers hold roles without being on the roster, so that the numbers are the three people above.
	const managerA = await createUser()
	await db.roleGrant.create({ data: { userId: managerA.id, orgUnitId: a.id, role: 'MANAGER' } })
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })
	const learner = await createUser()
	return { root, a, b, managerA, admin, learner }
}

useTestDb()
beforeAll(async () => {
	world = await setUp()
})

async function dashboard(userId: string | null, unitId: number, search = '') {
	const request = await requestAs(userId, `http://localhost/org/${unitId}/dashboard${search}`)
	return dashboardLoader({ request, params: { unitId: String(unitId) }, context: {} })
}

async function people(userId: string | null, unitId: number, search = '') {
	const request = await requestAs(userId, `http://localhost/org/${unitId}/dashboard/people${search}`)
	return peopleLoader({ request, params: { unitId: String(unitId) }, context: {} })
}

const status = (promise: Promise<unknown>) =>
	promise.then(
		() => 200,
		(thrown: unknown) => (thrown instanceof Response ? thrown.status : -1),
	)

test('the province admin sees the ranking of departments with the completion rule’s numbers', async () => {
	const data = await (await dashboard(world.admin.id, world.root.id, '?course=bang-so-lieu')).json()
	expect(data.problems).toEqual([])
	expect(data.total).toMatchObject({ target: 3, completed: 1, inProgress: 1, notStarted: 1, overdue: 2 })
	expect(data.rows.map((r: { name: string; counts: { rate: number | null } }) => [r.name, r.counts.rate])).toEqual([
		['Sở Alpha', 0.5],
		['Sở Beta', 0],
	])
})

test('a manager of one department sees it and its people, and gets 403 for the other department and the province', async () => {
	expect(await status(dashboard(world.managerA.id, world.a.id))).toBe(200)
	expect(await status(dashboard(world.managerA.id, world.b.id))).toBe(403)
	expect(await status(dashboard(world.managerA.id, world.root.id))).toBe(403)
	expect(await status(people(world.managerA.id, world.b.id))).toBe(403)
	expect(await status(dashboard(world.learner.id, world.a.id))).toBe(403)
	const list = await (await people(world.managerA.id, world.a.id, '?people=overdue')).json()
	expect(list.people.map((p: { name: string }) => p.name)).toEqual(['Trần Văn Muộn'])
})

test('bad filters are reported in Vietnamese and replaced by their defaults; the page still answers', async () => {
	const data = await (await dashboard(world.admin.id, world.root.id, '?course=khong-co&asOf=2099-01-01&people=ai-do&level=0')).json()
	expect(data.problems).toEqual(['dash.error.course', 'dash.error.asOf', 'dash.error.people', 'dash.error.level'])
	expect(data.filters).toEqual({ course: null, asOf: null, people: 'all', level: 1 })
	// A level deeper than the tree ranks the deepest level there is (here the departments, one level down).
	const deep = await (await dashboard(world.admin.id, world.root.id, '?level=4')).json()
	expect([deep.problems, deep.filters.level, deep.levels, deep.rows.length]).toEqual([[], 1, 1, 2])
	const past = await (await dashboard(world.admin.id, world.root.id, '?course=bang-so-lieu&asOf=2025-04-01')).json()
	expect(past.problems).toEqual([])
	// On 1 April 2025 nobody was overdue yet (due 30 June) and the one certificate was already issued.
	expect(past.total).toMatchObject({ target: 3, completed: 1, overdue: 0 })
	expect(await status(dashboard(world.admin.id, 999_999))).toBe(404)
})

test('"Tiến độ" takes a viewer with one scope straight to its dashboard', async () => {
	const request = await requestAs(world.managerA.id, 'http://localhost/reports')
	const response = await reportsLoader({ request, params: {}, context: {} }).catch((r: unknown) => r)
	expect(response instanceof Response && response.headers.get('Location')).toBe(`/org/${world.a.id}/dashboard`)
})

async function figuresXlsx(userId: string | null, unitId: number, search = '') {
	const request = await requestAs(userId, `http://localhost/org/${unitId}/dashboard.xlsx${search}`)
	return xlsxLoader({ request, params: { unitId: String(unitId) }, context: {} })
}

test('the current figures download as XLSX with the dashboard’s numbers, scoped, audited; bad filters go back to the page', async () => {
	const search = '?course=bang-so-lieu'
	const data = await (await dashboard(world.admin.id, world.root.id, search)).json()
	const response = await figuresXlsx(world.admin.id, world.root.id, search)
	expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
	const book = new ExcelJS.Workbook()
	await book.xlsx.load(await response.arrayBuffer())
	expect(book.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Xếp hạng'])
	const values = (row: ExcelJS.Row) => (row.values as Array<unknown>).slice(1)
	expect(String(book.getWorksheet('Tổng hợp')!.getRow(3).getCell(1).value)).toMatch(/^Số liệu tại thời điểm \d\d:\d\d ngày \d\d\/\d\d\/\d{4}/)
	const total = data.total
	expect(values(book.getWorksheet('Tổng hợp')!.getRow(6)).slice(1)).toEqual([total.target, total.completed, Math.round(total.rate! * 1000) / 10, total.inProgress, total.notStarted, total.overdue])
	const ranking = book.getWorksheet('Xếp hạng')!
	const rows = [6, 7].map((i) => values(ranking.getRow(i)))
	expect(rows).toEqual(
		data.rows.map((r) => [
			r.name,
			r.counts.target,
			r.counts.completed,
			Math.round(r.counts.rate! * 1000) / 10,
			r.counts.inProgress,
			r.counts.notStarted,
			r.counts.overdue,
		]),
	)
	expect(await db.auditEvent.count({ where: { action: 'report.export', actorId: world.admin.id, targetId: String(world.root.id) } })).toBeGreaterThan(0)
	expect(await status(figuresXlsx(world.managerA.id, world.b.id))).toBe(403)
	expect(await status(figuresXlsx(null, world.a.id))).not.toBe(200)
	const bad = await figuresXlsx(world.admin.id, world.root.id, '?level=abc')
	expect([bad.status, bad.headers.get('Location')]).toEqual([303, `http://localhost/org/${world.root.id}/dashboard?level=abc`])
})

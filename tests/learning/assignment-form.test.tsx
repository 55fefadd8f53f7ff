// Issue 18 items 8 and 14: on a department's assignment and target pages "Số người phải học" counts the people of
// that department, even for an assignment made on the province; the assignment form previews without a due date,
// keeps its values after creating and says what was created, and offers only the courses for the unit's people.
import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { createRemixStub } from '@remix-run/testing'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { beforeAll, expect, test, vi } from 'vitest'
import { db } from '#app/db.server.ts'
import AssignmentsPage, { action as assignmentsAction, loader as assignmentsLoader } from '#app/routes/org.$unitId_.assignments.tsx'
import { loader as targetsLoader } from '#app/routes/org.$unitId_.targets.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { copyCourse, courseBuilds, courseYaml, forPupils, rewrite } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
const courses = courseBuilds('vms-assign-form-')
beforeAll(async () => {
	// The fixture catalogue plus a pupils' course, made from the staff one.
	await courses.build('with-pupils', {
		edit: (source) => {
			copyCourse(source, 'mau', 'mau-hoc-sinh')
			rewrite(courseYaml(source, 'mau-hoc-sinh'), (yaml) => yaml.replace('title: Khoá học mẫu', 'title: Khoá học mẫu cho học sinh'))
			forPupils(source, 'mau-hoc-sinh')
		},
	})
	courses.use('with-pupils')
})

const args = (request: Request, unitId: number) => ({ request, params: { unitId: String(unitId) }, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs
const post = async (userId: string, unitId: number, fields: Record<string, string>) =>
	(await assignmentsAction(args(await requestAs(userId, `http://localhost/org/${unitId}/assignments`, { method: 'POST', body: new URLSearchParams(fields) }), unitId))) as Response

async function province() {
	const root = await createUnit('Tỉnh Đếm Người')
	const dept = await createUnit('Sở Đếm Người', root)
	const other = await createUnit('Sở Bên Cạnh', root)
	for (let i = 0; i < 2; i++) await createUser({ unitId: dept.id })
	for (let i = 0; i < 5; i++) await createUser({ unitId: other.id })
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })
	return { root, dept, other, manager, admin }
}

test('a department sees how many of its own people an assignment made on the province requires (assignments and targets)', async () => {
	const { root, dept, manager, admin } = await province()
	expect((await (await post(admin.id, root.id, { intent: 'create', courseSlug: 'mau', dueAt: '2030-06-30' })).json()).notice).toContain('8 người phải hoàn thành')
	const assignments = await (await assignmentsLoader(args(await requestAs(manager.id), dept.id))).json()
	expect(assignments.assignments).toHaveLength(1)
	expect(assignments.assignments[0]).toMatchObject({ inherited: true, required: 3 })
	const targets = await (await targetsLoader(args(await requestAs(manager.id), dept.id))).json()
	expect(targets.assignments[0]).toMatchObject({ required: 3 })
	expect(targets.summary).toEqual({ members: 3, counted: 3 })
	// The province's own page still counts the whole province.
	const atRoot = await (await assignmentsLoader(args(await requestAs(admin.id), root.id))).json()
	expect(atRoot.assignments[0]).toMatchObject({ inherited: false, required: 8 })
})

test('the preview needs no due date; creating keeps the values and says what was created; pupils’ courses are not offered to a department', async () => {
	const { dept, manager } = await province()
	const preview = await post(manager.id, dept.id, { intent: 'preview', courseSlug: 'mau', audienceTag: '', dueAt: '' })
	expect(preview.status).toBe(200)
	expect(await preview.json()).toMatchObject({ preview: 3, notice: null })
	// Creating still needs the date.
	const noDate = await post(manager.id, dept.id, { intent: 'create', courseSlug: 'mau', dueAt: '' })
	expect(noDate.status).toBe(400)
	expect(await db.assignment.count({ where: { orgUnitId: dept.id } })).toBe(0)

	const created = await post(manager.id, dept.id, { intent: 'create', courseSlug: 'mau', audienceTag: '', dueAt: '2030-06-30', recurrenceMonths: '12' })
	const data = await created.json()
	const row = await db.assignment.findFirstOrThrow({ where: { orgUnitId: dept.id } })
	expect(data.notice).toBe('Đã giao khoá học «Khoá học mẫu» cho Sở Đếm Người (Tất cả thành viên), hạn hoàn thành 30/06/2030: 3 người phải hoàn thành. Các ô bên dưới vẫn giữ giá trị vừa nhập.')
	expect(data.created).toEqual({ id: row.id })
	// Rendered after the POST: the fields still hold what was typed, with a link to the new assignment.
	const page = await (await assignmentsLoader(args(await requestAs(manager.id), dept.id))).json()
	const root = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path: '/org/:unitId/assignments', Component: AssignmentsPage, loader: () => null, action: () => null }] }])
	const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
	const html = renderToString(createElement(Stub, { initialEntries: [`/org/${dept.id}/assignments`], hydrationData: { loaderData: { root, page }, actionData: { page: data } } })).replace(/<!-- -->/g, '')
	spy.mockRestore()
	expect(html).toMatch(/<option value="mau" selected="">Khoá học mẫu<\/option>/)
	expect(html).toMatch(/name="dueAt"[^>]*value="2030-06-30"|value="2030-06-30"[^>]*name="dueAt"/)
	expect(html).toMatch(/name="recurrenceMonths"[^>]*value="12"|value="12"[^>]*name="recurrenceMonths"/)
	expect(html).toContain(`href="/org/${dept.id}/assignments/${row.id}">Xem việc giao vừa tạo</a>`)

	// The department's form offers the staff course only; posting the pupils' course is refused with a reason.
	expect(page.courseGroups).toEqual([{ key: 'staff', courses: [{ slug: 'mau', title: 'Khoá học mẫu' }] }])
	expect(html).not.toContain('Khoá học mẫu cho học sinh')
	const refused = await post(manager.id, dept.id, { intent: 'create', courseSlug: 'mau-hoc-sinh', dueAt: '2030-06-30' })
	expect(refused.status).toBe(400)
	expect(JSON.stringify(await refused.json())).toContain('Khoá học này không dành cho đối tượng của đơn vị')
	expect(await db.assignment.count({ where: { orgUnitId: dept.id } })).toBe(1)

	// A due date already past (the walk of issue 18 created one due 01/01/1999): refused with its reason, nothing made.
	const past = await post(manager.id, dept.id, { intent: 'create', courseSlug: 'mau', dueAt: '1999-01-01' })
	expect(past.status).toBe(400)
	expect(JSON.stringify(await past.json())).toContain('assign.error.duePast')
	expect(await db.assignment.count({ where: { orgUnitId: dept.id } })).toBe(1)
})

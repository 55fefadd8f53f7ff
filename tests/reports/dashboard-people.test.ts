// Issue 18 item 6: the dashboard's headline counted course places as people ("23 / 183 người" for 77 people). It
// now says people and course places apart, its people by status are the people list's (so "Đang học" agrees), and
// the ranking says how a unit that adds its own courses is ranked. Figures come from the completion rule's SQL.
import { createRemixStub } from '@remix-run/testing'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { expect, test, vi } from 'vitest'
import { db } from '#app/db.server.ts'
import { getPeopleSummary } from '#app/reports/completion.server.ts'
import DashboardPage, { loader as dashboardLoader } from '#app/routes/org.$unitId_.dashboard.tsx'
import { loader as peopleLoader } from '#app/routes/org.$unitId_.dashboard_.people.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { assign, certify, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

test('people and course places apart; people by status agree with the people list; the ranking rule is stated', async () => {
	const root = await createUnit('Tỉnh Người Và Lượt')
	const dept = await createUnit('Sở Người Và Lượt', root)
	const division = await createUnit('Phòng Tự Giao', dept, 'division')
	const first = await createCourse('nguoi-va-luot-1')
	const second = await createCourse('nguoi-va-luot-2')
	const own = await createCourse('nguoi-va-luot-rieng')
	await assign(first, root, { dueAt: new Date('2030-06-30T00:00:00Z') })
	await assign(second, root, { dueAt: new Date('2030-06-30T00:00:00Z') })
	// The division adds a course of its own for its people.
	await assign(own, division, { dueAt: new Date('2030-06-30T00:00:00Z') })
	const partly = await createUser({ fullName: 'Xong Một Khoá', password: null })
	const none = await createUser({ fullName: 'Chưa Học Gì', password: null })
	const all = await createUser({ fullName: 'Xong Tất Cả', password: null })
	for (const person of [partly, none]) await join(person, dept)
	await join(all, division)
	await certify(partly, first.versions[0]!, { issuedAt: new Date('2025-03-01T00:00:00Z') })
	for (const course of [first, second, own]) await certify(all, course.versions[0]!, { issuedAt: new Date('2025-03-01T00:00:00Z') })
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })

	const today = new Date().toISOString().slice(0, 10)
	const request = async (path: string) => requestAs(admin.id, `http://localhost/org/${dept.id}${path}`)
	const data = await (await dashboardLoader({ request: await request(`/dashboard?asOf=${today}`), params: { unitId: String(dept.id) }, context: {} })).json()
	// 3 people; 7 course places (2 + 2 + 3), 4 of them completed; no place is "in progress" (nobody has an open enrollment).
	expect(data.total).toMatchObject({ target: 7, completed: 4, inProgress: 0 })
	expect(data.people).toEqual({ people: 3, completed: 1, inProgress: 1, notStarted: 1, overdue: 0 })
	expect(await getPeopleSummary(dept.id, { limit: 2 })).toBeNull()

	// The people list's "Đang học" filter lists exactly the people the summary counts as in progress.
	const list = await (await peopleLoader({ request: await request('/dashboard/people?people=in_progress'), params: { unitId: String(dept.id) }, context: {} })).json()
	expect(list.people.map((p: { name: string }) => p.name)).toEqual(['Xong Một Khoá'])
	expect(list.people).toHaveLength(data.people!.inProgress)

	const rootData = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => rootData, children: [{ id: 'page', path: '/org/:unitId/dashboard', Component: DashboardPage, loader: () => null }] }])
	const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
	const html = renderToString(createElement(Stub, { initialEntries: [`/org/${dept.id}/dashboard`], hydrationData: { loaderData: { root: rootData, page: data } } })).replace(/<!-- -->/g, '')
	spy.mockRestore()
	expect(html).toContain('đã hoàn thành: 4 / 7 lượt khoá học bắt buộc')
	expect(html).not.toContain('người phải hoàn thành')
	expect(html).toContain('3 người phải học · 7 lượt khoá học bắt buộc')
	expect(html).toContain('1 người đã hoàn thành mọi khoá · 1 người đang học (đã bắt đầu hoặc xong một phần) · 1 người chưa bắt đầu · 0 người có khoá quá hạn')
	expect(html).toContain('Khoá học một đơn vị tự giao thêm cho người của mình cũng là lượt phải hoàn thành của đơn vị đó')
})

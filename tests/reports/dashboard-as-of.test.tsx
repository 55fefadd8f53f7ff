// @vitest-environment jsdom
// The dashboard says where its figures come from: "now" from the rollup, a closed month's last day from the figures
// saved when the month was closed (decision 028), any other date computed from the data.
import { createRemixStub } from '@remix-run/testing'
import { renderToString } from 'react-dom/server'
import { expect, test, vi as vitest } from 'vitest'
import { db } from '#app/db.server.ts'
import { takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import DashboardPage, { loader } from '#app/routes/org.$unitId_.dashboard.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { assign, certify, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

async function page(userId: string, unitId: number, search: string) {
	const path = `/org/${unitId}/dashboard`
	const response = (await loader({ request: await requestAs(userId, `http://localhost${path}${search}`), params: { unitId: String(unitId) }, context: {} })) as Response
	const loaderData = await response.json()
	const root = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path, Component: DashboardPage, loader: () => loaderData }] }])
	// React warns that the router's layout effects do nothing on the server: that is the point here.
	const quiet = vitest.spyOn(console, 'error').mockImplementation((message: unknown) => {
		if (!String(message).includes('useLayoutEffect')) process.stderr.write(`${String(message)}\n`)
	})
	const html = renderToString(<Stub initialEntries={[`${path}${search}`]} hydrationData={{ loaderData: { root, page: loaderData } }} />)
	quiet.mockRestore()
	return { source: loaderData.source as string, text: new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '' }
}

test('a closed month’s last day says the figures are the ones saved at its close; another day says computed', async () => {
	const root = await createUnit('Tỉnh Chốt Tháng Trang')
	const dept = await createUnit('Sở Chốt Tháng', root)
	const course = await createCourse('chot-thang-trang')
	await assign(course, root, { dueAt: new Date('2026-03-31T00:00:00Z') })
	const person = await createUser({ fullName: 'Nguyễn Đã Chốt', password: null })
	await join(person, dept)
	await certify(person, course.versions[0]!, { issuedAt: new Date('2026-02-01T00:00:00Z') })
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })
	await takeMonthSnapshot('2026-03', new Date('2026-04-10T00:00:00Z'))

	const closed = await page(admin.id, root.id, '?asOf=2026-03-31')
	expect(closed.source).toBe('snapshot')
	expect(closed.text).toContain('Số liệu chốt cuối tháng, tính tại thời điểm')
	const other = await page(admin.id, root.id, '?asOf=2026-03-15')
	expect(other.source).toBe('live')
	expect(other.text).toContain('Số liệu tính tại thời điểm')
	expect(other.text).not.toContain('chốt cuối tháng')
})

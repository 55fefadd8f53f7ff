// Issue 18 item 9: the unit page's member table counts rows and people apart ("Hiển thị 37 / 33 thành viên" compared
// rows, one a post, with distinct people): both numbers of "shown / total" count posts, and the people are said apart.
import { createRemixStub } from '@remix-run/testing'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { expect, test, vi } from 'vitest'
import { db } from '#app/db.server.ts'
import UnitPage, { loader } from '#app/routes/org.$unitId.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

test('a person with posts in the unit and a sub-unit is two rows and one person; both halves of "shown / total" count rows', async () => {
	const root = await createUnit('Tỉnh đoàn Đếm')
	const branch = await createUnit('Chi đoàn Đếm', root, 'youth_branch')
	const both = await createUser({ fullName: 'Hai Chức Vụ', unitId: root.id })
	await db.membership.create({ data: { userId: both.id, orgUnitId: branch.id, title: 'Bí thư chi đoàn' } })
	await createUser({ fullName: 'Một Chức Vụ', unitId: branch.id })
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })

	const data = await (await loader({ request: await requestAs(admin.id, `http://localhost/org/${root.id}`), params: { unitId: String(root.id) }, context: {} })).json()
	expect(data.overview).toMatchObject({ memberCount: 2, postCount: 3 })
	expect(data.overview.members).toHaveLength(3)
	const rootData = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => rootData, children: [{ id: 'page', path: '/org/:unitId', Component: UnitPage, loader: () => null }] }])
	const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
	const html = renderToString(createElement(Stub, { initialEntries: [`/org/${root.id}`], hydrationData: { loaderData: { root: rootData, page: data } } })).replace(/<!-- -->/g, '')
	spy.mockRestore()
	expect(html).toContain('Hiển thị 3 / 3 dòng: mỗi dòng là một chức vụ (vị trí) của một người ở đơn vị này hoặc đơn vị trực thuộc; 2 người')
	expect(html).toContain('2 thành viên')
})

// Issue 18 item 11: the certificate's signatory comes from the issuer configuration; the demo's configuration names
// the heads on the demo roster; the unit certificates page shows who signs, checked against the signing unit's roster.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { createRemixStub } from '@remix-run/testing'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { afterAll, expect, test, vi } from 'vitest'
import { issuerFor, loadIssuers, parseIssuers, setIssuersForTests } from '#app/certificates/issuers.server.ts'
import { db } from '#app/db.server.ts'
import UnitPage, { loader as unitLoader } from '#app/routes/certificates.unit.$unitId.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { buildDemoData } from '../../prisma/demo-data.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'

useFixtureCourses()
useTestDb()
afterAll(() => setIssuersForTests(undefined))

const upper = (text: string) => text.normalize('NFC').toLocaleUpperCase('vi')

test('the demo configuration: every issuer names its signing unit, and its signatory today holds that title on the demo roster', () => {
	const config = loadIssuers('config/certificate-issuers.yaml')
	const demo = buildDemoData()
	const now = new Date()
	const entries = [['default', config.fallback] as const, ...config.byRoot.entries()]
	expect(entries.map(([key]) => key)).toEqual(['default', 'GOV:MS', 'EDU:GD-MS', 'YOUTH:TD-MS'])
	for (const [key, issuer] of entries) {
		expect(issuer.signingUnit, key).not.toBeNull()
		const unit = demo.units.find((u) => u.tree === issuer.signingUnit!.tree && u.code === issuer.signingUnit!.code)
		expect(unit, key).toBeDefined()
		const signer = issuerFor(key === 'default' ? null : key, now, config).signer
		// "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC": the last line is the signatory's own post.
		const post = upper(signer.title.split('\n').at(-1)!)
		const members = demo.memberships
			.filter((m) => m.orgUnitId === unit!.id)
			.map((m) => ({ name: demo.users.find((u) => u.id === m.userId)!.fullName, title: upper(m.title ?? '') }))
		expect(members.filter((m) => m.name === signer.name && m.title.startsWith(post)), `${key}: ${signer.name}, ${post}`).toHaveLength(1)
		// The head is the one who signs "GIÁM ĐỐC" (not a deputy with the same name elsewhere).
		if (post === 'GIÁM ĐỐC') expect(members.find((m) => m.title === 'GIÁM ĐỐC')?.name).toBe(signer.name)
	}
})

function render(data: unknown) {
	const root = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'unit', path: '/certificates/unit/:unitId', Component: UnitPage, loader: () => null }] }])
	const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
	const html = renderToString(createElement(Stub, { initialEntries: ['/certificates/unit/1'], hydrationData: { loaderData: { root, unit: data } } }))
	spy.mockRestore()
	return html.replace(/<!-- -->/g, '')
}

test('the unit certificates page shows who signs, since when, and whether the signatory is on the signing unit’s roster', async () => {
	const root = await createUnit('Tỉnh Ký Thử')
	const dept = await createUnit('Sở Ký Thử', root)
	const admin = await createUser({ unitId: root.id, role: 'ADMIN' })
	const head = await createUser({ fullName: 'Phạm Thị Giám Đốc' })
	const membership = await db.membership.create({ data: { userId: head.id, orgUnitId: dept.id, title: 'Giám đốc' } })
	setIssuersForTests(
		parseIssuers(
			[
				'default: { organisation: MẶC ĐỊNH, place: X, signers: [{ from: 2020-01-01, name: Ai Đó, title: GIÁM ĐỐC }] }',
				'issuers:',
				`  "GOV:${root.code}":`,
				'    organisation: SỞ KÝ THỬ',
				'    place: Ký Thử',
				`    signingUnit: GOV:${dept.code}`,
				'    signers:',
				'      - { from: 2024-01-01, name: Trần Văn Cũ, title: GIÁM ĐỐC }',
				'      - { from: 2025-03-01, name: Phạm Thị Giám Đốc, title: GIÁM ĐỐC }',
			].join('\n'),
			'.',
		),
	)
	const page = async () => {
		const response = (await unitLoader({ request: await requestAs(admin.id, `http://localhost/certificates/unit/${dept.id}`), params: { unitId: String(dept.id) }, context: {} } as LoaderFunctionArgs)) as Response
		return response.json()
	}
	const data = await page()
	expect(data.signer).toMatchObject({
		rootName: 'Tỉnh Ký Thử',
		isDefault: false,
		organisation: 'SỞ KÝ THỬ',
		current: { name: 'Phạm Thị Giám Đốc', title: 'GIÁM ĐỐC' },
		signingUnit: { id: dept.id, name: 'Sở Ký Thử' },
		roster: { found: true, title: 'Giám đốc' },
	})
	const html = render(data)
	expect(html).toContain('Người ký chứng nhận')
	expect(html).toContain('Chứng nhận cấp trong Tỉnh Ký Thử do SỞ KÝ THỬ cấp.')
	expect(html).toMatch(/Người ký hiện nay: GIÁM ĐỐC Phạm Thị Giám Đốc \(từ ngày 0?1\/0?3\/2025\)\./)
	expect(html).toContain('Đã đối chiếu với danh sách thành viên của Sở Ký Thử: Phạm Thị Giám Đốc — Giám đốc.')
	expect(html).toContain('Trần Văn Cũ')

	// The head leaves: the page says the configured signatory is no longer on the roster.
	await db.membership.update({ where: { id: membership.id }, data: { validTo: new Date(Date.now() - 1000) } })
	const after = render(await page())
	expect(after).toContain('Không thấy Phạm Thị Giám Đốc trong danh sách thành viên hiện tại của Sở Ký Thử.')
})

// @vitest-environment jsdom
// Issue 18 item 18: one date format (dd/mm/yyyy, Vietnam's time zone) and "11%" on Vietnamese pages, Vietnamese
// alphabetical order in lists of units, no Vietnamese in the English report-period options, chart labels that wrap.
import { createRemixStub } from '@remix-run/testing'
import { cleanup, render, screen } from '@testing-library/react'
import { renderToStaticMarkup } from 'react-dom/server'
import { afterEach, expect, test } from 'vitest'
import { subUnits } from '#app/certificates/access.server.ts'
import { db } from '#app/db.server.ts'
import { RateBars, wrapLabel } from '#app/reports/charts.tsx'
import CertificatesPage from '#app/routes/certificates._index.tsx'
import { loader as reportsLoader } from '#app/routes/org.$unitId_.reports.tsx'
import SchoolResultsPage from '#app/routes/org.$unitId_.school-results.tsx'
import { formatIsoDay, formatPercent, formatVnDate, formatVnDateTime, vnToday } from '#app/ui/dates.ts'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()
afterEach(cleanup)

test('dates are dd/mm/yyyy (two-digit day and month) in Vietnam whatever the instant’s UTC day', () => {
	// 17:30 UTC on 4 March is 00:30 on 5 March in Vietnam.
	expect(formatVnDate('2026-03-04T17:30:00Z')).toBe('05/03/2026')
	expect(formatVnDateTime('2026-03-04T17:30:00Z')).toBe('05/03/2026 00:30')
	expect(formatIsoDay('2025-07-01')).toBe('01/07/2025')
	expect(vnToday(new Date('2026-12-31T18:00:00Z'))).toBe('2027-01-01')
	expect(formatPercent(0.11)).toBe('11%')
	expect(formatPercent(0.125)).toBe('12,5%')
	expect(formatPercent(0.125, 'en')).toBe('12.5%')
	expect(formatPercent(null)).toBe('–')
})

function renderPage(Component: () => JSX.Element, data: object, path = '/page') {
	const root = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path, Component, loader: () => data }] }])
	return render(<Stub initialEntries={[path]} hydrationData={{ loaderData: { root, page: data } }} />)
}

test('a learner’s certificate list writes its dates as 05/03/2026, not 5/3/2026', () => {
	renderPage(CertificatesPage, {
		mine: [{ serial: 'VMS-2026-000001', courseTitle: 'An toàn trên mạng', issuedAt: '2026-03-04T17:30:00.000Z', expiresAt: '2028-03-04T17:30:00.000Z', state: 'valid' }],
		units: [],
	})
	expect(screen.getByText('05/03/2026')).toBeInTheDocument()
	expect(screen.getByText('05/03/2028')).toBeInTheDocument()
})

test('school results write rates as "33%" without a space', () => {
	const { container } = renderPage(
		SchoolResultsPage,
		{
			unit: { id: 3, name: 'Phòng Giáo dục' },
			results: { classes: [], schools: [], grades: [], total: { students: 0, reached: 0, sessions: 0, completed: 0 } },
			trees: [{ tree: 'EDU', people: 3, done: 1 }],
		},
		'/org/3/school-results',
	)
	expect(screen.getByText('33%')).toBeInTheDocument()
	expect(container.textContent).not.toMatch(/\d %/)
})

test('the sub-units offered on a unit’s certificate page are in Vietnamese alphabetical order', async () => {
	const root = await createUnit('Thành phố Minh Sơn')
	for (const name of ['Phường Trần Hưng Đạo', 'Phường Đông Hải', 'Phường Ái Quốc', 'Phường Bình Minh']) await createUnit(name, root, 'commune')
	expect((await subUnits(root)).map((u) => u.name)).toEqual(['Phường Ái Quốc', 'Phường Bình Minh', 'Phường Đông Hải', 'Phường Trần Hưng Đạo'])
})

test('the report page offers its periods in English to an English reader, in Vietnamese otherwise', async () => {
	const root = await createUnit('Tỉnh Kỳ Báo Cáo')
	const admin = await createUser()
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })
	const load = async (lang: 'vi' | 'en') => {
		const request = await requestAs(admin.id, `http://localhost/org/${root.id}/reports`)
		request.headers.append('Cookie', `vms_lang=${lang}`)
		const response = await reportsLoader({ request, params: { unitId: String(root.id) }, context: {} })
		return ((await response.json()) as { presets: Array<{ value: string; label: string }> }).presets
	}
	const en = await load('en')
	expect(en.length).toBe(4)
	for (const p of en) expect(p.label).not.toMatch(/tháng|năm|[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i)
	expect(en.find((p) => p.value.startsWith('h1-'))?.label).toMatch(/^First half of \d{4}$/)
	const vi = await load('vi')
	expect(vi.find((p) => p.value.startsWith('h1-'))?.label).toMatch(/^6 tháng đầu năm \d{4}$/)
})

test('a long unit name in a chart wraps onto several lines instead of being cut', () => {
	const name = 'Ủy ban nhân dân phường Trần Hưng Đạo, thành phố Minh Sơn'
	const lines = wrapLabel(name)
	expect(lines.length).toBeGreaterThan(1)
	expect(lines.join(' ')).toBe(name)
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(34)
	const html = renderToStaticMarkup(<RateBars title="Tỉ lệ" description="Tỉ lệ hoàn thành" bars={[{ label: name, value: 0.4 }, { label: 'Sở Y tế', value: 1 }]} />)
	expect(html).not.toContain('…')
	const svg = new DOMParser().parseFromString(html, 'image/svg+xml')
	const label = svg.querySelector('text.chart-label')!
	expect([...label.querySelectorAll('tspan')].map((t) => t.textContent).join(' ')).toBe(name)
	// The second row starts below the first row's last label line.
	const [first, second] = [...svg.querySelectorAll('rect.chart-bar, rect.chart-bar-done')].map((r) => Number(r.getAttribute('y')))
	expect(second! - first!).toBeGreaterThanOrEqual(28 + 16 * (lines.length - 1) - 8)
})

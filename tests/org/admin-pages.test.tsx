// @vitest-environment jsdom
// The assignment edit page and a unit's tree page as the server renders them: plain POST forms (no JavaScript
// needed), labelled fields, the history table and the date lookup as a GET form, and no style attributes (CSP).
import { createRemixStub } from '@remix-run/testing'
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, expect, test } from 'vitest'
import AssignmentEditPage from '#app/routes/org.$unitId_.assignments_.$assignmentId.tsx'
import UnitEditPage from '#app/routes/org.$unitId_.tree.$targetId.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'

afterEach(cleanup)

function renderPage(path: string, url: string, Component: () => JSX.Element, data: object) {
	const root = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path, Component, loader: () => data }] }])
	return render(<Stub initialEntries={[url]} hydrationData={{ loaderData: { root, page: data } }} />)
}

const assignment = {
	unit: { id: 5, name: 'Sở Văn hóa, Thể thao và Du lịch' },
	assignment: {
		id: 'cabc12345678',
		courseTitle: 'Kỹ năng phát ngôn',
		unitName: 'Sở Văn hóa, Thể thao và Du lịch',
		audienceTag: 'social-media',
		due: '2027-06-30',
		recurrenceMonths: 12,
		createdAt: '2026-11-01T03:00:00.000Z',
		closedAt: null,
		required: 42,
	},
	tags: ['social-media', 'spokesperson', 'leader'],
}

test('the assignment edit page: a POST form with the current values, a preview button, and a separate close form', () => {
	const { container } = renderPage('/org/:unitId/assignments/:assignmentId', '/org/5/assignments/cabc12345678', AssignmentEditPage, assignment)
	expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Kỹ năng phát ngôn')
	expect(screen.getByText(/hiện có 42 người phải hoàn thành/)).toBeInTheDocument()
	expect(screen.getByLabelText('Hạn hoàn thành')).toHaveValue('2027-06-30')
	expect(screen.getByLabelText('Lặp lại sau (số tháng, không bắt buộc)')).toHaveValue('12')
	expect(screen.getByLabelText('Đối tượng')).toHaveValue('social-media')
	const save = screen.getByRole('button', { name: 'Lưu thay đổi' })
	expect(save).toHaveAttribute('name', 'intent')
	expect(save).toHaveAttribute('value', 'update')
	expect(save.closest('form')).toHaveAttribute('method', 'post')
	expect(screen.getByRole('button', { name: 'Xem số người phải học' })).toHaveAttribute('value', 'preview')
	const close = screen.getByRole('button', { name: 'Đóng việc giao' })
	expect(close).toHaveAttribute('value', 'close')
	expect(close.closest('form')).not.toBe(save.closest('form'))
	expect(container.querySelector('[style]')).toBeNull()
})

test('a closed assignment shows when it was closed and offers no form', () => {
	renderPage('/org/:unitId/assignments/:assignmentId', '/org/5/assignments/cabc12345678', AssignmentEditPage, {
		...assignment,
		assignment: { ...assignment.assignment, closedAt: '2026-11-20T03:00:00.000Z' },
	})
	expect(screen.getByRole('status')).toHaveTextContent('Việc giao khoá học này đã đóng ngày 20/11/2026; không sửa được nữa.')
	expect(screen.queryByRole('button')).toBeNull()
})

test('the unit page lists the periods of its name and place and answers a date typed in a GET form', () => {
	const { container } = renderPage('/org/:unitId/tree/:targetId', '/org/1/tree/7?at=2025-03-01', UnitEditPage, {
		unit: { id: 1, name: 'Tỉnh Thử' },
		target: { id: 7, name: 'Sở Văn hóa, Thể thao và Du lịch', code: 'SVHTTDL', kind: 'department', closedFrom: null },
		parents: [{ id: 1, name: 'Tỉnh Thử' }],
		history: [
			{ from: '2024-01-01', to: '2025-07-01', name: 'Sở Văn hóa và Thể thao', parentName: 'Tỉnh Thử', change: 'create' },
			{ from: '2025-07-01', to: null, name: 'Sở Văn hóa, Thể thao và Du lịch', parentName: 'Tỉnh Thử', change: 'rename' },
		],
		lookup: { date: '2025-03-01', valid: true, result: { state: 'open', name: 'Sở Văn hóa và Thể thao', path: ['Tỉnh Thử'] } },
		dates: { today: '2026-11-23', min: '2021-11-24', maxClose: '2027-11-23' },
	})
	const table = screen.getByRole('table')
	expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual([
		'Từ ngàyĐến ngàyTên đơn vịĐơn vị cấp trênThay đổi',
		'01/01/202401/07/2025Sở Văn hóa và Thể thaoTỉnh ThửThành lập',
		'01/07/2025naySở Văn hóa, Thể thao và Du lịchTỉnh ThửĐổi tên',
	])
	expect(screen.getByRole('status')).toHaveTextContent('Ngày 01/03/2025: đơn vị mang tên «Sở Văn hóa và Thể thao», thuộc Tỉnh Thử.')
	const lookup = screen.getByLabelText('Ngày cần tra cứu')
	expect(lookup).toHaveValue('2025-03-01')
	expect(lookup.closest('form')).toHaveAttribute('method', 'get')
	// Effective dates: today by default, no later than today for a rename, up to a year ahead for a closure.
	const renameAt = container.querySelector('#rename-at')!
	expect(renameAt).toHaveValue('2026-11-23')
	expect(renameAt).toHaveAttribute('max', '2026-11-23')
	expect(container.querySelector('#close-at')).toHaveAttribute('max', '2027-11-23')
	expect(renameAt.closest('form')).toHaveAttribute('method', 'post')
	expect(container.querySelector('[style]')).toBeNull()
})

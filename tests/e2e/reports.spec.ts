import { expect, test } from '@playwright/test'
import { expectAccessible, login } from './fixtures.ts'

// Completion dashboards over the demo province (prisma/demo-progress.ts: two province-wide assignments, departments
// from 100% to barely started). Read-only: other tests may add completions, so numbers are checked for consistency,
// not for exact values.

test('the province admin follows "Tiến độ" to the ranking, drills down to a department and lists its overdue people', async ({ page }) => {
	await login(page, 'admin')
	await page.getByRole('link', { name: 'Tiến độ' }).click()
	// The admin holds three trees: a choice first (the home page lists the same units, so wait to be here).
	await expect(page).toHaveURL(/\/reports$/)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tiến độ hoàn thành')
	await page.getByRole('main').getByRole('link', { name: 'Ủy ban nhân dân tỉnh Minh Sơn' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tiến độ hoàn thành: Ủy ban nhân dân tỉnh Minh Sơn')
	await expect(page.getByRole('img', { name: /Tỉ lệ hoàn thành của các đơn vị trực thuộc/ })).toBeVisible()
	const ranking = page.getByRole('table', { name: 'Xếp hạng theo tỉ lệ hoàn thành, cao nhất trước' })
	const rates = await ranking.locator('tbody tr td:nth-child(4)').allInnerTexts()
	const numbers = rates.filter((r) => r !== '–').map((r) => Number(r.replace('%', '').replace(',', '.')))
	expect(numbers.length).toBeGreaterThan(5)
	expect([...numbers].sort((a, b) => b - a)).toEqual(numbers)
	await expectAccessible(page)

	// One course; then a department; then its overdue people.
	await page.getByRole('combobox', { name: 'Khoá học', exact: true }).selectOption({ label: 'Quy tắc ứng xử trên mạng xã hội cho cán bộ, công chức, viên chức' })
	await page.getByRole('button', { name: 'Xem số liệu' }).click()
	await expect(page).toHaveURL(/course=quy-tac-ung-xu-can-bo/)
	await ranking.getByRole('link', { name: 'Sở Văn hóa, Thể thao và Du lịch' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tiến độ hoàn thành: Sở Văn hóa, Thể thao và Du lịch')
	await expect(page).toHaveURL(/course=quy-tac-ung-xu-can-bo/)
	await page.getByRole('link', { name: 'Xem từng người' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Người phải hoàn thành: Sở Văn hóa, Thể thao và Du lịch')
	await expect(page.getByRole('status')).toContainText('người')
	await expectAccessible(page)
})

test('a bad date in the address gives a Vietnamese message and today’s figures, not an error page', async ({ page }) => {
	await login(page, 'quanly')
	await page.getByRole('link', { name: 'Tiến độ' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Tiến độ hoàn thành')
	await page.goto(`${page.url()}?asOf=2099-13-45`)
	await expect(page.getByRole('alert')).toContainText('Ngày không hợp lệ')
	await expect(page.getByRole('heading', { level: 2, name: 'Tổng quan' })).toBeVisible()
})

test('a learner has no "Tiến độ" link and gets 403 on a dashboard', async ({ page }) => {
	await login(page, 'hocvien')
	await expect(page.getByRole('link', { name: 'Khoá học của tôi' }).first()).toBeVisible()
	await expect(page.getByRole('link', { name: 'Tiến độ' })).toHaveCount(0)
	const response = await page.goto('/org/1/dashboard')
	expect(response?.status()).toBe(403)
})

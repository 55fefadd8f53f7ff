import { expect, test } from '@playwright/test'
import { expectAccessible, login } from './fixtures.ts'

// The Tỉnh đoàn's dashboard over the demo youth tree (prisma/demo-data.ts: three đoàn cơ sở, four chi đoàn, one
// community digital team). Read-only: other specs may assign and complete youth courses, so only the wording, the
// sections and the scope are checked, not the numbers.

test('a youth officer follows "Tiến độ" to the Tỉnh đoàn’s dashboard in the youth tree’s words, with its community teams', async ({ page }) => {
	await login(page, 'doanvien')
	await page.getByRole('link', { name: 'Tiến độ' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tiến độ tập huấn đoàn viên, thanh niên: Tỉnh đoàn Minh Sơn')
	await expect(page.getByRole('heading', { level: 2, name: 'Xếp hạng các đoàn cơ sở' })).toBeVisible()
	const ranking = page.getByRole('table', { name: 'Xếp hạng theo tỉ lệ hoàn thành, cao nhất trước' })
	await expect(ranking.getByRole('link', { name: 'Đoàn xã An Phú' })).toBeVisible()
	await expect(page.getByRole('heading', { level: 2, name: 'Tổ công nghệ số cộng đồng' })).toBeVisible()
	await expect(page.getByText(/^1 tổ trong phạm vi;/)).toBeVisible()
	const teams = page.getByRole('table', { name: 'Các tổ công nghệ số cộng đồng theo tỉ lệ hoàn thành, cao nhất trước' })
	await expect(teams.getByRole('link', { name: 'Tổ công nghệ số cộng đồng xã An Phú' })).toBeVisible()
	await expect(page.getByRole('heading', { level: 2, name: 'Tiến độ theo tháng' })).toBeVisible()
	await expectAccessible(page)

	// One level down: chi đoàn and the team side by side (the form works without JavaScript: a GET).
	await page.getByRole('combobox', { name: 'Xếp hạng đơn vị ở cấp' }).selectOption('2')
	await page.getByRole('button', { name: 'Xem số liệu' }).click()
	await expect(page).toHaveURL(/level=2/)
	await expect(page.getByRole('heading', { level: 2, name: 'Xếp hạng các cơ sở đoàn trực thuộc' })).toBeVisible()
	await expect(ranking.getByRole('link', { name: 'Chi đoàn thôn Đông' })).toBeVisible()

	// Assigning: youth courses first.
	const dashboardUrl = new URL(page.url())
	const unitId = dashboardUrl.pathname.split('/')[2]
	await page.goto(`/org/${unitId}/assignments`)
	const groups = await page.getByRole('combobox', { name: 'Khoá học' }).locator('optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('label')))
	expect(groups[0]).toBe('Khoá học cho đoàn viên, thanh niên')
	expect(groups).toContain('Khoá học cho cán bộ (dành cho thành viên tổ công nghệ số cộng đồng)')

	// The government's units are not theirs.
	const response = await page.goto('/org/1/dashboard')
	expect(response?.status()).toBe(403)
})

import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

export const DEMO_PASSWORD = 'VanMinhSo@2026'

/** Fails on any WCAG 2.1 A/AA violation on the current page. */
export async function expectAccessible(page: Page) {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
	expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

export async function login(page: Page, identifier: string, password = DEMO_PASSWORD) {
	await page.goto('/login')
	await page.getByLabel('Thư điện tử hoặc tên đăng nhập').fill(identifier)
	await page.getByLabel('Mật khẩu').fill(password)
	await page.getByRole('button', { name: 'Đăng nhập' }).click()
}

export async function logout(page: Page) {
	await page.getByRole('button', { name: 'Đăng xuất' }).click()
	await expect(page.getByText('Bạn đã đăng xuất.')).toBeVisible()
}

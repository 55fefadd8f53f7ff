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

/** From a manager's home page, the unit page of `unitName`; returns its path. */
export async function openUnit(page: Page, unitName: string) {
	await page.getByRole('link', { name: unitName }).first().click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(unitName)
	return new URL(page.url()).pathname
}

/**
 * As a manager of `unitName` (logged in, on their home page): creates a staff account there, then the person
 * activates it on this browser and is left logged in. Returns the unit page's path.
 */
export async function createStaffAccount(page: Page, unitName: string, account: { fullName: string; username: string; password: string }) {
	const unitPath = await openUnit(page, unitName)
	await page.getByRole('link', { name: 'Tạo tài khoản mới' }).click()
	await page.getByLabel('Họ và tên').fill(account.fullName)
	await page.getByLabel(/Tên đăng nhập/).fill(account.username)
	await page.getByRole('button', { name: 'Tạo tài khoản và cấp mã' }).click()
	await expect(page.getByText(`Đã tạo tài khoản cho ${account.fullName}.`)).toBeVisible()
	const code = (await page.getByTestId('activation-code').textContent())!.trim()
	await logout(page)
	await page.goto('/activate')
	await page.getByLabel('Thư điện tử hoặc tên đăng nhập').fill(account.username)
	await page.getByLabel('Mã kích hoạt').fill(code)
	await page.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill(account.password)
	await page.getByLabel('Nhập lại mật khẩu mới').fill(account.password)
	await page.getByRole('button', { name: 'Kích hoạt' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Xin chào, ${account.fullName}`)
	return unitPath
}

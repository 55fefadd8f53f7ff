import { expect, test } from '@playwright/test'
import { expectAccessible, login } from './fixtures.ts'

// Issue 18 (decision 019): what a first-time user reads on the demo, page by page. Read-only, except the one
// assignment created in the last test (on its own department course, so that other specs keep their numbers).

test('the learner’s home page lists the required courses with due dates, the overdue mark and the next step', async ({ page }) => {
	await login(page, 'hocvien')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Xin chào, /)
	const required = page.getByRole('region', { name: 'Khoá học bắt buộc của bạn' })
	await expect(required).toBeVisible()
	await expect(page.getByText('sẽ hiện ở đây khi đơn vị giao khoá học')).toHaveCount(0)
	// The same courses as /my-courses lists as required.
	const titles = await required.getByRole('heading', { level: 3 }).allInnerTexts()
	expect(titles.length).toBeGreaterThan(0)
	await expect(required).toContainText(/Hạn hoàn thành \d\d\/\d\d\/\d{4}/)
	// The overdue mark where /my-courses has it (other specs may have completed the demo's overdue course already).
	const overdue = await required.getByText('Quá hạn', { exact: true }).count()
	await expect(required.getByRole('link', { name: /^(Bắt đầu học|Tiếp tục học|Làm bài kiểm tra)$/ }).first()).toBeVisible()
	await expectAccessible(page)
	await page.getByRole('link', { name: 'Xem tất cả khoá học của tôi' }).click()
	const mine = await page.getByRole('region', { name: 'Khoá học bắt buộc' }).getByRole('heading', { level: 3 }).allInnerTexts()
	expect(mine).toEqual(titles)
	await expect(page.getByRole('region', { name: 'Khoá học bắt buộc' }).getByText('Quá hạn', { exact: true })).toHaveCount(overdue)
})

test('the department dashboard says people and course places apart, titles not slugs, and only the department’s courses', async ({ page }) => {
	await login(page, 'quanly')
	await page.getByRole('link', { name: 'Tiến độ' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tiến độ hoàn thành: Sở Văn hóa, Thể thao và Du lịch')
	const summary = page.getByRole('region', { name: 'Tổng quan' })
	await expect(summary).toContainText(/đã hoàn thành: \d+ \/ \d+ lượt khoá học bắt buộc/)
	await expect(summary).toContainText(/\d+ người phải học · \d+ lượt khoá học bắt buộc/)
	await expect(summary).not.toContainText('người phải hoàn thành')
	// "Đang học" by person is what the people list's filter shows.
	const inProgress = Number((await summary.innerText()).match(/(\d+) người đang học/)![1])
	const options = await page.getByRole('combobox', { name: 'Khoá học', exact: true }).locator('option').allInnerTexts()
	expect(options.every((o) => !/^[a-z0-9-]+$/.test(o))).toBe(true)
	expect(options.some((o) => o.includes('Công dân số nhí'))).toBe(false)
	await expect(page.getByText('Khoá học một đơn vị tự giao thêm cho người của mình cũng là lượt phải hoàn thành')).toBeVisible()
	await page.goto(`${page.url().replace(/\?.*$/, '')}/people?people=in_progress`)
	await expect(page.getByRole('status').first()).toHaveText(`${inProgress} người`)
})

test('the department’s assignment page counts its own people; the form previews without a date and keeps its values', async ({ page }) => {
	await login(page, 'quanly')
	await page.getByRole('main').getByRole('link', { name: 'Sở Văn hóa, Thể thao và Du lịch' }).first().click()
	const members = Number((await page.getByText(/^Mã: .+ · \d+ thành viên$/).first().innerText()).match(/(\d+) thành viên/)![1])
	await page.getByRole('link', { name: 'Giao khoá học' }).click()
	const inherited = page.getByRole('row').filter({ hasText: 'Do cấp trên giao' }).filter({ hasText: 'Tất cả thành viên' })
	const required = Number(await inherited.first().locator('td').nth(4).innerText())
	expect(required).toBeLessThanOrEqual(members)
	const course = page.getByLabel('Khoá học', { exact: true })
	expect((await course.locator('option').allInnerTexts()).some((o) => o.includes('Công dân số nhí'))).toBe(false)
	await course.selectOption({ label: 'Kỹ năng phát ngôn và cung cấp thông tin cho báo chí' }).catch(() => course.selectOption({ index: 1 }))
	await page.getByRole('button', { name: 'Xem số người phải học' }).click()
	await expect(page.getByRole('status').filter({ hasText: 'người phải hoàn thành khoá học này' })).toBeVisible()
	await page.getByLabel('Hạn hoàn thành').fill('2031-12-31')
	await page.getByLabel('Lặp lại sau (số tháng, không bắt buộc)').fill('24')
	await page.getByRole('button', { name: 'Giao khoá học', exact: true }).click()
	await expect(page.getByRole('status').first()).toContainText('hạn hoàn thành 31/12/2031')
	await expect(page.getByLabel('Hạn hoàn thành')).toHaveValue('2031-12-31')
	await expect(page.getByLabel('Lặp lại sau (số tháng, không bắt buộc)')).toHaveValue('24')
	await expect(page.getByRole('link', { name: 'Xem việc giao vừa tạo' })).toBeVisible()
})

test('the Tỉnh đoàn page compares rows with rows and says how many people; the certificates page says who signs', async ({ page }) => {
	await login(page, 'doanvien')
	await page.getByRole('main').getByRole('link', { name: 'Tỉnh đoàn Minh Sơn' }).first().click()
	const line = await page.getByText(/^Hiển thị \d+ \/ \d+ dòng/).innerText()
	const [, shown, total] = line.match(/^Hiển thị (\d+) \/ (\d+) dòng/)!
	expect(Number(shown)).toBeLessThanOrEqual(Number(total))
	await expect(page.getByText(line)).toContainText(/\d+ người/)
	await page.goto(page.url().replace('/org/', '/certificates/unit/'))
	const signer = page.getByRole('region', { name: 'Người ký chứng nhận' })
	await expect(signer).toContainText('Người ký hiện nay: TM. BAN THƯỜNG VỤ PHÓ BÍ THƯ Trần Quốc Bảo')
	await expect(signer).toContainText('Đã đối chiếu với danh sách thành viên của Tỉnh đoàn Minh Sơn')
})

test('the half-year report of the demo has figures', async ({ page }) => {
	await login(page, 'quanly')
	await page.getByRole('link', { name: 'Tiến độ' }).click()
	await page.getByRole('link', { name: 'Báo cáo định kỳ' }).first().click()
	const period = page.getByLabel('Kỳ báo cáo', { exact: true })
	// The last half year that has ended: this year's once July has come, else last year's.
	const now = new Date()
	const year = now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1
	await period.selectOption(`h1-${year}`)
	await page.getByRole('button', { name: 'Xem báo cáo' }).click()
	await expect(page.getByRole('heading', { name: `Số liệu chốt cuối tháng 06/${year}` })).toBeVisible()
	await expect(page.getByText('Chưa có số liệu chốt nào trong kỳ này')).toHaveCount(0)
})

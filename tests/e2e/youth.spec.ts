import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect as baseExpect, devices, test, type Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import { expectAccessible, login } from './fixtures.ts'

// Joining a chi đoàn through an invite (decision 016), as the people involved would do it: the demo youth officer
// (doanvien) makes a link for Chi đoàn thôn Tây and assigns it a youth course; a young person opens the link on a
// phone, registers, is approved, signs in with the phone number, completes the course and is counted in the chi
// đoàn's numbers. Chi đoàn thôn Tây and this course are used by no other spec.
const expect = baseExpect.configure({ timeout: 15_000 })

const ROOT = 'Tỉnh đoàn Minh Sơn'
const GRASSROOTS = 'Đoàn xã An Phú'
const BRANCH = 'Chi đoàn thôn Tây'
const SLUG = 'an-toan-tren-mang'
const ANSWERS = ['A', 'B', 'C', 'D']
const PHONE = '0987 654 321'
const PASSWORD = 'mat-khau-cua-anh'
const NAME = 'Vũ Thị Ngọc Ánh'

type BuiltCourse = { meta: { title: string }; lessons: Array<{ slug: string; title: string }> }
type Bank = { bank: Array<{ id: string; answer: string }> }
const readBuilt = <T,>(file: string) => JSON.parse(readFileSync(path.resolve('build/content', file), 'utf8')) as T

function vnToday() {
	return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
}

async function openBranch(page: Page) {
	await page.goto('/')
	await page.getByRole('link', { name: ROOT }).first().click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(ROOT)
	await page.getByRole('link', { name: GRASSROOTS, exact: true }).click()
	await page.getByRole('link', { name: BRANCH, exact: true }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(BRANCH)
}

test('an officer invites, a young person registers on a phone, is approved, completes a course and is counted', async ({ page, browser, baseURL }) => {
	test.slow()
	const course = readBuilt<BuiltCourse>(`courses/${SLUG}.json`)
	const key = new Map(readBuilt<Bank>(`quizzes/${SLUG}.json`).bank.map((q) => [q.id, ANSWERS.indexOf(q.answer)]))
	const year = new Date().getFullYear() + 1

	// The officer: an invite link for the chi đoàn, from the Tỉnh đoàn's page.
	await login(page, 'doanvien')
	await page.getByRole('link', { name: ROOT }).first().click()
	await page.getByRole('link', { name: 'Liên kết mời', exact: true }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Liên kết mời tham gia')
	// Nothing chosen: a clear message, nothing created.
	await page.getByRole('button', { name: 'Tạo liên kết' }).click()
	await expect(page.getByText('Vui lòng chọn chi đoàn hoặc tổ công nghệ số cộng đồng.')).toBeVisible()
	await page.getByLabel('Chi đoàn / tổ công nghệ số cộng đồng').selectOption({ label: `${BRANCH} (${GRASSROOTS})` })
	await page.getByLabel('Dùng được đến hết ngày').fill(`${year}-06-30`)
	await page.getByLabel('Số lượt đăng ký tối đa').fill('5')
	await page.getByRole('button', { name: 'Tạo liên kết' }).click()
	await expect(page.getByRole('status')).toHaveText(`Đã tạo liên kết mời cho ${BRANCH}.`)
	const row = page.getByRole('row').filter({ hasText: BRANCH }).filter({ hasText: 'Đang dùng được' }).first()
	await expect(row).toContainText('0/5')
	await expect(row).toContainText(`30/06/${year}`)
	const inviteUrl = (await row.locator('code').textContent())!.trim()
	expect(inviteUrl).toMatch(new RegExp(`^${baseURL}/invite/[A-Za-z0-9_-]{22}$`))
	await expectAccessible(page)
	// The printable page with its QR code.
	await row.getByRole('link', { name: 'Mã QR, trang in' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tham gia ${BRANCH} trên Văn Minh Số`)
	await expect(page.getByRole('img', { name: `Mã QR mở trang đăng ký vào ${BRANCH}` }).locator('svg')).toBeVisible()
	await expect(page.getByText(inviteUrl)).toBeVisible()
	await expectAccessible(page)

	// The officer assigns a youth course to the chi đoàn.
	await openBranch(page)
	await page.getByRole('link', { name: 'Giao khoá học' }).click()
	await page.getByLabel('Khoá học', { exact: true }).selectOption({ label: course.meta.title })
	await page.getByLabel('Hạn hoàn thành').fill(`${year}-12-15`)
	await page.getByRole('button', { name: 'Giao khoá học' }).click()
	await expect(page.getByRole('status').first()).toHaveText(/^Đã giao khoá học «.+» cho .+, hạn hoàn thành \d\d\/\d\d\/\d{4}: \d+ người phải hoàn thành\. Các ô bên dưới vẫn giữ giá trị vừa nhập\. Xem việc giao vừa tạo$/)
	const required = Number((await page.getByRole('status').first().textContent())!.match(/(\d+) người phải/)![1])

	// The young person, on a phone.
	const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL, locale: 'vi-VN' })
	const mobile = await phone.newPage()
	await mobile.goto(new URL(inviteUrl).pathname)
	await expect(mobile.getByRole('heading', { level: 1 })).toHaveText(`Tham gia ${BRANCH}`)
	await expectAccessible(mobile)
	await mobile.getByLabel('Họ và tên').fill(NAME)
	await mobile.getByLabel('Năm sinh').fill('2006')
	await mobile.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill(PASSWORD)
	await mobile.getByLabel('Nhập lại mật khẩu').fill(PASSWORD)
	// Neither phone nor e-mail: told what is missing.
	await mobile.getByRole('button', { name: 'Gửi yêu cầu tham gia' }).click()
	await expect(mobile.getByText('Vui lòng nhập số điện thoại hoặc e-mail (ít nhất một).')).toBeVisible()
	await mobile.getByLabel('Số điện thoại').fill(PHONE)
	await mobile.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill(PASSWORD)
	await mobile.getByLabel('Nhập lại mật khẩu').fill(PASSWORD)
	await mobile.getByRole('button', { name: 'Gửi yêu cầu tham gia' }).click()
	await expect(mobile.getByRole('heading', { level: 1 })).toHaveText('Đã gửi yêu cầu tham gia')
	await expect(mobile.getByRole('status')).toContainText('đăng nhập bằng 0987654321')
	// Registering again with the same number changes nothing, and the page answers exactly as for a new number
	// (issue 16: the form must not tell a stranger who is registered); the login page then says why.
	await mobile.goto(new URL(inviteUrl).pathname)
	await mobile.getByLabel('Họ và tên').fill(NAME)
	await mobile.getByLabel('Năm sinh').fill('2006')
	await mobile.getByLabel('Số điện thoại').fill('+84987654321')
	await mobile.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill(PASSWORD)
	await mobile.getByLabel('Nhập lại mật khẩu').fill(PASSWORD)
	await mobile.getByRole('button', { name: 'Gửi yêu cầu tham gia' }).click()
	await expect(mobile.getByRole('heading', { level: 1 })).toHaveText('Đã gửi yêu cầu tham gia')
	await expect(mobile.getByRole('status')).toContainText('đã có tài khoản từ trước')
	// Not approved yet: the login page says so.
	await login(mobile, PHONE, PASSWORD)
	await expect(mobile.getByRole('alert')).toHaveText(
		'Yêu cầu tham gia chi đoàn của bạn đang chờ bí thư chi đoàn duyệt. Bạn đăng nhập được sau khi được duyệt.',
	)

	// The officer approves the request from the chi đoàn's page.
	await openBranch(page)
	await page.getByRole('link', { name: /^Yêu cầu tham gia \(\d+\)$/ }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Yêu cầu tham gia chờ duyệt')
	const request = page.getByRole('row').filter({ hasText: NAME })
	await expect(request).toContainText('0987654321')
	await expectAccessible(page)
	await page.getByRole('checkbox', { name: `Chọn yêu cầu của ${NAME}` }).check()
	await page.getByRole('button', { name: 'Duyệt các yêu cầu đã chọn' }).click()
	await expect(page.getByRole('status')).toHaveText('Đã duyệt 1 yêu cầu.')
	await expect(page.getByRole('checkbox', { name: `Chọn yêu cầu của ${NAME}` })).toHaveCount(0)

	// The young person signs in with the phone number and takes the course: every lesson, then the quiz.
	await login(mobile, '+84 987 654 321', PASSWORD)
	await expect(mobile.getByRole('heading', { level: 1 })).toHaveText(`Xin chào, ${NAME}`)
	await mobile.goto('/my-courses')
	const card = mobile.getByRole('region', { name: 'Khoá học bắt buộc' }).getByRole('article').filter({ hasText: course.meta.title })
	await expect(card).toContainText(`Hạn hoàn thành 15/12/${year}`)
	await card.getByRole('link', { name: 'Bắt đầu học' }).click()
	await mobile.getByRole('button', { name: 'Bắt đầu học' }).click()
	for (const lesson of course.lessons) {
		await expect(mobile.getByRole('heading', { level: 1 })).toHaveText(lesson.title)
		await mobile.getByRole('button', { name: 'Hoàn thành bài học' }).click()
	}
	await expect(mobile).toHaveURL(`/courses/${SLUG}/quiz`)
	await mobile.getByLabel('Tôi cam kết tự mình học và làm bài').check()
	await mobile.getByRole('button', { name: 'Bắt đầu làm bài' }).click()
	await expect(mobile).toHaveURL(new RegExp(`/courses/${SLUG}/quiz/[^/?]+$`))
	await expect(mobile.locator('input[type="radio"]').first()).toBeVisible()
	const names = await mobile.locator('input[type="radio"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).name))
	const hydrated = await mobile.evaluate(() => '__remixRouter' in window)
	for (const name of new Set(names)) {
		const save = hydrated ? mobile.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/quiz/')) : null
		await mobile.locator(`input[name="${name}"][value="${key.get(name.slice('answer.'.length))}"]`).check()
		await save
	}
	await mobile.getByRole('button', { name: 'Nộp bài' }).click()
	await expect(mobile.getByRole('heading', { level: 1 })).toHaveText('Kết quả bài kiểm tra')
	await expect(mobile.getByRole('status')).toContainText('Bạn đạt 100%')
	await phone.close()

	// The officer sees the new member counted and completed in the chi đoàn's numbers (computed for today).
	await openBranch(page)
	await page.getByRole('link', { name: 'Tiến độ hoàn thành' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tiến độ tập huấn đoàn viên, thanh niên: ${BRANCH}`)
	await page.getByRole('combobox', { name: 'Khoá học', exact: true }).selectOption({ label: course.meta.title })
	await page.getByLabel('Tính đến ngày (để trống: hôm nay)').fill(vnToday())
	await page.getByRole('button', { name: 'Xem số liệu' }).click()
	await expect(page).toHaveURL(new RegExp(`course=${SLUG}`))
	await expect(page.getByText(`đã hoàn thành: 1 / ${required + 1} lượt khoá học bắt buộc của đoàn viên, thanh niên`)).toBeVisible()
	await expectAccessible(page)
	// And in the export of these figures, read back as a spreadsheet.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải số liệu hiện tại (XLSX)' }).click()])
	const book = new ExcelJS.Workbook()
	await book.xlsx.load(new Uint8Array(readFileSync((await download.path())!)).buffer)
	const summary = book.getWorksheet('Tổng hợp')!
	expect(summary.getRow(1).getCell(1).value).toBe('Báo cáo kết quả tập huấn kỹ năng số và ứng xử trên môi trường mạng cho đoàn viên, thanh niên')
	expect([summary.getRow(6).getCell(2).value, summary.getRow(6).getCell(3).value]).toEqual([required + 1, 1])
	await page.getByRole('link', { name: 'Xem từng người' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Người phải hoàn thành: ${BRANCH}`)
	await page.getByRole('combobox', { name: 'Tình trạng' }).selectOption('completed')
	await page.getByRole('button', { name: 'Xem số liệu' }).click()
	await expect(page.getByRole('row').filter({ hasText: NAME })).toBeVisible()
})

test('without JavaScript: two people register through the demo link; the officer approves one and declines the other', async ({ page, browser, baseURL }) => {
	test.slow()
	const EAST = 'Chi đoàn thôn Đông'
	// The demo's live link (prisma/demo-youth.ts), as the officer's list shows it.
	await login(page, 'doanvien')
	await page.getByRole('link', { name: ROOT }).first().click()
	await page.getByRole('link', { name: 'Liên kết mời', exact: true }).click()
	const row = page.getByRole('row').filter({ hasText: EAST }).filter({ hasText: 'Đang dùng được' }).first()
	const invitePath = new URL((await row.locator('code').textContent())!.trim()).pathname

	// Pages load, scripts do not: every form must work as plain HTML.
	const noScript = async (device: (typeof devices)[string]) => {
		const context = await browser.newContext({ ...device, baseURL, locale: 'vi-VN' })
		await context.route(/\/assets\/.*\.js$/, (route) => route.abort())
		return { context, page: await context.newPage() }
	}
	const young = await noScript(devices['Pixel 7'])
	const register = async (name: string, contact: { phone?: string; email?: string }) => {
		await young.page.goto(invitePath)
		await expect(young.page.getByRole('heading', { level: 1 })).toHaveText(`Tham gia ${EAST}`)
		await young.page.getByLabel('Họ và tên').fill(name)
		await young.page.getByLabel('Năm sinh').fill('2005')
		if (contact.phone) await young.page.getByLabel('Số điện thoại').fill(contact.phone)
		if (contact.email) await young.page.getByLabel('E-mail').fill(contact.email)
		await young.page.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill(PASSWORD)
		await young.page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD)
		await young.page.getByRole('button', { name: 'Gửi yêu cầu tham gia' }).click()
		await expect(young.page.getByRole('heading', { level: 1 })).toHaveText('Đã gửi yêu cầu tham gia')
	}
	await register('Đặng Quốc Huy', { phone: '0911 222 333' })
	await register('Trần Ngọc Bích', { email: 'Bich.TN@example.vn' })

	const officer = await noScript(devices['Desktop Chrome'])
	await login(officer.page, 'doanvien')
	await expect(officer.page.getByRole('heading', { level: 1 })).toHaveText(/^Xin chào, /)
	await officer.page.getByRole('link', { name: ROOT }).first().click()
	await officer.page.getByRole('link', { name: GRASSROOTS, exact: true }).click()
	await officer.page.getByRole('link', { name: EAST, exact: true }).click()
	await officer.page.getByRole('link', { name: /^Yêu cầu tham gia \(\d+\)$/ }).click()
	await officer.page.getByRole('checkbox', { name: 'Chọn yêu cầu của Đặng Quốc Huy' }).check()
	await officer.page.getByRole('button', { name: 'Duyệt các yêu cầu đã chọn' }).click()
	await expect(officer.page.getByRole('status')).toHaveText('Đã duyệt 1 yêu cầu.')
	// Nothing ticked: told so, nothing decided.
	await officer.page.getByRole('button', { name: 'Từ chối các yêu cầu đã chọn' }).click()
	await expect(officer.page.getByRole('alert')).toHaveText('Vui lòng đánh dấu ít nhất một yêu cầu.')
	await officer.page.getByRole('checkbox', { name: 'Chọn yêu cầu của Trần Ngọc Bích' }).check()
	await officer.page.getByLabel('Lý do từ chối (không bắt buộc)').fill('Không sinh hoạt tại thôn Đông')
	await officer.page.getByRole('button', { name: 'Từ chối các yêu cầu đã chọn' }).click()
	await expect(officer.page.getByRole('status')).toHaveText('Đã từ chối 1 yêu cầu.')
	const decided = officer.page.getByRole('region', { name: 'Đã quyết định gần đây' })
	await expect(decided.getByRole('row').filter({ hasText: 'Trần Ngọc Bích' })).toContainText('Không sinh hoạt tại thôn Đông')
	await expect(decided.getByRole('row').filter({ hasText: 'Đặng Quốc Huy' })).toContainText('Đã duyệt')
	await officer.context.close()

	// The declined person cannot sign in and is told why; registering again changes nothing.
	await login(young.page, 'bich.tn@example.vn', PASSWORD)
	await expect(young.page.getByRole('alert')).toHaveText(
		'Yêu cầu tham gia chi đoàn của bạn đã bị từ chối nên tài khoản chưa dùng được. Vui lòng liên hệ bí thư chi đoàn.',
	)
	await young.page.goto(invitePath)
	await young.page.getByLabel('Họ và tên').fill('Trần Ngọc Bích')
	await young.page.getByLabel('Năm sinh').fill('2005')
	await young.page.getByLabel('E-mail').fill('bich.tn@example.vn')
	await young.page.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill(PASSWORD)
	await young.page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD)
	await young.page.getByRole('button', { name: 'Gửi yêu cầu tham gia' }).click()
	// The same answer as for a new address; nothing is created (the refusal is told only after the right password).
	await expect(young.page.getByRole('heading', { level: 1 })).toHaveText('Đã gửi yêu cầu tham gia')
	// The approved one signs in with the number.
	await login(young.page, '0911222333', PASSWORD)
	await expect(young.page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Đặng Quốc Huy')
	await young.context.close()
})

import { expect, test } from '@playwright/test'
import { DEMO_PASSWORD, expectAccessible, login, logout } from './fixtures.ts'

test('the public home page explains the product in Vietnamese', async ({ page }) => {
	await page.goto('/')
	await expect(page).toHaveTitle(/Văn Minh Số/)
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Học ứng xử văn minh trên mạng')
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
	await expectAccessible(page)
})

const ACCOUNTS = [
	{ username: 'admin', name: 'Đỗ Thị Thanh Hà', sees: 'Ủy ban nhân dân tỉnh Minh Sơn' },
	{ username: 'quanly', name: 'Lê Văn Quang', sees: 'Sở Văn hóa, Thể thao và Du lịch' },
	{ username: 'hocvien', name: 'Nguyễn Thị Hương', sees: 'Phòng Chuyển đổi số' },
	{ username: 'giaovien', name: 'Phạm Ngọc Lan', sees: 'Lớp 5A (2026–2027)' },
	{ username: 'doanvien', name: 'Trần Quốc Bảo', sees: 'Tỉnh đoàn Minh Sơn' },
]

for (const account of ACCOUNTS) {
	test(`demo account ${account.username} logs in, sees a home fitting its role, and logs out`, async ({ page }) => {
		await login(page, account.username)
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Xin chào, ${account.name}`)
		await expect(page.getByRole('main')).toContainText(account.sees)
		await expectAccessible(page)
		await logout(page)
		await page.goto('/account')
		await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/)
	})
}

test('a wrong password gives a clear Vietnamese message and keeps the username', async ({ page }) => {
	await login(page, 'hocvien', 'khong-dung-mat-khau')
	await expect(page.getByRole('alert')).toContainText('Tên đăng nhập hoặc mật khẩu không đúng')
	await expect(page.getByLabel('Thư điện tử hoặc tên đăng nhập')).toHaveValue('hocvien')
	await expectAccessible(page)
})

test('an empty form is refused field by field', async ({ page }) => {
	await page.goto('/login')
	await page.getByRole('button', { name: 'Đăng nhập' }).click()
	await expect(page.getByText('Vui lòng nhập thư điện tử hoặc tên đăng nhập.')).toBeVisible()
	await expect(page.getByText('Vui lòng nhập mật khẩu.')).toBeVisible()
})

test('repeated failures on one account are rate-limited with a wait time', async ({ page }) => {
	for (let i = 0; i < 4; i++) {
		await login(page, 'tai.khoan.thu', `sai-${i}`)
		await expect(page.getByRole('alert')).toContainText('không đúng')
	}
	await login(page, 'tai.khoan.thu', 'sai-cuoi')
	await expect(page.getByRole('alert')).toContainText('Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.')
})

test('a manager of one department gets a Vietnamese 403 on another unit', async ({ page }) => {
	await login(page, 'quanly')
	await page.getByRole('link', { name: 'Sở Văn hóa, Thể thao và Du lịch' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sở Văn hóa, Thể thao và Du lịch')
	await expect(page.getByRole('table')).toContainText('Lê Văn Quang')
	await expectAccessible(page)
	const own = page.url()
	const response = await page.goto('/org/1')
	expect(response?.status()).toBe(403)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bạn không có quyền truy cập trang này')
	await expectAccessible(page)
	const division = await page.goto(own.replace(/\d+$/, '2'))
	expect(division?.status()).toBe(403)
})

test('an unknown address shows the Vietnamese 404 page', async ({ page }) => {
	const response = await page.goto('/khong-co-trang-nay')
	expect(response?.status()).toBe(404)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy trang')
	await expectAccessible(page)
})

test('a manager creates an account, and the person activates it with the one-time code', async ({ page }) => {
	await login(page, 'quanly')
	await page.getByRole('link', { name: 'Sở Văn hóa, Thể thao và Du lịch' }).click()
	await page.getByRole('link', { name: 'Tạo tài khoản mới' }).click()
	await page.getByLabel('Họ và tên').fill('  Vũ   Thị Mai  ')
	await page.getByLabel(/Tên đăng nhập/).fill('mai.vt')
	await page.getByLabel('Vận hành mạng xã hội, cổng thông tin').check()
	await page.getByRole('button', { name: 'Tạo tài khoản và cấp mã' }).click()
	await expect(page.getByText('Đã tạo tài khoản cho Vũ Thị Mai.')).toBeVisible()
	// The code's expiry is written dd/mm/yyyy like every other Vietnamese date (the walk of issue 18 saw "6/1/2027").
	await expect(page.getByText(/^Mã kích hoạt \(hết hạn \d{2}\/\d{2}\/\d{4}\):/)).toBeVisible()
	const code = (await page.getByTestId('activation-code').textContent())!.trim()
	await expectAccessible(page)
	// The same username again is refused with a message on the field.
	await page.getByLabel('Họ và tên').fill('Người khác')
	await page.getByLabel(/Tên đăng nhập/).fill('mai.vt')
	await page.getByRole('button', { name: 'Tạo tài khoản và cấp mã' }).click()
	await expect(page.getByText('Tên đăng nhập này đã có người dùng.')).toBeVisible()
	await logout(page)

	await page.goto('/activate')
	await page.getByLabel('Thư điện tử hoặc tên đăng nhập').fill('mai.vt')
	await page.getByLabel('Mã kích hoạt').fill('AAAA-BBBB-CCCC')
	await page.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill('mat-khau-cua-mai')
	await page.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-cua-mai')
	await page.getByRole('button', { name: 'Kích hoạt' }).click()
	await expect(page.getByRole('alert')).toContainText('Mã kích hoạt không đúng, đã dùng hoặc đã hết hạn')
	await page.getByLabel('Mã kích hoạt').fill(code.toLowerCase())
	await page.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill('mat-khau-cua-mai')
	await page.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-cua-mai')
	await page.getByRole('button', { name: 'Kích hoạt' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Vũ Thị Mai')
	await expect(page.getByText('Tài khoản đã được kích hoạt. Chào mừng bạn!')).toBeVisible()
	await logout(page)
	await login(page, 'mai.vt', 'mat-khau-cua-mai')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Vũ Thị Mai')
})

test('a learner who opens the teachers\' page reads Vietnamese, not catalogue keys', async ({ page }) => {
	// Open to everyone signed in (an empty list without a teaching grant); its words once came only with the admin
	// catalogue, so a learner saw 'teach.title' (the walk of issue 18).
	await login(page, 'hocvien')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Nguyễn Thị Hương')
	await page.goto('/teach')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lớp học của tôi')
	await expect(page.getByText('Bạn chưa được giao lớp nào.')).toBeVisible()
	await expect(page.locator('main')).not.toContainText('teach.')
})

test('changing the password checks the current one', async ({ page }) => {
	await login(page, 'giaovien')
	await page.getByRole('link', { name: 'Tài khoản của tôi' }).click()
	await page.getByLabel('Mật khẩu hiện tại').fill('sai')
	await page.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill('mat-khau-moi-1')
	await page.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-moi-1')
	await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()
	await expect(page.getByText('Mật khẩu hiện tại không đúng.')).toBeVisible()
	await page.getByLabel('Mật khẩu hiện tại').fill(DEMO_PASSWORD)
	await page.getByLabel('Mật khẩu mới (ít nhất 8 ký tự)').fill('mat-khau-moi-1')
	await page.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-moi-2')
	await page.getByRole('button', { name: 'Đổi mật khẩu' }).click()
	await expect(page.getByText('Hai mật khẩu không khớp nhau.')).toBeVisible()
	await expectAccessible(page)
})

test('the English switch translates the interface and works as a plain form', async ({ page }) => {
	await page.goto('/login')
	await page.getByRole('button', { name: 'English' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in')
	await expect(page.locator('html')).toHaveAttribute('lang', 'en')
	await page.getByRole('button', { name: 'Tiếng Việt' }).click()
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng nhập')
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('logging in, seeing the home page and logging out work with plain forms', async ({ page }) => {
		await login(page, 'wrong-user', 'wrong-password')
		await expect(page.getByRole('alert')).toContainText('Tên đăng nhập hoặc mật khẩu không đúng')
		await login(page, 'hocvien')
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Nguyễn Thị Hương')
		await logout(page)
	})
})

test('the server-rendered pages are accessible before any script runs', async ({ browser, baseURL }) => {
	// axe needs JavaScript in the page; block our bundles instead so that only the server's HTML is checked.
	const context = await browser.newContext({ baseURL })
	const page = await context.newPage()
	await page.route('**/assets/*.js', (route) => route.abort())
	for (const path of ['/', '/login', '/activate']) {
		await page.goto(path)
		await expectAccessible(page)
	}
	await context.close()
})

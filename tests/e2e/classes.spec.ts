// A class session as a primary-school teacher runs it: print the login cards, start a session on the projector, a
// student logs in with the card on a phone, joins with the code, follows the teacher and answers the quick question,
// then the teacher closes the session and the results count the class. Two browser contexts: projector and phone.
import { readFileSync } from 'node:fs'
import { expect, test, devices } from '@playwright/test'
import { pdfText } from '../certificates/pdf-text.ts'
import { expectAccessible, login } from './fixtures.ts'

test('a teacher runs a whole class session with a student on a phone', async ({ browser }) => {
	test.setTimeout(180_000)
	const teacherContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' })
	const teacher = await teacherContext.newPage()
	await login(teacher, 'giaovien')
	await teacher.waitForURL((url) => !url.pathname.startsWith('/login'))
	await teacher.goto('/teach')
	await teacher.getByRole('link', { name: 'Lớp 5A (2026–2027)' }).click()
	await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('Lớp 5A (2026–2027)')
	const classUrl = new URL(teacher.url()).pathname
	await expectAccessible(teacher)

	// Login cards: a PDF with every student's name and a PIN.
	const [download] = await Promise.all([teacher.waitForEvent('download'), teacher.getByRole('button', { name: 'In thẻ đăng nhập (PDF)' }).click()])
	const pdf = readFileSync((await download.path())!)
	const text = pdfText(pdf)
	const firstRow = teacher.getByRole('row').nth(1)
	await teacher.reload()
	const firstName = (await firstRow.getByRole('cell').first().textContent())!.trim()
	const username = (await firstRow.getByRole('cell').nth(2).textContent())!.trim()
	expect(text).toContain(firstName)
	expect(text).toContain(username)
	// The PIN printed after the username on the student's card.
	const pin = new RegExp(`${username.replace(/\./g, '\\.')}\\n(?:Mã PIN:\\n)?(\\d{6})`).exec(text)?.[1]
	expect(pin).toMatch(/^\d{6}$/)

	// Start a session: the projector shows the code.
	await teacher.getByLabel('Bài học').selectOption({ label: 'Công dân số nhí' })
	await teacher.getByRole('button', { name: 'Bắt đầu buổi học' }).click()
	await teacher.waitForURL(/\/projector$/)
	const code = (await teacher.getByText(/^[A-Z2-9]{6}$/).first().textContent())!.trim()
	expect(code).toMatch(/^[A-Z2-9]{6}$/)
	await expectAccessible(teacher)

	// The student, on a phone.
	const phoneContext = await browser.newContext({ ...devices['Pixel 7'], locale: 'vi-VN' })
	const phone = await phoneContext.newPage()
	await phone.goto(`/join/login?u=${encodeURIComponent(username)}`)
	await expect(phone.getByLabel('Tên đăng nhập')).toHaveValue(username)
	await phone.getByLabel('Mã PIN').fill('000000')
	await phone.getByRole('button', { name: 'Đăng nhập' }).click()
	await expect(phone.getByRole('alert')).toHaveText('Tên đăng nhập hoặc mã PIN chưa đúng. Em xem lại thẻ nhé.')
	await phone.getByLabel('Mã PIN').fill(pin!)
	await phone.getByRole('button', { name: 'Đăng nhập' }).click()
	await expect(phone.getByRole('heading', { name: 'Vào lớp học' })).toBeVisible()
	await expectAccessible(phone)
	await phone.getByLabel('Mã vào lớp').fill('ZZZZZZ' === code ? 'YYYYYY' : 'ZZZZZZ')
	await phone.getByRole('button', { name: 'Vào lớp' }).click()
	await expect(phone.getByRole('alert')).toHaveText('Không có buổi học nào có mã này. Em xem lại mã trên màn hình nhé.')
	await phone.getByLabel('Mã vào lớp').fill(code.toLowerCase())
	await phone.getByRole('button', { name: 'Vào lớp' }).click()
	await phone.waitForURL(`**/join/${code}`)
	await expect(phone.getByText('Phần 1/')).toBeVisible()
	await expect(phone.getByRole('heading', { name: 'Làm quen với Bin và Na' })).toBeVisible()
	await expectAccessible(phone)

	// The projector sees the student; the teacher moves on and the phone follows.
	await teacher.reload()
	await expect(teacher.getByText(/^1\/\d+ học sinh đã vào lớp/)).toBeVisible()
	let guard = 0
	while (!(await teacher.getByText('Câu hỏi nhanh').isVisible()) && guard++ < 20) {
		await teacher.getByRole('button', { name: 'Tiếp theo ▶' }).click()
		await teacher.waitForLoadState('load')
	}
	await expect(teacher.getByText('Câu hỏi nhanh')).toBeVisible()
	await expect(phone.getByText('Câu hỏi nhanh')).toBeVisible({ timeout: 15_000 })
	await phone.getByRole('button').filter({ hasText: /^A\. / }).click()
	await expect(phone.getByRole('status')).toContainText('Em đã trả lời câu này.')
	await teacher.reload()
	await expect(teacher.getByText(/1 em đã trả lời/)).toBeVisible()

	// A student cannot open the class's teacher page (roster, PINs), let alone another class's.
	const other = await phone.goto(classUrl)
	expect(other?.status()).toBe(403)

	// Close: the student who joined is ticked; attendance and completion are recorded.
	await teacher.getByRole('link', { name: 'Kết thúc buổi học' }).click()
	await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('Điểm danh và kết thúc')
	await expect(teacher.getByLabel(`${firstName} có mặt`)).toBeChecked()
	await teacher.getByLabel(`${firstName} hoàn thành`).check()
	await expectAccessible(teacher)
	await teacher.getByRole('button', { name: 'Lưu điểm danh và kết thúc buổi học' }).click()
	await expect(teacher.getByRole('status').first()).toContainText('Đã kết thúc: 1 em có mặt, 1 em được ghi nhận hoàn thành.')

	// The code no longer works.
	await phone.goto('/join')
	await phone.getByLabel('Mã vào lớp').fill(code)
	await phone.getByRole('button', { name: 'Vào lớp' }).click()
	await expect(phone.getByRole('alert')).toHaveText('Buổi học này đã kết thúc. Mã không dùng được nữa.')
	await teacherContext.close()
	await phoneContext.close()
})

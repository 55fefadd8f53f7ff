// Issue 18 item 16: the projector at 1366×768 shows the longest quick question of the pupils' courses, its four
// answers and the buttons without scrolling, with no site header and the join code and QR code in the top right
// corner; after the session ends the teacher reads the answers per question and per student on a printable page
// reached from the closed session; the teacher's header links to "Lớp học".
import { readFileSync } from 'node:fs'
import { expect, test, devices, type Page } from '@playwright/test'
import { pdfText } from '../certificates/pdf-text.ts'
import { expectAccessible, login } from './fixtures.ts'

const SHOTS = process.env.E2E_SHOTS_DIR

async function fitsScreen(page: Page) {
	return page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, viewport: window.innerHeight }))
}

test('projector fits 1366×768 with the longest question; the results stay after closing', async ({ browser }) => {
	test.setTimeout(240_000)
	const teacherContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' })
	const teacher = await teacherContext.newPage()
	await login(teacher, 'giaovien')
	await teacher.waitForURL((url) => !url.pathname.startsWith('/login'))
	// The teacher's header leads to the classes.
	await teacher.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Lớp học' }).click()
	await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('Lớp học của tôi')
	await teacher.getByRole('link', { name: 'Lớp 5A (2026–2027)' }).click()

	// A student's PIN from the login cards, to answer from a phone.
	const [download] = await Promise.all([teacher.waitForEvent('download'), teacher.getByRole('button', { name: 'In thẻ đăng nhập (PDF)' }).click()])
	const text = pdfText(readFileSync((await download.path())!))
	await teacher.reload()
	const firstRow = teacher.getByRole('row').nth(1)
	const firstName = (await firstRow.getByRole('cell').first().textContent())!.trim()
	const username = (await firstRow.getByRole('cell').nth(2).textContent())!.trim()
	const pin = new RegExp(`${username.replace(/\./g, '\\.')}\\n(?:Mã PIN:\\n)?(\\d{6})`).exec(text)?.[1]
	expect(pin).toMatch(/^\d{6}$/)

	// The pupils' course whose session has the longest quick question (463 characters with its answers).
	await teacher.getByLabel('Bài học').selectOption({ label: 'An toàn trên mạng cho học sinh: lừa đảo, tài khoản, mã độc' })
	await teacher.getByRole('button', { name: 'Bắt đầu buổi học' }).click()
	await teacher.waitForURL(/\/projector$/)
	const projectorUrl = teacher.url()
	// No site header, no footer.
	await expect(teacher.getByRole('navigation', { name: 'Điều hướng chính' })).toHaveCount(0)
	await expect(teacher.locator('footer')).toHaveCount(0)
	const codeText = teacher.getByText(/^[A-Z2-9]{6}$/).first()
	const code = (await codeText.textContent())!.trim()
	// The code and the QR code in the top right corner.
	const codeBox = (await codeText.boundingBox())!
	const qrBox = (await teacher.getByRole('img', { name: 'Mã vào lớp' }).boundingBox())!
	for (const box of [codeBox, qrBox]) {
		expect(box.x).toBeGreaterThan(1366 / 2)
		expect(box.y + box.height).toBeLessThan(200)
	}
	expect(qrBox.x + qrBox.width).toBeLessThanOrEqual(1366)

	const phoneContext = await browser.newContext({ ...devices['Pixel 7'], locale: 'vi-VN' })
	const phone = await phoneContext.newPage()
	await phone.goto(`/join/login?u=${encodeURIComponent(username)}`)
	await phone.getByLabel('Mã PIN').fill(pin!)
	await phone.getByRole('button', { name: 'Đăng nhập' }).click()
	await phone.getByLabel('Mã vào lớp').fill(code)
	await phone.getByRole('button', { name: 'Vào lớp' }).click()
	await phone.waitForURL(`**/join/${code}`)

	// Every step to the end; each question must fit the screen with its answers and the buttons.
	const questions: Array<{ prompt: string; scroll: number }> = []
	for (let guard = 0; guard < 80; guard++) {
		if (await teacher.getByText('Câu hỏi nhanh', { exact: false }).first().isVisible()) {
			const prompt = (await teacher.getByRole('heading', { level: 1 }).textContent())!.trim()
			const { scroll, viewport } = await fitsScreen(teacher)
			questions.push({ prompt, scroll })
			expect(scroll, prompt).toBeLessThanOrEqual(viewport)
			await expect(teacher.getByRole('listitem').filter({ hasText: /^D\. / })).toBeInViewport({ ratio: 1 })
			for (const name of ['◀ Lùi lại', 'Tiếp theo ▶']) await expect(teacher.getByRole('button', { name })).toBeInViewport({ ratio: 1 })
			await expect(teacher.getByRole('link', { name: 'Kết thúc buổi học' })).toBeInViewport({ ratio: 1 })
			if (questions.length === 1) {
				// The student answers the first question; the projector counts it.
				await expect(phone.getByText('Câu hỏi nhanh')).toBeVisible({ timeout: 15_000 })
				await phone.getByRole('button').filter({ hasText: /^A\. / }).click()
				await expect(phone.getByRole('status')).toContainText('Em đã trả lời câu này.')
				await teacher.reload()
				await expect(teacher.getByRole('status').first()).toContainText(/1 em đã trả lời, [01] em đúng/)
				await expectAccessible(teacher)
				if (SHOTS) await teacher.screenshot({ path: `${SHOTS}/projector-1366x768.png` })
			}
		}
		const next = teacher.getByRole('button', { name: 'Tiếp theo ▶' })
		if (await next.isDisabled()) break
		await next.click()
		await teacher.waitForLoadState('load')
	}
	expect(questions).toHaveLength(4)
	// The longest one was among them.
	expect(questions.map((q) => q.prompt).join('\n')).toContain('Tặng 5.000 kim cương cho 200 bạn đầu tiên')

	// On a phone (360 px) the projector page scrolls down but never sideways.
	const narrow = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', storageState: await teacherContext.storageState() })
	const small = await narrow.newPage()
	await small.goto(projectorUrl)
	await small.getByRole('button', { name: '◀ Lùi lại' }).click()
	await expect(small.getByText('Câu hỏi nhanh', { exact: false }).first()).toBeVisible()
	const widths = await small.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
	expect(widths[0]).toBeLessThanOrEqual(widths[1]!)
	if (SHOTS) await small.screenshot({ path: `${SHOTS}/projector-360.png`, fullPage: true })
	await narrow.close()
	await teacher.reload()

	// End the session; the results are one link away from the closed session.
	await teacher.getByRole('link', { name: 'Kết thúc buổi học' }).click()
	await teacher.getByRole('button', { name: 'Lưu điểm danh và kết thúc buổi học' }).click()
	await expect(teacher.getByRole('status').first()).toContainText('Đã kết thúc')
	await teacher.getByRole('link', { name: 'Xem kết quả buổi học' }).click()
	await expect(teacher.getByRole('heading', { level: 1 })).toHaveText('Kết quả buổi học')
	const questionsList = teacher.getByRole('region', { name: 'Từng câu hỏi' }).getByRole('listitem').filter({ has: teacher.getByRole('heading', { level: 3 }) })
	await expect(questionsList).toHaveCount(4)
	await expect(questionsList.first()).toContainText(/1 em đã trả lời, [01] em đúng/)
	await expect(questionsList.nth(1)).toContainText('0 em đã trả lời, 0 em đúng')
	const row = teacher.getByRole('row').filter({ has: teacher.getByRole('rowheader', { name: firstName }) })
	await expect(row.getByRole('cell').first()).toHaveText('Có')
	await expect(row.getByRole('cell').nth(1)).toHaveText(/^A, (đúng|sai)$/)
	await expect(row.getByRole('cell').nth(2)).toContainText('chưa trả lời')
	await expectAccessible(teacher)
	if (SHOTS) await teacher.screenshot({ path: `${SHOTS}/summary-1366.png`, fullPage: true })
	// The closed projector points to the results too.
	await teacher.goto(projectorUrl)
	await expect(teacher.getByRole('link', { name: 'Xem kết quả buổi học' })).toBeVisible()
	await teacher.goto(projectorUrl.replace(/projector$/, 'summary'))
	await teacher.setViewportSize({ width: 360, height: 740 })
	const summaryWidths = await teacher.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
	expect(summaryWidths[0]).toBeLessThanOrEqual(summaryWidths[1]!)
	if (SHOTS) await teacher.screenshot({ path: `${SHOTS}/summary-360.png`, fullPage: true })
	await teacherContext.close()
	await phoneContext.close()
})

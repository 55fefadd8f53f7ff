// Issue 18, the items what-users-see.spec.ts leaves to this file: the sync import's list of people it ends (3), one
// public address in printed links (4), fresh figures after a write (7), the readable audit log (12), how an import
// read its values (13), the report PDF in the layout of Nghị định 30/2020 (17) and one way of writing dates,
// percentages, lists of units and chart labels (18).
//
// Runs in order on the demo: read-only checks first; then an import into Sở Văn hóa, Thể thao và Du lịch, a revoked
// certificate of that department, and a sync that ends most of the department (of the files after this one,
// what-users-see.spec.ts reads the department's figures only relative to each other, and the youth specs do not use
// it); the audit log reads what those wrote.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import { pdfText, pdfTextRuns } from '../certificates/pdf-text.ts'
import { expectAccessible, login } from './fixtures.ts'

const DEPARTMENT = 'Sở Văn hóa, Thể thao và Du lịch'
const ROSTER_HEADERS = ['Họ và tên', 'Ngày sinh', 'Email', 'Số điện thoại', 'Mã đơn vị', 'Chức vụ', 'Nhóm', 'Tính vào chỉ tiêu']
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
// The people the import of item 13 adds; the syncs of item 3 keep or end them.
const LOOKALIKE = '\u00D0ỗ Công Thử' // "Ð" is the Icelandic eth, as pasted from a PDF; "Đ" is U+0110.
const PERSON_D = 'Đỗ Công Thử'
const PERSON_YOUNG = 'Nguyễn Văn Nhỏ Thử'
const PERSON_SERIAL = 'Trần Thị Số Thử'

async function download(page: Page, click: () => Promise<unknown>) {
	const [file] = await Promise.all([page.waitForEvent('download'), click()])
	return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) }
}

async function workbookOf(bytes: Buffer) {
	const workbook = new ExcelJS.Workbook()
	await workbook.xlsx.load(new Uint8Array(bytes).buffer)
	return workbook
}

async function rosterFile(rows: Array<Array<ExcelJS.CellValue>>) {
	const workbook = new ExcelJS.Workbook()
	const sheet = workbook.addWorksheet('Danh sách')
	sheet.addRow(ROSTER_HEADERS)
	for (const row of rows) sheet.addRow(row)
	return Buffer.from(await workbook.xlsx.writeBuffer())
}

async function signIn(page: Page, username: string) {
	await login(page, username)
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Xin chào, /)
}

/** The department's id, from its link on the certificates pages (the manager's list, or the province's sub-units). */
async function departmentId(page: Page) {
	await page.goto('/certificates')
	let link = page.getByRole('main').getByRole('link', { name: DEPARTMENT, exact: true })
	if (!(await link.count())) {
		await page.goto('/certificates/unit/1')
		link = page.getByRole('navigation', { name: 'Xem riêng từng đơn vị trực thuộc' }).getByRole('link', { name: DEPARTMENT, exact: true })
	}
	const href = await link.first().getAttribute('href')
	return Number(href!.match(/\/certificates\/unit\/(\d+)/)![1])
}

const number = (text: string) => Number(text.replace(/\./g, ''))

/** What the dashboard's summary says, and the time it says its figures are from (as an instant). */
async function dashboardFigures(page: Page, unitId: number) {
	await page.goto(`/org/${unitId}/dashboard`)
	const summary = (await page.getByRole('region', { name: 'Tổng quan' }).innerText()).replace(/\s+/g, ' ')
	const places = summary.match(/đã hoàn thành: ([\d.]+) \/ ([\d.]+) lượt khoá học bắt buộc/)
	const people = summary.match(/([\d.]+) người phải học/)
	expect(places, summary).not.toBeNull()
	const stated = (await page.locator('p', { hasText: /Số liệu (tổng hợp lúc|tính tại thời điểm)/ }).first().innerText()).replace(/\s+/g, ' ')
	return { completed: number(places![1]!), places: number(places![2]!), people: people ? number(people[1]!) : null, stated, at: statedInstant(stated) }
}

/** "… lúc 07/12/2026 18:04" (or the time first) read as the instant it names in Vietnam; NaN when there is none. */
function statedInstant(text: string) {
	const dateFirst = text.match(/(\d{2})\/(\d{2})\/(\d{4}),? (\d{2}):(\d{2})/)
	const timeFirst = text.match(/(\d{2}):(\d{2}),? (\d{2})\/(\d{2})\/(\d{4})/)
	if (dateFirst) return Date.UTC(+dateFirst[3]!, +dateFirst[2]! - 1, +dateFirst[1]!, +dateFirst[4]! - 7, +dateFirst[5]!)
	if (timeFirst) return Date.UTC(+timeFirst[5]!, +timeFirst[4]! - 1, +timeFirst[3]!, +timeFirst[1]! - 7, +timeFirst[2]!)
	return Number.NaN
}

/**
 * Every date written on the page is dd/mm/yyyy, and no percentage has a space before its sign (item 18). Soft: a
 * page that writes one date wrongly fails the test but does not stop the journey the rest of this file builds on.
 */
async function expectVietnameseFormats(page: Page) {
	const text = await page.locator('main').innerText()
	const dates = text.match(/\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b/g) ?? []
	expect.soft(dates.filter((d) => !/^\d{2}\/\d{2}\/\d{4}$/.test(d)), `dates on ${page.url()}`).toEqual([])
	expect.soft(text.match(/\d[ \u00a0\u202f]+%/g) ?? [], `percentages on ${page.url()}`).toEqual([])
}

const VIETNAMESE_LETTERS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i

test.describe('read-only', () => {
	test('item 18: dd/mm/yyyy dates, "11%", units in Vietnamese order, English period options, chart labels that wrap', async ({ page }) => {
		test.setTimeout(120_000)
		await signIn(page, 'admin')
		// Units in Vietnamese alphabetical order: "Đ" after "D" and before "E", so phường Đông Hải comes before Trần Hưng Đạo.
		await page.goto('/certificates/unit/1')
		const units = await page.getByRole('navigation', { name: 'Xem riêng từng đơn vị trực thuộc' }).getByRole('link').allInnerTexts()
		expect(units.length).toBeGreaterThan(30)
		expect(units).toEqual([...units].sort(new Intl.Collator('vi', { numeric: true }).compare))
		expect(units.indexOf('Ủy ban nhân dân phường Đông Hải')).toBeGreaterThanOrEqual(0)
		expect(units.indexOf('Ủy ban nhân dân phường Đông Hải')).toBeLessThan(units.indexOf('Ủy ban nhân dân phường Trần Hưng Đạo'))
		await expectVietnameseFormats(page)
		await expectAccessible(page)

		// The province's ranking chart: a long commune name is on several lines, all of it inside the picture.
		await page.goto('/org/1/dashboard')
		const chart = page.getByRole('img', { name: /Tỉ lệ hoàn thành của các đơn vị trực thuộc/ })
		await expect(chart).toBeVisible()
		const labels = await chart.evaluate((svg) => {
			const box = svg.getBoundingClientRect()
			return [...svg.querySelectorAll('text.chart-label')].map((label) => {
				const r = label.getBoundingClientRect()
				return {
					text: [...label.querySelectorAll('tspan')].map((t) => t.textContent).join(' ') || label.textContent,
					lines: label.querySelectorAll('tspan').length,
					inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5,
				}
			})
		})
		const long = labels.find((l) => l.text === 'Ủy ban nhân dân phường Trần Hưng Đạo')
		expect(long, JSON.stringify(labels.slice(0, 5))).toBeDefined()
		expect(long!.lines).toBeGreaterThan(1)
		expect(labels.filter((l) => !l.inside)).toEqual([])
		await expectVietnameseFormats(page)
		await expectAccessible(page)

		// The department's pages a manager reads most.
		const dept = await departmentId(page)
		for (const path of [`/org/${dept}/dashboard`, `/org/${dept}/dashboard/people`, `/org/${dept}/members`, `/org/${dept}/assignments`, `/org/${dept}/targets`, `/org/${dept}/imports`, `/certificates/unit/${dept}`]) {
			await page.goto(path)
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
			await expectVietnameseFormats(page)
			await expectAccessible(page)
		}
		await page.goto(`/org/${dept}/reports?period=h1-${lastHalfYear()}`)
		await expect(page.getByRole('heading', { name: /^Số liệu chốt cuối tháng/ })).toBeVisible()
		await expectVietnameseFormats(page)
		await expectAccessible(page)

		// English: the report period options are English too.
		await page.getByRole('button', { name: 'English' }).click()
		await expect(page.locator('html')).toHaveAttribute('lang', 'en')
		await page.goto(`/org/${dept}/reports`)
		const options = await page.locator('select#period option').allInnerTexts()
		expect(options.length).toBeGreaterThan(0)
		expect(options.filter((o) => VIETNAMESE_LETTERS.test(o) || /tháng|năm|Năm/.test(o))).toEqual([])
		await expectAccessible(page)
		await page.getByRole('button', { name: 'Tiếng Việt' }).click()
		await expect(page.locator('html')).toHaveAttribute('lang', 'vi')
	})

	test('item 17: the report PDF has the heading of Nghị định 30/2020, the place and date, and every row whole', async ({ page }) => {
		await signIn(page, 'quanly')
		await page.getByRole('link', { name: 'Tiến độ' }).click()
		await page.getByRole('link', { name: 'Báo cáo định kỳ' }).first().click()
		await page.getByLabel('Kỳ báo cáo', { exact: true }).selectOption(`h1-${lastHalfYear()}`)
		await page.getByRole('button', { name: 'Xem báo cáo' }).click()
		await expect(page.getByRole('heading', { name: /^Số liệu chốt cuối tháng/ })).toBeVisible()
		await expectAccessible(page)
		const rows = (await page.locator('section table tbody th[scope="row"]').allInnerTexts()).map((r) => r.trim())
		expect(rows.length).toBeGreaterThan(0)
		const file = await download(page, () => page.getByRole('link', { name: /PDF/ }).click())
		expect(file.name).toMatch(/\.pdf$/)
		expect(file.bytes.subarray(0, 5).toString()).toBe('%PDF-')

		// The text, line by line as drawn.
		const lines = pdfTextRuns(file.bytes)
			.map((r) => ({ ...r, text: r.text.replace(/\s+/g, ' ').trim() }))
			.filter((r) => r.text)
		const line = (pattern: RegExp) => {
			const found = lines.find((r) => pattern.test(r.text))
			expect(found, `${pattern} in ${lines.map((r) => r.text).join(' | ')}`).toBeDefined()
			return found!
		}
		const superior = line(/^UBND TỈNH MINH SƠN$/)
		const agency = line(/^SỞ VĂN HÓA, THỂ THAO VÀ( DU LỊCH)?$/)
		const national = line(/^CỘNG H(ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM$/)
		const motto = line(/^Độc lập - Tự do - Hạnh phúc$/)
		const numberLine = line(/^Số: \/BC-SVHTTDL$/)
		const today = new Date(Date.now() + 7 * 3600_000)
		const day = today.getUTCDate()
		const month = today.getUTCMonth() + 1
		// The decree's model: days below 10 and January, February take a leading zero.
		const dateLine = line(new RegExp(`^Minh Sơn, ngày ${String(day).padStart(2, '0')} tháng ${month < 3 ? String(month).padStart(2, '0') : month} năm ${today.getUTCFullYear()}$`))
		line(/^BÁO CÁO$/)
		// Issuing body on the left above its number; national heading on the right above the motto and the date.
		expect(superior.y).toBeGreaterThan(agency.y)
		expect(agency.y).toBeGreaterThan(numberLine.y)
		expect(national.y).toBeGreaterThan(motto.y)
		expect(motto.y).toBeGreaterThan(dateLine.y)
		expect(national.x).toBeGreaterThan(agency.x)
		// Every unit row of the page's table is in the PDF whole: nothing cut off with "…" or at the column's edge.
		const whole = lines.map((r) => r.text).join(' ')
		for (const row of rows) expect(whole, row).toContain(row)
		expect(whole).not.toContain('…')

		// The first page as a picture (what a reader sees): the two heading columns are inked, the left margin is not.
		const page1 = renderFirstPage(file.bytes)
		test.skip(page1 === null, 'pdftoppm (Debian package poppler-utils) is not installed: scripts/ensure-chromium.sh installs it')
		const { width, height, ink } = page1!
		const mm = width / 210
		// Left margin (30 mm, less a millimetre for anti-aliasing): blank.
		expect(ink(0, 0, Math.floor(29 * mm), height)).toBe(0)
		// Top band (from 20 mm to 50 mm): ink in the left column (issuing body) and in the right column (national heading).
		const top = Math.floor(20 * mm)
		const band = Math.floor(30 * mm)
		expect(ink(Math.floor(30 * mm), top, Math.floor(75 * mm), band)).toBeGreaterThan(50)
		expect(ink(Math.floor(110 * mm), top, Math.floor(85 * mm), band)).toBeGreaterThan(50)
		// Above 20 mm on the first page: no text (the page number starts on page 2).
		expect(ink(0, 0, width, Math.floor(19 * mm))).toBe(0)
	})

	test('item 4: the certificate PDF prints the verify address of the site it was downloaded from, never localhost:3000', async ({ page, baseURL }) => {
		await signIn(page, 'quanly')
		const dept = await departmentId(page)
		await page.goto(`/certificates/unit/${dept}?status=valid`)
		await page.getByRole('table').first().getByRole('link', { name: /^VMS-/ }).first().click()
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chứng nhận hoàn thành khoá học')
		await expectAccessible(page)
		await expectVietnameseFormats(page)
		const serial = (await page.locator('article dd.font-mono').textContent())!.trim()
		const pdfLink = page.getByRole('link', { name: 'Tải chứng nhận (PDF)' })
		const file = await download(page, () => pdfLink.click())
		const text = pdfText(file.bytes)
		expect(text).toContain(`${baseURL}/verify/${serial}`)
		expect(text).not.toContain('localhost:3000')
		// Reached under another name (a proxy's public host), the same PDF prints that name: the request's origin.
		const href = (await pdfLink.getAttribute('href'))!
		const viaProxy = await page.request.get(href, { headers: { Host: 'vanminhso.minhson.example' } })
		expect(viaProxy.status()).toBe(200)
		expect(pdfText(Buffer.from(await viaProxy.body()))).toContain(`http://vanminhso.minhson.example/verify/${serial}`)
		// The public page the QR code leads to answers.
		await page.goto(`/verify/${serial}`)
		await expect(page.getByRole('heading', { level: 2, name: 'Chứng nhận hợp lệ' })).toBeVisible()
	})
})

test.describe('after writes', () => {
	test('item 13: the import preview shows how dates, phones and units were read, warns on a birth in 2015, and makes "Đ" of "Ð"', async ({ page, baseURL }) => {
		test.setTimeout(90_000)
		await signIn(page, 'quanly')
		const dept = await departmentId(page)
		await page.goto(`/org/${dept}/imports`)
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nhập danh sách cán bộ')
		const file = await rosterFile([
			// A unit by its name (in other capitals), a phone whose leading zero Excel dropped, a date as text.
			[LOOKALIKE, '05/03/1985', '', 912345671, 'phòng quản lý du lịch', 'Chuyên viên', '', 'Có'],
			// Born in 2015: a child, not a civil servant.
			[PERSON_YOUNG, '01/06/2015', '', '', 'SVHTTDL', 'Chuyên viên', '', 'Có'],
			// A date as Excel's day number (33000 = 07/05/1990).
			[PERSON_SERIAL, 33000, '', '+84 912 345 673', 'SVHTTDL', 'Cán sự', '', 'Có'],
		])
		await page.getByLabel('Tệp danh sách').setInputFiles({ name: 'doc-gia-tri.xlsx', mimeType: XLSX, buffer: file })
		await page.getByRole('button', { name: 'Tải lên và kiểm tra' }).click()
		await expect(page.getByRole('status')).toHaveText('Tệp hợp lệ. Hãy xem lại số liệu rồi xác nhận nhập.')
		const read = page.getByRole('region', { name: 'Giá trị đã đọc từ tệp' })
		const row = (n: number) => read.getByRole('row').filter({ has: page.getByRole('cell', { name: String(n), exact: true }) })
		// Row 2: the name with "Đ" (U+0110), the date dd/mm/yyyy, the phone with its zero, the unit matched by name.
		await expect(row(2)).toContainText(PERSON_D)
		expect(await row(2).innerText()).not.toContain('\u00D0')
		await expect(row(2)).toContainText('05/03/1985')
		await expect(row(2)).toContainText('0912345671')
		await expect(row(2)).toContainText('đã thêm số 0 đầu bị Excel bỏ mất')
		await expect(row(2)).toContainText('Phòng Quản lý du lịch (SVHTTDL-P3)')
		await expect(row(2)).toContainText('khớp theo tên «phòng quản lý du lịch»')
		await expect(row(2)).toContainText('Người mới')
		await expect(row(3)).toContainText('01/06/2015')
		await expect(row(4)).toContainText('07/05/1990')
		await expect(row(4)).toContainText('đọc từ số ngày của Excel')
		await expect(row(4)).toContainText('0912345673')
		await expect(row(4)).toContainText('đổi từ +84 sang 0')
		// The implausible birth year is a warning on its row; the file can still be imported.
		await expect(page.getByRole('main')).toContainText(/Ngày sinh «01\/06\/2015»: người này mới \d+ tuổi, chưa đủ tuổi làm cán bộ, công chức; hãy kiểm tra lại\./)
		await expectVietnameseFormats(page)
		await expectAccessible(page)

		await page.getByRole('button', { name: 'Xác nhận nhập' }).click()
		await expect(page.getByRole('status')).toHaveText('Đã nhập xong danh sách.')
		await expectVietnameseFormats(page)
		const jobUrl = page.url()
		// The upload page's list of imports, now that there is one.
		await page.goto(`/org/${dept}/imports`)
		await expect(page.getByRole('row').filter({ hasText: 'doc-gia-tri.xlsx' }).first()).toBeVisible()
		await expectVietnameseFormats(page)
		await page.goto(jobUrl)
		// The code list: the username made from "Đỗ Công Thử" keeps its "đ"; the activation address is this site's.
		const codes = await download(page, () => page.getByRole('button', { name: 'Tải danh sách mã (.xlsx)' }).click())
		const sheet = (await workbookOf(codes.bytes)).worksheets[0]!
		const header = (sheet.getRow(1).values as Array<string>).slice(1)
		const at = (name: string) => header.findIndex((h) => h === name) + 1
		const people = (sheet.getSheetValues().slice(2) as Array<Array<string>>).map((r) => ({ name: r[1], username: r[at('Tên đăng nhập')], link: r[header.length] }))
		expect(people.find((p) => p.name === PERSON_D)?.username).toMatch(/^thu\.dc\d*$/)
		for (const p of people) expect(p.link).toBe(`${baseURL}/activate`)
		// The printed slips carry the same address.
		const slips = await download(page, () => page.getByRole('button', { name: 'In phiếu (PDF)' }).click())
		const slipText = pdfText(slips.bytes).replace(/\s+/g, ' ')
		expect(slipText).toContain(`${baseURL}/activate`)
		expect(slipText).not.toContain('localhost:3000')
	})

	test('item 7: after a certificate is revoked the dashboard of its unit and of the province show it on the next view, with their time', async ({ page }) => {
		test.setTimeout(90_000)
		await signIn(page, 'admin')
		const dept = await departmentId(page)
		const before = await dashboardFigures(page, dept)
		expect(before.at, before.stated).not.toBeNaN()
		await expectAccessible(page)
		const provinceBefore = await rankingRow(page, 1, DEPARTMENT)

		// A valid certificate of the department's required course, revoked by the administrator.
		await page.goto(`/certificates/unit/${dept}?status=valid&course=quy-tac-ung-xu-can-bo`)
		await page.getByRole('table').first().getByRole('link', { name: /^VMS-/ }).first().click()
		await page.getByLabel('Lý do thu hồi').fill('Kiểm thử số liệu sau khi thu hồi')
		await page.getByRole('button', { name: 'Thu hồi chứng nhận' }).click()
		const revokedAt = Math.floor(Date.now() / 60_000) * 60_000
		await page.getByRole('button', { name: 'Xác nhận thu hồi' }).click()
		await expect(page.getByRole('status').filter({ hasText: 'Đã thu hồi chứng nhận.' })).toBeVisible()

		// The next view: one course place fewer completed, and figures stated as of the revocation or later.
		const after = await dashboardFigures(page, dept)
		expect.soft(after.completed, `${before.stated} → ${after.stated}`).toBe(before.completed - 1)
		expect.soft(after.places).toBe(before.places)
		expect.soft(after.at, after.stated).toBeGreaterThanOrEqual(revokedAt)
		// And the province above it, in its ranking.
		const provinceAfter = await rankingRow(page, 1, DEPARTMENT)
		expect.soft(provinceAfter.completed).toBe(provinceBefore.completed - 1)
	})

	test('item 3 and 7: a sync lists everyone it ends, keeps the manager, asks for the count; the figures follow at once', async ({ page }) => {
		test.setTimeout(120_000)
		await signIn(page, 'admin')
		const dept = await departmentId(page)
		const postsBefore = await posts(page, dept)
		const before = await dashboardFigures(page, dept)

		// The file keeps the three people of item 13 (found by their phones) and leaves everyone else out.
		await page.goto(`/org/${dept}/imports`)
		await page.getByRole('radio', { name: /^Đồng bộ/ }).check()
		const file = await rosterFile([
			[PERSON_D, '05/03/1985', '', '0912345671', 'SVHTTDL-P3', 'Chuyên viên', '', 'Có'],
			[PERSON_YOUNG, '01/06/2015', '', '', 'SVHTTDL', 'Chuyên viên', '', 'Có'],
			[PERSON_SERIAL, '07/05/1990', '', '0912345673', 'SVHTTDL', 'Cán sự', '', 'Có'],
		])
		await page.getByLabel('Tệp danh sách').setInputFiles({ name: 'dong-bo.xlsx', mimeType: XLSX, buffer: file })
		await page.getByRole('button', { name: 'Tải lên và kiểm tra' }).click()
		await expect(page.getByRole('status')).toHaveText('Tệp hợp lệ. Hãy xem lại số liệu rồi xác nhận nhập.')
		const jobUrl = page.url()

		// Every person to end, by name, unit and title, in a warning box; the count in its heading is the list's length.
		const ending = page.getByRole('region', { name: /^Sẽ kết thúc sinh hoạt của \d+ người từ ngày \d{2}\/\d{2}\/\d{4}$/ })
		await expect(ending).toBeVisible()
		await expect(ending).toHaveClass(/alert-warning/)
		const background = await ending.evaluate((e) => getComputedStyle(e).backgroundColor)
		expect(background).not.toMatch(/^rgba?\(255, 255, 255|rgba\(0, 0, 0, 0\)/)
		const count = Number((await ending.getByRole('heading').innerText()).match(/của (\d+) người/)![1])
		expect(count).toBeGreaterThan(10)
		// Every post of the department but the manager's and those of the three people in the file.
		expect(count).toBe(postsBefore - 1 - 3)
		const listed = ending.getByRole('table', { name: 'Những người sẽ kết thúc sinh hoạt' })
		await expect(listed.locator('tbody tr')).toHaveCount(count)
		await expect(listed.getByRole('columnheader')).toHaveText(['Họ và tên', 'Đơn vị', 'Chức vụ'])
		await expect(listed.getByRole('row').filter({ hasText: 'Giám đốc' }).filter({ hasText: DEPARTMENT }).first()).toBeVisible()
		await expect(listed.getByRole('row').filter({ hasText: 'Phòng Quản lý du lịch' }).first()).toBeVisible()
		// The manager holds a grant on the department: kept, and the page says why.
		await expect(listed).not.toContainText('Lê Văn Quang')
		await expect(page.getByRole('main')).toContainText('Không kết thúc sinh hoạt của Lê Văn Quang vì người này đang giữ quyền quản lý')
		for (const name of [PERSON_D, PERSON_YOUNG, PERSON_SERIAL]) await expect(listed).not.toContainText(name)
		await expectVietnameseFormats(page)
		await expectAccessible(page)

		// A wrong count: a Vietnamese error, nothing written.
		const typed = page.getByLabel(`Để xác nhận, hãy gõ số người sẽ kết thúc sinh hoạt (${count})`)
		await typed.fill(String(count - 1))
		await page.getByRole('button', { name: `Xác nhận nhập và kết thúc sinh hoạt của ${count} người` }).click()
		await expect(page.getByRole('alert')).toHaveText(`Số đã gõ không khớp: hãy gõ đúng ${count}, là số người sẽ kết thúc sinh hoạt. Chưa có gì được ghi.`)
		await expect(typed).toHaveAttribute('aria-invalid', 'true')
		await expectAccessible(page)
		expect(await posts(page, dept)).toBe(postsBefore)

		// The right count: ended, and said so.
		await page.goto(jobUrl)
		await page.getByLabel(`Để xác nhận, hãy gõ số người sẽ kết thúc sinh hoạt (${count})`).fill(String(count))
		await page.getByRole('button', { name: `Xác nhận nhập và kết thúc sinh hoạt của ${count} người` }).click()
		await expect(page.getByRole('status')).toHaveText('Đã nhập xong danh sách.')
		await expect(page.getByRole('heading', { name: new RegExp(`^Đã kết thúc sinh hoạt của ${count} người từ ngày \\d{2}/\\d{2}/\\d{4}$`) })).toBeVisible()
		const endedAt = Math.floor(Date.now() / 60_000) * 60_000

		// Item 7: the unit page and the dashboard count the people left on the next view.
		expect(await posts(page, dept)).toBe(postsBefore - count)
		const after = await dashboardFigures(page, dept)
		expect(after.places, `${before.stated} → ${after.stated}`).toBeLessThan(before.places)
		if (before.people !== null && after.people !== null) expect(after.people).toBeLessThanOrEqual(before.people - count)
		expect(after.at, after.stated).toBeGreaterThanOrEqual(endedAt)
	})

	test('item 3: the importer’s own membership is never ended by a sync', async ({ page }) => {
		await signIn(page, 'quanly')
		const dept = await departmentId(page)
		await page.goto(`/org/${dept}/imports`)
		await page.getByRole('radio', { name: /^Đồng bộ/ }).check()
		await page.getByLabel('Tệp danh sách').setInputFiles({
			name: 'dong-bo-2.xlsx',
			mimeType: XLSX,
			buffer: await rosterFile([[PERSON_D, '05/03/1985', '', '0912345671', 'SVHTTDL-P3', 'Chuyên viên', '', 'Có']]),
		})
		await page.getByRole('button', { name: 'Tải lên và kiểm tra' }).click()
		await expect(page.getByRole('status')).toHaveText('Tệp hợp lệ. Hãy xem lại số liệu rồi xác nhận nhập.')
		const ending = page.getByRole('region', { name: /^Sẽ kết thúc sinh hoạt của 2 người/ })
		await expect(ending.locator('tbody tr')).toHaveCount(2)
		await expect(ending).toContainText(PERSON_YOUNG)
		await expect(ending).toContainText(PERSON_SERIAL)
		await expect(ending).not.toContainText('Lê Văn Quang')
		await expect(page.getByRole('main')).toContainText('Không kết thúc sinh hoạt của chính bạn (Lê Văn Quang) dù tên không có trong tệp.')
		await page.getByLabel('Để xác nhận, hãy gõ số người sẽ kết thúc sinh hoạt (2)').fill('2')
		await page.getByRole('button', { name: 'Xác nhận nhập và kết thúc sinh hoạt của 2 người' }).click()
		await expect(page.getByRole('status')).toHaveText('Đã nhập xong danh sách.')
		// Still the department's manager, still on its roster.
		await page.goto(`/org/${dept}/members?q=le%20van%20quang`)
		await expect(page.getByRole('table')).toContainText('Lê Văn Quang')
		await expectAccessible(page)
	})

	test('item 12: the audit log reads as Vietnamese sentences with links, filters by who, what, where and when, pages and exports', async ({ page }) => {
		test.setTimeout(120_000)
		await signIn(page, 'admin')
		await page.goto('/admin/audit')
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nhật ký quản trị')
		const table = page.getByRole('table')
		const text = await table.innerText()
		// No internal keys, model names or ids.
		expect(text).not.toMatch(/\b(reminder|roster|certificate|activation|assignment|membership|orgunit|report|audit|snapshot|pin|class)\.[a-z.-]+/)
		expect(text).not.toMatch(/\b(OrgUnit|Assignment|User|Certificate|ImportJob) [\w-]+/)
		expect(text).not.toMatch(/\bc[a-z0-9]{20,}\b/)
		// What this file did, as sentences naming people and units, with links.
		const imported = table.getByRole('row').filter({ hasText: `Đỗ Thị Thanh Hà đã nhập danh sách thành viên vào ${DEPARTMENT}.` }).first()
		await expect(imported).toBeVisible()
		const revoked = table.getByRole('row').filter({ hasText: /Đỗ Thị Thanh Hà đã thu hồi chứng nhận VMS-\d{4}-[0-9A-Z]{10} khoá «.+» của .+\./ }).first()
		await expect(revoked).toBeVisible()
		const serial = (await revoked.getByRole('link', { name: /^VMS-/ }).innerText()).trim()
		await expectVietnameseFormats(page)
		await expectAccessible(page)
		await imported.getByRole('link', { name: DEPARTMENT }).click()
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEPARTMENT)
		await page.goBack()
		await table.getByRole('link', { name: serial }).first().click()
		await expect(page).toHaveURL(new RegExp(`/certificates/${serial}$`))

		// Filters: the person without accents, the action, the unit, the dates.
		await page.goto('/admin/audit')
		await page.getByLabel('Người thực hiện (tên hoặc tên đăng nhập)').fill('thanh ha')
		await page.getByLabel('Thao tác').selectOption({ label: 'Thu hồi chứng nhận' })
		await page.getByLabel('Đơn vị', { exact: true }).selectOption({ label: `— ${DEPARTMENT}` })
		const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
		await page.getByLabel('Từ ngày').fill(today)
		await page.getByLabel('Đến ngày').fill(today)
		await page.getByRole('button', { name: 'Lọc', exact: true }).click()
		// The filtered page, not the one before it (with JavaScript the form navigates in place).
		await expect(page).toHaveURL(/action=certificate\.revoke/)
		await expect(page.getByText(/^Có \d+ sự kiện phù hợp; đang xem 1–\d+\.$/)).toBeVisible()
		const sentences = await page.getByRole('table').locator('tbody tr td:nth-child(2)').allInnerTexts()
		expect(sentences.length).toBeGreaterThan(0)
		for (const s of sentences) expect(s).toMatch(/^Đỗ Thị Thanh Hà đã thu hồi chứng nhận VMS-/)
		// The same filters in Excel: the same sentences.
		const xlsx = await download(page, () => page.getByRole('link', { name: 'Tải Excel (theo bộ lọc đang chọn)' }).click())
		const sheet = (await workbookOf(xlsx.bytes)).worksheets[0]!
		expect((sheet.getRow(1).values as Array<string>).slice(1)).toEqual(['Thời điểm', 'Nội dung', 'Thao tác', 'Địa chỉ IP'])
		const exported = (sheet.getSheetValues().slice(2) as Array<Array<string>>).map((r) => r[2])
		expect(exported).toEqual(sentences)
		for (const r of sheet.getSheetValues().slice(2) as Array<Array<string>>) expect(r[1]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/)
		// Dates with nothing in them, and dates the wrong way round.
		await page.goto('/admin/audit?from=2020-01-01&to=2020-01-31')
		await expect(page.getByText('Chưa có thao tác nào.')).toBeVisible()
		await page.goto(`/admin/audit?from=${today}&to=2020-01-31`)
		await expect(page.getByRole('alert')).toHaveText('Ngày bắt đầu đang sau ngày kết thúc; hãy đổi lại hai ngày.')

		// Pages of 50: the administrator's own downloads of the log are events too.
		for (let i = 0; i < 51; i++) expect((await page.request.get('/admin/audit.xlsx?action=audit.export')).status()).toBe(200)
		await page.goto('/admin/audit')
		await page.getByLabel('Thao tác').selectOption({ label: 'Tải nhật ký quản trị' })
		await page.getByRole('button', { name: 'Lọc', exact: true }).click()
		await expect(page).toHaveURL(/action=audit\.export/)
		const counted = await page.getByText(/^Có \d+ sự kiện phù hợp; đang xem 1–50\.$/).innerText()
		const total = Number(counted.match(/^Có ([\d.]+)/)![1]!.replace(/\./g, ''))
		expect(total).toBeGreaterThanOrEqual(52)
		await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(50)
		const pages = Math.ceil(total / 50)
		await expect(page.getByText(`Trang 1/${pages}`, { exact: true })).toBeVisible()
		await page.getByRole('link', { name: 'Trang sau →' }).click()
		await expect(page.getByText(new RegExp(`^Có [\\d.]+ sự kiện phù hợp; đang xem 51–${Math.min(100, total)}\\.$`))).toBeVisible()
		await expect(page.getByText(`Trang 2/${pages}`, { exact: true })).toBeVisible()
		await expect(page.getByRole('link', { name: '← Trang trước' })).toBeVisible()
		await expectAccessible(page)
	})
})

/** The number of posts (memberships) the unit page counts in the unit and below it. */
async function posts(page: Page, unitId: number) {
	await page.goto(`/org/${unitId}`)
	const line = await page.getByText(/^Hiển thị \d+ \/ \d+ dòng/).innerText()
	return Number(line.match(/^Hiển thị \d+ \/ (\d+) dòng/)![1])
}

/** The last half year that has ended: this year's once July has come (in Vietnam), else last year's. */
function lastHalfYear() {
	const now = new Date(Date.now() + 7 * 3600_000)
	return now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1
}

/** A unit's row in the ranking of its parent's dashboard: course places and completed ones. */
async function rankingRow(page: Page, parentId: number, name: string) {
	await page.goto(`/org/${parentId}/dashboard`)
	const row = page.getByRole('table', { name: 'Xếp hạng theo tỉ lệ hoàn thành, cao nhất trước' }).getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) })
	const cells = await row.locator('td').allInnerTexts()
	return { target: number(cells[0]!), completed: number(cells[1]!) }
}

/**
 * Page 1 rendered by pdftoppm at 60 dpi as grey levels, with a counter of dark pixels in a rectangle; null when
 * poppler-utils is not installed.
 */
function renderFirstPage(pdf: Buffer) {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'vms-e2e-pdf-'))
	try {
		const input = path.join(dir, 'report.pdf')
		writeFileSync(input, pdf)
		try {
			execFileSync('pdftoppm', ['-gray', '-r', '60', '-f', '1', '-l', '1', '-singlefile', input, path.join(dir, 'page')])
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
			throw error
		}
		const pgm = readFileSync(path.join(dir, 'page.pgm'))
		// Binary PGM: "P5", width, height, max value, one byte a pixel.
		const header = pgm.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/)!
		const [width, height] = [Number(header[1]), Number(header[2])]
		const pixels = pgm.subarray(header[0].length)
		const ink = (x: number, y: number, w: number, h: number) => {
			let dark = 0
			for (let row = y; row < Math.min(height, y + h); row++) for (let col = x; col < Math.min(width, x + w); col++) if (pixels[row * width + col]! < 160) dark++
			return dark
		}
		return { width, height, ink }
	} finally {
		rmSync(dir, { recursive: true, force: true })
	}
}

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test, type Page, type Response } from '@playwright/test'
import { expectAccessible } from './fixtures.ts'

// The content build (made by the web server's start script before any test runs) is the source of truth for what
// the pages must show. Read inside tests, never at collection time: on a fresh clone it does not exist yet.
type CourseSummary = { slug: string; title: string; audience: Array<string>; lessonCount: number }
type BuiltCourse = { meta: { slug: string; title: string; legalBasis: Array<string> }; lessons: Array<{ slug: string; title: string }> }
type LegalSource = { id: string; status: string; replacedBy?: string; title: string; number?: string }

function readBuilt<T>(file: string): T {
	return JSON.parse(readFileSync(path.resolve('build/content', file), 'utf8')) as T
}
const catalogue = () => readBuilt<{ courses: Array<CourseSummary> }>('index.json').courses
const builtCourse = (slug: string) => readBuilt<BuiltCourse>(`courses/${slug}.json`)
const legalSources = () => readBuilt<{ sources: Array<LegalSource> }>('legal-sources.json').sources

const VERDICTS = /Cách xử lý tốt nhất|Đúng một phần|Chưa phù hợp/

/** The list of course cards (each has its title as an h2 link). */
const courseTitles = (page: Page) => page.getByRole('main').getByRole('listitem').getByRole('heading', { level: 2 })

async function filterByAudience(page: Page, label: string) {
	await page.getByRole('combobox', { name: 'Đối tượng' }).selectOption({ label })
	await page.getByRole('button', { name: 'Lọc' }).click()
}

/** Opens the first Scenario option of the lesson on screen and checks that its feedback shows. */
async function openFirstScenarioOption(page: Page) {
	const scenario = page.locator('.lesson-body .scenario').first()
	await expect(scenario).toContainText('Tình huống')
	const option = scenario.locator('.scenario-option details').first()
	const feedback = option.locator('.scenario-feedback')
	await expect(feedback).toBeHidden()
	await option.locator('summary').click()
	await expect(option).toHaveAttribute('open', '')
	await expect(feedback).toBeVisible()
	await expect(feedback).toContainText(VERDICTS)
}

test('the catalogue lists all courses and filters them by audience', async ({ page }) => {
	const courses = catalogue()
	expect(courses).toHaveLength(8)
	await page.goto('/courses')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khoá học')
	await expect(page.getByRole('status')).toHaveText('8 khoá học')
	await expect(courseTitles(page)).toHaveCount(8)
	for (const c of courses) await expect(page.getByRole('link', { name: c.title, exact: true })).toHaveAttribute('href', `/courses/${c.slug}`)

	await filterByAudience(page, 'Học sinh tiểu học')
	await expect(page).toHaveURL(/\/courses\?audience=student-primary$/)
	const primary = courses.filter((c) => c.audience.includes('student-primary'))
	await expect(page.getByRole('status')).toHaveText(`${primary.length} khoá học`)
	await expect(courseTitles(page)).toHaveText(primary.map((c) => c.title))
	await expect(page.getByRole('combobox', { name: 'Đối tượng' })).toHaveValue('student-primary')

	await filterByAudience(page, 'Cán bộ, công chức, viên chức')
	const staff = courses.filter((c) => c.audience.includes('staff'))
	await expect(page.getByRole('status')).toHaveText(`${staff.length} khoá học`)
	await expect(courseTitles(page)).toHaveCount(staff.length)

	await filterByAudience(page, 'Tất cả đối tượng')
	await expect(courseTitles(page)).toHaveCount(8)

	// An unknown audience in the URL shows the whole catalogue rather than an error.
	const unknown = await page.goto('/courses?audience=nguoi-ngoai-hanh-tinh')
	expect(unknown?.status()).toBe(200)
	await expect(courseTitles(page)).toHaveCount(8)
})

test('the first lesson of every course opens from its course page, with a working scenario', async ({ page }) => {
	// CSP violations and failed lesson modules show up as console errors.
	const errors: Array<string> = []
	page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
	page.on('pageerror', (e) => errors.push(e.message))
	for (const summary of catalogue()) {
		await test.step(summary.slug, async () => {
			const course = builtCourse(summary.slug)
			const first = course.lessons[0]!
			await page.goto(`/courses/${summary.slug}`)
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(course.meta.title)
			await expect(page.getByRole('region', { name: 'Các bài học' }).getByRole('listitem')).toHaveCount(summary.lessonCount)
			await page.getByRole('link', { name: 'Bắt đầu bài 1' }).click()
			await expect(page).toHaveURL(`/courses/${summary.slug}/lessons/${first.slug}`)
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.title)
			await expect(page.getByText(`Bài 1/${summary.lessonCount}`)).toBeVisible()
			await openFirstScenarioOption(page)
		})
	}
	expect(errors).toEqual([])
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('the catalogue filter and a lesson with its scenario work as plain HTML', async ({ page }) => {
		await page.goto('/courses')
		await filterByAudience(page, 'Đoàn viên, thanh niên')
		await expect(page).toHaveURL(/\/courses\?audience=youth$/)
		const youth = catalogue().filter((c) => c.audience.includes('youth'))
		await expect(page.getByRole('status')).toHaveText(`${youth.length} khoá học`)
		await expect(courseTitles(page)).toHaveText(youth.map((c) => c.title))

		const course = builtCourse('nhan-dien-tin-gia')
		await page.getByRole('link', { name: course.meta.title }).click()
		await page.getByRole('link', { name: 'Bắt đầu bài 1' }).click()
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(course.lessons[0]!.title)
		await openFirstScenarioOption(page)
		// The pager is a plain link too.
		await page.getByRole('link', { name: `Bài tiếp theo: ${course.lessons[1]!.title} →` }).click()
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(course.lessons[1]!.title)
	})
})

test('the legal sources page lists a replaced document with its replacement', async ({ page }) => {
	const sources = legalSources()
	const replaced = sources.find((s) => s.id === 'qd-874-2021')!
	expect(replaced).toMatchObject({ status: 'replaced', replacedBy: 'qd-423-2026' })
	await page.goto('/legal-sources')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Văn bản được trích dẫn')
	await expect(page.getByRole('table').getByRole('row')).toHaveCount(sources.length + 1)
	const row = page.locator('tr#qd-874-2021')
	await expect(row).toContainText(replaced.title)
	await expect(row).toContainText('Đã bị thay thế')
	await expect(row).toContainText('Thay thế bởi: Quyết định số 423/QĐ-BVHTTDL')
	await row.getByRole('link', { name: 'Quyết định số 423/QĐ-BVHTTDL' }).click()
	await expect(page).toHaveURL(/\/legal-sources#qd-423-2026$/)
	await expect(page.locator('tr#qd-423-2026')).toContainText('Đang có hiệu lực')
	await expectAccessible(page)
})

test('a course page cites only legal documents in force', async ({ page }) => {
	const status = new Map(legalSources().map((s) => [s.id, s.status]))
	for (const slug of ['quy-tac-ung-xu-can-bo', 'bao-ve-bi-mat-nha-nuoc']) {
		await page.goto(`/courses/${slug}`)
		const links = page.getByRole('region', { name: 'Căn cứ pháp lý' }).getByRole('link')
		const expected = builtCourse(slug).meta.legalBasis.filter((id) => status.get(id) === 'in-force')
		expect(expected.length).toBeGreaterThan(0)
		await expect(links).toHaveCount(expected.length)
		const cited = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).map((h) => h!.replace('/legal-sources#', ''))
		expect(cited).toEqual(expected)
		for (const id of cited) expect(status.get(id), id).toBe('in-force')
	}
	// The replaced 2018 law must not appear as a basis of the state-secrets course, only its 2025 replacement.
	await expect(page.getByRole('region', { name: 'Căn cứ pháp lý' })).not.toContainText('29/2018/QH14')
	await expect(page.getByRole('region', { name: 'Căn cứ pháp lý' })).toContainText('117/2025/QH15')
})

const A11Y_PAGES = ['/courses', '/courses/an-toan-tren-mang', '/courses/an-toan-tren-mang/lessons/lua-dao-mao-danh']

test('catalogue, course and lesson pages are accessible', async ({ page }) => {
	for (const url of A11Y_PAGES) {
		await page.goto(url)
		await expectAccessible(page)
	}
	// With a scenario option open too.
	await openFirstScenarioOption(page)
	await expectAccessible(page)
})

test('catalogue, course and lesson pages are accessible before any script runs', async ({ browser, baseURL }) => {
	const context = await browser.newContext({ baseURL })
	const page = await context.newPage()
	await page.route('**/assets/*.js', (route) => route.abort())
	for (const url of A11Y_PAGES) {
		await page.goto(url)
		await expectAccessible(page)
	}
	await context.close()
})

test('a lesson page weighs less than 100 KB on first load with brotli', async ({ browser, baseURL }) => {
	const context = await browser.newContext({ baseURL, extraHTTPHeaders: { 'Accept-Encoding': 'br' } })
	const page = await context.newPage()
	const responses: Array<Response> = []
	page.on('response', (r) => void responses.push(r))
	await page.goto('/courses/quy-tac-ung-xu-can-bo/lessons/vi-sao-ung-xu-tren-mang-quan-trong', { waitUntil: 'networkidle' })
	let body = 0
	let headers = 0
	const lines: Array<string> = []
	for (const r of responses) {
		const sizes = await r.request().sizes()
		body += sizes.responseBodySize
		headers += sizes.responseHeadersSize
		lines.push(`${sizes.responseBodySize}\t${r.headers()['content-encoding'] ?? '-'}\t${new URL(r.url()).pathname}`)
	}
	await context.close()
	const report = `${(body / 1024).toFixed(1)} KB encoded bodies (+ ${(headers / 1024).toFixed(1)} KB headers) in ${responses.length} responses:\n${lines.join('\n')}`
	test.info().annotations.push({ type: 'lesson page transfer', description: report })
	console.log(`Lesson page first load: ${report}`)
	expect(responses.length).toBeGreaterThan(1)
	expect(body, report).toBeLessThan(100 * 1024)
})

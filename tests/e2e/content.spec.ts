import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { describeWeight, measureLessonPage } from '../../scripts/page-weight.ts'
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
/** Every course folder ("_" folders are templates): the catalogue must list each one, so a course that fails to build is caught. */
const courseFolderCount = () =>
	readdirSync('content/courses', { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('_')).length

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
	const total = courseFolderCount()
	expect(courses).toHaveLength(total)
	await page.goto('/courses')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khoá học')
	await expect(page.getByRole('status')).toHaveText(`${total} khoá học`)
	await expect(courseTitles(page)).toHaveCount(total)
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
	await expect(courseTitles(page)).toHaveCount(total)

	// An unknown audience in the URL shows the whole catalogue rather than an error.
	const unknown = await page.goto('/courses?audience=nguoi-ngoai-hanh-tinh')
	expect(unknown?.status()).toBe(200)
	await expect(courseTitles(page)).toHaveCount(total)
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

const FIGURE_LESSON = '/courses/nhan-dien-tin-gia/lessons/deepfake-anh-ghep-anh-cu'

test('a lesson page with its images weighs less than 100 KB on first load with brotli', async ({ browser, baseURL }) => {
	// The lesson with the most figures, five of them lazy and two inside closed answers: all are opened and counted.
	const weight = await measureLessonPage(browser, baseURL!, FIGURE_LESSON)
	const report = describeWeight(weight)
	test.info().annotations.push({ type: 'lesson page transfer', description: report })
	console.log(`Lesson page first load: ${report}`)
	expect(weight.imageCount).toBe(5)
	expect(weight.responses.filter((r) => r.kind === 'images' && r.path.endsWith('.svg'))).toHaveLength(5)
	expect(weight.images).toBeGreaterThan(0)
	expect(weight.total, report).toBeLessThan(100 * 1024)
})

test('every lesson page, images included, stays under 100 KB', async ({ browser, baseURL }) => {
	test.setTimeout(600_000)
	const over: Array<string> = []
	let pages = 0
	let images = 0
	for (const summary of catalogue()) {
		for (const lesson of builtCourse(summary.slug).lessons) {
			const weight = await measureLessonPage(browser, baseURL!, `/courses/${summary.slug}/lessons/${lesson.slug}`)
			pages++
			images += weight.imageCount
			if (weight.total >= 100 * 1024) over.push(describeWeight(weight))
		}
	}
	expect(pages).toBeGreaterThan(30)
	// The scam lessons (5), the press-release lesson (1) and the fact-checking exercises (5) carry 11 figures between them.
	expect(images).toBeGreaterThanOrEqual(11)
	expect(over).toEqual([])
})

test('figures are lazy, sized and described; SVG is served as an image that cannot run script', async ({ page, request }) => {
	await page.setViewportSize({ width: 360, height: 740 })
	await page.goto(FIGURE_LESSON)
	const figures = page.locator('.lesson-body figure.figure')
	await expect(figures).toHaveCount(5)
	for (const img of await figures.locator('img').all()) {
		await expect(img).toHaveAttribute('loading', 'lazy')
		await expect(img).toHaveAttribute('width', /^\d+$/)
		await expect(img).toHaveAttribute('height', /^\d+$/)
		expect((await img.getAttribute('alt'))!.length).toBeGreaterThan(30)
	}
	await expect(figures.first().locator('figcaption')).toHaveText('Bài đăng cần kiểm chứng.')
	// Readable at 360 px: the figure fills the column and nothing scrolls sideways.
	const first = figures.first().locator('img')
	await first.scrollIntoViewIfNeeded()
	await expect.poll(() => first.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
	const box = (await first.boundingBox())!
	expect(box.width).toBeGreaterThanOrEqual(300)
	expect(box.width).toBeLessThanOrEqual(360)
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

	const src = (await first.getAttribute('src'))!
	expect(src).toMatch(/^\/content\/assets\/[a-f0-9]{16}\.svg$/)
	const svg = await request.get(src, { headers: { 'Accept-Encoding': 'br' } })
	expect(svg.status()).toBe(200)
	const headers = svg.headersArray()
	expect(svg.headers()['content-type']).toBe('image/svg+xml')
	expect(svg.headers()['content-encoding']).toBe('br')
	expect(svg.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
	const policies = headers.filter((h) => h.name.toLowerCase() === 'content-security-policy').map((h) => h.value)
	expect(policies).toContain("default-src 'none'; script-src 'none'; sandbox")
	expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
	expect((await request.get('/content/assets/0000000000000000.svg')).status()).toBe(404)
})

test.describe('exercises without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('an answer and its picture stay closed until the learner opens them', async ({ page }) => {
		await page.goto(FIGURE_LESSON)
		const exercise = page.locator('.lesson-body .exercise').first()
		await expect(exercise.getByRole('heading', { level: 3 })).toHaveText('Ảnh «lũ quét sáng nay»')
		const answer = exercise.locator('details.exercise-answer')
		const answerImage = answer.locator('img')
		await expect(answerImage).toBeHidden()
		await answer.locator('summary', { hasText: 'Xem lời giải' }).click()
		await expect(answerImage).toBeVisible()
		await expect(answer).toContainText('Ảnh là ảnh thật nhưng cũ')
	})
})

/**
 * What a lesson page costs a learner on a first visit, measured in a real browser: every response's encoded body
 * (brotli, as over HTTPS), including the images. Lazy images count too: the page is scrolled to its end and every
 * <details> (exercise answers, scenario feedback) is opened, so the worst case is measured, not the first screen.
 * Shared by scripts/content-weight.ts and tests/e2e/content.spec.ts.
 */
import { type Browser, type Response } from '@playwright/test'

export type PageWeight = {
	path: string
	/** Encoded body bytes by kind of resource. */
	html: number
	css: number
	js: number
	fonts: number
	images: number
	other: number
	total: number
	imageCount: number
	responses: Array<{ path: string; bytes: number; encoding: string; kind: Kind }>
}

type Kind = 'html' | 'css' | 'js' | 'fonts' | 'images' | 'other'

function kindOf(response: Response): Kind {
	const type = response.headers()['content-type'] ?? ''
	if (type.startsWith('text/html')) return 'html'
	if (type.startsWith('text/css')) return 'css'
	if (type.includes('javascript')) return 'js'
	if (type.startsWith('font/') || /\.woff2?$/.test(response.url())) return 'fonts'
	if (type.startsWith('image/')) return 'images'
	return 'other'
}

export async function measureLessonPage(browser: Browser, baseURL: string, pathname: string): Promise<PageWeight> {
	// A fresh context: nothing cached, as on a learner's first visit.
	const context = await browser.newContext({ baseURL, extraHTTPHeaders: { 'Accept-Encoding': 'br' }, viewport: { width: 1366, height: 800 } })
	try {
		const page = await context.newPage()
		const responses: Array<Response> = []
		page.on('response', (r) => void responses.push(r))
		const first = await page.goto(pathname, { waitUntil: 'networkidle' })
		if (first?.status() !== 200) throw new Error(`${pathname}: HTTP ${first?.status()}`)
		// Open every <details> and bring every image into view, so lazy images are fetched.
		await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')))
		const images = page.locator('.lesson-body img')
		const imageCount = await images.count()
		// One at a time, waiting for each: scrolled away before the browser's lazy-load check ran, an image is never fetched.
		for (let i = 0; i < imageCount; i++) {
			const image = images.nth(i)
			await image.scrollIntoViewIfNeeded()
			await image.evaluate(
				(img: HTMLImageElement) =>
					img.complete ||
					new Promise((resolve) => {
						img.addEventListener('load', resolve, { once: true })
						img.addEventListener('error', resolve, { once: true })
						setTimeout(resolve, 10_000)
					}),
			)
		}
		await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
		await page.waitForLoadState('networkidle')
		// Only the lesson's own pictures: an image the layout hides (display: none) would never load.
		const loaded = await page
			.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.lesson-body img')].every((img) => img.complete), undefined, {
				timeout: 15_000,
			})
			.then(
				() => true,
				() => false,
			)
		if (!loaded) {
			const pending = await page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('.lesson-body img')].filter((i) => !i.complete).map((i) => i.src))
			throw new Error(`${pathname}: images still loading after 15 s: ${pending.join(', ')}`)
		}

		const weight: PageWeight = { path: pathname, html: 0, css: 0, js: 0, fonts: 0, images: 0, other: 0, total: 0, imageCount, responses: [] }
		for (const r of responses) {
			const { responseBodySize } = await r.request().sizes()
			const kind = kindOf(r)
			weight[kind] += responseBodySize
			weight.total += responseBodySize
			weight.responses.push({ path: new URL(r.url()).pathname, bytes: responseBodySize, encoding: r.headers()['content-encoding'] ?? '-', kind })
		}
		return weight
	} finally {
		await context.close()
	}
}

export const kb = (bytes: number) => (bytes / 1024).toFixed(1)

/** One line per response, for a failing assertion or a report. */
export function describeWeight(w: PageWeight) {
	return `${w.path}: ${kb(w.total)} KB (${w.imageCount} images, ${kb(w.images)} KB)\n${w.responses.map((r) => `  ${r.bytes}\t${r.encoding}\t${r.kind}\t${r.path}`).join('\n')}`
}

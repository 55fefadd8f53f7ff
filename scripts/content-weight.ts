/**
 * `npm run content:weight`: what every lesson page transfers on a first visit (brotli HTML + CSS + scripts + fonts +
 * images, lazy images included), measured in Chromium against the built app, one line per lesson. Exits with 1 when
 * a page reaches the 100 KB budget (DESIGN and issue 19). The e2e test content.spec.ts asserts the same budget.
 *
 *   npm run content:weight                          builds if stale, starts the app on a free port with a
 *                                                   throw-away embedded database, measures, stops it
 *   npm run content:weight -- --url http://127.0.0.1:3000   measure a server that is already running
 *   npm run content:weight -- --course nhan-dien-tin-gia --json
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'
import { kb, measureLessonPage, type PageWeight } from './page-weight.ts'

const BUDGET = 100 * 1024

const { values } = parseArgs({
	options: { url: { type: 'string' }, course: { type: 'string' }, json: { type: 'boolean', default: false } },
})

async function freePort() {
	return new Promise<number>((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo
			server.close(() => resolve(port))
		})
	})
}

async function waitFor(url: string, ms: number) {
	const until = Date.now() + ms
	while (Date.now() < until) {
		const ok = await fetch(url).then((r) => r.ok, () => false)
		if (ok) return
		await new Promise((r) => setTimeout(r, 500))
	}
	throw new Error(`Máy chủ không trả lời tại ${url} sau ${ms / 1000} s.`)
}

/** The app as the e2e tests run it: built when stale, a fresh embedded database, a free port. */
async function startServer() {
	const port = await freePort()
	const dir = mkdtempSync(path.join(os.tmpdir(), 'vms-weight-'))
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--port', String(port), '--db', `pglite:${dir}/db`], {
		stdio: ['ignore', 'ignore', 'inherit'],
	})
	const url = `http://127.0.0.1:${port}`
	await waitFor(`${url}/`, 300_000)
	return {
		url,
		stop: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => {
					rmSync(dir, { recursive: true, force: true })
					resolve()
				})
				child.kill('SIGTERM')
			}),
	}
}

type Built = { lessons: Array<{ slug: string }> }

function lessonPaths() {
	const index = JSON.parse(readFileSync('build/content/index.json', 'utf8')) as { courses: Array<{ slug: string }> }
	return index.courses
		.filter((c) => !values.course || c.slug === values.course)
		.flatMap((c) => {
			const course = JSON.parse(readFileSync(`build/content/courses/${c.slug}.json`, 'utf8')) as Built
			return course.lessons.map((l) => `/courses/${c.slug}/lessons/${l.slug}`)
		})
}

const server = values.url ? { url: values.url, stop: async () => undefined } : await startServer()
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const weights: Array<PageWeight> = []
try {
	for (const pathname of lessonPaths()) weights.push(await measureLessonPage(browser, server.url, pathname))
} finally {
	await browser.close()
	await server.stop()
}

const over = weights.filter((w) => w.total >= BUDGET)
if (values.json) {
	console.log(JSON.stringify(weights, (key, value: unknown) => (key === 'responses' ? undefined : value), 2))
} else {
	const header = ['total KB', 'HTML', 'CSS', 'JS', 'fonts', 'images', 'n img', 'lesson']
	const rows = weights.map((w) => [kb(w.total), kb(w.html), kb(w.css), kb(w.js), kb(w.fonts), kb(w.images), String(w.imageCount), w.path.replace('/courses/', '')])
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
	const line = (cells: Array<string>) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]!))).join('  ')
	console.log(line(header))
	for (const row of rows) console.log(line(row))
	const heaviest = weights.reduce((a, b) => (b.total > a.total ? b : a))
	console.log(
		`\n${weights.length} bài; nặng nhất ${heaviest.path} ${kb(heaviest.total)} KB; ngân sách ${kb(BUDGET)} KB (brotli, lần tải đầu, kể cả ảnh đã mở hết).`,
	)
}
if (over.length) {
	console.error(`${over.length} bài vượt ${kb(BUDGET)} KB: ${over.map((w) => w.path).join(', ')}`)
	process.exitCode = 1
}

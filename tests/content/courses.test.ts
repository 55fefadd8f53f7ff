import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRemixStub } from '@remix-run/testing'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { writeContentBuild } from '#app/content/build.server.ts'
import { checkContent } from '#app/content/check.server.ts'
import {
	getCitedSources,
	getCourse,
	getLegalSource,
	getLesson,
	getLessonModule,
	getQuiz,
	listCourses,
} from '#app/content/courses.server.ts'
import { LessonContent } from '#app/content/mdx.tsx'
import { clientCatalogue } from '#app/ui/i18n.server.ts'

const tmp = mkdtempSync(path.join(tmpdir(), 'vms-content-'))
const out = path.join(tmp, 'content')

beforeAll(async () => {
	writeContentBuild(await checkContent('tests/fixtures/content/valid'), out)
	process.env.VMS_CONTENT_DIR = out
})
afterAll(() => {
	delete process.env.VMS_CONTENT_DIR
	delete process.env.VMS_DEV
	rmSync(tmp, { recursive: true, force: true })
})

test('the catalogue lists summaries without any lesson code', () => {
	const courses = listCourses()
	expect(courses).toEqual([expect.objectContaining({ slug: 'mau', title: 'Khoá học mẫu', lessonCount: 2, audience: ['staff'] })])
	expect(JSON.stringify(courses)).not.toContain('_jsx_runtime')
	expect(JSON.stringify(getCourse('mau'))).not.toContain('_jsx_runtime')
	expect(getCourse('khong-co')).toBeNull()
})

test('a lesson comes with its neighbours, headings and code; the quiz stays in its own server-only file', () => {
	const first = getLesson('mau', 'bai-mot')
	expect(first).toMatchObject({ position: 1, previous: null, next: { slug: 'bai-hai', title: 'Bài hai' } })
	expect(first?.lesson.headings).toEqual([{ depth: 2, text: 'Mở đầu', id: 'mo-dau' }])
	expect(first?.lesson.code).toContain('return Component')
	expect(getLesson('mau', 'bai-hai')).toMatchObject({ position: 2, previous: { slug: 'bai-mot' }, next: null })
	expect(getLesson('mau', 'khong-co')).toBeNull()
	expect(getQuiz('mau')?.bank.map((q) => q.answer)).toEqual(['A', 'A', 'A'])
	const courseFile = readFileSync(path.join(out, 'courses', 'mau.json'), 'utf8')
	expect(courseFile).not.toContain('"answer"')
	expect(existsSync(path.join(out, 'quizzes', 'mau.json'))).toBe(true)
})

test('a lesson module wraps the code as an ES module and unknown hashes are not found', () => {
	const lesson = getLesson('mau', 'bai-mot')?.lesson
	const module = lesson ? getLessonModule(lesson.codeHash) : null
	expect(module).toMatch(/^export default function \(React, ReactDOM, _jsx_runtime\) \{/)
	expect(getLessonModule('0000000000000000')).toBeNull()
})

test('cited sources carry only what Cite needs, with the replacement of a replaced one', () => {
	expect(getCitedSources(['luat-mau-2018', 'khong-co'])).toEqual([
		{
			id: 'luat-mau-2018',
			kind: 'law',
			number: '2/2018/QH14',
			title: 'Luật Mẫu (2018)',
			status: 'replaced',
			replacedBy: { id: 'luat-mau-2025', kind: 'law', number: '1/2025/QH15', title: 'Luật Mẫu' },
		},
	])
	expect(getLegalSource('luat-mau-2025')).toMatchObject({ status: 'in-force', effective: '2026-01-01' })
})

test('the server renders a lesson from the build alone, in the reader\'s language, with image URLs of the build', () => {
	const found = getLesson('mau', 'bai-mot')
	if (!found) throw new Error('fixture not built')
	const Stub = createRemixStub([
		{
			id: 'root',
			path: '/',
			loader: () => ({ lang: 'en', messages: clientCatalogue('en') }),
			Component: () => createElement(LessonContent, { codeHash: found.lesson.codeHash, sources: getCitedSources(found.lesson.sources) }),
		},
	])
	// The stub's memory router uses useLayoutEffect, which React warns about on the server; nothing of ours.
	const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
	const html = renderToString(createElement(Stub, { hydrationData: { loaderData: { root: { lang: 'en', messages: clientCatalogue('en') } } } }))
	spy.mockRestore()
	expect(html).toContain('<h2 id="mo-dau">Mở đầu</h2>')
	expect(html).toContain('>Điều 1, Luật Mẫu No. 1/2025/QH15</a>')
	expect(html).toContain('Situation')
	// A figure: the build's content-hashed URL, its intrinsic size (no layout shift), lazy, with its caption.
	const image = html.match(
		/<figure class="figure"><img src="\/content\/assets\/([a-f0-9]{16}\.png)" alt="Sơ đồ một bước của quy trình mẫu" width="1" height="1" loading="lazy" decoding="async"\/><figcaption>Quy trình mẫu chỉ có một bước.<\/figcaption><\/figure>/,
	)
	expect(image?.[1] && existsSync(path.join(out, 'assets', image[1]))).toBe(true)
	// An SVG is also stored compressed, as the server sends it.
	const svg = html.match(/<img src="\/content\/assets\/([a-f0-9]{16}\.svg)" alt="Hai ô chữ nhật nối với nhau bằng một mũi tên" width="200" height="60"/)?.[1]
	expect(svg && ['', '.br', '.gz'].every((ext) => existsSync(path.join(out, 'assets', `${svg}${ext}`)))).toBe(true)
	// An exercise keeps its answer closed until asked for, without JavaScript.
	expect(html).toMatch(/<section class="exercise"[^>]*><p class="exercise-kicker">Exercise<\/p>.*<details class="exercise-answer"><summary>Show the answer<\/summary><div class="exercise-answer-body"><p>Hai bước/s)
})

test('a build with problems writes nothing and leaves the last good build in place', async () => {
	const before = readFileSync(path.join(out, 'index.json'), 'utf8')
	const broken = await checkContent('tests/fixtures/content/small-bank')
	expect(() => writeContentBuild(broken, out)).toThrow(/content:check/)
	expect(readFileSync(path.join(out, 'index.json'), 'utf8')).toBe(before)
	expect(listCourses()).toHaveLength(1)
})

test('in development a new build is picked up without a restart', async () => {
	process.env.VMS_DEV = '1'
	expect(getLesson('mau', 'bai-mot')?.lesson.title).toBe('Bài một')
	const check = await checkContent('tests/fixtures/content/valid')
	const course = check.courses[0]
	const lesson = course?.lessons[0]
	if (!course || !lesson) throw new Error('fixture changed')
	lesson.frontmatter = { ...lesson.frontmatter, title: 'Bài một (sửa)' }
	writeContentBuild(check, out)
	expect(getLesson('mau', 'bai-mot')?.lesson.title).toBe('Bài một (sửa)')
})

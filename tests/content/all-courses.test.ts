// Every real course in content/courses must pass the check and render on the server exactly as the app does it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRemixStub } from '@remix-run/testing'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { writeContentBuild } from '#app/content/build.server.ts'
import { checkContent, type ContentCheck, courseFolders, formatProblem } from '#app/content/check.server.ts'
import { getCitedSources, getLesson, listCourses } from '#app/content/courses.server.ts'
import { LessonContent } from '#app/content/mdx.tsx'

const tmp = mkdtempSync(path.join(tmpdir(), 'vms-all-courses-'))
let result: ContentCheck

beforeAll(async () => {
	result = await checkContent('content')
	if (!result.problems.length) writeContentBuild(result, path.join(tmp, 'build'))
	process.env.VMS_CONTENT_DIR = path.join(tmp, 'build')
})
afterAll(() => {
	delete process.env.VMS_CONTENT_DIR
	rmSync(tmp, { recursive: true, force: true })
})

function renderLesson(courseSlug: string, lessonSlug: string) {
	const found = getLesson(courseSlug, lessonSlug)
	if (!found) throw new Error(`${courseSlug}/${lessonSlug} not built`)
	const { lesson } = found
	const Stub = createRemixStub([
		{
			id: 'root',
			path: '/',
			loader: () => ({ lang: 'vi' }),
			Component: () => createElement(LessonContent, { codeHash: lesson.codeHash, sources: getCitedSources(lesson.sources) }),
		},
	])
	// The memory router of the stub uses useLayoutEffect, which React warns about on the server; nothing of ours.
	const error = console.error
	const spy = vi.spyOn(console, 'error').mockImplementation((...args: Array<unknown>) => {
		if (!String(args[0]).includes('useLayoutEffect does nothing on the server')) error(...args)
	})
	try {
		return { lesson, html: renderToString(createElement(Stub, { hydrationData: { loaderData: { root: { lang: 'vi' } } } })) }
	} finally {
		spy.mockRestore()
	}
}

test('every course passes content:check', () => {
	expect(result.problems.map(formatProblem)).toEqual([])
})

test('no course folder is skipped', () => {
	expect(result.courses.map((c) => c.slug)).toEqual(courseFolders('content'))
	expect(result.courses.length).toBeGreaterThan(0)
})

test('every lesson of every course renders with its headings and citations', () => {
	expect(listCourses().length).toBe(result.courses.length)
	for (const course of result.courses) {
		for (const { slug } of course.lessons) {
			const { lesson, html } = renderLesson(course.slug, slug)
			for (const heading of lesson.headings) expect(html, `${course.slug}/${slug}`).toContain(`id="${heading.id}"`)
			for (const id of lesson.sources) expect(html, `${course.slug}/${slug}`).toContain(`href="/legal-sources#${id}"`)
			expect(html, `${course.slug}/${slug}`).not.toMatch(/undefined|\[object Object\]/)
		}
	}
})

test('the _template course is valid once copied as a new course', async () => {
	const root = path.join(tmp, 'template-check')
	cpSync('content/legal-sources.yaml', path.join(root, 'legal-sources.yaml'))
	cpSync('content/courses/_template', path.join(root, 'courses', 'ten-khoa-hoc'), { recursive: true })
	const copied = await checkContent(root)
	expect(copied.problems.map(formatProblem)).toEqual([])
	expect(copied.courses.map((c) => c.slug)).toEqual(['ten-khoa-hoc'])
	// And the build ignores it where it lives.
	expect(courseFolders('content')).not.toContain('_template')
	const yaml = readFileSync(path.join(root, 'courses', 'ten-khoa-hoc', 'course.yaml'), 'utf8')
	writeFileSync(path.join(root, 'courses', 'ten-khoa-hoc', 'course.yaml'), yaml.replace('slug: ten-khoa-hoc', 'slug: _template'))
	expect((await checkContent(root)).problems.map((p) => p.message)).toContain(
		'slug: phải là chữ thường không dấu, số và dấu gạch nối (ví dụ bao-ve-bi-mat).',
	)
})

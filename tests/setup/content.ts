// Which courses a test file's routes see (VMS_CONTENT_DIR). Every file starts on the real courses of content/,
// built once per run by global-setup.ts (setup-test-env.ts sets the variable); the helpers here switch a file to the
// fixture course 'mau' (also built once per run) or to builds of its own, and put the run's courses back at the end,
// so no file needs to build the fixture itself or to delete the variable afterwards.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, inject } from 'vitest'
import { writeContentBuild } from '#app/content/build.server.ts'
import { checkContent, formatProblem } from '#app/content/check.server.ts'

export const FIXTURE_COURSES = 'tests/fixtures/content/valid'

/** This file's routes see the fixture course 'mau' (tests/fixtures/content/valid). */
export function useFixtureCourses() {
	beforeAll(() => {
		process.env.VMS_CONTENT_DIR = inject('fixtureContentDir')
	})
	afterAll(() => {
		process.env.VMS_CONTENT_DIR = inject('contentDir')
	})
}

/**
 * Course builds of this file's own. `build(name, { from, edit })` copies a source tree (the fixture courses unless
 * `from` names another), lets `edit` change the copy, builds it into a directory of its own and returns that
 * directory; `use(name)` points VMS_CONTENT_DIR at a build, `useFixture()` back at the fixture courses. All of it is
 * removed, and the run's courses put back, when the file ends.
 */
export function courseBuilds(prefix = 'vms-courses-') {
	const tmp = mkdtempSync(path.join(tmpdir(), prefix))
	afterAll(() => {
		process.env.VMS_CONTENT_DIR = inject('contentDir')
		rmSync(tmp, { recursive: true, force: true })
	})
	const dirOf = (name: string) => path.join(tmp, name)
	return {
		tmp,
		dirOf,
		async build(name: string, { from = FIXTURE_COURSES, edit }: { from?: string; edit?: (source: string) => void } = {}) {
			let source = from
			if (edit) {
				source = path.join(tmp, `${name}-source`)
				cpSync(from, source, { recursive: true })
				edit(source)
			}
			const checked = await checkContent(source)
			// The builder refuses such a tree without saying why; an edit that broke the course should say how here.
			if (checked.problems.length) throw new Error(`Course build '${name}' has problems:\n${checked.problems.map(formatProblem).join('\n')}`)
			writeContentBuild(checked, dirOf(name))
			return dirOf(name)
		},
		use(name: string) {
			process.env.VMS_CONTENT_DIR = dirOf(name)
		},
		useFixture() {
			process.env.VMS_CONTENT_DIR = inject('fixtureContentDir')
		},
	}
}

/**
 * Changes a file of a copied source tree. A change that leaves it as it was is an error: the fixture moved on, and
 * the variant the test wants no longer exists.
 */
export function rewrite(file: string, change: (text: string) => string) {
	const before = readFileSync(file, 'utf8')
	const after = change(before)
	if (after === before) throw new Error(`${file}: the change found nothing to change`)
	writeFileSync(file, after)
}

/**
 * Copies the course `from` of a source tree to the course `slug` (its course.yaml says so, and its images are credited
 * as the original's are): a second course that the checker accepts, for a catalogue of more than one.
 */
export function copyCourse(source: string, from: string, slug: string) {
	cpSync(path.join(source, 'courses', from), path.join(source, 'courses', slug), { recursive: true })
	rewrite(courseYaml(source, slug), (text) => text.replace(`slug: ${from}\n`, `slug: ${slug}\n`))
	const credits = path.join(source, 'image-credits.yaml')
	const text = readFileSync(credits, 'utf8')
	const copies = text
		.split(/^(?=  - )/m)
		.filter((entry) => entry.startsWith(`  - file: courses/${from}/`))
		.map((entry) => `${entry.replace(`courses/${from}/`, `courses/${slug}/`).trimEnd()}\n`)
	if (copies.length) writeFileSync(credits, `${text.trimEnd()}\n${copies.join('')}`)
}

export const courseYaml = (source: string, slug: string) => path.join(source, 'courses', slug, 'course.yaml')

/** The course's audience changed from staff to primary-school pupils. */
export function forPupils(source: string, slug = 'mau') {
	rewrite(courseYaml(source, slug), (text) => text.replace('audience: [staff]', 'audience: [student-primary]'))
}

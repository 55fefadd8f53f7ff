// Which courses a test file's routes see (VMS_CONTENT_DIR). Every file starts on the real courses of content/,
// built once per run by global-setup.ts (setup-test-env.ts sets the variable); the helpers here switch a file to the
// fixture course 'mau' (also built once per run) or to builds of its own, and put the run's courses back at the end,
// so no file needs to build the fixture itself or to delete the variable afterwards.
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, inject } from 'vitest'
import { writeContentBuild } from '#app/content/build.server.ts'
import { checkContent } from '#app/content/check.server.ts'

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
 * directory; `use(name)` points VMS_CONTENT_DIR at a build. All of it is removed, and the run's courses put back,
 * when the file ends.
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
			writeContentBuild(await checkContent(source), dirOf(name))
			return dirOf(name)
		},
		use(name: string) {
			process.env.VMS_CONTENT_DIR = dirOf(name)
		},
	}
}

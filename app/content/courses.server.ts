// Reads the content build (build/content/, written by scripts/content-build.ts). Parsed once and kept in memory;
// in development (VMS_DEV=1) a new build is picked up on the next request, so editing a lesson and running
// content:build shows the new text without a restart.
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { getMDXComponent } from 'mdx-bundler/client/index.js'
import { type z } from 'zod'
import { provideLessonComponent } from './mdx.tsx'
import {
	type BuiltCourse,
	BuiltCourseSchema,
	type BuiltIndex,
	BuiltIndexSchema,
	type CitedSource,
	type LegalSource,
	LegalSourcesSchema,
	type Quiz,
	QuizSchema,
} from './schema.ts'

type Loaded = {
	dir: string
	stamp: string
	index: BuiltIndex
	courses: Map<string, BuiltCourse>
	quizzes: Map<string, Quiz>
	sources?: Map<string, LegalSource>
}
let loaded: Loaded | undefined

/** Tests point this at a temporary build; the app always reads build/content. */
function contentDir() {
	return process.env.VMS_CONTENT_DIR ?? path.join('build', 'content')
}

function readJson<T>(schema: z.ZodType<T>, file: string): T {
	return schema.parse(JSON.parse(readFileSync(file, 'utf8')))
}

function load(): Loaded {
	const dir = contentDir()
	if (loaded && loaded.dir === dir && process.env.VMS_DEV !== '1') return loaded
	const indexFile = path.join(dir, 'index.json')
	let stamp: string
	try {
		// Each build writes a new index.json (new inode), so this changes even within one millisecond.
		const s = statSync(indexFile)
		stamp = `${s.ino}:${s.mtimeMs}:${s.size}`
	} catch {
		// Mid-swap during a rebuild in development: keep serving what we have.
		if (loaded && loaded.dir === dir) return loaded
		throw new Error(`Chưa có bản build nội dung (${indexFile}): chạy npm run content:build.`)
	}
	if (loaded && loaded.dir === dir && loaded.stamp === stamp) return loaded
	loaded = { dir, stamp, index: readJson(BuiltIndexSchema, indexFile), courses: new Map(), quizzes: new Map() }
	return loaded
}

/** Changes with every content build: caches of rendered lessons key on it. */
export function contentStamp() {
	return load().stamp
}

function course(slug: string): BuiltCourse | undefined {
	const state = load()
	if (!state.index.courses.some((c) => c.slug === slug)) return undefined
	let found = state.courses.get(slug)
	if (!found) {
		found = readJson(BuiltCourseSchema, path.join(state.dir, 'courses', `${slug}.json`))
		state.courses.set(slug, found)
	}
	return found
}

function registry() {
	const state = load()
	if (!state.sources) {
		const file = readJson(LegalSourcesSchema, path.join(state.dir, 'legal-sources.json'))
		state.sources = new Map(file.sources.map((s) => [s.id, s]))
	}
	return state.sources
}

/** The catalogue: summaries only, never lesson code. */
export function listCourses() {
	return load().index.courses
}

/** A course and its lesson list, without the lessons' code. */
export function getCourse(slug: string) {
	const found = course(slug)
	if (!found) return null
	return {
		meta: found.meta,
		hash: found.hash,
		lessons: found.lessons.map(({ slug, order, title, minutes, objectives, words }) => ({ slug, order, title, minutes, objectives, words })),
	}
}

/**
 * One lesson with its neighbours. The lesson's component is also made ready for server rendering here, so the
 * route never has to send the code in its loader data (the browser loads it as /content/lessons/<codeHash>.js).
 */
export function getLesson(slug: string, lessonSlug: string) {
	const found = course(slug)
	const index = found?.lessons.findIndex((l) => l.slug === lessonSlug) ?? -1
	const lesson = found?.lessons[index]
	if (!found || !lesson) return null
	provideLessonComponent(lesson.codeHash, () => getMDXComponent(lesson.code))
	const neighbour = (i: number) => {
		const l = found.lessons[i]
		return l ? { slug: l.slug, title: l.title } : null
	}
	return {
		course: { slug: found.meta.slug, title: found.meta.title, version: found.meta.version, lessonCount: found.lessons.length, safeguards: found.meta.safeguards },
		lesson,
		position: index + 1,
		previous: neighbour(index - 1),
		next: neighbour(index + 1),
	}
}

/** The question bank with answers. Server-only: grading happens in app/learning. */
export function getQuiz(slug: string): Quiz | null {
	const state = load()
	if (!state.index.courses.some((c) => c.slug === slug)) return null
	let quiz = state.quizzes.get(slug)
	if (!quiz) {
		quiz = readJson(QuizSchema, path.join(state.dir, 'quizzes', `${slug}.json`))
		state.quizzes.set(slug, quiz)
	}
	return quiz
}

/**
 * A lesson's code as an ES module the browser can import without eval (our CSP has no 'unsafe-eval').
 * mdx-bundler's code is a function body over React, ReactDOM and the JSX runtime, exactly what getMDXComponent
 * passes to `new Function`; here the module's default export is that function.
 */
export function getLessonModule(codeHash: string) {
	const state = load()
	const entry = state.index.modules[codeHash]
	const lesson = entry ? course(entry.course)?.lessons.find((l) => l.slug === entry.lesson) : undefined
	if (!lesson) return null
	return `export default function (React, ReactDOM, _jsx_runtime) {\n${lesson.code}\n}\n`
}

export function getLegalSource(id: string) {
	return registry().get(id) ?? null
}

export function listLegalSources() {
	return [...registry().values()]
}

/** Just the registry entries a page cites (and the titles of their replacements), for the Cite component. */
export function getCitedSources(ids: ReadonlyArray<string>): Array<CitedSource> {
	const sources = registry()
	return ids.flatMap((id) => {
		const s = sources.get(id)
		if (!s) return []
		const replacement = s.replacedBy ? sources.get(s.replacedBy) : undefined
		return [
			{
				id: s.id,
				kind: s.kind,
				number: s.number,
				title: s.title,
				status: s.status,
				...(replacement
					? { replacedBy: { id: replacement.id, kind: replacement.kind, number: replacement.number, title: replacement.title } }
					: {}),
			},
		]
	})
}

/** An image of a lesson, by its content-hash name. */
export function getAssetPath(name: string) {
	if (!/^[a-f0-9]{16}\.(svg|png|jpe?g|webp|gif)$/.test(name)) return null
	return path.join(load().dir, 'assets', name)
}

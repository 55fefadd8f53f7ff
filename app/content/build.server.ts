// Writes a checked content tree to build/content/ in one swap, so readers never see half a build and a failed
// build leaves the last good one in place.
//   index.json               course summaries (no code) + lesson module index
//   courses/<slug>.json      course meta + lessons (code, frontmatter, headings, hashes)
//   quizzes/<slug>.json      the question bank with answers: server-only, never sent to the browser
//   legal-sources.json       the registry
//   assets/<hash>.<ext>      images used by lessons (an SVG also as .svg.br and .svg.gz)
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { type CheckedCourse, type ContentCheck } from './check.server.ts'
import { type LessonAsset } from './compile.server.ts'
import { type BuiltCourse, type BuiltIndex, type CourseSummary } from './schema.ts'

export type BuildStats = {
	courses: number
	lessons: number
	totalBytes: number
	/** The largest file written, and the largest lesson module (what one lesson page downloads). */
	largest: { file: string; bytes: number }
	largestLesson: { lesson: string; bytes: number }
}

/**
 * An image as the server sends it. SVG is text: it is also written compressed once (brotli 11, gzip 9), as the
 * client assets are, so the server sends those bytes (routes/content.assets.$file.ts).
 */
function writeAsset(asset: LessonAsset, target: string) {
	copyFileSync(asset.source, target)
	if (path.extname(target) !== '.svg') return
	const body = readFileSync(asset.source)
	writeFileSync(`${target}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }))
	writeFileSync(`${target}.gz`, gzipSync(body, { level: 9 }))
}

function builtCourse(course: CheckedCourse): BuiltCourse {
	return {
		meta: course.meta,
		hash: course.hash,
		lessons: course.lessons.map((l) => ({
			slug: l.slug,
			order: l.order,
			title: l.frontmatter.title,
			minutes: l.frontmatter.minutes,
			objectives: l.frontmatter.objectives,
			headings: l.headings,
			hash: l.hash,
			codeHash: l.codeHash,
			code: l.code,
			sources: l.sources,
			words: l.words,
		})),
	}
}

function summary(course: CheckedCourse): CourseSummary {
	const { slug, title, summary, audience, tags, version, minutes } = course.meta
	return { slug, title, summary, audience, tags, version, minutes, lessonCount: course.lessons.length, hash: course.hash }
}

export function writeContentBuild(check: ContentCheck, outDir = 'build/content'): BuildStats {
	if (check.problems.length) throw new Error('Nội dung còn lỗi: chạy npm run content:check để xem chi tiết.')
	const parent = path.dirname(outDir)
	mkdirSync(parent, { recursive: true })
	const tmp = mkdtempSync(path.join(parent, '.content-tmp-'))
	// mkdtemp makes it private (0700); the server may run as another user than the build.
	chmodSync(tmp, 0o755)
	const stats: BuildStats = { courses: 0, lessons: 0, totalBytes: 0, largest: { file: '', bytes: 0 }, largestLesson: { lesson: '', bytes: 0 } }
	const write = (rel: string, data: unknown) => {
		const text = JSON.stringify(data)
		writeFileSync(path.join(tmp, rel), text)
		const bytes = Buffer.byteLength(text)
		stats.totalBytes += bytes
		if (bytes > stats.largest.bytes) stats.largest = { file: path.join(outDir, rel), bytes }
	}
	try {
		for (const dir of ['courses', 'quizzes', 'assets']) mkdirSync(path.join(tmp, dir))
		const index: BuiltIndex = { builtAt: new Date().toISOString(), courses: [], modules: {} }
		for (const course of check.courses) {
			write(`courses/${course.slug}.json`, builtCourse(course))
			write(`quizzes/${course.slug}.json`, course.quiz)
			index.courses.push(summary(course))
			for (const lesson of course.lessons) {
				index.modules[lesson.codeHash] = { course: course.slug, lesson: lesson.slug }
				const bytes = Buffer.byteLength(lesson.code)
				if (bytes > stats.largestLesson.bytes) stats.largestLesson = { lesson: `${course.slug}/${lesson.slug}`, bytes }
				for (const asset of lesson.assets) writeAsset(asset, path.join(tmp, 'assets', asset.name))
			}
			stats.courses++
			stats.lessons += course.lessons.length
		}
		write('legal-sources.json', { sources: check.sources })
		write('index.json', index)

		const old = `${outDir}.old-${process.pid}`
		if (existsSync(outDir)) renameSync(outDir, old)
		renameSync(tmp, outDir)
		rmSync(old, { recursive: true, force: true })
		return stats
	} catch (error) {
		rmSync(tmp, { recursive: true, force: true })
		throw error
	}
}

/**
 * `npm run content:build`: checks the content (as content:check does), bundles every lesson with mdx-bundler and
 * writes build/content/ in one atomic swap. On any problem nothing is written and the last good build stays.
 *
 *   npm run content:build
 *   tsx scripts/content-build.ts --root content --out build/content
 */
import { parseArgs } from 'node:util'
import { writeContentBuild } from '#app/content/build.server.ts'
import { checkContent, formatProblem } from '#app/content/check.server.ts'

const { values } = parseArgs({
	options: { root: { type: 'string', default: 'content' }, out: { type: 'string', default: 'build/content' } },
})

const started = performance.now()
const result = await checkContent(values.root)
if (result.problems.length) {
	for (const problem of result.problems) console.error(formatProblem(problem))
	console.error(`\n${result.problems.length} lỗi nội dung: không tạo bản build mới (bản build trước được giữ nguyên).`)
	process.exit(1)
}
const checked = performance.now()
const stats = writeContentBuild(result, values.out)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
console.log(
	`Đã build ${stats.courses} khoá học, ${stats.lessons} bài vào ${values.out} trong ${Math.round(performance.now() - started)} ms ` +
		`(kiểm tra + biên dịch ${Math.round(checked - started)} ms; tổng ${kb(stats.totalBytes)}; tệp lớn nhất ${stats.largest.file} ${kb(stats.largest.bytes)}; ` +
		`bài lớn nhất ${stats.largestLesson.lesson} ${kb(stats.largestLesson.bytes)} mã).`,
)

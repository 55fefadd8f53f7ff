/**
 * `npm run content:check`: validates every course under content/ against docs/content-authoring.md and prints
 * each problem as `file:line: message` (exit code 1 when there is any). Also lists, for information, every place
 * that still cites a legal source that is no longer in force.
 *
 *   npm run content:check
 *   tsx scripts/content-check.ts --root tests/fixtures/content/bad-yaml
 */
import { parseArgs } from 'node:util'
import { checkContent, type ContentCheck, formatProblem } from '#app/content/check.server.ts'

const { values } = parseArgs({ options: { root: { type: 'string', default: 'content' } } })

function printStaleCitations(result: ContentCheck) {
	if (!result.staleCitations.length) return
	console.log('Văn bản không còn hiệu lực vẫn được nhắc tới (để biết; khoá học trích dẫn cần phiên bản mới khi văn bản đổi trạng thái):')
	for (const { source, citations } of result.staleCitations) {
		console.log(`  ${source.id} (${source.number ?? source.title}, ${source.status}${source.replacedBy ? ` → ${source.replacedBy}` : ''}):`)
		for (const c of citations) console.log(`    ${c.file}:${c.line} (${c.where}${c.historical ? ', historical' : ''})`)
	}
}

const started = performance.now()
const result = await checkContent(values.root)
printStaleCitations(result)
for (const problem of result.problems) console.error(formatProblem(problem))
const ms = Math.round(performance.now() - started)
if (result.problems.length) {
	console.error(`\n${result.problems.length} lỗi nội dung (${ms} ms).`)
	process.exit(1)
}
console.log(`Nội dung hợp lệ: ${result.courses.length} khoá học, ${result.courses.reduce((n, c) => n + c.lessons.length, 0)} bài (${ms} ms).`)

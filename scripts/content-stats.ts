/**
 * `npm run content:stats`: how recognisable each course's keys are by their form (docs/content-authoring.md,
 * "Form bias"): per question bank the share of keys that are the strictly longest or shortest choice and the
 * letters of the keys; per course the lesson Scenarios whose best option has the strictly longest label.
 * Banks marked "✗" break a limit, and content:check refuses them. Always exits 0: it measures, content:check judges.
 *
 *   npm run content:stats
 *   tsx scripts/content-stats.ts --root tests/fixtures/content/biased-bank
 */
import { parseArgs } from 'node:util'
import { checkContent } from '#app/content/check.server.ts'
import { bankBiasProblems, MAX_LENGTH_SHARE, MIN_JUDGED_BANK, percent } from '#app/content/form-bias.ts'
import { ANSWERS } from '#app/content/schema.ts'

const { values } = parseArgs({
	options: { root: { type: 'string', default: 'content' } },
})

function table(head: Array<string>, rows: Array<Array<string>>) {
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
	const line = (cells: Array<string>) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
	console.log(line(head))
	console.log(widths.map((w) => '-'.repeat(w)).join('  '))
	for (const row of rows) console.log(line(row))
}

const share = (part: number, whole: number) => `${part}/${whole} ${String(percent(part, whole)).padStart(3)}%`

const { formBias } = await checkContent(values.root)

console.log(
	`Ngân hàng câu hỏi (giới hạn: từ ${MIN_JUDGED_BANK} câu, đáp án dài nhất hoặc ngắn nhất ≤ ${
		MAX_LENGTH_SHARE * 100
	}%, mỗi chữ cái 10–40%; ngẫu nhiên ≈ 25%)\n`,
)
table(
	['khoá học', 'câu', 'đáp án dài nhất', 'đáp án ngắn nhất', ...ANSWERS, 'đạt'],
	formBias.map(({ course, bank }) =>
		bank
			? [
					course,
					String(bank.questions),
					share(bank.longestKeys, bank.questions),
					share(bank.shortestKeys, bank.questions),
					...ANSWERS.map((a) => String(bank.letters[a])),
					bank.questions < MIN_JUDGED_BANK ? 'chưa xét' : bankBiasProblems(bank).length ? '✗' : '✓',
			  ]
			: [course, '—', '—', '—', ...ANSWERS.map(() => '—'), 'lỗi quiz.yaml'],
	),
)

console.log('\nTình huống (Scenario) trong bài học: phương án tốt nhất có nhãn dài nhất, ngắn nhất\n')
table(
	['khoá học', 'tình huống', 'tốt nhất = dài nhất', 'tốt nhất = ngắn nhất', 'kỳ vọng nếu ngẫu nhiên (mỗi loại)'],
	formBias.map(({ course, scenarios }) => [
		course,
		String(scenarios.scenarios),
		share(scenarios.longestBest, scenarios.scenarios),
		share(scenarios.shortestBest, scenarios.scenarios),
		scenarios.expectedByChance.toFixed(1),
	]),
)

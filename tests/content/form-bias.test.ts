import { expect, test } from 'vitest'
import { bankBiasProblems, measureBank, measureScenarios, visibleLength } from '#app/content/form-bias.ts'

const question = (choices: Array<string>, answer: 'A' | 'B' | 'C' | 'D') => ({
	choices,
	answer,
})

test('length counts NFC characters of the trimmed text, so a decomposed accent does not make a choice longer', () => {
	expect(visibleLength('  Chế độ riêng tư ')).toBe(visibleLength('Chế độ riêng tư'.normalize('NFD')))
	expect(visibleLength('Chế độ riêng tư'.normalize('NFD'))).toBe(15)
	// Decomposed "ế" would be three code points, which would have made this key the strictly longest.
	const bank = [question(['Chế'.normalize('NFD'), 'Chê', 'Cho', 'Ca'], 'A')]
	expect(measureBank(bank)).toMatchObject({ longestKeys: 0, shortestKeys: 0 })
})

test('a key tied with another choice is neither the strictly longest nor the strictly shortest', () => {
	expect(measureBank([question(['dài dài', 'dài dài!', 'ngắn', 'ngắn!'], 'B')])).toMatchObject({ longestKeys: 1 })
	expect(measureBank([question(['dài dài', 'dài dai', 'ngắn', 'ngắn!'], 'A')])).toMatchObject({ longestKeys: 0 })
	expect(measureBank([question(['dài dài', 'dài dai', 'ngắn', 'ngắn!'], 'C')])).toMatchObject({ shortestKeys: 1 })
})

test('a bank whose keys are mostly the shortest choice is refused like one of longest keys', () => {
	const shortKey = (answer: 'A' | 'B' | 'C' | 'D') =>
		question(
			['x'.repeat(20), 'y'.repeat(20), 'z'.repeat(20), 'w'.repeat(20)].map((c, i) => ('ABCD'[i] === answer ? 'Có' : c)),
			answer,
		)
	const neutral = (answer: 'A' | 'B' | 'C' | 'D') => question(['một', 'hai', 'bốn', 'sáu'], answer)
	// 5 of 12 = 42% > 35%; 4 of 12 = 33% passes.
	const bank = [...'ABCDA'].map((a) => shortKey(a as 'A')).concat([...'BCDABCD'].map((a) => neutral(a as 'A')))
	expect(bankBiasProblems(measureBank(bank))).toEqual([
		'Đáp án đúng là phương án ngắn nhất ở 5/12 câu, 42% (giới hạn 35%): người học chỉ cần chọn phương án ngắn nhất. Viết lại để độ dài các phương án không gợi ý đáp án.',
	])
	expect(bankBiasProblems(measureBank([...bank.slice(1), neutral('A')]))).toEqual([])
})

test('a bank under 12 questions is measured but not judged', () => {
	const bias = measureBank(Array.from({ length: 11 }, () => question(['đúng, dài hơn', 'sai', 'sai nữa', 'sai tiếp'], 'A')))
	expect(bias).toEqual({
		questions: 11,
		longestKeys: 11,
		shortestKeys: 0,
		letters: { A: 11, B: 0, C: 0, D: 0 },
	})
	expect(bankBiasProblems(bias)).toEqual([])
	expect(
		bankBiasProblems({
			...bias,
			questions: 12,
			longestKeys: 12,
			letters: { A: 12, B: 0, C: 0, D: 0 },
		}),
	).toHaveLength(5)
})

test('Scenarios count when the best option has the strictly longest or shortest label, against the chance of their option counts', () => {
	expect(
		measureScenarios([
			{
				file: 'a.mdx',
				line: 1,
				labels: ['Báo cô giáo ngay', 'Im lặng'],
				best: 0,
			},
			{
				file: 'a.mdx',
				line: 9,
				labels: ['Chặn', 'Trả lời lại thật gắt', 'Lưu bằng chứng', 'Bỏ qua'],
				best: 2,
			},
			{
				file: 'a.mdx',
				line: 20,
				labels: ['Kể với bố', 'Kể với mẹ', 'Im'],
				best: 1,
			},
			{ file: 'a.mdx', line: 30, labels: ['Báo', 'Trả lời lại'], best: 0 },
		]),
	).toEqual({
		scenarios: 4,
		longestBest: 1,
		shortestBest: 1,
		expectedByChance: 1 / 2 + 1 / 4 + 1 / 3 + 1 / 2,
	})
})

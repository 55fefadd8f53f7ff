// Whether a question bank's keys can be found by their form instead of by understanding (issue 19): a learner who
// always picks the longest (or the shortest) choice, or always the same letter, should do no better than chance.
// docs/content-authoring.md ("Form bias") justifies the limits with the binomial spread around chance.
import { ANSWERS } from './schema.ts'

type Answer = (typeof ANSWERS)[number]

/** Below this many questions a share says too little (one question moves it by more than 8 points): measured, not judged. */
export const MIN_JUDGED_BANK = 12
/** A bank fails when more than this share of its keys is the strictly longest choice, or the strictly shortest. */
export const MAX_LENGTH_SHARE = 0.35
/** A bank fails when one letter holds more than this share of its keys… */
export const MAX_LETTER_SHARE = 0.4
/** …or fewer than this share. */
export const MIN_LETTER_SHARE = 0.1

/** Characters as a reader sees them: NFC code points of the trimmed text (a precomposed "ế" counts once). */
export function visibleLength(text: string) {
	return [...text.trim().normalize('NFC')].length
}

/** Index of the strictly longest (`sign` 1) or strictly shortest (`sign` -1) text, or -1 when it is tied. */
function strictExtreme(texts: ReadonlyArray<string>, sign: 1 | -1) {
	const lengths = texts.map(visibleLength)
	let at = -1
	let best = Number.NEGATIVE_INFINITY
	let tied = false
	lengths.forEach((length, i) => {
		const score = sign * length
		if (score > best) {
			best = score
			at = i
			tied = false
		} else if (score === best) tied = true
	})
	return tied ? -1 : at
}

export type BankBias = {
	questions: number
	/** Keys that are the strictly longest choice (no other choice as long). */
	longestKeys: number
	/** Keys that are the strictly shortest choice. */
	shortestKeys: number
	letters: Record<Answer, number>
}

export function measureBank(bank: ReadonlyArray<{ choices: ReadonlyArray<string>; answer: Answer }>): BankBias {
	const letters = Object.fromEntries(ANSWERS.map((a) => [a, 0])) as Record<Answer, number>
	let longestKeys = 0
	let shortestKeys = 0
	for (const question of bank) {
		const key = ANSWERS.indexOf(question.answer)
		if (strictExtreme(question.choices, 1) === key) longestKeys++
		if (strictExtreme(question.choices, -1) === key) shortestKeys++
		letters[question.answer]++
	}
	return { questions: bank.length, longestKeys, shortestKeys, letters }
}

export function percent(part: number, whole: number) {
	return whole ? Math.round((100 * part) / whole) : 0
}

/** Vietnamese messages, one per limit the bank breaks; empty for a bank too small to judge. */
export function bankBiasProblems(bias: BankBias): Array<string> {
	const n = bias.questions
	if (n < MIN_JUDGED_BANK) return []
	const problems: Array<string> = []
	const share = (count: number) => `${count}/${n} câu, ${percent(count, n)}%`
	if (bias.longestKeys / n > MAX_LENGTH_SHARE) {
		problems.push(
			`Đáp án đúng là phương án dài nhất ở ${share(bias.longestKeys)} (giới hạn ${
				MAX_LENGTH_SHARE * 100
			}%): người học chỉ cần chọn phương án dài nhất. Viết lại để đáp án không nhận ra được qua độ dài (phương án sai cũng cụ thể, đầy đủ như đáp án).`,
		)
	}
	if (bias.shortestKeys / n > MAX_LENGTH_SHARE) {
		problems.push(
			`Đáp án đúng là phương án ngắn nhất ở ${share(bias.shortestKeys)} (giới hạn ${
				MAX_LENGTH_SHARE * 100
			}%): người học chỉ cần chọn phương án ngắn nhất. Viết lại để độ dài các phương án không gợi ý đáp án.`,
		)
	}
	for (const letter of ANSWERS) {
		const count = bias.letters[letter]
		if (count / n > MAX_LETTER_SHARE) {
			problems.push(`Đáp án ${letter} chiếm ${share(count)} (giới hạn ${MAX_LETTER_SHARE * 100}%): chia đều đáp án cho A, B, C, D.`)
		} else if (count / n < MIN_LETTER_SHARE) {
			problems.push(`Đáp án ${letter} chỉ chiếm ${share(count)} (tối thiểu ${MIN_LETTER_SHARE * 100}%): chia đều đáp án cho A, B, C, D.`)
		}
	}
	return problems
}

export type ScenarioShape = {
	file: string
	line: number
	labels: Array<string>
	best: number
}

export type ScenarioBias = {
	scenarios: number
	/** Scenarios whose best option has the strictly longest label. */
	longestBest: number
	/** Scenarios whose best option has the strictly shortest label (the same tell the other way round). */
	shortestBest: number
	/** The number expected if the best option's place in length order were random: the sum of 1/options. */
	expectedByChance: number
}

export function measureScenarios(scenarios: ReadonlyArray<ScenarioShape>): ScenarioBias {
	let longestBest = 0
	let shortestBest = 0
	let expectedByChance = 0
	for (const scenario of scenarios) {
		if (scenario.best >= 0 && strictExtreme(scenario.labels, 1) === scenario.best) longestBest++
		if (scenario.best >= 0 && strictExtreme(scenario.labels, -1) === scenario.best) shortestBest++
		if (scenario.labels.length) expectedByChance += 1 / scenario.labels.length
	}
	return { scenarios: scenarios.length, longestBest, shortestBest, expectedByChance }
}

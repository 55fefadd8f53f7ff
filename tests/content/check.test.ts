import path from 'node:path'
import { expect, test } from 'vitest'
import { checkContent, namedLegalDocument } from '#app/content/check.server.ts'

const FIXTURES = 'tests/fixtures/content'

/** Every problem of one fixture, with the file relative to the fixture's root. */
async function problemsOf(name: string) {
	const root = path.join(FIXTURES, name)
	const result = await checkContent(root)
	return result.problems.map((p) => ({ ...p, file: path.relative(root, p.file) }))
}

const COURSE = 'courses/mau/course.yaml'
const LESSON = 'courses/mau/01-bai-mot.mdx'
const QUIZ = 'courses/mau/quiz.yaml'

test('a valid tree has no problems and yields its compiled course', async () => {
	const result = await checkContent(path.join(FIXTURES, 'valid'))
	expect(result.problems).toEqual([])
	expect(result.courses).toHaveLength(1)
	const [course] = result.courses
	expect(course?.lessons.map((l) => [l.order, l.slug])).toEqual([
		[1, 'bai-mot'],
		[2, 'bai-hai'],
	])
	expect(course?.lessons[0]).toMatchObject({
		headings: [{ depth: 2, text: 'Mở đầu', id: 'mo-dau' }],
		sources: ['luat-mau-2025'],
		assets: [{ name: expect.stringMatching(/^[a-f0-9]{16}\.png$/) }, { name: expect.stringMatching(/^[a-f0-9]{16}\.svg$/) }],
	})
	expect(course?.hash).toMatch(/^[a-f0-9]{64}$/)
	expect(result.staleCitations).toEqual([])
})

test('a missing required field is reported with its path', async () => {
	expect(await problemsOf('missing-field')).toEqual([{ file: COURSE, line: 1, message: 'title: thiếu trường bắt buộc.' }])
})

test('a YAML syntax error is reported at its line', async () => {
	expect(await problemsOf('bad-yaml')).toEqual([
		{
			file: COURSE,
			line: 11,
			message:
				'Lỗi cú pháp YAML: kiểm tra thụt lề của dòng này (các mục "- " cùng danh sách phải thẳng hàng) và dấu ":"; văn bản có ": " phải đặt trong dấu nháy (A block sequence may not be used as an implicit map key).',
		},
	])
})

test('an unknown MDX component is refused and the allowed ones are listed', async () => {
	expect(await problemsOf('unknown-component')).toEqual([
		{
			file: LESSON,
			line: 10,
			message:
				'Thành phần <Quiz> không được hỗ trợ. Chỉ dùng: <Cite>, <Scenario>, <Option>, <Callout>, <KeyTakeaways>, <Checklist>, <Example>, <Figure>, <Exercise>, <Answer>.',
		},
	])
})

test('a replaced source cited as current is refused', async () => {
	expect(await problemsOf('replaced-source-cited')).toEqual([
		{
			file: LESSON,
			line: 10,
			message:
				'Nguồn "luat-mau-2018" đã bị thay thế bởi "luat-mau-2025": không được trích dẫn như văn bản hiện hành (dùng historical nếu chỉ nhắc lịch sử).',
		},
	])
})

test('a replaced source in a question or in legalBasis is refused too', async () => {
	expect(await problemsOf('replaced-source-in-quiz')).toEqual([
		{
			file: QUIZ,
			line: 25,
			message: 'Nguồn "luat-mau-2018" đã bị thay thế bởi "luat-mau-2025": câu hỏi "q02" phải trích dẫn văn bản đang có hiệu lực.',
		},
	])
	expect(await problemsOf('replaced-source-in-legal-basis')).toEqual([
		{
			file: COURSE,
			line: 12,
			message: 'Nguồn "luat-mau-2018" đã bị thay thế bởi "luat-mau-2025": không được dùng làm căn cứ pháp lý (legalBasis) của khoá học.',
		},
	])
})

test('a replaced source marked historical is accepted and listed for information', async () => {
	const root = path.join(FIXTURES, 'historical-citation')
	const result = await checkContent(root)
	expect(result.problems).toEqual([])
	expect(result.staleCitations.map((s) => [s.source.id, s.citations.map((c) => [path.relative(root, c.file), c.line, c.historical])])).toEqual([
		['luat-mau-2018', [[LESSON, 10, true]]],
	])
})

test('a bank smaller than 3 × draw is refused', async () => {
	expect(await problemsOf('small-bank')).toEqual([
		{ file: QUIZ, line: 5, message: 'bank: ngân hàng có 3 câu hỏi, cần ít nhất 3 × draw = 6 câu (draw: 2).' },
	])
})

test('a Cite of a source missing from the registry is refused', async () => {
	expect(await problemsOf('unknown-source')).toEqual([
		{ file: LESSON, line: 10, message: '<Cite>: không có nguồn "luat-khong-co" trong legal-sources.yaml.' },
	])
})

test('a link to a lesson that does not exist is refused', async () => {
	expect(await problemsOf('broken-link')).toEqual([
		{ file: LESSON, line: 14, message: 'Liên kết hỏng "/courses/mau/lessons/bai-khong-co": khoá học "mau" không có bài "bai-khong-co".' },
	])
})

test('a figure without alt text is refused', async () => {
	expect(await problemsOf('no-alt')).toEqual([
		{ file: LESSON, line: 28, message: '<Figure> alt: thiếu mô tả ảnh bằng tiếng Việt cho người không nhìn thấy ảnh (alt="…").' },
	])
})

test('a Scenario needs exactly one best Option and 2 to 4 Options', async () => {
	expect(await problemsOf('scenario-without-best')).toEqual([
		{ file: LESSON, line: 12, message: '<Scenario> cần đúng một <Option verdict="best"> (đang có 0).' },
	])
	expect(await problemsOf('scenario-one-option')).toEqual([{ file: LESSON, line: 12, message: '<Scenario> cần từ 2 đến 4 <Option> (đang có 1).' }])
})

test('an Example must be good or bad, not both', async () => {
	expect(await problemsOf('example-good-and-bad')).toEqual([
		{ file: LESSON, line: 28, message: '<Example>: cần đúng một trong hai thuộc tính good hoặc bad.' },
	])
})

test('MDX that does not compile is reported at the unclosed tag', async () => {
	expect(await problemsOf('mdx-syntax-error')).toEqual([
		{ file: LESSON, line: 12, message: 'Thẻ <Scenario> chưa được đóng: thêm </Scenario> (và một dòng trống trước nó).' },
	])
})

test('duplicate question ids, a slug that is not the folder, and questions without explanation are refused', async () => {
	expect(await problemsOf('duplicate-question-id')).toEqual([{ file: QUIZ, line: 27, message: 'Mã câu hỏi "q01" bị trùng (đã dùng ở dòng 5).' }])
	expect(await problemsOf('slug-mismatch')).toEqual([{ file: COURSE, line: 1, message: 'slug "mau-khac" phải trùng tên thư mục "mau".' }])
	expect(await problemsOf('question-without-explanation')).toEqual([
		{ file: QUIZ, line: 16, message: 'bank[1].explanation: mỗi câu hỏi cần lời giải thích (explanation).' },
	])
})

test('craft advice may cite nothing, but an explanation that names a legal document must cite a legal document', async () => {
	// q01 cites its law; q02 is craft advice without cite (accepted); q03 names a law without citing; q04 names a
	// decree and cites a reference.
	expect(await problemsOf('question-without-cite')).toEqual([
		{
			file: QUIZ,
			line: 34,
			message:
				'Câu hỏi "q03": lời giải thích nêu văn bản pháp luật ("Điều 3") nên phải trích dẫn văn bản đó (cite: { source: … }); nếu là lời khuyên nghề nghiệp, bỏ tên văn bản khỏi lời giải thích.',
		},
		{
			file: QUIZ,
			line: 45,
			message: 'Câu hỏi "q04": lời giải thích nêu văn bản pháp luật ("Nghị định") nhưng trích dẫn "cam-nang-mau", một tài liệu tham khảo: trích dẫn văn bản pháp luật đó.',
		},
	])
})

test('legal documents are recognised by their names, not by ordinary words', () => {
	for (const [text, named] of [
		['Theo Luật An ninh mạng 2025, …', 'Luật'],
		['Bộ luật Hình sự quy định …', 'Bộ luật'],
		['nghị định hướng dẫn quy định chi tiết', 'nghị định'],
		['Quyết định số 423/QĐ-BVHTTDL', 'Quyết định'],
		['theo QĐ 423', 'QĐ'],
		['Điều 7 cấm …', 'Điều 7'],
		['tinh thần của Bộ Quy tắc ứng xử', 'Bộ Quy tắc'],
		['BLHS 2015', 'BLHS'],
	] as const) {
		expect(namedLegalDocument(text), text).toBe(named)
	}
	for (const text of [
		'Lan quyết định gọi lại cho ngân hàng.',
		'Quyết định nhanh thường là quyết định sai.',
		'Không vi phạm pháp luật nhưng thiếu tôn trọng.',
		'Điều quan trọng nhất là giữ bình tĩnh.',
		'Tiêu đề ngắn, đoạn mở đầu trả lời 5W1H.',
	]) {
		expect(namedLegalDocument(text), text).toBeUndefined()
	}
})

test('a replaced source without replacedBy is refused without making its neighbours unknown', async () => {
	expect(await problemsOf('replaced-without-successor')).toEqual([
		{ file: 'legal-sources.yaml', line: 9, message: 'sources[1].replacedBy: bắt buộc khi status là replaced hoặc superseded (id của văn bản thay thế).' },
	])
})

test('a bank whose keys are found by form (always the longest, mostly one letter) is refused with its shares', async () => {
	expect(await problemsOf('biased-bank')).toEqual(
		[
			'Đáp án đúng là phương án dài nhất ở 12/12 câu, 100% (giới hạn 35%): người học chỉ cần chọn phương án dài nhất. Viết lại để đáp án không nhận ra được qua độ dài (phương án sai cũng cụ thể, đầy đủ như đáp án).',
			'Đáp án A chiếm 6/12 câu, 50% (giới hạn 40%): chia đều đáp án cho A, B, C, D.',
			'Đáp án B chiếm 5/12 câu, 42% (giới hạn 40%): chia đều đáp án cho A, B, C, D.',
			'Đáp án C chỉ chiếm 1/12 câu, 8% (tối thiểu 10%): chia đều đáp án cho A, B, C, D.',
			'Đáp án D chỉ chiếm 0/12 câu, 0% (tối thiểu 10%): chia đều đáp án cho A, B, C, D.',
		].map((message) => ({ file: QUIZ, line: 3, message: `bank: ${message}` })),
	)
})

test('a balanced bank passes and its measures are reported with the Scenarios of its lessons', async () => {
	const result = await checkContent(path.join(FIXTURES, 'balanced-bank'))
	expect(result.problems).toEqual([])
	expect(result.formBias).toEqual([
		{
			course: 'mau',
			quizFile: path.join(FIXTURES, 'balanced-bank', QUIZ),
			bank: { questions: 12, longestKeys: 3, shortestKeys: 3, letters: { A: 3, B: 3, C: 3, D: 3 } },
			// The fixture's one Scenario has two options and its best one ("Làm đúng") is the longer label.
			scenarios: { scenarios: 1, longestBest: 1, shortestBest: 0, expectedByChance: 0.5 },
		},
	])
})

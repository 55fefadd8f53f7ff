// course.yaml `safeguards` (issue 22) as the checker reads them, and the lesson word counts the build writes (what a
// plausible reading time of a lesson is computed from).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { checkContent } from '#app/content/check.server.ts'
import { compileLesson, countWords } from '#app/content/compile.server.ts'
import { DEFAULT_SAFEGUARDS } from '#app/content/schema.ts'
import { FIXTURE_COURSES } from '#tests/setup/content.ts'

const tmp = mkdtempSync(path.join(tmpdir(), 'vms-safeguards-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** The fixture tree with `lines` appended to the course's course.yaml; its problems, files relative to the tree. */
async function withCourseYaml(name: string, lines: string) {
	const root = path.join(tmp, name)
	cpSync(FIXTURE_COURSES, root, { recursive: true })
	const file = path.join(root, 'courses/mau/course.yaml')
	writeFileSync(file, `${readFileSync(file, 'utf8')}${lines}`)
	const result = await checkContent(root)
	return { result, problems: result.problems.map((p) => ({ ...p, file: path.relative(root, p.file) })) }
}

const COURSE = 'courses/mau/course.yaml'
// The fixture's course.yaml has 12 lines; what a test appends starts at line 13.

test('a course that says nothing gets the defaults: no minimum, quiz after the lessons, no password', async () => {
	const result = await checkContent(FIXTURE_COURSES)
	expect(result.courses[0]!.meta.safeguards).toEqual(DEFAULT_SAFEGUARDS)
	expect(DEFAULT_SAFEGUARDS).toEqual({ minSecondsPerLesson: 0, quizAfterAllLessons: true, reauthBeforeQuiz: false })
})

test('safeguards are read from course.yaml', async () => {
	const { result, problems } = await withCourseYaml('good', 'safeguards:\n  minSecondsPerLesson: 120\n  quizAfterAllLessons: false\n  reauthBeforeQuiz: true\n')
	expect(problems).toEqual([])
	expect(result.courses[0]!.meta.safeguards).toEqual({ minSecondsPerLesson: 120, quizAfterAllLessons: false, reauthBeforeQuiz: true })
})

test('a misspelt key, a wrong type and a negative or fractional minimum are refused at their line, in Vietnamese', async () => {
	expect((await withCourseYaml('typo', 'safeguards:\n  reauthBeforeQuizz: true\n')).problems).toEqual([
		{ file: COURSE, line: 14, message: 'safeguards: trường không có trong quy định: reauthBeforeQuizz (kiểm tra chính tả hoặc xoá đi).' },
	])
	expect((await withCourseYaml('type', 'safeguards:\n  quizAfterAllLessons: "không"\n')).problems).toEqual([
		{ file: COURSE, line: 14, message: 'safeguards.quizAfterAllLessons: phải là true hoặc false (đang là "không").' },
	])
	expect((await withCourseYaml('negative', 'safeguards:\n  minSecondsPerLesson: -5\n')).problems).toEqual([
		{ file: COURSE, line: 14, message: 'safeguards.minSecondsPerLesson: phải từ 0 trở lên (số giây).' },
	])
	expect((await withCourseYaml('fraction', 'safeguards:\n  minSecondsPerLesson: 1.5\n')).problems).toEqual([
		{ file: COURSE, line: 14, message: 'safeguards.minSecondsPerLesson: phải là một số nguyên (đang là 1.5).' },
	])
	expect((await withCourseYaml('not-a-group', 'safeguards: true\n')).problems).toEqual([
		{ file: COURSE, line: 13, message: 'safeguards: phải là một nhóm trường (khoá: giá trị) (đang là true).' },
	])
})

test('a minimum longer than the shortest lesson’s estimate is refused (a reader at the expected pace would be)', async () => {
	// Both fixture lessons are estimated at 5 minutes.
	expect((await withCourseYaml('too-long', 'safeguards:\n  minSecondsPerLesson: 301\n')).problems).toEqual([
		{
			file: COURSE,
			line: 14,
			message:
				'safeguards.minSecondsPerLesson: 301 giây dài hơn thời lượng ước tính của bài "bai-mot" (5 phút): người đọc đúng tốc độ dự kiến sẽ bị từ chối. Đặt tối đa 300 giây, hoặc sửa minutes của bài.',
		},
	])
	expect((await withCourseYaml('just-fits', 'safeguards:\n  minSecondsPerLesson: 300\n')).problems).toEqual([])
})

test('words are counted as a reader meets them: a syllable is a word, punctuation is not', () => {
	expect(countWords('Bảo vệ bí mật nhà nước — 3 độ mật: Tuyệt mật, Tối mật, Mật.')).toBe(14)
	expect(countWords('  \n ')).toBe(0)
})

test('a lesson’s words: text, headings and the titles, labels and captions of its components, not its alt text', async () => {
	const source = [
		'---',
		'title: Bài thử',
		'minutes: 1',
		'objectives:',
		'  - Một mục tiêu',
		'---',
		'',
		'## Hai chữ',
		'',
		'Ba chữ **đậm** đây.',
		'',
		'<Scenario title="Tình huống một">',
		'',
		'<Option label="Chọn đúng" verdict="best">Phản hồi</Option>',
		'',
		'</Scenario>',
		'',
		'<Figure src="./images/khong-co.svg" alt="mô tả rất dài không được đếm vào số chữ" caption="Chú thích" />',
	].join('\n')
	const compiled = await compileLesson({ source, cwd: tmp })
	if (!compiled.ok) throw new Error(compiled.message)
	// 2 (heading) + 4 (paragraph) + 3 (Scenario title) + 2 (label) + 2 (feedback) + 2 (caption); the alt's 10 are not.
	expect(compiled.words).toBe(15)
})

test('the build carries each lesson’s words', async () => {
	const result = await checkContent(FIXTURE_COURSES)
	const [one, two] = result.courses[0]!.lessons
	// bai-hai: "Ôn tập" / "Xem lại bài một."
	expect(two!.words).toBe(6)
	expect(one!.words).toBeGreaterThan(10)
})

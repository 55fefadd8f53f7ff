// Each signal fires on its pattern and stays quiet on the honest patterns next to it (issue 22): a shared office PC
// used by two people a day apart, one NAT address for an agency, a fast but real reader, colleagues who all answer
// correctly, a late evening far from any deadline.
import { describe, expect, test } from 'vitest'
import { computeSignals } from '#app/integrity/signals.server.ts'
import { assign } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { allCorrect, at, complete, DAY, type Done, HOUR, keysFor, KEY, MINUTE, MONDAY_9, QUESTIONS, setting } from './helpers.ts'

useTestDb()

// Each test works in a week of its own, so that one test's completions are never another's neighbours.
let week = 0
const nextWeek = () => at(MONDAY_9, 7 * DAY * ++week)

async function signalsOf(from: Date, to: Date, slugs: Array<string> = []) {
	const run = await computeSignals({ from, to }, keysFor(...slugs))
	return new Map(run.flagged.map((f) => [f.enrollmentId, f.evidence]))
}
/** The title createCourse gives a course's first version. */
const titleOf = (course: { slug: string }) => `Khoá ${course.slug} (phiên bản 1)`
const signalNames = (evidence: Array<{ signal: string }> | undefined) => [...new Set((evidence ?? []).map((e) => e.signal))].sort()

describe('speed', () => {
	test('half the lessons under a quarter of their reading time flags the completion, with its numbers', async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		// 600 words: 180 s of reading, a quarter is 45 s.
		const skimmed = await complete({ unit: province, version, at: start, words: 600, lessonSeconds: 30 })
		const quiz = await complete({ unit: province, version, at: at(start, 3 * HOUR), quizSeconds: 20 })
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		expect(found.get(skimmed.enrollment.id)).toEqual([{ signal: 'speed', key: 'integrity.evidence.speed', vars: { fast: 4, lessons: 4 } }])
		expect(found.get(quiz.enrollment.id)).toEqual([{ signal: 'speed', key: 'integrity.evidence.speed-quiz', vars: { seconds: 20, questions: 8 } }])
	})

	test('a fast but real reader (a third of the reading time, 5 s a question) stays quiet', async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		const reader = await complete({ unit: province, version, at: start, words: 600, lessonSeconds: 60, quizSeconds: 40 })
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		expect(found.get(reader.enrollment.id)).toBeUndefined()
	})
})

describe('one browser, many people', () => {
	test('three accounts passing on one browser within two hours are all flagged', async () => {
		const start = nextWeek()
		const { province, version, course } = await setting()
		const done: Array<Done> = []
		for (let i = 0; i < 3; i++) done.push(await complete({ unit: province, version, at: at(start, i * 50 * MINUTE), device: 'may-cua-nguoi-hoc-ho', loginAt: null }))
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		const courses = [titleOf(course)]
		for (const d of done) expect(found.get(d.enrollment.id)).toEqual([{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 3, minutes: 100, courses } }])
	})

	test('the evidence names every course passed on the browser in the window, once each', async () => {
		const start = nextWeek()
		const { province, version, course } = await setting()
		const other = await setting()
		const device = 'may-hoc-ho-hai-khoa'
		const done = [
			await complete({ unit: province, version, at: start, device, loginAt: null }),
			await complete({ unit: province, version: other.version, at: at(start, 20 * MINUTE), device, loginAt: null }),
			await complete({ unit: province, version, at: at(start, 40 * MINUTE), device, loginAt: null }),
		]
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		const courses = [titleOf(course), titleOf(other.course)].sort()
		for (const d of done) expect(found.get(d.enrollment.id)).toEqual([{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 3, minutes: 40, courses } }])
	})

	test('a shared office PC used by two people a day apart stays quiet, and so do three people on three days', async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		const a = await complete({ unit: province, version, at: start, device: 'may-van-phong' })
		const b = await complete({ unit: province, version, at: at(start, DAY), device: 'may-van-phong' })
		const c = await complete({ unit: province, version, at: at(start, 2 * DAY), device: 'may-van-phong' })
		const found = await signalsOf(at(start, -HOUR), at(start, 3 * DAY))
		for (const d of [a, b, c]) expect(found.get(d.enrollment.id)).toBeUndefined()
	})

	test('three logins within the hour on one browser flag the completions done there', async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		const device = 'trinh-duyet-dang-nhap-lan-luot'
		const done: Array<Done> = []
		// Logged in 20 minutes apart, each finishing 3 hours later (not within the device window of each other).
		for (let i = 0; i < 3; i++) done.push(await complete({ unit: province, version, device, loginAt: at(start, i * 20 * MINUTE), at: at(start, i * 3 * HOUR + 10 * MINUTE) }))
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		for (const d of done) expect(found.get(d.enrollment.id)).toEqual([{ signal: 'login-chain', key: 'integrity.evidence.login-chain', vars: { accounts: 3, minutes: 40 } }])
	})

	test('two people logging in on an office PC on different days stay quiet', async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		const device = 'may-van-phong-2'
		const a = await complete({ unit: province, version, device, loginAt: start, at: at(start, HOUR) })
		const b = await complete({ unit: province, version, device, loginAt: at(start, DAY), at: at(start, DAY + HOUR) })
		const found = await signalsOf(at(start, -HOUR), at(start, 3 * DAY))
		expect(found.get(a.enrollment.id)).toBeUndefined()
		expect(found.get(b.enrollment.id)).toBeUndefined()
	})
})

describe('one network', () => {
	test('four fast accounts finishing the same course from one address within 15 minutes are flagged', async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		const done: Array<Done> = []
		for (let i = 0; i < 4; i++) done.push(await complete({ unit: province, version, at: at(start, i * 4 * MINUTE), network: 'nat-so-A', lessonSeconds: 20 }))
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		for (const d of done) {
			expect(signalNames(found.get(d.enrollment.id))).toEqual(['network', 'speed'])
			expect(found.get(d.enrollment.id)).toContainEqual({
				signal: 'network',
				key: 'integrity.evidence.network',
				vars: { accounts: 4, minutes: 12, course: expect.stringContaining('khoa-tin') },
			})
		}
	})

	test("an agency's NAT address with ten people finishing at normal speed stays quiet", async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		const done: Array<Done> = []
		for (let i = 0; i < 10; i++) done.push(await complete({ unit: await createUnit(`Phòng ${i}`, province), version, at: at(start, i * MINUTE), network: 'nat-so-B' }))
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		for (const d of done) expect(found.get(d.enrollment.id)).toBeUndefined()
	})
})

describe('same answers', () => {
	const wrongThrice = { ...allCorrect(), q1: 2, q2: 3, q3: 0 }

	test('identical choices on every shared question, three of them the same wrong one, flag both attempts', async () => {
		const start = nextWeek()
		const { province, course, version } = await setting()
		// Different draws sharing q1–q6 (six questions), one taken two hours after the other.
		const a = await complete({ unit: province, version, at: start, questions: [...QUESTIONS.slice(0, 6), 'q7'], answers: { ...wrongThrice } })
		const b = await complete({ unit: province, version, at: at(start, 2 * HOUR), questions: [...QUESTIONS.slice(0, 6), 'q8'], answers: { ...wrongThrice } })
		const found = await signalsOf(at(start, -HOUR), at(start, DAY), [course.slug])
		const expected = [{ signal: 'same-answers', key: 'integrity.evidence.same-answers', vars: { others: 1, shared: 6, wrong: 3, hours: 6 } }]
		expect(found.get(a.enrollment.id)).toEqual(expected)
		expect(found.get(b.enrollment.id)).toEqual(expected)
	})

	test('stays quiet for all-correct twins, two shared wrong answers, a differing answer, or the same sheet a day later', async () => {
		const start = nextWeek()
		const { province, course, version } = await setting()
		const twins = [await complete({ unit: province, version, at: start }), await complete({ unit: province, version, at: at(start, 10 * MINUTE) })]
		const twoWrong = { ...allCorrect(), q3: 0, q4: 0 }
		const single = [
			await complete({ unit: province, version, at: at(start, HOUR), answers: twoWrong }),
			await complete({ unit: province, version, at: at(start, HOUR + 5 * MINUTE), answers: twoWrong }),
		]
		const differ = [
			await complete({ unit: province, version, at: at(start, 2 * HOUR), answers: { ...wrongThrice } }),
			await complete({ unit: province, version, at: at(start, 2 * HOUR + 5 * MINUTE), answers: { ...wrongThrice, q8: (KEY.q8! + 1) % 4 } }),
		]
		const found = await signalsOf(at(start, -HOUR), at(start, 2 * DAY), [course.slug])
		for (const d of [...twins, ...single, ...differ]) expect(found.get(d.enrollment.id)).toBeUndefined()

		const later = nextWeek()
		const apart = [await complete({ unit: province, version, at: later, answers: { ...wrongThrice } }), await complete({ unit: province, version, at: at(later, DAY), answers: { ...wrongThrice } })]
		const again = await signalsOf(at(later, -HOUR), at(later, 2 * DAY), [course.slug])
		for (const d of apart) expect(again.get(d.enrollment.id)).toBeUndefined()
	})
})

describe('bursts', () => {
	test('ten completions of one unit within ten minutes are flagged; nine are not', async () => {
		const start = nextWeek()
		const { province, version } = await setting()
		const busy = await createUnit('Phòng đông', province)
		const calm = await createUnit('Phòng vừa', province)
		const burst: Array<Done> = []
		for (let i = 0; i < 10; i++) burst.push(await complete({ unit: busy, version, at: at(start, i * MINUTE) }))
		const nine: Array<Done> = []
		for (let i = 0; i < 9; i++) nine.push(await complete({ unit: calm, version, at: at(start, i * MINUTE) }))
		const found = await signalsOf(at(start, -HOUR), at(start, DAY))
		for (const d of burst) expect(found.get(d.enrollment.id)).toEqual([{ signal: 'burst', key: 'integrity.evidence.burst', vars: { count: 10, minutes: 9 } }])
		for (const d of nine) expect(found.get(d.enrollment.id)).toBeUndefined()
	})

	test('23:00 Vietnam time two days before the due date is flagged; far from it, or in the afternoon, is not', async () => {
		const start = nextWeek()
		const { province, course, version } = await setting()
		const unit = await createUnit('Phòng đêm', province)
		const due = at(start, 3 * DAY) // Thursday 09:00
		await assign(course, province, { dueAt: due, createdAt: at(start, -30 * DAY) })
		const night = await complete({ unit, version, at: at(start, 14 * HOUR) }) // Monday 23:00
		const afternoon = await complete({ unit, version, at: at(start, DAY + 5 * HOUR) }) // Tuesday 14:00
		const earlier = await complete({ unit, version, at: at(start, -4 * DAY + 14 * HOUR) }) // the Thursday before, 23:00
		const found = await signalsOf(at(start, -5 * DAY), at(start, 2 * DAY))
		const day = at(start, 21 * HOUR).toISOString().slice(0, 10).split('-').reverse().join('/')
		expect(found.get(night.enrollment.id)).toEqual([{ signal: 'off-hours', key: 'integrity.evidence.off-hours', vars: { time: '23:00', date: day, hours: 58 } }])
		expect(found.get(afternoon.enrollment.id)).toBeUndefined()
		expect(found.get(earlier.enrollment.id)).toBeUndefined()
	})
})

test('only completions in the range are reported, and a user of another course is no neighbour for the network', async () => {
	const start = nextWeek()
	const { province, version } = await setting()
	const other = await setting()
	const user = await createUser({ unitId: province.id, password: null })
	const inside = await complete({ unit: province, version, at: start, user, lessonSeconds: 10 })
	const outside = await complete({ unit: province, version: other.version, at: at(start, 2 * DAY), user, lessonSeconds: 10 })
	const found = await signalsOf(at(start, -HOUR), at(start, DAY))
	expect(signalNames(found.get(inside.enrollment.id))).toEqual(['speed'])
	expect(found.get(outside.enrollment.id)).toBeUndefined()
})

// The scan job's contract: reviews per completion in the unit the completion counts for, nothing changed by a second
// run over the same data, decided reviews never reopened, new evidence merged into an open review, and a scan that
// picks up where the last one ended (minus the lookback).
import { beforeAll, expect, test } from 'vitest'
import { getQuiz, listCourses } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { scanCompletions } from '#app/integrity/scan.server.ts'
import { LOOKBACK_MINUTES } from '#app/integrity/thresholds.ts'
import { answerIndex } from '#app/learning/quiz.ts'
import { createCourse } from '#tests/factories/learning.ts'
import { createUnit } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { at, complete, DAY, type Done, HOUR, MINUTE, MONDAY_9 } from './helpers.ts'

useTestDb()

const reviews = () => db.completionReview.findMany({ orderBy: [{ enrollmentId: 'asc' }] })

let province: { id: number; path: string; depth: number; tree: 'GOV' }
let division: { id: number }
let version: { id: string }
let title: string
let questions: Array<string>
let wrongThrice: Record<string, number>

beforeAll(async () => {
	province = (await createUnit('Tỉnh quét')) as typeof province
	division = await createUnit('Phòng quét', province)
	// A real course's bank: the scan reads the answer key from the content build.
	const slug = listCourses().find((c) => (getQuiz(c.slug)?.bank.length ?? 0) >= 5)!.slug
	const course = await createCourse(slug)
	version = course.versions[0]!
	title = (await db.courseVersion.findUniqueOrThrow({ where: { id: version.id } })).title
	const bank = getQuiz(slug)!.bank
	questions = bank.slice(0, 5).map((q) => q.id)
	wrongThrice = Object.fromEntries(bank.slice(0, 5).map((q, i) => [q.id, i < 3 ? (answerIndex(q) + 1) % 4 : answerIndex(q)]))
})

test('a first scan starts at the oldest trace, flags the pattern in the unit of its certificates, and a second run changes nothing', async () => {
	const device = 'mot-trinh-duyet'
	const done: Array<Done> = []
	for (let i = 0; i < 3; i++) done.push(await complete({ unit: division, version, at: at(MONDAY_9, i * 30 * MINUTE), device, loginAt: null, questions, answers: wrongThrice }))
	const honest = await complete({ unit: division, version, at: at(MONDAY_9, DAY), questions })

	const now = at(MONDAY_9, 2 * DAY)
	const first = await scanCompletions({ now })
	// The oldest trace: the first account's first lesson, minutes before its quiz.
	expect(first.from.getTime()).toBeLessThan(MONDAY_9.getTime())
	expect(first.from.getTime()).toBeGreaterThan(at(MONDAY_9, -HOUR).getTime())
	expect(first).toMatchObject({ flagged: 3, inserted: 3, updated: 0 })
	const rows = await reviews()
	expect(rows.map((r) => r.enrollmentId).sort()).toEqual(done.map((d) => d.enrollment.id).sort())
	for (const row of rows) {
		expect(row).toMatchObject({ status: 'OPEN', orgUnitId: division.id, signals: ['device', 'same-answers'] })
		expect(row.evidence).toEqual([
			{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 3, minutes: 60, courses: [title] } },
			{ signal: 'same-answers', key: 'integrity.evidence.same-answers', vars: { others: 2, shared: 5, wrong: 3, hours: 6 } },
		])
	}
	expect(rows.some((r) => r.enrollmentId === honest.enrollment.id)).toBe(false)
	const state = await db.integrityScanState.findUniqueOrThrow({ where: { id: 1 } })
	expect(state).toMatchObject({ scannedTo: now, flagged: 3 })

	// The same data again (a retry, or the next run): nothing inserted, nothing updated, not even updatedAt.
	const second = await scanCompletions({ now: at(now, MINUTE) })
	expect(second.from).toEqual(new Date(now.getTime() - LOOKBACK_MINUTES * MINUTE))
	expect(second).toMatchObject({ inserted: 0, updated: 0 })
	const again = await scanCompletions({ now })
	expect(again).toMatchObject({ inserted: 0, updated: 0 })
	expect(await reviews()).toEqual(rows)
})

test('a decided review is never reopened or changed; new evidence is merged into an open one', async () => {
	const start = at(MONDAY_9, 7 * DAY)
	const device = 'trinh-duyet-thu-hai'
	const done: Array<Done> = []
	for (let i = 0; i < 3; i++) done.push(await complete({ unit: division, version, at: at(start, i * 40 * MINUTE), device, loginAt: null, questions }))
	await scanCompletions({ now: at(start, 2 * HOUR) })
	const [verified, redone, open] = done.map((d) => d.enrollment.id)
	expect((await reviews()).filter((r) => done.some((d) => d.enrollment.id === r.enrollmentId))).toHaveLength(3)
	await db.completionReview.updateMany({ where: { enrollmentId: verified }, data: { status: 'VERIFIED', decidedAt: at(start, 3 * HOUR), decisionNote: 'Đã xác minh' } })
	await db.completionReview.updateMany({ where: { enrollmentId: redone }, data: { status: 'REDO', decidedAt: at(start, 3 * HOUR), decisionNote: 'Học lại' } })
	const decided = await db.completionReview.findMany({ where: { enrollmentId: { in: [verified!, redone!] } }, orderBy: { enrollmentId: 'asc' } })

	// A fourth account on the same browser, 100 minutes after the first: the first window now holds 4 accounts.
	await complete({ unit: division, version, at: at(start, 100 * MINUTE), device, loginAt: null, questions })
	const result = await scanCompletions({ now: at(start, 4 * HOUR) })
	expect(result).toMatchObject({ inserted: 1, updated: 1 })
	expect(await db.completionReview.findMany({ where: { enrollmentId: { in: [verified!, redone!] } }, orderBy: { enrollmentId: 'asc' } })).toEqual(decided)
	const merged = await db.completionReview.findFirstOrThrow({ where: { enrollmentId: open } })
	expect(merged.status).toBe('OPEN')
	expect(merged.evidence).toEqual([{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 4, minutes: 100, courses: [title] } }])

	// Evidence of another signal is added beside the old one, which stays.
	await db.learningTrace.updateMany({ where: { enrollmentId: open, kind: 'LESSON_DONE' }, data: { seconds: 5 } })
	await scanCompletions({ now: at(start, 5 * HOUR) })
	const both = await db.completionReview.findFirstOrThrow({ where: { enrollmentId: open } })
	expect(both.signals).toEqual(['device', 'speed'])
	expect(both.evidence).toEqual([
		{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 4, minutes: 100, courses: [title] } },
		{ signal: 'speed', key: 'integrity.evidence.speed', vars: { fast: 4, lessons: 4 } },
	])
	// A later scan that no longer sees the window keeps what was found (evidence is only ever added).
	const late = await scanCompletions({ now: at(start, 3 * DAY) })
	expect(late.updated).toBe(0)
	expect((await db.completionReview.findFirstOrThrow({ where: { enrollmentId: open } })).evidence).toEqual(both.evidence)
})

test('a completion withdrawn after review and completed again is a new review', async () => {
	const start = at(MONDAY_9, 14 * DAY)
	const course = await createCourse('khoa-lam-lai')
	const fast = await complete({ unit: division, version: course.versions[0]!, at: start, lessonSeconds: 5 })
	await scanCompletions({ now: at(start, HOUR) })
	await db.completionReview.updateMany({ where: { enrollmentId: fast.enrollment.id }, data: { status: 'REDO', decidedAt: at(start, 2 * HOUR) } })
	// Redone, fast again (the attempt of the first completion is void).
	await db.quizAttempt.update({ where: { id: fast.attempt.id }, data: { voidedAt: at(start, 2 * HOUR) } })
	const redoneAt = at(start, DAY)
	await db.enrollment.update({ where: { id: fast.enrollment.id }, data: { completedAt: redoneAt } })
	await db.certificate.create({
		data: { serial: 'LAI-1', userId: fast.user.id, courseVersionId: course.versions[0]!.id, holderName: 'x', orgUnitId: division.id, orgName: 'x', courseTitle: 'x', issuedAt: redoneAt },
	})
	await db.learningTrace.create({
		data: { userId: fast.user.id, kind: 'LESSON_DONE', at: at(redoneAt, -MINUTE), enrollmentId: fast.enrollment.id, lessonSlug: 'bai-1', seconds: 4, size: 600 },
	})
	await scanCompletions({ now: at(redoneAt, HOUR) })
	const rows = await db.completionReview.findMany({ where: { enrollmentId: fast.enrollment.id }, orderBy: { completedAt: 'asc' } })
	expect(rows.map((r) => [r.status, r.completedAt])).toEqual([
		['REDO', start],
		['OPEN', redoneAt],
	])
})

test('the job integrity.scan runs the scan every 15 minutes, one at a time, and moves the scanned-to mark to now', async () => {
	await import('#app/jobs/handlers.server.ts')
	const { jobDefinition } = await import('#app/jobs/queue.server.ts')
	const job = jobDefinition('integrity.scan')
	expect(job).toMatchObject({ policy: 'stately', cron: '*/15 * * * *' })
	const before = Date.now()
	await job!.run({})
	const state = await db.integrityScanState.findUniqueOrThrow({ where: { id: 1 } })
	expect(state.scannedTo.getTime()).toBeGreaterThanOrEqual(before)
})

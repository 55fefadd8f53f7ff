// Retention of what the signals of proxy completion record (issue 22, Luật 91/2025/QH15): traces older than
// INTEGRITY_RETENTION_DAYS are deleted, and so is the evidence of a review decided that long ago — its decision stays.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { applyRetention, retentionSettings } from '#app/jobs/retention.server.ts'
import { certify, createCourse } from '#tests/factories/learning.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const DAY = 86_400_000

test('INTEGRITY_RETENTION_DAYS: 180 by default, 30 to 730, refused with a Vietnamese message otherwise', () => {
	expect(retentionSettings({}).INTEGRITY_RETENTION_DAYS).toBe(180)
	expect(retentionSettings({ INTEGRITY_RETENTION_DAYS: '30' }).INTEGRITY_RETENTION_DAYS).toBe(30)
	expect(retentionSettings({ INTEGRITY_RETENTION_DAYS: '730' }).INTEGRITY_RETENTION_DAYS).toBe(730)
	expect(() => retentionSettings({ INTEGRITY_RETENTION_DAYS: '29' })).toThrow('INTEGRITY_RETENTION_DAYS: ít nhất 30 ngày')
	expect(() => retentionSettings({ INTEGRITY_RETENTION_DAYS: '731' })).toThrow('INTEGRITY_RETENTION_DAYS: nhiều nhất 730 ngày')
	expect(() => retentionSettings({ INTEGRITY_RETENTION_DAYS: 'nửa năm' })).toThrow('INTEGRITY_RETENTION_DAYS phải là số ngày')
})

test('old traces and the evidence of long-decided reviews go; recent traces, open reviews and the decisions stay', async () => {
	const now = new Date('2026-12-01T00:00:00Z')
	const settings = retentionSettings({ INTEGRITY_RETENTION_DAYS: '90' })
	const old = new Date(now.getTime() - 91 * DAY)
	const recent = new Date(now.getTime() - 89 * DAY)
	const user = await db.user.create({ data: { fullName: 'Người Được Lưu', status: 'ACTIVE' } })
	await db.learningTrace.createMany({
		data: [
			{ userId: user.id, kind: 'LOGIN', at: old, deviceHash: 'a'.repeat(64), networkHash: 'b'.repeat(64) },
			{ userId: user.id, kind: 'LESSON_DONE', at: old, seconds: 3, size: 900 },
			{ userId: user.id, kind: 'QUIZ_SUBMIT', at: recent, seconds: 20, size: 10 },
		],
	})
	const course = await createCourse('luu-tru')
	const evidence = [{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 4, minutes: 30 } }]
	const review = async (status: 'OPEN' | 'VERIFIED' | 'REDO', decidedAt: Date | null) => {
		const person = await db.user.create({ data: { fullName: `Người ${status}`, status: 'ACTIVE' } })
		await certify(person, course.versions[0]!, { issuedAt: new Date('2026-01-01T00:00:00Z') })
		const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: person.id } })
		return db.completionReview.create({
			data: { enrollmentId: enrollment.id, userId: person.id, courseVersionId: course.versions[0]!.id, completedAt: new Date('2026-01-01T00:00:00Z'), signals: ['device'], evidence, status, decidedAt, decisionNote: decidedAt ? 'Ghi chú' : null, flaggedAt: old },
		})
	}
	const longDecided = await review('REDO', old)
	const justDecided = await review('VERIFIED', recent)
	const open = await review('OPEN', null)

	const result = await applyRetention(now, settings)
	expect(result).toMatchObject({ traces: 2, reviewEvidence: 1 })
	expect((await db.learningTrace.findMany({ where: { userId: user.id } })).map((t) => t.kind)).toEqual(['QUIZ_SUBMIT'])
	expect(await db.completionReview.findUniqueOrThrow({ where: { id: longDecided.id } })).toMatchObject({ status: 'REDO', evidence: [], signals: ['device'], decisionNote: 'Ghi chú' })
	expect((await db.completionReview.findUniqueOrThrow({ where: { id: justDecided.id } })).evidence).toEqual(evidence)
	expect((await db.completionReview.findUniqueOrThrow({ where: { id: open.id } })).evidence).toEqual(evidence)
	// A second run finds nothing more to do.
	expect(await applyRetention(now, settings)).toMatchObject({ traces: 0, reviewEvidence: 0 })
})

test('the privacy notice states the periods the retention job applies', async () => {
	const { loader } = await import('#app/routes/privacy.tsx')
	const before = process.env.INTEGRITY_RETENTION_DAYS
	process.env.INTEGRITY_RETENTION_DAYS = '120'
	try {
		const response = (await loader()) as Response
		expect(await response.json()).toMatchObject({ integrityDays: 120, mailDays: 90, fileDays: 7 })
	} finally {
		if (before === undefined) delete process.env.INTEGRITY_RETENTION_DAYS
		else process.env.INTEGRITY_RETENTION_DAYS = before
	}
})

// Issue 18 item 7: after a write that changes a unit's figures, the next view of that unit (and of its ancestors)
// shows them, or says that newer changes are not in them yet. Decision 024.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import {
	getChildRows,
	getCourseBreakdown,
	LIVE_WHEN_CHANGED_MAX_TARGET,
	refreshCompletionRollup,
	rollupRefreshSettled,
} from '#app/reports/completion.server.ts'
import { assign, certify, createCourse, enroll, join } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const changes = async () => db.completionChange.count()

async function setUp(name: string) {
	const root = await createUnit(`Tỉnh ${name}`)
	const dept = await createUnit(`Sở ${name}`, root)
	const division = await createUnit(`Phòng ${name}`, dept, 'division')
	const course = await createCourse()
	await assign(course, root, { dueAt: new Date(Date.now() + 30 * 86_400_000) })
	const people = []
	for (const fullName of ['Nguyễn Văn Một', 'Trần Thị Hai', 'Lê Văn Ba']) {
		const p = await createUser({ fullName: `${fullName} ${name}`, password: null })
		await join(p, division)
		people.push(p)
	}
	const certificates = []
	for (const p of people.slice(0, 2)) certificates.push(await certify(p, course.versions[0]!, { issuedAt: new Date(Date.now() - 86_400_000) }))
	await refreshCompletionRollup()
	return { root, dept, division, course, people, certificates }
}

test('a revoked certificate shows on the next view of the unit and its ancestors, computed live while the rollup is older', async () => {
	const { root, dept, division, course, certificates } = await setUp('Thu Hồi')
	expect(await changes()).toBe(0)
	const before = (await getChildRows(dept.id, { courseId: course.id }))!
	expect(before).toMatchObject({ source: 'rollup', pending: false })
	expect(before.total).toMatchObject({ target: 3, completed: 2 })

	await db.certificate.update({ where: { id: certificates[0]!.id }, data: { revokedAt: new Date() } })
	expect(await changes()).toBeGreaterThan(0)

	for (const unitId of [division.id, dept.id, root.id]) {
		const after = (await getChildRows(unitId, { courseId: course.id }))!
		expect(after.source).toBe('live')
		expect(after.pending).toBe(false)
		expect(after.total).toMatchObject({ target: 3, completed: 1 })
		expect(Date.now() - after.asOf.getTime()).toBeLessThan(10_000)
		const all = (await getCourseBreakdown(unitId))!
		expect(all.source).toBe('live')
		expect(all.courses.find((c) => c.courseId === course.id)).toMatchObject({ target: 3, completed: 1 })
	}

	// The refresh folds the change in: the rollup serves again, with the new figure.
	await refreshCompletionRollup()
	expect(await changes()).toBe(0)
	const refreshed = (await getChildRows(dept.id, { courseId: course.id }))!
	expect(refreshed).toMatchObject({ source: 'rollup', pending: false })
	expect(refreshed.total).toMatchObject({ target: 3, completed: 1 })
})

test('a large unit keeps the rollup and says that newer changes are pending; the queue refreshes it once the interval has passed', async () => {
	const { root, course, people } = await setUp('Đơn Vị Lớn')
	// The root stands for a province: its rollup rows say it has more requirements than are counted live.
	await db.completionRollup.updateMany({ where: { orgUnitId: root.id, direct: false }, data: { target: LIVE_WHEN_CHANGED_MAX_TARGET + 1 } })
	await certify(people[2]!, course.versions[0]!, { issuedAt: new Date() })

	const soon = (await getChildRows(root.id, { courseId: course.id }))!
	expect(soon).toMatchObject({ source: 'rollup', pending: true })
	// Refreshed less than ROLLUP_MIN_INTERVAL_MS ago: no refresh is asked for yet.
	await rollupRefreshSettled()
	expect(await changes()).toBeGreaterThan(0)

	// A minute later, a view asks for one refresh, which folds the change in.
	const state = (await db.completionRollupState.findUnique({ where: { id: 1 } }))!
	await db.completionRollupState.update({ where: { id: 1 }, data: { asOf: new Date(state.asOf.getTime() - 61_000) } })
	const asking = (await getChildRows(root.id, { courseId: course.id }))!
	expect(asking).toMatchObject({ source: 'rollup', pending: true })
	await rollupRefreshSettled()
	expect(await changes()).toBe(0)
	const after = (await getChildRows(root.id, { courseId: course.id }))!
	expect(after).toMatchObject({ source: 'rollup', pending: false })
	expect(after.total).toMatchObject({ target: 3, completed: 3 })
})

test('a refresh asked for because of changes does nothing when another one already folded them in', async () => {
	await setUp('Không Đổi')
	expect(await changes()).toBe(0)
	const state = (await db.completionRollupState.findUnique({ where: { id: 1 } }))!
	expect(await refreshCompletionRollup(new Date(), { onlyIfChanged: true })).toBeNull()
	expect((await db.completionRollupState.findUnique({ where: { id: 1 } }))!.asOf).toEqual(state.asOf)
})

test('what the figures do not read leaves no change behind: a learner touching a lesson updates only lastActivityAt', async () => {
	const { course, people } = await setUp('Hoạt Động')
	const enrollment = await enroll(people[2]!, course.versions[0]!, { startedAt: new Date() })
	await refreshCompletionRollup()
	await db.enrollment.updateMany({ where: { id: enrollment.id }, data: { lastActivityAt: new Date() } })
	expect(await changes()).toBe(0)
	await db.enrollment.update({ where: { id: enrollment.id }, data: { status: 'COMPLETED', completedAt: new Date() } })
	expect(await changes()).toBe(1)
})

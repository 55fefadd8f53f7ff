import { expect, test } from 'vitest'
import { isCertificateValid } from '#app/certificates/validity.ts'
import { db } from '#app/db.server.ts'
import { endMember, moveMember, updateMember } from '#app/org/members.server.ts'
import { setTargetTags } from '#app/org/targets.server.ts'
import {
	getChildRows,
	getCourseBreakdown,
	getLevelRows,
	getUnitPeople,
	getUnitTotal,
	refreshCompletionRollup,
	rollupRefreshSettled,
} from '#app/reports/completion.server.ts'
import { assign, certify, createCourse, enroll, join } from '#tests/factories/learning.ts'
import { createUnit, createUser } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const d = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso)
// An administrator of every tree: these tests are about figures, not about who may act (tests/auth/people.test.ts).
const actor = { actorId: 'test-admin', grants: [{ role: 'ADMIN' as const, orgUnitId: 0, path: '/' }] }

async function province(name: string) {
	const root = await createUnit(`Tỉnh ${name}`)
	const a = await createUnit(`Sở A ${name}`, root)
	const a1 = await createUnit(`Phòng A1 ${name}`, a, 'division')
	const b = await createUnit(`Sở B ${name}`, root)
	return { root, a, a1, b }
}

const person = (fullName: string) => createUser({ fullName, password: null })

/** The rows of a ranking by unit id, without the ranking order. */
async function byUnit(unitId: number, query: Parameters<typeof getChildRows>[1]) {
	const result = await getChildRows(unitId, query)
	if (!result) throw new Error('no unit')
	return { total: result.total, rows: new Map(result.rows.map((r) => [`${r.unit.id}${r.direct ? '/direct' : ''}`, r])) }
}

test('a person in two units counts once in the province and once in each unit', async () => {
	const { root, a, a1, b } = await province('Hai Đơn Vị')
	const course = await createCourse()
	await assign(course, root, { dueAt: d('2026-06-30') })
	const both = await person('Nguyễn Văn Hai')
	await join(both, a1)
	await join(both, b)
	// A second post in the same department does not make two people either.
	await join(both, a)
	const other = await person('Trần Thị Một')
	await join(other, a1)
	await certify(both, course.versions[0]!, { issuedAt: d('2026-02-01') })

	const at = d('2026-03-01')
	const { total, rows } = await byUnit(root.id, { courseId: course.id, at })
	expect(total).toEqual({ target: 2, completed: 1, inProgress: 0, notStarted: 1, overdue: 0, rate: 0.5 })
	expect(rows.get(String(a.id))).toMatchObject({ target: 2, completed: 1 })
	expect(rows.get(String(b.id))).toMatchObject({ target: 1, completed: 1, rate: 1 })
	// The department's own figure: the person attached to it and to its division is one person.
	expect((await byUnit(a.id, { courseId: course.id, at })).total).toMatchObject({ target: 2, completed: 1 })
	expect((await byUnit(a.id, { courseId: course.id, at })).rows.get(`${a.id}/direct`)).toMatchObject({ target: 1, completed: 1 })
	expect((await getCourseBreakdown(root.id, { at }))!.courses).toEqual([expect.objectContaining({ courseId: course.id, target: 2, completed: 1 })])
	expect((await getUnitTotal(root.id, { at }))!.counts).toMatchObject({ target: 2, completed: 1 })

	const people = (await getUnitPeople(root.id, { courseId: course.id, at }))!.people
	expect(people.map((p) => [p.fullName, p.units.map((u) => u.id).sort(), p.status])).toEqual([
		['Nguyễn Văn Hai', [a.id, a1.id, b.id].sort(), 'completed'],
		['Trần Thị Một', [a1.id], 'not_started'],
	])
})

test('moved mid-period: counted in the old unit before the move, in the new one after, once in the province throughout', async () => {
	const { root, a, a1, b } = await province('Chuyển Công Tác')
	const course = await createCourse()
	await assign(course, root, { dueAt: d('2026-06-30') })
	const mover = await person('Lê Văn Chuyển')
	const membership = await join(mover, a1)
	await certify(mover, course.versions[0]!, { issuedAt: d('2026-02-01') })
	expect(await moveMember(root, membership.id, { toUnitId: b.id, at: d('2026-03-01') }, actor)).toBe('moved')

	const before = await byUnit(root.id, { courseId: course.id, at: d('2026-02-15') })
	expect(before.rows.get(String(a.id))).toMatchObject({ target: 1, completed: 1 })
	expect(before.rows.get(String(b.id))).toMatchObject({ target: 0, rate: null })
	const after = await byUnit(root.id, { courseId: course.id, at: d('2026-03-15') })
	expect(after.rows.get(String(a.id))).toMatchObject({ target: 0 })
	// The certificate follows the person to the new unit.
	expect(after.rows.get(String(b.id))).toMatchObject({ target: 1, completed: 1 })
	expect(before.total).toMatchObject({ target: 1, completed: 1 })
	expect(after.total).toMatchObject({ target: 1, completed: 1 })
	// The instant of the move belongs to the new unit.
	expect((await byUnit(root.id, { courseId: course.id, at: d('2026-03-01') })).rows.get(String(b.id))).toMatchObject({ target: 1 })
})

test('moved to a unit the assignment does not reach: out of the target from the move on', async () => {
	const { root, a, a1, b } = await province('Chuyển Ra Ngoài')
	const course = await createCourse()
	await assign(course, a, { dueAt: d('2026-01-31') })
	const mover = await person('Phạm Văn Đi')
	const membership = await join(mover, a1)
	await moveMember(root, membership.id, { toUnitId: b.id, at: d('2026-03-01') }, actor)
	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2026-02-15') }))!.counts).toMatchObject({ target: 1, overdue: 1 })
	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2026-03-15') }))!.counts).toMatchObject({ target: 0, overdue: 0 })
})

test('an expired certificate stops counting at its expiry instant, exactly as isCertificateValid says', async () => {
	const { root, a1 } = await province('Hết Hạn')
	const course = await createCourse('het-han', [{ publishedAt: d('2020-01-01'), validityMonths: 12 }])
	await assign(course, root, { dueAt: d('2025-12-31') })
	const holder = await person('Võ Thị Hạn')
	await join(holder, a1)
	const cert = await certify(holder, course.versions[0]!, { issuedAt: d('2025-01-10'), expiresAt: d('2026-01-10') })

	for (const at of [d('2025-01-09T23:59:59.999Z'), d('2025-01-10'), d('2026-01-09T23:59:59.999Z'), d('2026-01-10'), d('2026-02-01')]) {
		const counts = (await getUnitTotal(root.id, { courseId: course.id, at }))!.counts
		expect(counts.completed, at.toISOString()).toBe(isCertificateValid(cert, at) ? 1 : 0)
	}
	const after = (await getUnitPeople(root.id, { courseId: course.id, at: d('2026-01-10') }))!.people[0]!
	expect(after).toMatchObject({ status: 'not_started', lapse: 'expired', overdue: true, certificate: null, dueAt: d('2025-12-31') })
	const before = (await getUnitPeople(root.id, { courseId: course.id, at: d('2025-06-01') }))!.people[0]!
	expect(before).toMatchObject({ status: 'completed', lapse: null, overdue: false, certificate: { issuedAt: d('2025-01-10'), expiresAt: d('2026-01-10') } })
})

test('a revoked certificate stops counting from its revocation, not before', async () => {
	const { root, a1 } = await province('Thu Hồi')
	const course = await createCourse()
	await assign(course, root, { dueAt: d('2026-01-15') })
	const holder = await person('Đặng Văn Hồi')
	await join(holder, a1)
	const cert = await certify(holder, course.versions[0]!, { issuedAt: d('2026-01-05'), revokedAt: d('2026-02-01') })

	// Started the day before the certificate: in progress then, not overdue yet.
	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2026-01-04T12:00:00Z') }))!.counts).toMatchObject({ completed: 0, inProgress: 1, overdue: 0 })
	for (const at of [d('2026-01-31T23:59:59.999Z'), d('2026-02-01')]) {
		expect((await getUnitTotal(root.id, { courseId: course.id, at }))!.counts.completed).toBe(isCertificateValid(cert, at) ? 1 : 0)
	}
	// Revoked after the due date: overdue now, and the list says why.
	const listed = (await getUnitPeople(root.id, { courseId: course.id, at: d('2026-02-01') }))!.people[0]!
	expect(listed).toMatchObject({ status: 'not_started', overdue: true, lapse: 'revoked' })
})

test('a new version that requires recertification: old certificates stop counting, holders get three months', async () => {
	const { root, a1 } = await province('Tái Chứng Nhận')
	const course = await createCourse('tai-chung-nhan', [
		{ publishedAt: d('2020-01-01') },
		{ publishedAt: d('2026-04-01'), requiresRecertification: true },
		{ publishedAt: d('2026-09-01') },
	])
	const [v1, v2] = course.versions
	await assign(course, root, { dueAt: d('2026-02-28') })
	const old = await person('Bùi Văn Cũ')
	await join(old, a1)
	await certify(old, v1!, { issuedAt: d('2025-06-01') })
	const renewed = await person('Hồ Thị Mới')
	await join(renewed, a1)
	await certify(renewed, v1!, { issuedAt: d('2025-06-01') })
	await certify(renewed, v2!, { issuedAt: d('2026-05-01') })

	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2026-03-31') }))!.counts).toMatchObject({ target: 2, completed: 2 })
	const may = await getUnitPeople(root.id, { courseId: course.id, at: d('2026-05-02') })
	expect(may!.people.map((p) => [p.fullName, p.status, p.overdue, p.lapse, p.dueAt])).toEqual([
		// The assignment was due in February, but the holder of v1 has until 1 July (publication + 3 months).
		['Bùi Văn Cũ', 'not_started', false, 'superseded', d('2026-07-01')],
		['Hồ Thị Mới', 'completed', false, null, null],
	])
	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2026-07-01T00:00:00.001Z') }))!.counts).toMatchObject({ completed: 1, overdue: 1 })
	// v3 does not require recertification, but v1 was superseded by v2 and stays so.
	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2026-10-01') }))!.counts).toMatchObject({ completed: 1 })
})

test('a new version without recertification keeps earlier certificates counting', async () => {
	const { root, a1 } = await province('Phiên Bản Thường')
	const course = await createCourse('phien-ban-thuong', [{ publishedAt: d('2020-01-01') }, { publishedAt: d('2026-04-01') }])
	await assign(course, root, { dueAt: d('2026-02-28') })
	const holder = await person('Ngô Văn Giữ')
	await join(holder, a1)
	await certify(holder, course.versions[0]!, { issuedAt: d('2025-06-01') })
	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2026-06-01') }))!.counts).toMatchObject({ target: 1, completed: 1 })
})

test('a membership ended: in the target until its end, out from that instant; other posts still count', async () => {
	const { root, a, a1, b } = await province('Nghỉ Việc')
	const course = await createCourse()
	await assign(course, root, { dueAt: d('2026-06-30') })
	const leaver = await person('Dương Văn Nghỉ')
	const m = await join(leaver, a1)
	const twoPosts = await person('Lý Thị Kiêm')
	const kept = await join(twoPosts, b)
	const ended = await join(twoPosts, a1)
	expect((await endMember(root, m.id, d('2026-03-01'), actor)).ended).toBe(true)
	expect((await endMember(root, ended.id, d('2026-03-01'), actor)).ended).toBe(true)

	const feb = await byUnit(root.id, { courseId: course.id, at: d('2026-02-28') })
	expect(feb.total.target).toBe(2)
	expect(feb.rows.get(String(a.id))!.target).toBe(2)
	const mar = await byUnit(root.id, { courseId: course.id, at: d('2026-03-01') })
	expect(mar.total.target).toBe(1)
	expect(mar.rows.get(String(a.id))!.target).toBe(0)
	expect(mar.rows.get(String(b.id))!.target).toBe(1)
	expect(kept.validTo).toBeNull()
})

test('a tag changed: the audience of a tagged assignment follows the membership’s tags and the target rule', async () => {
	const { root, a, a1, b } = await province('Đổi Nhóm')
	const course = await createCourse()
	await assign(course, a, { dueAt: d('2026-06-30'), audienceTag: 'social-media' })
	const tagged = await person('Hoàng Văn Mạng')
	const taggedMembership = await join(tagged, a1, { tags: ['social-media'] })
	const plain = await person('Huỳnh Thị Thường')
	await join(plain, a1)
	// Tagged in another department only: the tag on that membership does not bring them into A's assignment.
	const elsewhere = await person('Phan Văn Khác')
	await join(elsewhere, a1)
	await join(elsewhere, b, { tags: ['social-media'] })
	const now = new Date()

	expect((await getUnitTotal(root.id, { courseId: course.id, at: now }))!.counts.target).toBe(1)
	await updateMember(root, taggedMembership.id, { title: null, tags: [], countsInTarget: true }, actor)
	expect((await getUnitTotal(root.id, { courseId: course.id, at: now }))!.counts.target).toBe(0)
	await updateMember(root, taggedMembership.id, { title: null, tags: ['social-media'], countsInTarget: true }, actor)
	expect((await getUnitTotal(root.id, { courseId: course.id, at: now }))!.counts.target).toBe(1)
	// The unit's target rule (app/org/targets.server.ts) turns countsInTarget off for people without the rule's tag.
	await setTargetTags(a, { tags: ['leader'], subtree: true }, actor)
	expect((await getUnitTotal(root.id, { courseId: course.id, at: new Date() }))!.counts.target).toBe(0)
})

test('statuses, overdue and the assignment’s own dates; children without assignments rank last with no rate', async () => {
	const { root, a, a1, b } = await province('Trạng Thái')
	const course = await createCourse()
	const other = await createCourse()
	await assign(course, a, { dueAt: d('2026-03-01'), createdAt: d('2026-01-01') })
	// Made on the division only, and closed in April: reaches the division's members until then.
	await assign(other, a1, { dueAt: d('2026-05-01'), createdAt: d('2026-02-01'), closedAt: d('2026-04-01') })
	const done = await person('Trần Văn Xong')
	const started = await person('Nguyễn Thị Đang')
	const idle = await person('Lê Văn Chưa')
	const direct = await person('Vũ Thị Trực')
	for (const p of [done, started, idle]) await join(p, a1)
	await join(direct, a)
	await certify(done, course.versions[0]!, { issuedAt: d('2026-02-10') })
	await enroll(started, course.versions[0]!, { startedAt: d('2026-02-20'), lastActivityAt: d('2026-02-21') })

	// Before the assignment existed nobody was required.
	expect((await getUnitTotal(root.id, { courseId: course.id, at: d('2025-12-31') }))!.counts.target).toBe(0)
	const feb = (await getUnitTotal(root.id, { courseId: course.id, at: d('2026-02-25') }))!.counts
	expect(feb).toEqual({ target: 4, completed: 1, inProgress: 1, notStarted: 2, overdue: 0, rate: 0.25 })
	const mar = await getChildRows(root.id, { courseId: course.id, at: d('2026-03-02') })
	expect(mar!.total).toEqual({ target: 4, completed: 1, inProgress: 1, notStarted: 2, overdue: 3, rate: 0.25 })
	expect(mar!.rows.map((r) => [r.unit.id, r.target, r.rate])).toEqual([
		[a.id, 4, 0.25],
		[b.id, 0, null],
	])
	// All courses: person × course requirements; the division's own assignment adds three while it is open.
	expect((await getUnitTotal(root.id, { at: d('2026-03-02') }))!.counts).toMatchObject({ target: 7, completed: 1 })
	expect((await getUnitTotal(root.id, { at: d('2026-04-01') }))!.counts).toMatchObject({ target: 4, completed: 1 })
	const breakdown = await getCourseBreakdown(a.id, { at: d('2026-03-02') })
	expect(breakdown!.courses.map((c) => [c.courseId, c.target, c.completed, c.overdue]).sort()).toEqual(
		[
			[course.id, 4, 1, 3],
			[other.id, 3, 0, 0],
		].sort(),
	)
	expect(breakdown!.total).toMatchObject({ target: 7, completed: 1, overdue: 3 })
	// The department's ranking: its division, and the person attached to the department itself.
	const dept = await getChildRows(a.id, { courseId: course.id, at: d('2026-03-02') })
	expect(dept!.rows.map((r) => [r.unit.id, r.direct, r.target, r.completed])).toEqual([
		[a1.id, false, 3, 1],
		[a.id, true, 1, 0],
	])
})

test('the people list: Vietnamese name order, status, due date, last activity, filters', async () => {
	const { root, a1 } = await province('Danh Sách')
	const course = await createCourse()
	const second = await createCourse()
	await assign(course, root, { dueAt: d('2026-03-01') })
	await assign(second, root, { dueAt: d('2026-06-01') })
	const an = await person('Trần Văn An')
	const binh = await person('Nguyễn Thị Bình')
	const anh = await person('Lê Thị Ánh')
	for (const p of [an, binh, anh]) await join(p, a1)
	await certify(an, course.versions[0]!, { issuedAt: d('2026-02-01') })
	await enroll(binh, course.versions[0]!, { startedAt: d('2026-02-10'), lastActivityAt: d('2026-02-11T08:30:00Z') })

	const at = d('2026-03-10')
	const list = (await getUnitPeople(root.id, { courseId: course.id, at }))!
	// By given name first: An, Ánh, Bình.
	expect(list.people.map((p) => [p.fullName, p.status, p.overdue, p.dueAt, p.lastActivityAt])).toEqual([
		['Trần Văn An', 'completed', false, null, d('2026-02-01')],
		['Lê Thị Ánh', 'not_started', true, d('2026-03-01'), null],
		['Nguyễn Thị Bình', 'in_progress', true, d('2026-03-01'), d('2026-02-11T08:30:00Z')],
	])
	expect((await getUnitPeople(root.id, { courseId: course.id, at, filter: 'overdue' }))!.people.map((p) => p.fullName)).toEqual(['Lê Thị Ánh', 'Nguyễn Thị Bình'])
	expect((await getUnitPeople(root.id, { courseId: course.id, at, filter: 'completed' }))!.people.map((p) => p.fullName)).toEqual(['Trần Văn An'])
	// Every course: An has one of two done, so in progress, next due the second course's date.
	const all = (await getUnitPeople(root.id, { at }))!.people
	expect(all.find((p) => p.userId === an.id)).toMatchObject({ status: 'in_progress', required: 2, completed: 1, overdue: false, dueAt: d('2026-06-01'), certificate: null })
	expect(all.find((p) => p.userId === anh.id)).toMatchObject({ status: 'not_started', required: 2, overdueCount: 1, dueAt: d('2026-03-01') })
	// A page is the same slice of the same list, whether its statuses are computed for the page only (no filter) or
	// for everyone (a filter); total counts the whole list.
	for (const courseId of [course.id, undefined]) {
		const whole = (await getUnitPeople(root.id, { courseId, at }))!.people
		for (const [offset, limit] of [[0, 2], [1, 2], [2, 5], [3, 1]] as const) {
			const page = (await getUnitPeople(root.id, { courseId, at, page: { offset, limit } }))!
			expect(page.people).toEqual(whole.slice(offset, offset + limit))
			expect(page.total).toBe(3)
		}
	}
	// A filter decides from the people's counts (one statement for everyone), the rows come from the details (another):
	// the two agree on every person, for one course and all.
	for (const courseId of [course.id, undefined]) {
		const whole = (await getUnitPeople(root.id, { courseId, at }))!.people
		for (const filter of ['completed', 'in_progress', 'not_started'] as const) {
			const kept = (await getUnitPeople(root.id, { courseId, at, filter }))!.people
			expect(kept).toEqual(whole.filter((p) => p.status === filter))
		}
		expect((await getUnitPeople(root.id, { courseId, at, filter: 'overdue' }))!.people).toEqual(whole.filter((p) => p.overdue))
	}
	const overduePage = (await getUnitPeople(root.id, { courseId: course.id, at, filter: 'overdue', page: { offset: 1, limit: 1 } }))!
	expect([overduePage.people.map((p) => p.fullName), overduePage.total]).toEqual([['Nguyễn Thị Bình'], 2])
	expect(await getUnitPeople(999_999)).toBeNull()
})

test('the rollup serves "now" with the live numbers, and a stale rollup is recomputed in the background', async () => {
	const { root, a, a1, b } = await province('Tổng Hợp')
	const course = await createCourse()
	await assign(course, root, { dueAt: d('2026-01-31') })
	await assign(course, a, { dueAt: d('2025-12-31'), audienceTag: 'leader' })
	for (const [i, unit] of [a1, a1, a, b, b].entries()) {
		const p = await person(`Người Tổng Hợp ${i}`)
		await join(p, unit, { tags: i === 0 ? ['leader'] : [] })
		if (i % 2 === 0) await certify(p, course.versions[0]!, { issuedAt: d('2025-11-01') })
	}
	const refreshed = await refreshCompletionRollup()
	expect(refreshed!.rows).toBeGreaterThan(0)
	const at = refreshed!.asOf
	for (const unitId of [root.id, a.id, a1.id]) {
		const fromRollup = await getChildRows(unitId, { courseId: course.id })
		const live = await getChildRows(unitId, { courseId: course.id, at })
		expect(fromRollup!.source).toBe('rollup')
		expect(live!.source).toBe('live')
		expect({ ...fromRollup, source: 'x' }).toEqual({ ...live, source: 'x' })
		const allRollup = await getCourseBreakdown(unitId)
		const allLive = await getCourseBreakdown(unitId, { at })
		expect({ ...allRollup, source: 'x' }).toEqual({ ...allLive, source: 'x' })
	}
	expect((await getChildRows(root.id))!.total).toMatchObject({ target: 5, completed: 3, overdue: 2 })

	// Stale (issue 17 item 8): twelve dashboards at once are all served the last rollup with its time, none computes
	// the tree, and the queue refreshes it once in the background.
	const stale = d('2026-01-01')
	await db.completionRollupState.update({ where: { id: 1 }, data: { asOf: stale } })
	const reads = await Promise.all(Array.from({ length: 12 }, () => getChildRows(root.id)))
	for (const read of reads) expect([read!.source, read!.asOf]).toEqual(['rollup', stale])
	await rollupRefreshSettled()
	const after = (await getChildRows(root.id))!
	expect(after.source).toBe('rollup')
	expect(Date.now() - after.asOf.getTime()).toBeLessThan(60_000)
	expect(after.total).toMatchObject({ target: 5, completed: 3, overdue: 2 })
	const ran = await db.$queryRawUnsafe<Array<{ n: number }>>(
		`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'rollup.refresh' AND state = 'completed' AND output IS NOT NULL`,
	)
	expect(ran[0]!.n).toBe(1)
})

test('a refresh asked for while another ran rechecks freshness after taking the lock and does not run again', async () => {
	const first = (await refreshCompletionRollup())!
	const askedBefore = new Date(first.asOf.getTime() - 1)
	expect(await refreshCompletionRollup(new Date(), { unlessNewerThan: askedBefore })).toBeNull()
	expect((await db.completionRollupState.findUnique({ where: { id: 1 } }))!.asOf).toEqual(first.asOf)
	// Older than asked for: it runs.
	const second = await refreshCompletionRollup(new Date(), { unlessNewerThan: new Date(Date.now() + 1000) })
	expect(second!.asOf.getTime()).toBeGreaterThan(first.asOf.getTime())
})

test('the ranking at a chosen level: each unit two levels down with its own subtree numbers, live and from the rollup', async () => {
	const { root, a, a1, b } = await province('Cấp Xếp Hạng')
	const a2 = await createUnit('Phòng A2 Cấp Xếp Hạng', a, 'division')
	const b1 = await createUnit('Phòng B1 Cấp Xếp Hạng', b, 'division')
	const course = await createCourse()
	await assign(course, root, { dueAt: d('2026-06-30') })
	const people = await Promise.all(['Ngô Văn Một', 'Đỗ Thị Hai', 'Vũ Văn Ba', 'Hồ Thị Bốn', 'Lý Văn Năm'].map(person))
	for (const [p, unit] of [[0, a1], [1, a1], [2, a2], [3, b1], [4, a]] as const) await join(people[p]!, unit)
	// In two divisions of the same department: a row each, once in the total.
	await join(people[0]!, b1)
	for (const p of [0, 2, 3]) await certify(people[p]!, course.versions[0]!, { issuedAt: d('2026-02-01') })

	const at = d('2026-03-01')
	for (const query of [{ courseId: course.id, at }, { at }]) {
		const level = (await getLevelRows(root.id, 2, query))!
		const expected = new Map<number, { target: number; completed: number }>()
		for (const department of [a, b]) {
			for (const row of (await getChildRows(department.id, query))!.rows) if (!row.direct) expected.set(row.unit.id, { target: row.target, completed: row.completed })
		}
		expect(new Map(level.rows.map((r) => [r.unit.id, { target: r.target, completed: r.completed }]))).toEqual(expected)
		expect(level.rows.map((r) => r.unit.id).sort()).toEqual([a1.id, a2.id, b1.id].sort())
		// Ranked: 100% (A2 and B1: 1 of 1, … ) before A1 (1 of 2); Lý Văn Năm, attached to the department itself, is in no row.
		expect(level.rows.at(-1)!.unit.id).toBe(a1.id)
		expect(level.total).toEqual((await getChildRows(root.id, query))!.total)
		expect(level.total.target).toBe(5)
	}
	await refreshCompletionRollup()
	const fromRollup = (await getLevelRows(root.id, 2, { courseId: course.id }))!
	expect(fromRollup.source).toBe('rollup')
	const live = (await getLevelRows(root.id, 2, { courseId: course.id, at: new Date() }))!
	expect(fromRollup.rows.map((r) => [r.unit.id, r.target, r.completed, r.overdue])).toEqual(live.rows.map((r) => [r.unit.id, r.target, r.completed, r.overdue]))
	expect(fromRollup.total).toEqual(live.total)
	// All courses: from the per-unit totals.
	const allRollup = (await getLevelRows(root.id, 2))!
	const allLive = (await getLevelRows(root.id, 2, { at: new Date() }))!
	expect(allRollup.source).toBe('rollup')
	expect(allRollup.rows.map((r) => [r.unit.id, r.target, r.completed, r.overdue])).toEqual(allLive.rows.map((r) => [r.unit.id, r.target, r.completed, r.overdue]))
	expect(allRollup.total).toEqual(allLive.total)
	// Level 1 is the children's ranking; a level below the leaves has no rows.
	expect((await getLevelRows(root.id, 1, { at }))!.rows.map((r) => r.unit.id).sort()).toEqual((await getChildRows(root.id, { at }))!.rows.map((r) => r.unit.id).sort())
	expect((await getLevelRows(root.id, 3, { at }))!.rows).toEqual([])
})

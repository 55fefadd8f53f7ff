// The managers' review of flagged completions (issue 22): decisions, what a withdrawal does to the record, the
// figures and the learner, who may decide (unit scope, and the person rule for a withdrawal), and the audit log.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { countDecidedReviews, countOpenReviews, decideReview, listReviews } from '#app/integrity/reviews.server.ts'
import { completeCourse } from '#app/learning/completion.server.ts'
import { getUnitTotal } from '#app/reports/completion.server.ts'
import { action, loader } from '#app/routes/org.$unitId_.reviews.tsx'
import { assign, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

let n = 0

/** Province › department A › division A1, department B beside; a manager on each department; a course assigned. */
async function world() {
	n++
	const root = await createUnit(`Tỉnh Xem Lại ${n}`)
	const a = await createUnit(`Sở A ${n}`, root)
	const a1 = await createUnit(`Phòng A1 ${n}`, a)
	const b = await createUnit(`Sở B ${n}`, root)
	const course = await createCourse(`xem-lai-${n}`)
	await assign(course, root, { dueAt: new Date(Date.now() + 30 * 86_400_000) })
	const manager = await person(`Trần Quản Lý ${n}`, a, 'MANAGER')
	const managerB = await person(`Lê Quản Lý ${n}`, b, 'MANAGER')
	return { root, a, a1, b, course, version: course.versions[0]!, manager, managerB }
}

async function person(fullName: string, unit: { id: number }, role?: 'MANAGER', email?: string) {
	const user = await db.user.create({ data: { fullName, status: 'ACTIVE', email: email ?? null } })
	await join(user, unit)
	if (role) await db.roleGrant.create({ data: { userId: user.id, orgUnitId: unit.id, role } })
	return user
}

/** A learner who completed the course through the completion path (certificate, outbox), with lessons and a passed attempt, and a review of it. */
async function flagged(w: Awaited<ReturnType<typeof world>>, unit: { id: number }, fullName: string, email: string | null = null) {
	const learner = await person(fullName, unit, undefined, email ?? undefined)
	const at = new Date(Date.now() - 3 * 86_400_000)
	await db.$transaction((tx) => completeCourse(tx, { source: 'ONLINE', courseVersionId: w.version.id, at, userIds: [learner.id], audit: { actorId: learner.id } }))
	const enrollment = await db.enrollment.findUniqueOrThrow({ where: { userId_courseVersionId: { userId: learner.id, courseVersionId: w.version.id } } })
	await db.lessonProgress.createMany({
		data: ['bai-1', 'bai-2'].map((lessonSlug) => ({ enrollmentId: enrollment.id, lessonSlug, startedAt: at, completedAt: at, secondsSpent: 4 })),
	})
	await db.quizAttempt.create({
		data: { enrollmentId: enrollment.id, questionIds: ['q1'], choiceOrder: {}, answers: {}, score: 100, passed: true, startedAt: at, submittedAt: at, idempotencyKey: `k-${learner.id}` },
	})
	const review = await db.completionReview.create({
		data: {
			enrollmentId: enrollment.id,
			userId: learner.id,
			courseVersionId: w.version.id,
			orgUnitId: unit.id,
			completedAt: at,
			signals: ['device', 'speed'],
			evidence: [
				{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 5, course: 'Khoá thử', minutes: 40 } },
				{ signal: 'speed', key: 'integrity.evidence.khong-co-khoa-nay', vars: { seconds: 4 } },
			],
		},
	})
	return { learner, enrollment, review, at }
}

function post(userId: string, unitId: number, form: Record<string, string>) {
	return requestAs(userId, `http://localhost/org/${unitId}/reviews`, { method: 'POST', body: new URLSearchParams(form) })
}

async function act(userId: string, unitId: number, form: Record<string, string>) {
	const response = (await action({ request: await post(userId, unitId, form), params: { unitId: String(unitId) }, context: {} })) as Response
	return { status: response.status, body: (await response.json()) as { notice: string | null; confirm: unknown; result: { error?: Record<string, Array<string>> } | null } }
}

test('the list shows a subtree’s open reviews with person, course, unit and evidence; decided ones under their filter', async () => {
	const w = await world()
	const { review } = await flagged(w, w.a1, 'Nguyễn Văn Một')
	await flagged(w, w.b, 'Phạm Văn Bên')
	const list = await listReviews(w.a)
	expect(list.total).toBe(1)
	expect(list.reviews[0]).toMatchObject({ id: review.id, fullName: 'Nguyễn Văn Một', unitName: w.a1.name, status: 'OPEN', signals: ['device', 'speed'] })
	expect(list.reviews[0]!.evidence).toEqual([
		{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 5, course: 'Khoá thử', minutes: 40 } },
		{ signal: 'speed', key: 'integrity.evidence.khong-co-khoa-nay', vars: { seconds: 4 } },
	])
	expect((await listReviews(w.a, 'DECIDED')).total).toBe(0)
	// The page itself, as the manager of A.
	const page = (await loader({ request: await requestAs(w.manager.id, `http://localhost/org/${w.a.id}/reviews`), params: { unitId: String(w.a.id) }, context: {} })) as Response
	const data = (await page.json()) as { reviews: Array<{ id: string }> }
	expect(data.reviews.map((r) => r.id)).toEqual([review.id])
})

test('"đã xác minh, hợp lệ" keeps the completion, records the decision once and audits it', async () => {
	const w = await world()
	const { review, enrollment, learner } = await flagged(w, w.a1, 'Nguyễn Thị Hợp Lệ')
	const got = await act(w.manager.id, w.a.id, { reviewId: review.id, decision: 'VERIFIED', note: 'Đã hỏi trưởng phòng: máy dùng chung.' })
	expect(got.status).toBe(200)
	expect(got.body.notice).toContain('Nguyễn Thị Hợp Lệ')
	const after = await db.completionReview.findUniqueOrThrow({ where: { id: review.id } })
	expect(after).toMatchObject({ status: 'VERIFIED', decidedById: w.manager.id, decisionNote: 'Đã hỏi trưởng phòng: máy dùng chung.' })
	expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).toMatchObject({ status: 'COMPLETED', withdrawnAt: null })
	expect(await db.certificate.count({ where: { userId: learner.id, revokedAt: null } })).toBe(1)
	const events = await db.auditEvent.findMany({ where: { targetId: learner.id, action: { startsWith: 'completion.' } } })
	expect(events.map((e) => [e.action, e.actorId, e.orgUnitId])).toEqual([['completion.review.verify', w.manager.id, w.a1.id]])
	// A second decision (another tab, another manager) changes nothing.
	const again = await act(w.manager.id, w.a.id, { reviewId: review.id, decision: 'REDO', note: 'Làm lại cho chắc', confirm: 'yes' })
	expect(again.status).toBe(409)
	expect(JSON.stringify(again.body.result)).toContain('đã được quyết định trước đó')
	expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).toMatchObject({ status: 'COMPLETED' })
})

test('"yêu cầu học lại" asks first, then withdraws: enrollment in progress with the reason, lessons reset, attempts voided, certificate revoked, mail queued, figures down, audited', async () => {
	const w = await world()
	const { review, enrollment, learner, at } = await flagged(w, w.a1, 'Hoàng Văn Hộ', `ho${n}@vi.du`)
	const before = (await getUnitTotal(w.a.id, { at: new Date() }))!.counts
	expect(before.completed).toBe(1)
	expect(await countOpenReviews(w.a)).toBe(1)
	expect(await countOpenReviews(w.root, w.course.id)).toBe(1)
	expect(await countOpenReviews(w.b)).toBe(0)
	// Without a reason: refused, nothing changes.
	const bare = await act(w.manager.id, w.a.id, { reviewId: review.id, decision: 'REDO', note: ' ab ' })
	expect(bare.status).toBe(400)
	expect(bare.body.result?.error?.note).toEqual(['integrity.review.error.reason'])
	// The first post only says what will happen.
	const reason = 'Năm tài khoản hoàn thành trên cùng một máy trong 40 phút; đề nghị tự học lại.'
	const asked = await act(w.manager.id, w.a.id, { reviewId: review.id, decision: 'REDO', note: reason })
	expect(asked.body.confirm).toEqual({ reviewId: review.id, reason })
	expect(await db.completionReview.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: 'OPEN' })
	// Confirmed.
	const done = await act(w.manager.id, w.a.id, { reviewId: review.id, decision: 'REDO', note: reason, confirm: 'yes' })
	expect(done.status).toBe(200)
	expect(done.body.notice).toContain('Hoàng Văn Hộ')
	expect(await db.completionReview.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: 'REDO', decisionNote: reason, decidedById: w.manager.id })
	const e = await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })
	expect(e).toMatchObject({ status: 'IN_PROGRESS', completedAt: null, withdrawnReason: reason })
	expect(e.withdrawnAt).toBeInstanceOf(Date)
	expect(await db.lessonProgress.count({ where: { enrollmentId: enrollment.id } })).toBe(0)
	const attempts = await db.quizAttempt.findMany({ where: { enrollmentId: enrollment.id } })
	expect(attempts.every((x) => x.voidedAt !== null)).toBe(true)
	const certificates = await db.certificate.findMany({ where: { userId: learner.id } })
	expect(certificates).toHaveLength(1)
	expect(certificates[0]!.revokedAt).toBeInstanceOf(Date)
	expect(certificates[0]!.revokeReason).toContain(reason)
	const mails = await db.outboxMail.findMany({ where: { to: `ho${n}@vi.du` } })
	expect(mails).toHaveLength(1)
	expect(mails[0]!.kind).toBe(`withdrawal:${enrollment.id}`)
	expect(mails[0]!.text).toContain(reason)
	expect(mails[0]!.text).toContain(`/courses/${w.course.slug}`)
	// Figures: the completion no longer counts; the review is no longer waiting; the period counts it as withdrawn.
	const after = (await getUnitTotal(w.a.id, { at: new Date() }))!.counts
	expect(after.completed).toBe(0)
	expect(await countOpenReviews(w.a)).toBe(0)
	const period = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) }
	expect(await countDecidedReviews(w.a, period)).toEqual({ reviewed: 1, verified: 0, withdrawn: 1 })
	expect(await countDecidedReviews(w.b, period)).toEqual({ reviewed: 0, verified: 0, withdrawn: 0 })
	// Audited: the decision, the withdrawal and the certificate's revocation.
	const actions = (await db.auditEvent.findMany({ where: { actorId: w.manager.id }, orderBy: { at: 'asc' } })).map((x) => x.action)
	expect(actions.sort()).toEqual(['certificate.revoke', 'completion.review.redo', 'completion.withdraw'])
	// The outbox keeps the first completion; completing again clears the withdrawal and is a new event.
	expect(await db.completionEvent.count({ where: { enrollmentId: enrollment.id } })).toBe(1)
	const redone = new Date()
	await db.$transaction((tx) => completeCourse(tx, { source: 'ONLINE', courseVersionId: w.version.id, at: redone, userIds: [learner.id], audit: { actorId: learner.id } }))
	expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).toMatchObject({ status: 'COMPLETED', withdrawnAt: null, withdrawnReason: null, completedAt: redone })
	expect(await db.completionEvent.count({ where: { enrollmentId: enrollment.id } })).toBe(2)
	expect(await db.certificate.count({ where: { userId: learner.id, revokedAt: null } })).toBe(1)
	expect(at < redone).toBe(true)
})

test('a learner without e-mail is withdrawn without a mail', async () => {
	const w = await world()
	const { review, learner } = await flagged(w, w.a1, 'Đinh Văn Không Thư')
	const done = await decideReview(w.a, { reviewId: review.id, decision: 'REDO', note: 'Bài làm giống hệt người bên cạnh.' }, { userId: w.manager.id, grants: await grantsOf(w.manager.id) })
	expect(done).toMatchObject({ ok: true, mailed: false, revoked: [expect.any(String)] })
	expect(await db.outboxMail.count({ where: { kind: { startsWith: 'withdrawal:' }, text: { contains: learner.fullName } } })).toBe(0)
})

async function grantsOf(userId: string) {
	const grants = await db.roleGrant.findMany({ where: { userId }, select: { role: true, orgUnitId: true, orgUnit: { select: { path: true } } } })
	return grants.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId, path: g.orgUnit.path }))
}

test('scope: a sibling unit’s review is not found from another unit’s page, and the other unit’s page is forbidden', async () => {
	const w = await world()
	const inB = await flagged(w, w.b, 'Vũ Văn Bên Cạnh')
	// Manager of A, on A's page, with B's review id: not found, nothing changes.
	const foreign = await act(w.manager.id, w.a.id, { reviewId: inB.review.id, decision: 'VERIFIED', note: '' })
	expect(foreign.status).toBe(404)
	// Manager of A on B's page: forbidden by the unit's scope.
	await expect(action({ request: await post(w.manager.id, w.b.id, { reviewId: inB.review.id, decision: 'VERIFIED' }), params: { unitId: String(w.b.id) }, context: {} })).rejects.toMatchObject({
		status: 403,
	})
	// Manager of B below nothing of A: A's review from B's page is not found either.
	const inA = await flagged(w, w.a1, 'Đặng Thị Trong')
	expect((await act(w.managerB.id, w.b.id, { reviewId: inA.review.id, decision: 'VERIFIED' })).status).toBe(404)
	expect(await db.completionReview.count({ where: { id: { in: [inA.review.id, inB.review.id] }, status: 'OPEN' } })).toBe(2)
})

test('scope: a person who also belongs outside the manager’s scope cannot be withdrawn by them (Vietnamese reason); the manager over both can', async () => {
	const w = await world()
	const { review, learner, enrollment } = await flagged(w, w.a1, 'Lâm Văn Hai Nơi')
	await join(learner, w.b)
	const refused = await act(w.manager.id, w.a.id, { reviewId: review.id, decision: 'REDO', note: 'Nghi học hộ, đề nghị học lại.', confirm: 'yes' })
	expect(refused.status).toBe(403)
	expect(JSON.stringify(refused.body.result)).toContain('Người này còn là thành viên của đơn vị ngoài phạm vi của bạn')
	expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).toMatchObject({ status: 'COMPLETED' })
	expect(await db.completionReview.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: 'OPEN' })
	// The province's manager covers both memberships.
	const top = await person(`Tỉnh Quản Lý ${n}`, w.root, 'MANAGER')
	const done = await act(top.id, w.root.id, { reviewId: review.id, decision: 'REDO', note: 'Nghi học hộ, đề nghị học lại.', confirm: 'yes' })
	expect(done.status).toBe(200)
	expect(await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).toMatchObject({ status: 'IN_PROGRESS' })
})

test('nobody decides on their own completion, and a peer manager’s completion is for the level above', async () => {
	const w = await world()
	const own = await flagged(w, w.a, 'Tự Mình')
	await db.roleGrant.create({ data: { userId: own.learner.id, orgUnitId: w.a.id, role: 'MANAGER' } })
	const self = await act(own.learner.id, w.a.id, { reviewId: own.review.id, decision: 'VERIFIED' })
	expect(self.status).toBe(403)
	expect(JSON.stringify(self.body.result)).toContain('chính mình')
	// The other manager of A may not withdraw a peer's completion…
	const peer = await act(w.manager.id, w.a.id, { reviewId: own.review.id, decision: 'REDO', note: 'Đề nghị học lại khoá này.', confirm: 'yes' })
	expect(peer.status).toBe(403)
	expect(JSON.stringify(peer.body.result)).toContain('ngang hoặc cao hơn bạn')
	// …but may find it valid.
	expect((await act(w.manager.id, w.a.id, { reviewId: own.review.id, decision: 'VERIFIED' })).status).toBe(200)
})

test('a completion no longer the one reviewed is not withdrawn and the review stays open', async () => {
	const w = await world()
	const { review, enrollment } = await flagged(w, w.a1, 'Mai Văn Đã Đổi')
	await db.enrollment.update({ where: { id: enrollment.id }, data: { status: 'IN_PROGRESS', completedAt: null } })
	const got = await act(w.manager.id, w.a.id, { reviewId: review.id, decision: 'REDO', note: 'Đề nghị học lại khoá này.', confirm: 'yes' })
	expect(got.status).toBe(409)
	expect(await db.completionReview.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: 'OPEN', decidedAt: null })
	expect(await db.auditEvent.count({ where: { targetId: review.userId, action: { startsWith: 'completion.' } } })).toBe(0)
})

test('a scan now: asked by an administrator of the whole tree, refused to a department’s manager', async () => {
	const w = await world()
	const refused = await act(w.manager.id, w.a.id, { intent: 'scan' })
	expect(refused.status).toBe(403)
	expect(JSON.stringify(refused.body.result)).toContain('Chỉ quản trị viên của cả cây tổ chức')
	const admin = await db.user.create({ data: { fullName: 'Quản Trị Tỉnh', status: 'ACTIVE' } })
	await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: w.root.id, role: 'ADMIN' } })
	const asked = await act(admin.id, w.a.id, { intent: 'scan' })
	expect(asked.status).toBe(200)
	expect(asked.body.notice).toContain('Đã yêu cầu quét lại')
	const { jobsSettled } = await import('#app/jobs/queue.server.ts')
	await jobsSettled('integrity.scan', { timeoutMs: 60_000 })
	expect(await db.integrityScanState.findUnique({ where: { id: 1 } })).not.toBeNull()
})

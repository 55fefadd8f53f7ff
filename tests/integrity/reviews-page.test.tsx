// @vitest-environment jsdom
// The page "Hoàn thành cần xem lại" as a browser without JavaScript gets it after a post: a refusal whose review has
// no decision form on the page is said above the list with the reason typed; one's own flagged completion has no form.
import { createRemixStub } from '@remix-run/testing'
import { renderToString } from 'react-dom/server'
import { expect, test, vi as vitest } from 'vitest'
import { db } from '#app/db.server.ts'
import ReviewsPage, { action, loader } from '#app/routes/org.$unitId_.reviews.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { createCourse, enroll, join } from '#tests/factories/learning.ts'
import { createUnit, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

let n = 0

async function person(fullName: string, unit: { id: number }, role?: 'MANAGER') {
	const user = await db.user.create({ data: { fullName, status: 'ACTIVE' } })
	await join(user, unit)
	if (role) await db.roleGrant.create({ data: { userId: user.id, orgUnitId: unit.id, role } })
	return user
}

async function world() {
	n++
	const unit = await createUnit(`Sở Trang Xem Lại ${n}`)
	const course = await createCourse(`trang-xem-lai-${n}`)
	const manager = await person(`Trần Quản Lý ${n}`, unit, 'MANAGER')
	return { unit, version: course.versions[0]!, manager }
}

async function flagged(w: Awaited<ReturnType<typeof world>>, learner: { id: string }) {
	const completedAt = new Date(Date.now() - 86_400_000)
	const enrollment = await enroll(learner, w.version, { startedAt: new Date(completedAt.getTime() - 3_600_000), completedAt })
	return db.completionReview.create({
		data: {
			enrollmentId: enrollment.id,
			userId: learner.id,
			courseVersionId: w.version.id,
			orgUnitId: w.unit.id,
			completedAt,
			signals: ['burst'],
			evidence: [{ signal: 'burst', key: 'integrity.evidence.burst', vars: { count: 12, minutes: 8 } }],
		},
	})
}

/** The page after a post (the action's answer, then the loader as the browser's next render sees it). */
async function pageAfter(userId: string, unitId: number, form: Record<string, string>) {
	const url = `http://localhost/org/${unitId}/reviews`
	const params = { unitId: String(unitId) }
	const posted = (await action({ request: await requestAs(userId, url, { method: 'POST', body: new URLSearchParams(form) }), params, context: {} })) as Response
	const actionData = await posted.json()
	const loaderData = await ((await loader({ request: await requestAs(userId, url), params, context: {} })) as Response).json()
	return { status: posted.status, doc: render(unitId, loaderData, actionData) }
}

async function pageOf(userId: string, unitId: number) {
	const url = `http://localhost/org/${unitId}/reviews`
	const loaderData = await ((await loader({ request: await requestAs(userId, url), params: { unitId: String(unitId) }, context: {} })) as Response).json()
	return render(unitId, loaderData)
}

function render(unitId: number, loaderData: object, actionData?: object) {
	const root = { lang: 'vi', messages: viAdmin }
	const path = `/org/${unitId}/reviews`
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'page', path, Component: ReviewsPage, loader: () => loaderData }] }])
	// React warns that the router's layout effects do nothing on the server: that is the point here.
	const quiet = vitest.spyOn(console, 'error').mockImplementation((message: unknown) => {
		if (!String(message).includes('useLayoutEffect')) process.stderr.write(`${String(message)}\n`)
	})
	const html = renderToString(
		<Stub initialEntries={[path]} hydrationData={{ loaderData: { root, page: loaderData }, ...(actionData ? { actionData: { page: actionData } } : {}) }} />,
	)
	quiet.mockRestore()
	return new DOMParser().parseFromString(html, 'text/html')
}

const alerts = (doc: Document) => [...doc.querySelectorAll('[role="alert"]')].map((a) => a.textContent ?? '')

test('a review decided by someone else meanwhile: the refusal and the reason typed are said above the list', async () => {
	const w = await world()
	const learner = await person('Nguyễn Văn Đã Xong', w.unit)
	const review = await flagged(w, learner)
	await db.completionReview.update({ where: { id: review.id }, data: { status: 'VERIFIED', decidedAt: new Date(), decidedById: w.manager.id } })
	const reason = 'Đã gọi điện cho trưởng phòng, máy dùng chung cả phòng.'
	const { status, doc } = await pageAfter(w.manager.id, w.unit.id, { reviewId: review.id, decision: 'VERIFIED', note: reason })
	expect(status).toBe(409)
	expect(doc.getElementById(`review-${review.id}`)).toBeNull()
	expect(alerts(doc)).toEqual([`Lượt hoàn thành này đã được quyết định trước đó; chưa có gì thay đổi.Lý do bạn đã nhập (chưa được lưu): «${reason}»`])
	// The alert comes before the list's filter, where the manager is looking after the post.
	const alert = doc.querySelector('[role="alert"]')!
	expect(alert.compareDocumentPosition(doc.querySelector('form[method="get"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
})

test('an unknown or malformed review, and a redo to confirm whose review is gone, are refused above the list', async () => {
	const w = await world()
	const learner = await person('Lê Thị Còn Chờ', w.unit)
	const review = await flagged(w, learner)
	const unknown = await pageAfter(w.manager.id, w.unit.id, { reviewId: 'khong-co-lan-nay', decision: 'VERIFIED', note: 'Ghi chú thử' })
	expect(unknown.status).toBe(404)
	expect(alerts(unknown.doc)).toEqual(['Không tìm thấy lượt hoàn thành này trong phạm vi của bạn.Lý do bạn đã nhập (chưa được lưu): «Ghi chú thử»'])
	const long = await pageAfter(w.manager.id, w.unit.id, { reviewId: 'x'.repeat(41), decision: 'VERIFIED' })
	expect(long.status).toBe(400)
	expect(alerts(long.doc)).toEqual(['Không rõ lượt hoàn thành nào được quyết định; hãy tải lại trang.'])
	// A forged decision on a review that is on the page: said in that review's form.
	const forged = await pageAfter(w.manager.id, w.unit.id, { reviewId: review.id, decision: 'MAYBE' })
	expect(forged.status).toBe(400)
	expect(alerts(forged.doc)).toEqual(['Vui lòng chọn «Đã xác minh, hợp lệ» hoặc «Yêu cầu học lại».'])
	expect(forged.doc.querySelector(`#review-${review.id} [role="alert"]`)?.id).toBe(`review-${review.id}-errors`)
	// The first post of a redo, for a review decided by then: no confirmation of a review not shown, but a refusal.
	await db.completionReview.update({ where: { id: review.id }, data: { status: 'VERIFIED', decidedAt: new Date(), decidedById: w.manager.id } })
	const gone = await pageAfter(w.manager.id, w.unit.id, { reviewId: review.id, decision: 'REDO', note: 'Học quá nhanh, đề nghị học lại.' })
	expect(alerts(gone.doc)).toEqual([
		'Lượt hoàn thành này không còn chờ quyết định trong danh sách đang hiển thị (có thể người khác đã quyết định); chưa có gì thay đổi.Lý do bạn đã nhập (chưa được lưu): «Học quá nhanh, đề nghị học lại.»',
	])
})

test('a manager’s own flagged completion is listed without a decision form, saying another manager decides it', async () => {
	const w = await world()
	const other = await flagged(w, await person('Phan Văn Khác', w.unit))
	const own = await flagged(w, w.manager)
	const doc = await pageOf(w.manager.id, w.unit.id)
	const row = doc.getElementById(`review-${own.id}`)!
	expect(row.querySelector('form')).toBeNull()
	expect(row.textContent).toContain('Đây là lượt hoàn thành của chính bạn: một người quản lý khác phải quyết định.')
	expect(doc.getElementById(`review-${other.id}`)!.querySelector('form[method="post"] button[value="VERIFIED"]')).not.toBeNull()
	// Another manager of the unit gets the form for it.
	const peer = await person(`Lê Quản Lý Khác ${n}`, w.unit, 'MANAGER')
	expect((await pageOf(peer.id, w.unit.id)).getElementById(`review-${own.id}`)!.querySelector('form[method="post"]')).not.toBeNull()
})

test('the one-browser evidence names the courses passed there, sorted and listed the Vietnamese way', async () => {
	const w = await world()
	const review = await flagged(w, await person('Hồ Văn Máy Chung', w.unit))
	const courses = ['Phòng, chống tham nhũng', 'Bảo vệ bí mật nhà nước', 'An toàn thông tin']
	await db.completionReview.update({
		where: { id: review.id },
		data: { signals: ['device'], evidence: [{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 4, minutes: 35, courses } }] },
	})
	const doc = await pageOf(w.manager.id, w.unit.id)
	expect(doc.querySelector(`#review-${review.id} ul`)?.textContent).toBe(
		'Nhiều người trên cùng một trình duyệt: 4 tài khoản hoàn thành khoá «An toàn thông tin», «Bảo vệ bí mật nhà nước» và «Phòng, chống tham nhũng» trên cùng một trình duyệt trong 35 phút',
	)
	// Evidence written before the courses were named says what it has rather than a placeholder.
	await db.completionReview.update({ where: { id: review.id }, data: { evidence: [{ signal: 'device', key: 'integrity.evidence.device', vars: { accounts: 4, minutes: 35 } }] } })
	const before = (await pageOf(w.manager.id, w.unit.id)).querySelector(`#review-${review.id} ul`)?.textContent
	expect(before).not.toContain('{')
	expect(before).toContain('4')
})

test('on a narrow screen each review is a card whose cells say what they are (the header row is for wide screens)', async () => {
	const w = await world()
	const review = await flagged(w, await person('Võ Thị Điện Thoại', w.unit))
	const doc = await pageOf(w.manager.id, w.unit.id)
	const table = doc.querySelector('table')!
	// Measured in Chromium at 360 px: as a six-column table the evidence got 93 px (a few letters a line); as a card, 302 px.
	expect(table.className.split(' ')).toEqual(expect.arrayContaining(['max-lg:block', 'max-lg:[&>thead]:sr-only', 'max-lg:[&>tbody]:block']))
	const row = doc.getElementById(`review-${review.id}`)!
	expect(row.className.split(' ')).toEqual(expect.arrayContaining(['max-lg:block', 'max-lg:[&>td]:block']))
	const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent)
	const labels = [...row.querySelectorAll('td')].map((td) => td.querySelector('.lg\\:hidden')?.textContent?.replace(/: $/, ''))
	expect(labels).toEqual(heads.slice(1))
	expect(row.querySelector('th')?.textContent).toBe('Võ Thị Điện Thoại')
})

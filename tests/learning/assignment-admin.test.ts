// Editing and closing assignments: the rule's due date, recurrence and audience change in one audited
// transaction, the preview counts the roster, and a manager reaches only the rules of their own subtree.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { closeAssignment, createAssignment, requiredCoursesFor, updateAssignment } from '#app/learning/assignments.server.ts'
import * as editRoute from '#app/routes/org.$unitId_.assignments_.$assignmentId.tsx'
import * as listRoute from '#app/routes/org.$unitId_.assignments.tsx'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs, status } from '#tests/setup/routes.ts'

useTestDb()
useFixtureCourses()

const t = translator('vi')


const post = (userId: string, fields: Record<string, string>) => postAs(userId, fields)

/** A province with two departments; department A has a division with three counted people, one tagged. */
async function setup() {
	const province = await createUnit('Tỉnh Giao')
	const a = await createUnit('Sở A', province)
	const b = await createUnit('Sở B', province)
	const aDiv = await createUnit('Phòng A1', a, 'division')
	const managerA = await createUser({ unitId: a.id, role: 'MANAGER' })
	const managerB = await createUser({ unitId: b.id, role: 'MANAGER' })
	const admin = await createUser({ unitId: province.id, role: 'ADMIN' })
	for (const [name, tags] of [['Người Mạng Xã Hội', ['social-media']], ['Người Thường', []]] as const) {
		const user = await db.user.create({ data: { fullName: name } })
		await db.membership.create({ data: { userId: user.id, orgUnitId: aDiv.id, tags: [...tags] } })
	}
	const due = new Date('2027-06-30T16:59:59Z')
	const ofA = await createAssignment({ courseSlug: 'mau', dueAt: due }, a, managerA.id, await requestAs(null))
	const ofProvince = await createAssignment({ courseSlug: 'mau', dueAt: due }, province, admin.id, await requestAs(null))
	return { province, a, b, aDiv, managerA, managerB, admin, ofA, ofProvince, due }
}

test('updating an assignment changes its tag, due date and recurrence with one audit row holding before and after', async () => {
	const { a, b, managerA, ofA, due } = await setup()
	const newDue = new Date('2027-12-31T16:59:59Z')
	const change = { audienceTag: 'social-media', dueAt: newDue, recurrenceMonths: 12 }
	expect(await updateAssignment(ofA.id, change, b, managerA.id)).toBe('not-found')
	expect(await updateAssignment(ofA.id, change, a, managerA.id)).toBe('updated')
	expect(await db.assignment.findUniqueOrThrow({ where: { id: ofA.id } })).toMatchObject(change)
	const audits = await db.auditEvent.findMany({ where: { action: 'assignment.update', targetId: ofA.id } })
	expect(audits).toHaveLength(1)
	expect(audits[0]!.details).toEqual({
		course: 'mau',
		changed: ['audienceTag', 'dueAt', 'recurrenceMonths'],
		from: { tag: null, dueAt: due.toISOString(), recurrenceMonths: null },
		to: { tag: 'social-media', dueAt: newDue.toISOString(), recurrenceMonths: 12 },
	})
	// The same values again change nothing and write no audit row.
	expect(await updateAssignment(ofA.id, { ...change, dueAt: new Date(newDue) }, a, managerA.id)).toBe('unchanged')
	expect(await db.auditEvent.count({ where: { action: 'assignment.update', targetId: ofA.id } })).toBe(1)
	// Closed rules are history: no more edits.
	expect(await closeAssignment(ofA.id, a, managerA.id, await requestAs(null))).toBe(true)
	expect(await updateAssignment(ofA.id, { ...change, recurrenceMonths: null }, a, managerA.id)).toBe('closed')
	expect((await db.assignment.findUniqueOrThrow({ where: { id: ofA.id } })).recurrenceMonths).toBe(12)
})

test('the edit page previews the new audience, saves with POST → redirect, and refuses bad input in Vietnamese', async () => {
	const { a, managerA, ofA, due } = await setup()
	const params = { unitId: String(a.id), assignmentId: ofA.id }
	const page = await (await editRoute.loader(routeArgs(await requestAs(managerA.id), params))).json()
	expect(page.assignment).toMatchObject({ courseTitle: 'Khoá học mẫu', due: '2027-06-30', audienceTag: null, recurrenceMonths: null, required: 3, closedAt: null })

	// Preview: only the tagged person would have to take it; nothing is written.
	const preview = await editRoute.action(routeArgs(await post(managerA.id, { intent: 'preview', audienceTag: 'social-media', dueAt: '2027-09-30', recurrenceMonths: '' }), params))
	expect(await (preview as Response).json()).toMatchObject({ preview: 1 })
	expect((await db.assignment.findUniqueOrThrow({ where: { id: ofA.id } })).audienceTag).toBeNull()

	// Bad input: each field says what is wrong and nothing changes.
	const bad = (await editRoute.action(routeArgs(await post(managerA.id, { intent: 'update', audienceTag: 'Không Hợp Lệ', dueAt: '2027-02-30', recurrenceMonths: '0' }), params))) as Response
	expect(bad.status).toBe(400)
	const errors = ((await bad.json()) as { result: { error: Record<string, Array<string>> } }).result.error
	expect(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.map((key) => t(key as Parameters<typeof t>[0]))]))).toEqual({
		audienceTag: ['Nhóm đối tượng không hợp lệ.'],
		dueAt: ['Vui lòng nhập hạn hoàn thành hợp lệ (ngày/tháng/năm).'],
		recurrenceMonths: ['Chu kỳ lặp lại phải là số tháng từ 1 đến 60.'],
	})
	expect(await db.assignment.findUniqueOrThrow({ where: { id: ofA.id } })).toMatchObject({ audienceTag: null, dueAt: due, recurrenceMonths: null })

	// Save: a plain form post answered with a redirect to the list, which says what happened.
	const saved = (await editRoute.action(routeArgs(await post(managerA.id, { intent: 'update', audienceTag: 'social-media', dueAt: '2027-09-30', recurrenceMonths: '6' }), params))) as Response
	expect(saved.status).toBe(303)
	expect(saved.headers.get('Location')).toBe(`/org/${a.id}/assignments?done=updated`)
	expect(await db.assignment.findUniqueOrThrow({ where: { id: ofA.id } })).toMatchObject({
		audienceTag: 'social-media',
		dueAt: new Date('2027-09-30T16:59:59Z'),
		recurrenceMonths: 6,
	})
	expect(await db.auditEvent.count({ where: { action: 'assignment.update', targetId: ofA.id, actorId: managerA.id } })).toBe(1)
	const list = await (await listRoute.loader(routeArgs(await requestAs(managerA.id, `http://localhost/org/${a.id}/assignments?done=updated`), { unitId: String(a.id) }))).json()
	expect(t(list.done!)).toBe('Đã lưu thay đổi việc giao khoá học.')
	expect(list.assignments.find((x: { id: string }) => x.id === ofA.id)).toMatchObject({ audienceTag: 'social-media', required: 1, recurrenceMonths: 6 })
	// An unknown word in the query string shows nothing.
	expect((await (await listRoute.loader(routeArgs(await requestAs(managerA.id, 'http://localhost/?done=<b>'), { unitId: String(a.id) }))).json()).done).toBeNull()
})

test('closing from the edit page ends the requirement, is audited, and a closed rule can no longer be edited', async () => {
	const { a, aDiv, managerA, ofA, ofProvince } = await setup()
	const params = { unitId: String(a.id), assignmentId: ofA.id }
	const learner = await db.membership.findFirstOrThrow({ where: { orgUnitId: aDiv.id, tags: { isEmpty: true } } })
	const before = (await requiredCoursesFor(learner.userId)).get('mau')
	expect(before).toBeDefined()
	const closed = (await editRoute.action(routeArgs(await post(managerA.id, { intent: 'close' }), params))) as Response
	expect(closed.status).toBe(303)
	expect(closed.headers.get('Location')).toBe(`/org/${a.id}/assignments?done=closed`)
	expect((await db.assignment.findUniqueOrThrow({ where: { id: ofA.id } })).closedAt).not.toBeNull()
	expect(await db.auditEvent.count({ where: { action: 'assignment.close', targetId: ofA.id } })).toBe(1)
	// The province's own rule still covers the learner, with its own due date.
	expect((await requiredCoursesFor(learner.userId)).get('mau')).toEqual(before)
	await db.assignment.update({ where: { id: ofProvince.id }, data: { closedAt: new Date() } })
	expect((await requiredCoursesFor(learner.userId)).has('mau')).toBe(false)

	// Closing twice, or editing afterwards, is refused with a sentence; nothing else is written.
	const again = (await editRoute.action(routeArgs(await post(managerA.id, { intent: 'close' }), params))) as Response
	expect(again.status).toBe(409)
	expect(await again.json()).toMatchObject({ error: 'Việc giao khoá học này đã được đóng trước đó.' })
	const edit = (await editRoute.action(routeArgs(await post(managerA.id, { intent: 'update', audienceTag: '', dueAt: '2028-01-31', recurrenceMonths: '' }), params))) as Response
	expect(edit.status).toBe(409)
	expect(await db.auditEvent.count({ where: { action: { in: ['assignment.close', 'assignment.update'] }, targetId: ofA.id } })).toBe(1)
	const page = await (await editRoute.loader(routeArgs(await requestAs(managerA.id), params))).json()
	expect(page.assignment.closedAt).not.toBeNull()
})

test('a manager of unit B can neither see, edit nor close unit A’s assignment; nor a parent’s rule they only inherit', async () => {
	const { a, b, aDiv, managerA, managerB, admin, ofA, ofProvince, due } = await setup()
	const update = { intent: 'update', audienceTag: '', dueAt: '2030-01-01', recurrenceMonths: '1' }
	// Through unit A's pages: B's manager holds no grant there.
	expect(await status(async () => editRoute.loader(routeArgs(await requestAs(managerB.id), { unitId: String(a.id), assignmentId: ofA.id })))).toBe(403)
	expect(await status(async () => editRoute.action(routeArgs(await post(managerB.id, update), { unitId: String(a.id), assignmentId: ofA.id })))).toBe(403)
	// Through their own unit's pages with A's assignment id: still 403, and nothing changes.
	expect(await status(async () => editRoute.loader(routeArgs(await requestAs(managerB.id), { unitId: String(b.id), assignmentId: ofA.id })))).toBe(403)
	expect(await status(async () => editRoute.action(routeArgs(await post(managerB.id, update), { unitId: String(b.id), assignmentId: ofA.id })))).toBe(403)
	expect(await status(async () => editRoute.action(routeArgs(await post(managerB.id, { intent: 'close' }), { unitId: String(b.id), assignmentId: ofA.id })))).toBe(403)
	expect(await status(async () => listRoute.action(routeArgs(await post(managerB.id, { intent: 'close', assignmentId: ofA.id }), { unitId: String(b.id) })))).toBe(403)
	// A's manager sees the province's rule as inherited but cannot change it.
	expect(await status(async () => editRoute.action(routeArgs(await post(managerA.id, update), { unitId: String(a.id), assignmentId: ofProvince.id })))).toBe(403)
	expect(await status(async () => listRoute.action(routeArgs(await post(managerA.id, { intent: 'close', assignmentId: ofProvince.id }), { unitId: String(a.id) })))).toBe(403)
	// Unknown or malformed ids, or a rule of the subtree asked for from a page below it: 404.
	expect(await status(async () => editRoute.loader(routeArgs(await requestAs(managerA.id), { unitId: String(a.id), assignmentId: 'cxxxxxxxxxxxxxxxxxxxxxxxx' })))).toBe(404)
	expect(await status(async () => editRoute.loader(routeArgs(await requestAs(managerA.id), { unitId: String(a.id), assignmentId: "1' OR 1=1" })))).toBe(404)
	expect(await status(async () => editRoute.loader(routeArgs(await requestAs(managerA.id), { unitId: String(aDiv.id), assignmentId: ofA.id })))).toBe(404)
	for (const id of [ofA.id, ofProvince.id]) {
		expect(await db.assignment.findUniqueOrThrow({ where: { id } })).toMatchObject({ closedAt: null, dueAt: due, recurrenceMonths: null, audienceTag: null })
	}
	expect(await db.auditEvent.count({ where: { action: { in: ['assignment.update', 'assignment.close'] }, targetId: { in: [ofA.id, ofProvince.id] } } })).toBe(0)
	// The province admin's grant covers A: they may close A's rule from A's page.
	const own = (await listRoute.action(routeArgs(await post(admin.id, { intent: 'close', assignmentId: ofA.id }), { unitId: String(a.id) }))) as Response
	expect(own.status).toBe(303)
	expect(await db.auditEvent.count({ where: { action: 'assignment.close', targetId: ofA.id, actorId: admin.id } })).toBe(1)
})

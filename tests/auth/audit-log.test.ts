// The audit page as people read it (issue 18 item 12): a sentence per event with names and links instead of internal
// keys, filters (who, action, unit, dates), pages of 50, and an XLSX with the same filters that is itself audited;
// what a viewer may see is still decided by listAuditEvents.
import ExcelJS from 'exceljs'
import { beforeAll, expect, test } from 'vitest'
import { audit } from '#app/auth/audit.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { loader as auditLoader } from '#app/routes/admin.audit.tsx'
import { loader as xlsxLoader } from '#app/routes/admin.audit[.]xlsx.ts'
import { assign, certify, createCourse } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

let w: Awaited<ReturnType<typeof setUp>>

async function setUp() {
	const root = await createUnit('Tỉnh Minh Sơn')
	const culture = await createUnit('Sở Văn hóa, Thể thao và Du lịch', root)
	const health = await createUnit('Sở Y tế', root)
	const admin = await createUser({ fullName: 'Hoàng Minh Tuấn', username: 'tuan.hm', unitId: root.id, role: 'ADMIN' })
	const manager = await createUser({ fullName: 'Lê Thị Hoa', username: 'hoa.lt', unitId: culture.id, role: 'MANAGER' })
	const learner = await createUser({ fullName: 'Nguyễn Văn Bình', unitId: culture.id })
	const course = await createCourse('an-toan-tren-mang')
	const assignment = await assign(course, culture, { dueAt: new Date('2026-06-30T00:00:00Z'), createdById: manager.id })
	const certificate = await certify(learner, course.versions[0]!, { issuedAt: new Date('2026-03-01T03:00:00Z') })
	await db.certificate.update({ where: { id: certificate.id }, data: { orgUnitId: culture.id, holderName: 'Nguyễn Văn Bình', courseTitle: 'An toàn trên mạng' } })
	const at = (iso: string) => ({ at: new Date(iso) })
	const event = async (input: Parameters<typeof audit>[0], when: string) => {
		await audit(input)
		const last = await db.auditEvent.findFirst({ orderBy: { at: 'desc' } })
		await db.auditEvent.update({ where: { id: last!.id }, data: at(when) })
	}
	await event({ actorId: manager.id, action: 'reminder.queue', targetType: 'OrgUnit', targetId: culture.id, orgUnitId: culture.id, details: { course: 'an-toan-tren-mang', queued: 12 } }, '2026-03-02T02:00:00Z')
	await event({ actorId: manager.id, action: 'assignment.create', targetType: 'Assignment', targetId: assignment.id, orgUnitId: culture.id, details: { course: 'an-toan-tren-mang' } }, '2026-03-03T02:00:00Z')
	await event({ actorId: admin.id, action: 'certificate.revoke', targetType: 'Certificate', targetId: certificate.serial, orgUnitId: culture.id }, '2026-03-04T17:30:00Z')
	await event({ actorId: admin.id, action: 'orgunit.rename', targetType: 'OrgUnit', targetId: health.id, orgUnitId: health.id, details: { from: 'Sở Y', to: 'Sở Y tế' } }, '2026-03-10T02:00:00Z')
	// Sixty routine events in Sở Y tế for paging.
	await db.auditEvent.createMany({
		data: Array.from({ length: 60 }, (_, i) => ({ actorId: admin.id, action: 'orgunit.targets', targetType: 'OrgUnit', targetId: String(health.id), orgUnitId: health.id, at: new Date(Date.UTC(2026, 1, 1, 0, i)) })),
	})
	return { root, culture, health, admin, manager, certificate, assignment }
}

useTestDb()
beforeAll(async () => {
	w = await setUp()
})

type Page = {
	events: Array<{ action: string; actionLabel: string; sentence: Array<{ text: string; href?: string }> }>
	total: number
	page: number
	pages: number
	errors: Array<string>
	units: Array<{ id: number; name: string }>
}

async function page(userId: string, search = '', lang: 'vi' | 'en' = 'vi') {
	const request = await requestAs(userId, `http://localhost/admin/audit${search}`)
	request.headers.append('Cookie', `vms_lang=${lang}`)
	return (await (await auditLoader({ request, params: {}, context: {} })).json()) as Page
}

const text = (e: Page['events'][number]) => e.sentence.map((s) => s.text).join('')
// The course's title as its content files give it (the sentence names the course, never its slug).
const title = () => getCourse('an-toan-tren-mang')!.meta.title

test('each event is a Vietnamese sentence with names and links, no internal key or id', async () => {
	const p = await page(w.admin.id, '?action=reminder.queue')
	expect(p.events).toHaveLength(1)
	expect(text(p.events[0]!)).toBe(`Lê Thị Hoa đã gửi thư nhắc khoá ${title()} cho 12 người quá hạn của Sở Văn hóa, Thể thao và Du lịch.`)
	expect(p.events[0]!.sentence).toContainEqual({ text: 'Sở Văn hóa, Thể thao và Du lịch', href: `/org/${w.culture.id}` })
	expect(p.events[0]!.actionLabel).toBe('Gửi thư nhắc học')
	const all = await page(w.admin.id, '?to=2026-03-31&from=2026-03-01')
	const joined = all.events.map(text).join('\n')
	expect(joined).not.toMatch(/reminder\.queue|OrgUnit|Assignment c|Certificate /)
	expect(joined).toContain(`Hoàng Minh Tuấn đã thu hồi chứng nhận ${w.certificate.serial} khoá «An toàn trên mạng» của Nguyễn Văn Bình.`)
	const revoke = all.events.find((e) => e.action === 'certificate.revoke')!
	expect(revoke.sentence).toContainEqual({ text: w.certificate.serial, href: `/certificates/${w.certificate.serial}` })
	const assignment = all.events.find((e) => e.action === 'assignment.create')!
	expect(text(assignment)).toBe(`Lê Thị Hoa đã giao khoá học ${title()} cho Sở Văn hóa, Thể thao và Du lịch.`)
	expect(assignment.sentence).toContainEqual({ text: title(), href: '/courses/an-toan-tren-mang' })
	expect(text(all.events.find((e) => e.action === 'orgunit.rename')!)).toBe('Hoàng Minh Tuấn đã đổi tên đơn vị Sở Y tế (từ «Sở Y» thành «Sở Y tế»).')
	const en = await page(w.admin.id, '?action=reminder.queue', 'en')
	expect(text(en.events[0]!)).toBe(`Lê Thị Hoa sent reminders about ${title()} to 12 overdue people of Sở Văn hóa, Thể thao và Du lịch.`)
})

test('filters: who (name without accents), action, unit subtree and dates in Vietnam time', async () => {
	expect((await page(w.admin.id, '?actor=le%20thi%20hoa')).events.map((e) => e.action).sort()).toEqual(['assignment.create', 'reminder.queue'])
	expect((await page(w.admin.id, '?actor=hoa.lt&action=assignment.create')).total).toBe(1)
	expect((await page(w.admin.id, '?actor=kh%C3%B4ng%20c%C3%B3%20ai')).total).toBe(0)
	expect((await page(w.admin.id, `?unit=${w.culture.id}`)).events.map((e) => e.action).sort()).toEqual(['assignment.create', 'certificate.revoke', 'reminder.queue'])
	// 17:30 UTC on 4 March is 5 March in Vietnam.
	expect((await page(w.admin.id, '?from=2026-03-05&to=2026-03-05')).events.map((e) => e.action)).toEqual(['certificate.revoke'])
	expect((await page(w.admin.id, '?from=05/03/2026&to=05/03/2026')).events.map((e) => e.action)).toEqual(['certificate.revoke'])
})

test('bad filters get a Vietnamese message and filter nothing by them', async () => {
	const bad = await page(w.admin.id, '?from=2026-02-30&action=drop.table')
	expect(bad.errors).toEqual(['audit.filter.badDate', 'audit.filter.badAction'])
	expect(bad.total).toBe(64)
	expect((await page(w.admin.id, '?from=2026-03-10&to=2026-03-01')).errors).toEqual(['audit.filter.reversed'])
})

test('paged by 50; the visibility rule is kept (a Sở manager sees only their Sở, even when asking for another unit)', async () => {
	const first = await page(w.admin.id)
	expect([first.total, first.pages, first.events.length]).toEqual([64, 2, 50])
	const second = await page(w.admin.id, '?page=2')
	expect(second.events.length).toBe(14)
	const manager = await page(w.manager.id)
	expect(manager.total).toBe(3)
	expect(manager.units.map((u) => u.name)).toEqual(['Sở Văn hóa, Thể thao và Du lịch'])
	const other = await page(w.manager.id, `?unit=${w.health.id}`)
	expect(other.errors).toEqual(['audit.filter.badUnit'])
	expect(other.total).toBe(3)
})

test('the XLSX has the same filtered events as sentences, and downloading it is audited', async () => {
	const request = await requestAs(w.manager.id, `http://localhost/admin/audit.xlsx?actor=${encodeURIComponent('Lê Thị Hoa')}`)
	const response = await xlsxLoader({ request, params: {}, context: {} })
	expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
	const book = new ExcelJS.Workbook()
	await book.xlsx.load(await response.arrayBuffer())
	const sheet = book.worksheets[0]!
	const rows = sheet.getSheetValues().slice(2) as Array<Array<unknown>>
	expect(rows.map((r) => r[3])).toEqual(['Giao khoá học', 'Gửi thư nhắc học'])
	expect(rows[1]![2]).toBe(`Lê Thị Hoa đã gửi thư nhắc khoá ${title()} cho 12 người quá hạn của Sở Văn hóa, Thể thao và Du lịch.`)
	expect(rows[1]![1]).toBe('02/03/2026 09:00')
	const logged = await db.auditEvent.findFirst({ where: { action: 'audit.export' } })
	expect(logged).toMatchObject({ actorId: w.manager.id, orgUnitId: w.culture.id })
	expect(text((await page(w.manager.id, '?action=audit.export')).events[0]!)).toBe('Lê Thị Hoa đã tải nhật ký quản trị (Excel) của Sở Văn hóa, Thể thao và Du lịch.')
	const bad = await xlsxLoader({ request: await requestAs(w.manager.id, 'http://localhost/admin/audit.xlsx?from=31/02/2026'), params: {}, context: {} })
	expect(bad.status).toBe(303)
})

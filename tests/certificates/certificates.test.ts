import { createRemixStub } from '@remix-run/testing'
import { createElement, type ComponentType } from 'react'
import { renderToString } from 'react-dom/server'
import { expect, test, vi } from 'vitest'
import { expiringSoon } from '#app/certificates/access.server.ts'
import { addMonths } from '#app/certificates/issue.server.ts'
import { checkSignature } from '#app/certificates/sign.server.ts'
import { isCertificateValid } from '#app/certificates/validity.ts'
import { db } from '#app/db.server.ts'
import { type Certificate } from '#app/generated/prisma/client.ts'
import CertificatePage, { action as certificateAction, loader as certificateLoader } from '#app/routes/certificates.$serial.tsx'
import { loader as pdfLoader } from '#app/routes/certificates.$serial_.pdf.ts'
import UnitPage, { loader as unitLoader } from '#app/routes/certificates.unit.$unitId.tsx'
import { loader as zipLoader } from '#app/routes/certificates.unit.$unitId_.zip.ts'
import VerifyPage, { loader as verifyLoader } from '#app/routes/verify.$serial.tsx'
import { loader as verifyFormLoader } from '#app/routes/verify._index.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { routeArgs } from '#tests/setup/routes.ts'
import { issueCertificate } from '#tests/factories/certificates.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { pdfText } from './pdf-text.ts'
import { readZip } from './zip-read.ts'

// The manager's page lists the catalogue's courses in its filter: a small fixture build, not the real one.
useFixtureCourses()
useTestDb()

const DAY = 24 * 3600_000

/** Runs a loader or action and returns its Response, whether it was returned or thrown. */
async function respond(run: () => Promise<unknown>): Promise<Response> {
	try {
		const result = await run()
		if (result instanceof Response) return result
		throw new Error('not a Response')
	} catch (error) {
		if (error instanceof Response) return error
		throw error
	}
}

let versionCounter = 0
async function courseVersion(title = 'Bảo vệ bí mật nhà nước trên không gian mạng', validityMonths: number | null = 24) {
	const n = ++versionCounter
	const course = await db.course.create({ data: { slug: `khoa-hoc-${n}` } })
	return db.courseVersion.create({ data: { courseId: course.id, version: 1, contentHash: `h${n}`, title, passMark: 80, validityMonths } })
}

async function province() {
	const root = await createUnit('Tỉnh Thử')
	const dept = await createUnit('Sở Thử', root)
	const division = await createUnit('Phòng Thử', dept, 'division')
	const otherDept = await createUnit('Sở Khác', root)
	const manager = await createUser({ fullName: 'Lê Văn Quang', unitId: dept.id, role: 'MANAGER' })
	const otherManager = await createUser({ unitId: otherDept.id, role: 'MANAGER' })
	const admin = await createUser({ fullName: 'Đỗ Thị Thanh Hà', unitId: root.id, role: 'ADMIN' })
	return { root, dept, division, otherDept, manager, otherManager, admin }
}

async function issue(userId: string, versionId: string, at = new Date()) {
	return db.$transaction((tx) => issueCertificate(tx, { userId, courseVersionId: versionId, source: 'ONLINE', at }))
}

/**
 * Renders a route component with the loader data it got (as hydration data), inside the app's root data
 * (Vietnamese; people who hold a role also get the admin strings, as the root loader sends them).
 */
function render(Component: ComponentType, id: string, path: string, data: unknown, messages: typeof viAdmin | null = null) {
	const root = { lang: 'vi', messages }
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id, path, Component, loader: () => null }] }])
	// The stub's memory router uses useLayoutEffect, which React warns about on the server; nothing of ours.
	const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
	const html = renderToString(
		createElement(Stub, { initialEntries: [path.replace(/:\w+/g, 'x')], hydrationData: { loaderData: { root, [id]: data } } }),
	)
	spy.mockRestore()
	return html.replace(/<!-- -->/g, '')
}

/** The certificate page after a POST, as the server renders it (the action's data from useActionData). */
function renderWithAction(pageData: unknown, actionData: unknown) {
	const root = { lang: 'vi', messages: viAdmin }
	const path = '/certificates/:serial'
	const Stub = createRemixStub([{ id: 'root', path: '/', loader: () => root, children: [{ id: 'cert', path, Component: CertificatePage, loader: () => null, action: () => null }] }])
	const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
	const html = renderToString(
		createElement(Stub, { initialEntries: ['/certificates/x'], hydrationData: { loaderData: { root, cert: pageData }, actionData: { cert: actionData } } }),
	)
	spy.mockRestore()
	return html.replace(/<!-- -->/g, '')
}

let ipCounter = 0
const freshIp = () => ({ 'x-vms-client-ip': `198.51.100.${++ipCounter}` })

async function verify(serial: string) {
	const response = await respond(() => verifyLoader(routeArgs(new Request(`http://localhost/verify/${serial}`, { headers: freshIp() }), { serial })))
	const data = (await response.json()) as { result: { status: string } & Record<string, unknown> }
	return { status: response.status, result: data.result, html: render(VerifyPage, 'verify', '/verify/:serial', data) }
}

test('completing a course issues a signed certificate tied to the holder\'s unit, expiring after validityMonths', async () => {
	const { division } = await province()
	const learner = await createUser({ fullName: 'Nguyễn Thị Hương', unitId: division.id })
	const version = await courseVersion()
	const at = new Date()
	const cert = await issue(learner.id, version.id, at)
	const expiry = addMonths(at, 24)
	expect(cert).toMatchObject({ holderName: 'Nguyễn Thị Hương', orgUnitId: division.id, orgName: 'Phòng Thử', expiresAt: expiry })
	expect(checkSignature(cert)).toBe('ok')
	expect(isCertificateValid(cert, new Date(expiry.getTime() - 1))).toBe(true)
	expect(isCertificateValid(cert, expiry)).toBe(false)
})

test('the public verify page renders each status: valid, expired, revoked with its date only, invalid, not found, malformed', async () => {
	const { division } = await province()
	const version = await courseVersion()
	const learner = await createUser({ fullName: 'Nguyễn Thị Hương', unitId: division.id })
	const valid = await issue(learner.id, version.id)
	const expired = await issue(learner.id, version.id, new Date(Date.now() - 3 * 365 * DAY))
	const revoked = await issue(learner.id, version.id)
	await db.certificate.update({ where: { id: revoked.id }, data: { revokedAt: new Date('2026-04-02T03:00:00Z'), revokeReason: 'Gian lận khi làm bài kiểm tra' } })
	const tampered = await issue(learner.id, version.id)
	await db.certificate.update({ where: { id: tampered.id }, data: { holderName: 'Nguyễn Thị Hướng' } })

	const ok = await verify(valid.serial.toLowerCase())
	expect(ok.status).toBe(200)
	expect(ok.result).toMatchObject({ status: 'valid', serial: valid.serial, maskedName: 'Nguyễn T. H.', courseTitle: version.title, orgName: 'Phòng Thử' })
	expect(ok.html).toContain('Chứng nhận hợp lệ')
	expect(ok.html).toContain('Nguyễn T. H.')
	expect(ok.html).not.toContain('Nguyễn Thị Hương')
	expect(ok.html).toContain('SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH')

	const old = await verify(expired.serial)
	expect(old.result.status).toBe('expired')
	expect(old.html).toContain('Chứng nhận đã hết hạn')
	expect(old.html).toContain('Chứng nhận là thật nhưng đã hết hạn ngày')

	const gone = await verify(revoked.serial)
	// The reason is internal (issue 18 item 10): neither on the public page nor in its loader data.
	expect(gone.result).toMatchObject({ status: 'revoked', revokedAt: '2026-04-02T03:00:00.000Z' })
	expect(gone.result).not.toHaveProperty('revokeReason')
	expect(gone.html).toMatch(/Chứng nhận đã bị thu hồi ngày 0?2\/0?4\/2026\./)
	expect(gone.html).not.toContain('Gian lận')

	const forged = await verify(tampered.serial)
	expect(forged.result).toEqual({ status: 'invalid', serial: tampered.serial })
	expect(forged.html).toContain('Chứng nhận không hợp lệ')
	expect(forged.html).not.toContain('Nguyễn T. H.')

	const missing = await verify('VMS-2026-ABCDEFGHJK')
	expect(missing.status).toBe(404)
	expect(missing.html).toContain('Không có chứng nhận nào mang số hiệu VMS-2026-ABCDEFGHJK')

	const garbage = await verify('<script>alert(1)</script>')
	expect(garbage.status).toBe(400)
	expect(garbage.html).toContain('Số hiệu không đúng định dạng')
	expect(garbage.html).not.toContain('<script>alert')

	// The typed-serial form redirects to the page of the normalised serial.
	const typed = await respond(() => verifyFormLoader(routeArgs(new Request(`http://localhost/verify?serial=${encodeURIComponent(` ${valid.serial.toLowerCase()} `)}`))))
	expect(typed.headers.get('Location')).toBe(`/verify/${valid.serial}`)
})

test('a row issued before signatures is signed on first verification; a tampered one stays invalid', async () => {
	const { division } = await province()
	const version = await courseVersion()
	const learner = await createUser({ unitId: division.id })
	const cert = await issue(learner.id, version.id)
	await db.certificate.update({ where: { id: cert.id }, data: { signature: null } })
	expect((await verify(cert.serial)).result.status).toBe('valid')
	const signed = await db.certificate.findUniqueOrThrow({ where: { id: cert.id } })
	expect(signed.signature).toMatch(/^ed25519:/)
	await db.certificate.update({ where: { id: cert.id }, data: { expiresAt: new Date('2099-01-01T00:00:00Z') } })
	expect((await verify(cert.serial)).result.status).toBe('invalid')
})

test('the verify page is rate-limited per address: the 61st check in ten minutes gets 429 with a wait time', async () => {
	const headers = { 'x-vms-client-ip': '192.0.2.200' }
	const check = () => respond(() => verifyLoader(routeArgs(new Request('http://localhost/verify/VMS-2026-ABCDEFGHJK', { headers }), { serial: 'VMS-2026-ABCDEFGHJK' })))
	for (let i = 0; i < 60; i++) expect((await check()).status).toBe(404)
	const limited = await check()
	expect(limited.status).toBe(429)
	expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(500)
	const data = await limited.json()
	expect(render(VerifyPage, 'verify', '/verify/:serial', data)).toContain('Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút.')
})

test('PDF download: the holder and the managers of their unit may; others get 403, strangers the login page', async () => {
	const { division, manager, otherManager, admin } = await province()
	const version = await courseVersion()
	const learner = await createUser({ fullName: 'Nguyễn Thị Hương', unitId: division.id })
	const colleague = await createUser({ unitId: division.id })
	const cert = await issue(learner.id, version.id)
	const download = async (userId: string | null, serial = cert.serial) =>
		respond(async () => pdfLoader(routeArgs(await requestAs(userId, `http://localhost/certificates/${serial}/pdf`), { serial })))

	const mine = await download(learner.id)
	expect(mine.status).toBe(200)
	expect(mine.headers.get('Content-Type')).toBe('application/pdf')
	expect(mine.headers.get('Content-Disposition')).toBe(`attachment; filename="Nguyen-Thi-Huong_${cert.serial}.pdf"`)
	const bytes = Buffer.from(await mine.arrayBuffer())
	expect(Number(mine.headers.get('Content-Length'))).toBe(bytes.length)
	expect(pdfText(bytes)).toContain('Nguyễn Thị Hương')
	expect(pdfText(bytes)).toContain('Bảo vệ bí mật nhà nước trên không gian mạng')

	expect((await download(manager.id)).status).toBe(200)
	expect((await download(admin.id)).status).toBe(200)
	expect((await download(colleague.id)).status).toBe(403)
	expect((await download(otherManager.id)).status).toBe(403)
	const anonymous = await download(null)
	expect(anonymous.status).toBe(302)
	expect(anonymous.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
	expect((await download(learner.id, 'VMS-2026-ABCDEFGHJK')).status).toBe(404)
	expect((await download(learner.id, 'khong-hop-le')).status).toBe(404)

	await db.certificate.update({ where: { id: cert.id }, data: { courseTitle: 'Khoá học khác' } })
	const tampered = await download(learner.id)
	expect(tampered.status).toBe(409)
	expect(await tampered.text()).toContain('không khớp với chữ ký số')
	await db.certificate.update({ where: { id: cert.id }, data: { revokedAt: new Date(), revokeReason: 'Thử' } })
	expect((await download(learner.id)).status).toBe(410)
})

test('without APP_URL the PDF and the ZIP print the address the downloader reached, never localhost:3000 (issue 18 item 4)', async () => {
	const { division, dept, manager } = await province()
	const version = await courseVersion()
	const learner = await createUser({ fullName: 'Phan Văn Mã', unitId: division.id })
	const cert = await issue(learner.id, version.id)
	const origin = 'https://vanminhso.so-thu.example'
	const pdf = await respond(async () => pdfLoader(routeArgs(await requestAs(learner.id, `${origin}/certificates/${cert.serial}/pdf`), { serial: cert.serial })))
	const text = pdfText(Buffer.from(await pdf.arrayBuffer()))
	expect(text).toContain(`${origin}/verify/${cert.serial}`)
	expect(text).not.toContain('localhost')
	const zip = await respond(async () => zipLoader(routeArgs(await requestAs(manager.id, `${origin}/certificates/unit/${dept.id}/zip`), { unitId: String(dept.id) })))
	const entries = readZip(Buffer.from(await zip.arrayBuffer()))
	const entry = entries.find((e) => e.name.includes(cert.serial))!
	expect(pdfText(entry.data)).toContain(`${origin}/verify/${cert.serial}`)
})

test('a ZIP of N certificates holds N valid PDFs named Ho-Ten_SERIAL.pdf, filtered by course and dates, audited', async () => {
	const { dept, division, manager } = await province()
	const version = await courseVersion()
	const otherVersion = await courseVersion('Nhận diện tin giả và kiểm chứng thông tin')
	const names = ['Nguyễn Thị Hương', 'Trần Văn Bình', 'Phạm Ngọc Ánh']
	const certs: Array<Certificate> = []
	for (const fullName of names) certs.push(await issue((await createUser({ fullName, unitId: division.id })).id, version.id, new Date('2026-05-10T03:00:00Z')))
	// Not in the ZIP: another course, a revoked certificate, an expired one (unless asked), someone outside the subtree.
	const someone = await createUser({ unitId: division.id })
	await issue(someone.id, otherVersion.id, new Date('2026-05-10T03:00:00Z'))
	const revoked = await issue(someone.id, version.id, new Date('2026-05-11T03:00:00Z'))
	await db.certificate.update({ where: { id: revoked.id }, data: { revokedAt: new Date(), revokeReason: 'Thử' } })
	await issue(someone.id, version.id, new Date(Date.now() - 3 * 365 * DAY))
	const outsider = await createUser({ unitId: (await createUnit('Sở Ngoài', (await createUnit('Tỉnh Khác')))).id })
	await issue(outsider.id, version.id, new Date('2026-05-10T03:00:00Z'))

	const slug = (await db.course.findUniqueOrThrow({ where: { id: version.courseId } })).slug
	const zipFor = async (query: string, userId = manager.id, unitId = dept.id) =>
		respond(async () => zipLoader(routeArgs(await requestAs(userId, `http://localhost/certificates/unit/${unitId}/zip?${query}`), { unitId: String(unitId) })))

	const response = await zipFor(`course=${slug}&from=2026-05-01&to=2026-05-31`)
	expect(response.status).toBe(200)
	expect(response.headers.get('Content-Type')).toBe('application/zip')
	expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="chung-nhan_U\d+_\d{4}-\d{2}-\d{2}\.zip"$/)
	expect(response.headers.get('X-Certificate-Count')).toBe('3')
	const entries = readZip(Buffer.from(await response.arrayBuffer()))
	expect(entries.map((e) => e.name).sort()).toEqual(
		['Nguyen-Thi-Huong', 'Tran-Van-Binh', 'Pham-Ngoc-Anh'].map((n, i) => `${n}_${certs[i]!.serial}.pdf`).sort(),
	)
	for (const [i, name] of names.entries()) {
		const entry = entries.find((e) => e.name.endsWith(`${certs[i]!.serial}.pdf`))!
		expect(entry.data.subarray(0, 5).toString('latin1')).toBe('%PDF-')
		expect(entry.data.subarray(-6).toString('latin1')).toContain('%%EOF')
		expect(pdfText(entry.data)).toContain(name)
	}
	expect(await db.auditEvent.count({ where: { action: 'certificate.zip', actorId: manager.id, orgUnitId: dept.id } })).toBe(1)

	// Without filters: every valid certificate of the subtree (4); all statuses: the printable ones, with the
	// expired one (5), never the revoked one; only the expired one: 1; only revoked ones: nothing to download.
	expect(readZip(Buffer.from(await (await zipFor('')).arrayBuffer()))).toHaveLength(4)
	expect(readZip(Buffer.from(await (await zipFor('status=all')).arrayBuffer()))).toHaveLength(5)
	expect(readZip(Buffer.from(await (await zipFor('status=expired')).arrayBuffer()))).toHaveLength(1)
	expect((await zipFor('status=revoked')).headers.get('Location')).toBe(`/certificates/unit/${dept.id}?status=revoked&zip=empty`)
	// A certificate altered in the database is left out, and the archive says so.
	await db.certificate.update({ where: { id: certs[0]!.id }, data: { holderName: 'Người Khác' } })
	const withTampered = readZip(Buffer.from(await (await zipFor(`course=${slug}&from=2026-05-01&to=2026-05-31`)).arrayBuffer()))
	expect(withTampered.map((e) => e.name)).toContain('KHONG-HOP-LE.txt')
	expect(withTampered.find((e) => e.name === 'KHONG-HOP-LE.txt')!.data.toString('utf8')).toContain(certs[0]!.serial)
	expect(withTampered.filter((e) => e.name.endsWith('.pdf'))).toHaveLength(2)
})

test('ZIP and list: another unit\'s manager gets 403; nothing to download is a Vietnamese message, not an empty file', async () => {
	const { dept, otherDept, manager, otherManager } = await province()
	const forbidden = await respond(async () =>
		zipLoader(routeArgs(await requestAs(otherManager.id, `http://localhost/certificates/unit/${dept.id}/zip`), { unitId: String(dept.id) })),
	)
	expect(forbidden.status).toBe(403)
	const list = await respond(async () => unitLoader(routeArgs(await requestAs(otherManager.id, `http://localhost/certificates/unit/${dept.id}`), { unitId: String(dept.id) })))
	expect(list.status).toBe(403)
	expect((await respond(async () => unitLoader(routeArgs(await requestAs(manager.id, `http://localhost/certificates/unit/${otherDept.id}`), { unitId: String(otherDept.id) })))).status).toBe(403)

	const empty = await respond(async () =>
		zipLoader(routeArgs(await requestAs(manager.id, `http://localhost/certificates/unit/${dept.id}/zip?from=2020-01-01&to=2020-01-31`), { unitId: String(dept.id) })),
	)
	expect(empty.status).toBe(303)
	const location = empty.headers.get('Location')!
	expect(location).toBe(`/certificates/unit/${dept.id}?from=2020-01-01&to=2020-01-31&zip=empty`)
	const page = await respond(async () => unitLoader(routeArgs(await requestAs(manager.id, `http://localhost${location}`), { unitId: String(dept.id) })))
	const data = await page.json()
	expect(data).toMatchObject({ count: 0, zipNotice: 'empty', filter: { from: '2020-01-01', to: '2020-01-31' } })
	const html = render(UnitPage, 'unit', '/certificates/unit/:unitId', data)
	expect(html).toContain('Không có chứng nhận nào phù hợp để tải về.')
	expect(html).not.toContain('Tải tất cả dạng ZIP')

	const badDates = await respond(async () =>
		zipLoader(routeArgs(await requestAs(manager.id, `http://localhost/certificates/unit/${dept.id}/zip?from=2026-13-45`), { unitId: String(dept.id) })),
	)
	expect(badDates.headers.get('Location')).toBe(`/certificates/unit/${dept.id}?zip=invalid`)
})

test('the manager\'s list counts the subtree, offers the ZIP with its size, and lists certificates expiring within 60 days', async () => {
	const { dept, division, manager } = await province()
	const version = await courseVersion()
	const soon = await createUser({ fullName: 'Vũ Thị Sắp Hết', unitId: division.id })
	const later = await createUser({ fullName: 'Hồ Văn Còn Lâu', unitId: division.id })
	// Issued 23 months and 20 days ago: 10 days left of 24 months.
	const soonCert = await issue(soon.id, version.id, new Date(Date.now() - (730 - 10) * DAY))
	await issue(later.id, version.id)
	const expiring = await expiringSoon(dept)
	expect(expiring.map((c) => c.serial)).toEqual([soonCert.serial])

	const page = await respond(async () => unitLoader(routeArgs(await requestAs(manager.id, `http://localhost/certificates/unit/${dept.id}`), { unitId: String(dept.id) })))
	const data = await page.json()
	expect(data).toMatchObject({ count: 2, zipNotice: null })
	const html = render(UnitPage, 'unit', '/certificates/unit/:unitId', data)
	expect(html).toContain('2 chứng nhận phù hợp')
	expect(html).toContain('Tải tất cả dạng ZIP (2 tệp PDF, khoảng 0,1 MB)')
	expect(html).toContain(`href="/certificates/unit/${dept.id}/zip"`)
	expect(html).toContain(`href="/certificates/unit/${division.id}">Phòng Thử</a>`)
	expect(html).toContain('Sắp hết hạn trong 60 ngày tới')
	// Each name twice per table (the cell and the download link's label): in the list and in the expiring table.
	expect(html.split('Vũ Thị Sắp Hết')).toHaveLength(5)
	expect(html.split('Hồ Văn Còn Lâu')).toHaveLength(3)
})

test('revoking and reissuing are for admins of the unit, need a reason, are audited; a reissue keeps the dates under a new serial', async () => {
	const { division, manager, admin } = await province()
	const version = await courseVersion()
	const learner = await createUser({ fullName: 'Nguyễn Thi Huong', unitId: division.id })
	const cert = await issue(learner.id, version.id)
	const post = async (userId: string, fields: Record<string, string>) =>
		respond(async () =>
			certificateAction(
				routeArgs(await requestAs(userId, `http://localhost/certificates/${cert.serial}`, { method: 'POST', body: new URLSearchParams(fields) }), { serial: cert.serial }),
			),
		)

	expect((await post(manager.id, { intent: 'revoke', reason: 'Cấp nhầm người', confirm: 'yes' })).status).toBe(403)
	expect((await post(learner.id, { intent: 'revoke', reason: 'Cấp nhầm người' })).status).toBe(403)
	expect((await post(admin.id, { intent: 'revoke', reason: 'x' })).status).toBe(400)
	expect((await post(admin.id, { intent: 'reissue', holderName: 'Nguyễn Thi Huong', reason: 'Sai dấu' })).status).toBe(400)

	const view = await respond(async () => certificateLoader(routeArgs(await requestAs(admin.id, `http://localhost/certificates/${cert.serial}`), { serial: cert.serial })))
	expect(await view.json()).toMatchObject({ canManage: true, state: 'valid' })
	const managerView = await respond(async () => certificateLoader(routeArgs(await requestAs(manager.id, `http://localhost/certificates/${cert.serial}`), { serial: cert.serial })))
	expect(await managerView.json()).toMatchObject({ canManage: false })

	const reissued = await post(admin.id, { intent: 'reissue', holderName: '  Nguyễn   Thị Hương ', reason: 'Đính chính dấu trong họ tên' })
	expect(reissued.status).toBe(303)
	const newSerial = reissued.headers.get('Location')!.replace('/certificates/', '')
	const [old, successor] = await Promise.all([
		db.certificate.findUniqueOrThrow({ where: { id: cert.id } }),
		db.certificate.findUniqueOrThrow({ where: { serial: newSerial } }),
	])
	expect(successor).toMatchObject({ holderName: 'Nguyễn Thị Hương', issuedAt: cert.issuedAt, expiresAt: cert.expiresAt, userId: learner.id, orgUnitId: division.id })
	expect(successor.serial).not.toBe(cert.serial)
	expect(checkSignature(successor)).toBe('ok')
	expect(old).toMatchObject({ replacedById: successor.id, revokeReason: 'Đính chính dấu trong họ tên' })
	expect(old.revokedAt).not.toBeNull()
	expect(await db.auditEvent.count({ where: { action: 'certificate.reissue', targetId: cert.serial, actorId: admin.id, orgUnitId: division.id } })).toBe(1)
	const oldPage = await verify(cert.serial)
	expect(oldPage.result).toMatchObject({ status: 'revoked', replacedBy: newSerial })
	expect(oldPage.html).toContain(`Chứng nhận này đã được thay thế bằng chứng nhận số ${newSerial}.`)
	expect((await verify(newSerial)).result).toMatchObject({ status: 'valid', maskedName: 'Nguyễn T. H.' })

	// Revoking asks first (issue 18 item 10): the first POST changes nothing and returns the confirmation, whose page
	// repeats the reason in a form that posts confirm=yes; only that revokes.
	const ask = await respond(async () =>
		certificateAction(
			routeArgs(await requestAs(admin.id, `http://localhost/certificates/${newSerial}`, { method: 'POST', body: new URLSearchParams({ intent: 'revoke', reason: 'Gian lận khi làm bài' }) }), {
				serial: newSerial,
			}),
		),
	)
	expect(ask.status).toBe(200)
	const asked = await ask.json()
	expect(asked).toMatchObject({ intent: 'revoke-confirm', reason: 'Gian lận khi làm bài', notice: null })
	const stillThere = await db.certificate.findUniqueOrThrow({ where: { serial: newSerial } })
	expect(stillThere.revokedAt).toBeNull()
	expect(await db.auditEvent.count({ where: { action: 'certificate.revoke', targetId: newSerial } })).toBe(0)
	const pageData = await (await respond(async () => certificateLoader(routeArgs(await requestAs(admin.id, `http://localhost/certificates/${newSerial}`), { serial: newSerial })))).json()
	const confirmHtml = renderWithAction(pageData, asked)
	expect(confirmHtml).toContain('Xác nhận thu hồi chứng nhận')
	expect(confirmHtml).toContain(`Bạn sắp thu hồi chứng nhận số ${newSerial} của Nguyễn Thị Hương. Lý do: Gian lận khi làm bài`)
	expect(confirmHtml).toContain('<input type="hidden" name="confirm" value="yes"/>')
	expect(confirmHtml).toContain('<input type="hidden" name="reason" value="Gian lận khi làm bài"/>')
	expect(confirmHtml).toContain(`href="/certificates/${newSerial}">Huỷ, giữ chứng nhận</a>`)

	// Confirmed: audited, shown with its reason to the holder and managers; a second revocation changes nothing.
	const revokeNew = async (userId: string) =>
		respond(async () =>
			certificateAction(
				routeArgs(await requestAs(userId, `http://localhost/certificates/${newSerial}`, { method: 'POST', body: new URLSearchParams({ intent: 'revoke', reason: 'Gian lận khi làm bài', confirm: 'yes' }) }), {
					serial: newSerial,
				}),
			),
		)
	expect(await (await revokeNew(admin.id)).json()).toMatchObject({ notice: 'Đã thu hồi chứng nhận.' })
	expect(await (await revokeNew(admin.id)).json()).toMatchObject({ notice: 'Chứng nhận này đã bị thu hồi trước đó.' })
	expect(await db.auditEvent.count({ where: { action: 'certificate.revoke', targetId: newSerial } })).toBe(1)
	expect((await verify(newSerial)).result).toMatchObject({ status: 'revoked' })
	expect(await db.certificate.findUniqueOrThrow({ where: { serial: newSerial } })).toMatchObject({ revokeReason: 'Gian lận khi làm bài' })
	const revokedNow = await db.certificate.findUniqueOrThrow({ where: { serial: newSerial } })
	expect(isCertificateValid(revokedNow)).toBe(false)
	expect(isCertificateValid(revokedNow, new Date(revokedNow.revokedAt!.getTime() - 1))).toBe(true)
})

test('the manager\'s list shows revoked and replaced certificates with their status, filtered by status, course and dates', async () => {
	const { dept, division, manager, admin } = await province()
	const version = await courseVersion()
	const otherVersion = await courseVersion('Nhận diện tin giả và kiểm chứng thông tin')
	const slug = (await db.course.findUniqueOrThrow({ where: { id: version.courseId } })).slug
	const person = async (fullName: string) => (await createUser({ fullName, unitId: division.id })).id
	const valid = await issue(await person('Nguyễn Văn Còn'), version.id, new Date('2026-05-10T03:00:00Z'))
	const expired = await issue(await person('Trần Thị Hết'), version.id, new Date(Date.now() - 3 * 365 * DAY))
	const revoked = await issue(await person('Lê Văn Thu'), version.id, new Date('2026-05-11T03:00:00Z'))
	const misspelt = await issue(await person('Pham Thi Sai'), version.id, new Date('2026-05-12T03:00:00Z'))
	const other = await issue(await person('Đỗ Minh Khác'), otherVersion.id, new Date('2026-06-20T03:00:00Z'))
	const tampered = await issue(await person('Hoàng Văn Sửa'), version.id, new Date('2026-05-13T03:00:00Z'))
	await db.certificate.update({ where: { id: tampered.id }, data: { holderName: 'Hoàng Văn Sửa Lại' } })
	const post = async (serial: string, fields: Record<string, string>) =>
		respond(async () =>
			certificateAction(routeArgs(await requestAs(admin.id, `http://localhost/certificates/${serial}`, { method: 'POST', body: new URLSearchParams(fields) }), { serial })),
		)
	await post(revoked.serial, { intent: 'revoke', reason: 'Cấp nhầm người', confirm: 'yes' })
	const reissued = await post(misspelt.serial, { intent: 'reissue', holderName: 'Phạm Thị Sai', reason: 'Đính chính dấu' })
	const successor = reissued.headers.get('Location')!.replace('/certificates/', '')

	const list = async (query: string) => {
		const page = await respond(async () =>
			unitLoader(routeArgs(await requestAs(manager.id, `http://localhost/certificates/unit/${dept.id}?${query}`), { unitId: String(dept.id) })),
		)
		const data = (await page.json()) as { count: number; zipCount: number; error: string | null; rows: Array<{ serial: string; state: string; replacedBy: string | null }> }
		return { data, html: render(UnitPage, 'unit', '/certificates/unit/:unitId', data, viAdmin) }
	}
	const states = (rows: Array<{ serial: string; state: string }>) => Object.fromEntries(rows.map((r) => [r.serial, r.state]))

	// Everything, each with its status; the ZIP would hold the printable ones only (valid and expired).
	const all = await list('status=all')
	expect(states(all.data.rows)).toEqual({
		[valid.serial]: 'valid',
		[expired.serial]: 'expired',
		[revoked.serial]: 'revoked',
		[misspelt.serial]: 'replaced',
		[successor]: 'valid',
		[other.serial]: 'valid',
		[tampered.serial]: 'invalid',
	})
	expect(all.data).toMatchObject({ count: 7, zipCount: 5 })
	expect(all.data.rows.find((r) => r.serial === misspelt.serial)!.replacedBy).toBe(successor)
	expect(all.html).toContain('7 chứng nhận phù hợp')
	expect(all.html).toContain('Tải tất cả dạng ZIP (5 tệp PDF, khoảng 0,2 MB)')
	expect(all.html).toContain('Tệp ZIP chỉ gồm 5 chứng nhận còn hiệu lực hoặc đã hết hạn')
	expect(all.html).toMatch(/Đã thu hồi ngày \d{1,2}\/\d{1,2}\/\d{4}/)
	expect(all.html).toMatch(new RegExp(`Đã được thay thế bằng <a class="font-mono text-sm"[^>]* href="/certificates/${successor}">${successor}</a>`))
	expect(all.html).toContain('Không khớp chữ ký số')
	expect(all.html).toContain('<option value="all" selected="">Tất cả</option>')
	// A PDF link for the printable rows only.
	for (const serial of [valid.serial, expired.serial, successor, other.serial]) expect(all.html).toContain(`href="/certificates/${serial}/pdf"`)
	for (const serial of [revoked.serial, misspelt.serial, tampered.serial]) expect(all.html).not.toContain(`href="/certificates/${serial}/pdf"`)

	// The default is the valid ones (the tampered row's dates say valid, but it is shown as invalid).
	expect(Object.keys(states((await list('')).data.rows)).sort()).toEqual([valid.serial, successor, other.serial, tampered.serial].sort())
	expect(states((await list('status=expired')).data.rows)).toEqual({ [expired.serial]: 'expired' })
	const revokedOnly = await list('status=revoked')
	expect(states(revokedOnly.data.rows)).toEqual({ [revoked.serial]: 'revoked' })
	expect(revokedOnly.data.zipCount).toBe(0)
	expect(revokedOnly.html).toContain('Chứng nhận đã thu hồi hoặc đã được cấp lại không tải về được')
	expect(revokedOnly.html).not.toContain('Tải tất cả dạng ZIP')
	expect(states((await list('status=replaced')).data.rows)).toEqual({ [misspelt.serial]: 'replaced' })
	// Course and dates (Vietnamese calendar days, both ends included) combine with the status.
	expect(Object.keys(states((await list(`status=all&course=${slug}&from=2026-05-11&to=2026-05-12`)).data.rows)).sort()).toEqual(
		[revoked.serial, misspelt.serial, successor].sort(),
	)
	const unknownStatus = await list('status=deleted')
	expect(unknownStatus.data.error).toBe('cert.error.status')
	expect(unknownStatus.html).toContain('Tình trạng chứng nhận không hợp lệ.')
})

test('expiring soon leaves out people who already renewed, and follows the course filter', async () => {
	const { dept, division, manager } = await province()
	const version = await courseVersion()
	const otherVersion = await courseVersion('Nhận diện tin giả và kiểm chứng thông tin')
	const tenDaysLeft = new Date(Date.now() - (730 - 10) * DAY)
	const waiting = await createUser({ fullName: 'Vũ Thị Chưa Học Lại', unitId: division.id })
	const renewed = await createUser({ fullName: 'Ngô Văn Đã Học Lại', unitId: division.id })
	const waitingCert = await issue(waiting.id, version.id, tenDaysLeft)
	await issue(renewed.id, version.id, tenDaysLeft)
	// A later certificate of the same course (here a newer version of it): renewed, nothing to remind.
	const newerVersion = await db.courseVersion.create({
		data: { courseId: version.courseId, version: 2, contentHash: `h${++versionCounter}`, title: version.title, passMark: 80, validityMonths: 24 },
	})
	await issue(renewed.id, newerVersion.id)
	// Another course expiring soon for the same person: still listed, for that course.
	const otherCert = await issue(renewed.id, otherVersion.id, tenDaysLeft)
	// Revoked certificates are not "expiring".
	const revoked = await issue(waiting.id, otherVersion.id, tenDaysLeft)
	await db.certificate.update({ where: { id: revoked.id }, data: { revokedAt: new Date(), revokeReason: 'Thử' } })

	expect((await expiringSoon(dept)).map((c) => c.serial).sort()).toEqual([waitingCert.serial, otherCert.serial].sort())
	const slug = (await db.course.findUniqueOrThrow({ where: { id: version.courseId } })).slug
	const page = await respond(async () =>
		unitLoader(routeArgs(await requestAs(manager.id, `http://localhost/certificates/unit/${dept.id}?course=${slug}`), { unitId: String(dept.id) })),
	)
	const data = (await page.json()) as { expiring: Array<{ serial: string; state: string }> }
	expect(data.expiring.map((c) => c.serial)).toEqual([waitingCert.serial])
	expect(data.expiring[0]!.state).toBe('valid')
})

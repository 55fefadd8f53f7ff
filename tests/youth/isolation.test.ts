// Cross-tree isolation (issue 10 item 5): Youth Union officers do not see government staff data and government
// managers do not see youth data, except a person's own memberships. One person is on a department's roster and in a
// chi đoàn; a MANAGER holds the government root, a YOUTH_ADMIN the Tỉnh đoàn. Each gets 403 (or 404 for ids that
// are not in the page's subtree) on the other tree's pages, and never sees the person's other membership.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { unitZipWhere } from '#app/certificates/access.server.ts'
import { db } from '#app/db.server.ts'
import { roleFitsTree } from '#app/auth/permissions.ts'
import { rollupRefreshSettled } from '#app/reports/completion.server.ts'
import { loader as certificateLoader } from '#app/routes/certificates.$serial.tsx'
import { loader as unitCertificatesLoader } from '#app/routes/certificates.unit.$unitId.tsx'
import { loader as zipLoader } from '#app/routes/certificates.unit.$unitId_.zip.ts'
import { loader as unitLoader } from '#app/routes/org.$unitId.tsx'
import { loader as assignmentsLoader } from '#app/routes/org.$unitId_.assignments.tsx'
import { loader as dashboardLoader } from '#app/routes/org.$unitId_.dashboard.tsx'
import { loader as peopleLoader } from '#app/routes/org.$unitId_.dashboard_.people.tsx'
import { loader as importsLoader } from '#app/routes/org.$unitId_.imports._index.tsx'
import { loader as memberLoader } from '#app/routes/org.$unitId_.members.$membershipId.tsx'
import { loader as membersLoader } from '#app/routes/org.$unitId_.members._index.tsx'
import { loader as reportsLoader } from '#app/routes/org.$unitId_.reports.tsx'
import { loader as downloadLoader } from '#app/routes/org.$unitId_.reports_.$format.ts'
import { loader as targetsLoader } from '#app/routes/org.$unitId_.targets.tsx'
import { loader as trainingLoader } from '#app/routes/org.$unitId_.training._index.tsx'
import { loader as reportsIndexLoader } from '#app/routes/reports._index.tsx'
import { loader as homeLoader } from '#app/routes/_index.tsx'
import { issueCertificate } from '#tests/factories/certificates.ts'
import { assign, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, createUser, createYouthRoot, requestAs } from '#tests/factories/org.ts'
import { useFixtureCourses } from '#tests/setup/content.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { status } from '#tests/setup/routes.ts'

// Pages with a course filter list the catalogue: a small content build of the test fixtures.
useFixtureCourses()
let w: Awaited<ReturnType<typeof setUp>>

async function setUp() {
	const gov = await createUnit('Tỉnh Hai Cây')
	const dept = await createUnit('Sở Thông tin', gov)
	const youth = await createYouthRoot('Tỉnh đoàn Hai Cây')
	const dcs = await createUnit('Đoàn Khối cơ quan', youth, 'youth_grassroots')
	const branch = await createUnit('Chi đoàn Sở Thông tin', dcs, 'youth_branch')
	const person = await createUser({ fullName: 'Vũ Thị Hai Nơi', password: null })
	const staffPost = await join(person, dept, { validFrom: new Date('2024-01-01T00:00:00Z') })
	const youthPost = await join(person, branch, { validFrom: new Date('2025-01-01T00:00:00Z') })
	const staffCourse = await createCourse('bi-mat-nha-nuoc-thu')
	const youthCourse = await createCourse('ky-nang-so-thu')
	await assign(staffCourse, gov, { dueAt: new Date('2027-01-01T00:00:00Z') })
	await assign(youthCourse, youth, { dueAt: new Date('2027-01-01T00:00:00Z') })
	// Issued the way the grading transaction does: each certificate in the post the course was required for.
	const [staffCert, youthCert] = await db.$transaction(async (tx) => [
		await issueCertificate(tx, { userId: person.id, courseVersionId: staffCourse.versions[0]!.id, source: 'ONLINE', at: new Date('2026-05-01T00:00:00Z') }),
		await issueCertificate(tx, { userId: person.id, courseVersionId: youthCourse.versions[0]!.id, source: 'ONLINE', at: new Date('2026-05-02T00:00:00Z') }),
	])
	const manager = await createUser({ fullName: 'Quản lý Chính quyền' })
	await db.roleGrant.create({ data: { userId: manager.id, orgUnitId: gov.id, role: 'MANAGER' } })
	const officer = await createUser({ fullName: 'Cán bộ Tỉnh đoàn' })
	await db.roleGrant.create({ data: { userId: officer.id, orgUnitId: youth.id, role: 'YOUTH_ADMIN' } })
	// A YOUTH_ADMIN grant made on a government unit by mistake (no screen makes one): it must open nothing.
	const misgranted = await createUser({ fullName: 'Cấp nhầm quyền' })
	await db.roleGrant.create({ data: { userId: misgranted.id, orgUnitId: dept.id, role: 'YOUTH_ADMIN' } })
	return { gov, dept, youth, dcs, branch, person, staffPost, youthPost, staffCert: staffCert!, youthCert: youthCert!, manager, officer, misgranted }
}

useTestDb()
beforeAll(async () => {
	w = await setUp()
})
afterAll(() => rollupRefreshSettled())

type LoaderArgs = { request: Request; params: Record<string, string>; context: Record<string, never> }
type Loader = (args: LoaderArgs) => Promise<unknown>

async function call(loader: Loader, userId: string, path: string, params: Record<string, string>) {
	return loader({ request: await requestAs(userId, `http://localhost${path}`), params, context: {} })
}

async function body<T>(run: Promise<unknown>): Promise<T> {
	const result = await run
	if (!(result instanceof Response)) throw new Error('not a response')
	return (await result.json()) as T
}

/** Every page of a unit that shows people, numbers or files: path and params for the unit. */
function unitPages(unitId: number): Array<[string, Loader, string, Record<string, string>]> {
	const u = String(unitId)
	return [
		['unit page', unitLoader as Loader, `/org/${u}`, { unitId: u }],
		['dashboard', dashboardLoader as Loader, `/org/${u}/dashboard`, { unitId: u }],
		['people list', peopleLoader as Loader, `/org/${u}/dashboard/people`, { unitId: u }],
		['members', membersLoader as Loader, `/org/${u}/members`, { unitId: u }],
		['reports', reportsLoader as Loader, `/org/${u}/reports`, { unitId: u }],
		['report download', downloadLoader as Loader, `/org/${u}/reports/csv?period=h1-2026`, { unitId: u, format: 'csv' }],
		['certificates', unitCertificatesLoader as Loader, `/certificates/unit/${u}`, { unitId: u }],
		['certificate zip', zipLoader as Loader, `/certificates/unit/${u}/zip`, { unitId: u }],
		['training events', trainingLoader as Loader, `/org/${u}/training`, { unitId: u }],
		['assignments', assignmentsLoader as Loader, `/org/${u}/assignments`, { unitId: u }],
		['imports', importsLoader as Loader, `/org/${u}/imports`, { unitId: u }],
		['targets', targetsLoader as Loader, `/org/${u}/targets`, { unitId: u }],
	]
}

test('a Youth Union officer gets 403 on every page of government units', async () => {
	for (const unit of [w.gov, w.dept]) {
		for (const [name, loader, path, params] of unitPages(unit.id)) {
			expect(await status(call(loader, w.officer.id, path, params)), `${name} of ${unit.name}`).toBe(403)
		}
	}
	// A government membership asked for through a youth page is not in that subtree.
	const u = String(w.branch.id)
	expect(await status(call(memberLoader as Loader, w.officer.id, `/org/${u}/members/${w.staffPost.id}`, { unitId: u, membershipId: w.staffPost.id }))).toBe(404)
	const g = String(w.dept.id)
	expect(await status(call(memberLoader as Loader, w.officer.id, `/org/${g}/members/${w.staffPost.id}`, { unitId: g, membershipId: w.staffPost.id }))).toBe(403)
})

test('a government manager gets 403 on every page of Youth Union units', async () => {
	for (const unit of [w.youth, w.dcs, w.branch]) {
		for (const [name, loader, path, params] of unitPages(unit.id)) {
			expect(await status(call(loader, w.manager.id, path, params)), `${name} of ${unit.name}`).toBe(403)
		}
	}
	const g = String(w.gov.id)
	expect(await status(call(memberLoader as Loader, w.manager.id, `/org/${g}/members/${w.youthPost.id}`, { unitId: g, membershipId: w.youthPost.id }))).toBe(404)
})

test('each side sees the person with its own membership only: member page, members list, people list', async () => {
	type Member = { member: { orgUnit: { name: string } }; history: Array<{ orgUnit: { name: string } }> }
	const g = String(w.gov.id)
	const asStaff = await body<Member>(call(memberLoader as Loader, w.manager.id, `/org/${g}/members/${w.staffPost.id}`, { unitId: g, membershipId: w.staffPost.id }))
	expect(asStaff.member.orgUnit.name).toBe('Sở Thông tin')
	expect(asStaff.history.map((h) => h.orgUnit.name)).toEqual(['Sở Thông tin'])
	const y = String(w.youth.id)
	const asYouth = await body<Member>(call(memberLoader as Loader, w.officer.id, `/org/${y}/members/${w.youthPost.id}`, { unitId: y, membershipId: w.youthPost.id }))
	expect(asYouth.history.map((h) => h.orgUnit.name)).toEqual(['Chi đoàn Sở Thông tin'])

	type Members = { result: { members: Array<{ unitName: string }> }; units: Array<{ name: string }> }
	const govList = await body<Members>(call(membersLoader as Loader, w.manager.id, `/org/${g}/members?q=hai+noi`, { unitId: g }))
	expect(govList.result.members.map((m) => m.unitName)).toEqual(['Sở Thông tin'])
	expect(govList.units.map((u) => u.name)).not.toContain('Chi đoàn Sở Thông tin')
	const youthList = await body<Members>(call(membersLoader as Loader, w.officer.id, `/org/${y}/members?q=hai+noi`, { unitId: y }))
	expect(youthList.result.members.map((m) => m.unitName)).toEqual(['Chi đoàn Sở Thông tin'])

	type People = { people: Array<{ name: string; units: Array<string>; required: number }> }
	const govPeople = await body<People>(call(peopleLoader as Loader, w.manager.id, `/org/${g}/dashboard/people`, { unitId: g }))
	expect(govPeople.people).toEqual([expect.objectContaining({ name: 'Vũ Thị Hai Nơi', units: ['Sở Thông tin'], required: 1 })])
	const youthPeople = await body<People>(call(peopleLoader as Loader, w.officer.id, `/org/${y}/dashboard/people`, { unitId: y }))
	expect(youthPeople.people).toEqual([expect.objectContaining({ name: 'Vũ Thị Hai Nơi', units: ['Chi đoàn Sở Thông tin'], required: 1 })])
})

test('certificates stay in the tree they were issued in: lists, pages and ZIPs', async () => {
	// Issued in the post the course was required for, not simply the person's oldest post.
	expect([w.staffCert.orgName, w.youthCert.orgName]).toEqual(['Sở Thông tin', 'Chi đoàn Sở Thông tin'])
	type List = { rows: Array<{ serial: string; orgName: string }> }
	const g = String(w.gov.id)
	const y = String(w.youth.id)
	const govList = await body<List>(call(unitCertificatesLoader as Loader, w.manager.id, `/certificates/unit/${g}?status=all`, { unitId: g }))
	expect(govList.rows.map((c) => c.serial)).toEqual([w.staffCert.serial])
	const youthList = await body<List>(call(unitCertificatesLoader as Loader, w.officer.id, `/certificates/unit/${y}?status=all`, { unitId: y }))
	expect(youthList.rows.map((c) => c.serial)).toEqual([w.youthCert.serial])
	const cert = (userId: string, serial: string) => status(call(certificateLoader as Loader, userId, `/certificates/${serial}`, { serial }))
	expect(await cert(w.manager.id, w.staffCert.serial)).toBe(200)
	expect(await cert(w.manager.id, w.youthCert.serial)).toBe(403)
	expect(await cert(w.officer.id, w.youthCert.serial)).toBe(200)
	expect(await cert(w.officer.id, w.staffCert.serial)).toBe(403)
	// A ZIP holds what the list holds.
	expect(await db.certificate.count({ where: unitZipWhere(w.gov, { status: 'valid' }) })).toBe(1)
	expect(await db.certificate.count({ where: unitZipWhere(w.youth, { status: 'valid' }) })).toBe(1)
	// The holder sees both.
	expect(await cert(w.person.id, w.staffCert.serial)).toBe(200)
	expect(await cert(w.person.id, w.youthCert.serial)).toBe(200)
})

test('the reports index takes each viewer to their own tree; a YOUTH_ADMIN grant outside the youth tree opens nothing', async () => {
	const index = async (userId: string) => {
		const outcome = await reportsIndexLoader({ request: await requestAs(userId, 'http://localhost/reports'), params: {}, context: {} }).catch((r: unknown) => r)
		return outcome instanceof Response ? (outcome.headers.get('Location') ?? outcome.status) : 200
	}
	expect(await index(w.manager.id)).toBe(`/org/${w.gov.id}/dashboard`)
	expect(await index(w.officer.id)).toBe(`/org/${w.youth.id}/dashboard`)
	expect(await index(w.misgranted.id)).toBe(403)
	for (const [name, loader, path, params] of unitPages(w.dept.id)) {
		expect(await status(call(loader, w.misgranted.id, path, params)), name).toBe(403)
	}
	expect(roleFitsTree('YOUTH_ADMIN', 'GOV')).toBe(false)
	expect(roleFitsTree('YOUTH_ADMIN', 'YOUTH')).toBe(true)
	expect(roleFitsTree('MANAGER', 'GOV')).toBe(true)
})

test('the person sees their own memberships in both trees', async () => {
	const request = await requestAs(w.person.id, 'http://localhost/')
	const data = await body<{ home: { memberships: Array<{ orgUnit: { name: string; tree: string } }> } }>(homeLoader({ request, params: {}, context: {} }))
	expect(data.home.memberships.map((m) => m.orgUnit.tree).sort()).toEqual(['GOV', 'YOUTH'])
})

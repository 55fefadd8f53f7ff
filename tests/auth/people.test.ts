// Issue 16: what a legitimate action does to people outside the actor's scope. Each test here failed on the code
// before app/auth/people.server.ts (account take-over through an import, an administrator locked out by a
// department manager, audit events of other trees, snapshots by a sub-tree administrator, invite enumeration).
import { expect, test } from 'vitest'
import { activateAccount } from '#app/auth/activation.server.ts'
import { audit, listAuditEvents } from '#app/auth/audit.server.ts'
import { accountRefusal, grantAtOrAbove, membershipRefusal, type PersonFacts } from '#app/auth/people.server.ts'
import { type Grant } from '#app/auth/permissions.ts'
import { issuePins } from '#app/classes/pins.server.ts'
import { db } from '#app/db.server.ts'
import { confirmRosterImport, getImportJob, issueImportCodes, startRosterImport } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { endMember, moveMember } from '#app/org/members.server.ts'
import { createUserInUnit } from '#app/org/users.server.ts'
import * as memberRoute from '#app/routes/org.$unitId_.members.$membershipId.tsx'
import * as reportsRoute from '#app/routes/org.$unitId_.reports.tsx'
import * as inviteRoute from '#app/routes/invite.$token.tsx'
import { lastEndedPeriod } from '#app/reports/snapshots.server.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createInvite } from '#app/youth/invites.server.ts'
import { registerWithInvite } from '#app/youth/join.server.ts'
import { RegisterSchema } from '#app/youth/schema.ts'
import { certify, createCourse } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs } from '#tests/setup/routes.ts'

useTestDb()

const t = translator('vi')
const grant = (role: Grant['role'], unit: { id: number; path: string }): Grant => ({ role, orgUnitId: unit.id, path: unit.path })
let n = 0

async function province() {
	const i = ++n
	const root = await createUnit(`Tỉnh ${i}`)
	const finance = await createUnit(`Sở Tài chính ${i}`, root)
	const culture = await createUnit(`Sở Văn hóa ${i}`, root)
	const division = await createUnit(`Phòng Di sản ${i}`, culture, 'division')
	const admin = await createUser({ fullName: `Quản trị ${i}`, unitId: root.id, role: 'ADMIN' })
	const cultureManager = await createUser({ fullName: `Quản lý Văn hóa ${i}`, unitId: culture.id, role: 'MANAGER' })
	const youthRoot = await db.orgUnit.update({ where: { id: (await createUnit(`Tỉnh đoàn ${i}`)).id }, data: { tree: 'YOUTH', kind: 'youth_union' } })
	const branch = await createUnit(`Chi đoàn ${i}`, youthRoot, 'youth_branch')
	const youthOfficer = await createUser({ unitId: youthRoot.id, role: 'YOUTH_ADMIN' })
	return { root, finance, culture, division, admin, cultureManager, youthRoot, branch, youthOfficer }
}

async function importRows(scope: { id: number; path: string; tree: 'GOV' | 'YOUTH' | 'EDU'; name: string; code: string; kind: string }, actorId: string, rows: Array<Array<string>>) {
	const bytes = await rosterXlsx(rows)
	const jobId = await startRosterImport({ bytes, fileName: 'ds.xlsx', scope: scope as never, actorId, effectiveAt: new Date(), wait: true })
	return { jobId, job: (await getImportJob(jobId, scope.id))! }
}

test('a roster import cannot take over a pending account of another agency: the row is refused, naming no one', async () => {
	const p = await province()
	const created = await createUserInUnit({ fullName: 'Đỗ Thị Kế Toán', username: `ke.toan.${n}`, email: `ketoan${n}@example.vn`, tags: [] }, p.finance.id, p.admin.id, await requestAs(p.admin.id))
	expect(created.ok).toBe(true)
	const before = await db.membership.count()
	const { jobId, job } = await importRows(p.culture, p.cultureManager.id, [['Đỗ Thị Kế Toán', '', `ketoan${n}@example.vn`, '', p.culture.code, '', '', '']])
	const messages = job.errors.items.map((e) => formatImportMessage(t, e))
	expect(job.errors.items.map((e) => e.key)).toEqual(['import.db.belongsElsewhere'])
	expect(messages[0]).toContain('Người này đang thuộc đơn vị khác; đề nghị đơn vị đó hoặc quản trị tỉnh chuyển sang')
	expect(messages.join(' ')).not.toContain('Kế Toán')
	// The confirm is refused and nothing is written; the admin's printed code still works.
	expect(await confirmRosterImport({ jobId, scope: p.culture as never, actorId: p.cultureManager.id, wait: true })).toBe(false)
	expect(await db.membership.count()).toBe(before)
	if (!created.ok) return
	expect(await activateAccount(`ke.toan.${n}`, created.code, 'mat-khau-moi-dai')).not.toBeNull()
})

test('across trees and by phone only: a youth officer cannot take a GOV account, a GOV manager cannot take a youth registrant', async () => {
	const p = await province()
	await createUserInUnit({ fullName: 'Phan Văn Công Chức', username: `cong.chuc.${n}`, email: `congchuc${n}@example.vn`, tags: [] }, p.finance.id, p.admin.id, await requestAs(p.admin.id))
	const youth = await importRows(p.branch as never, p.youthOfficer.id, [['Phan Văn Công Chức', '', `congchuc${n}@example.vn`, '', p.branch.code, '', '', '']])
	expect(youth.job.errors.items.map((e) => e.key)).toEqual(['import.db.belongsElsewhere'])

	const made = await createInvite(
		{ orgUnitId: p.branch.id, expiresAt: new Date(Date.now() + 86_400_000), maxUses: 5 },
		{ actorId: p.youthOfficer.id, grants: [grant('YOUTH_ADMIN', p.youthRoot)] },
	)
	if (!made.ok) throw new Error(made.error)
	const phone = `0977${String(100000 + n).padStart(6, '0')}`
	const registrant = RegisterSchema.parse({ intent: 'register', fullName: 'Vũ Thị Đoàn Viên', birthYear: '2005', phone, email: '', password: 'mat-khau-doan-vien', confirm: 'mat-khau-doan-vien' })
	const registered = await registerWithInvite(new Request('http://localhost/', { headers: { 'x-vms-client-ip': '198.51.100.77' } }), made.token, registrant)
	expect(registered.ok).toBe(true)
	const gov = await importRows(p.culture, p.cultureManager.id, [['Vũ Thị Đoàn Viên', '', '', phone, p.culture.code, '', '', '']])
	expect(gov.job.errors.items.map((e) => e.key)).toEqual(['import.db.belongsElsewhere'])
	// Nothing admitted the registrant: still pending, waiting for the secretary.
	expect(await db.user.findFirstOrThrow({ where: { username: phone } })).toMatchObject({ status: 'PENDING' })
})

test('activation codes are issued only for people wholly inside the issuer’s scope', async () => {
	const p = await province()
	const { jobId } = await importRows(p.culture, p.cultureManager.id, [
		['Ngô Văn Một', '', `mot${n}@example.vn`, '', p.culture.code, '', '', ''],
		['Ngô Văn Hai', '', `hai${n}@example.vn`, '', p.division.code, '', '', ''],
	])
	expect(await confirmRosterImport({ jobId, scope: p.culture as never, actorId: p.cultureManager.id, wait: true })).toBe(true)
	// Later the province also places "Hai" in the finance department: his account is no longer the culture manager's alone.
	const hai = await db.user.findUniqueOrThrow({ where: { email: `hai${n}@example.vn` } })
	await db.membership.create({ data: { userId: hai.id, orgUnitId: p.finance.id } })
	const actor = { userId: p.cultureManager.id, grants: [grant('MANAGER', p.culture)], scope: p.culture.path }
	const issued = await issueImportCodes({ jobId, unitId: p.culture.id, actor })
	expect(issued?.cards.map((c) => c.fullName)).toEqual(['Ngô Văn Một'])
	expect(issued?.withheld).toBe(1)
	expect(await db.activationCode.count({ where: { userId: hai.id } })).toBe(0)
})

test('a department manager cannot end, move or lock out the provincial administrator, a peer, or themselves', async () => {
	const p = await province()
	// The administrator's home unit is a division below the manager's department.
	const adminHome = await db.membership.create({ data: { userId: p.admin.id, orgUnitId: p.division.id, validFrom: new Date('2025-01-01T00:00:00Z') } })
	await db.membership.deleteMany({ where: { userId: p.admin.id, orgUnitId: p.root.id } })
	const peer = await createUser({ unitId: p.culture.id, role: 'MANAGER' })
	const peerMembership = await db.membership.findFirstOrThrow({ where: { userId: peer.id } })
	const own = await db.membership.findFirstOrThrow({ where: { userId: p.cultureManager.id } })
	const actor = { actorId: p.cultureManager.id, grants: [grant('MANAGER', p.culture)] }
	const now = new Date()
	expect(await endMember(p.culture, adminHome.id, now, actor)).toEqual({ ended: false, reason: 'protected' })
	expect(await moveMember(p.culture, adminHome.id, { toUnitId: p.culture.id, at: now }, actor)).toBe('protected')
	expect(await endMember(p.culture, peerMembership.id, now, actor)).toEqual({ ended: false, reason: 'protected' })
	expect(await endMember(p.culture, own.id, now, actor)).toMatchObject({ ended: false })
	expect(await db.user.findUniqueOrThrow({ where: { id: p.admin.id } })).toMatchObject({ status: 'ACTIVE' })
	expect(await db.membership.findUniqueOrThrow({ where: { id: adminHome.id } })).toMatchObject({ validTo: null })
	// Through the page: 403 with a message, and the administrator still signs in.
	const at = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10)
	const response = await memberRoute.action(routeArgs(await postAs(p.cultureManager.id, { intent: 'end', at }), { unitId: String(p.culture.id), membershipId: adminHome.id }))
	expect(response.status).toBe(403)
	expect(await db.user.findUniqueOrThrow({ where: { id: p.admin.id } })).toMatchObject({ status: 'ACTIVE' })
})

test('ending the last membership disables the account only when the account is the actor’s to touch', async () => {
	const p = await province()
	const actor = { actorId: p.cultureManager.id, grants: [grant('MANAGER', p.culture)] }
	// A division head (a grant below the manager's): may be ended, and is locked with it.
	const head = await createUser({ unitId: p.division.id, role: 'MANAGER' })
	const headMembership = await db.membership.findFirstOrThrow({ where: { userId: head.id } })
	expect(await endMember(p.culture, headMembership.id, new Date(), actor)).toEqual({ ended: true, disabled: true })
	// Someone whose only membership is here but who trains in the finance department: the membership ends, the account stays.
	const trainer = await createUser({ unitId: p.division.id })
	await db.roleGrant.create({ data: { userId: trainer.id, orgUnitId: p.finance.id, role: 'TRAINER' } })
	const trainerMembership = await db.membership.findFirstOrThrow({ where: { userId: trainer.id } })
	expect(await endMember(p.culture, trainerMembership.id, new Date(), actor)).toEqual({ ended: true, disabled: false })
	expect(await db.user.findUniqueOrThrow({ where: { id: trainer.id } })).toMatchObject({ status: 'ACTIVE' })
})

test('the rules themselves: at or above, peers, ranks on one unit, self', () => {
	const actor = { userId: 'me', grants: [{ role: 'MANAGER' as const, path: '/1/2/' }] }
	expect(grantAtOrAbove(actor, { role: 'ADMIN', path: '/1/' })).toBe(true)
	expect(grantAtOrAbove(actor, { role: 'MANAGER', path: '/1/2/' })).toBe(true)
	expect(grantAtOrAbove(actor, { role: 'TRAINER', path: '/1/2/' })).toBe(true)
	expect(grantAtOrAbove(actor, { role: 'ADMIN', path: '/1/2/3/' })).toBe(false)
	// Beside the actor's scope: neither at nor above (accountRefusal refuses it as outside).
	expect(grantAtOrAbove(actor, { role: 'MANAGER', path: '/1/9/' })).toBe(false)
	expect(grantAtOrAbove({ userId: 'a', grants: [{ role: 'ADMIN', path: '/1/' }, { role: 'MANAGER', path: '/1/2/' }] }, { role: 'MANAGER', path: '/1/2/' })).toBe(false)
	expect(grantAtOrAbove({ userId: 'a', grants: [{ role: 'ADMIN', path: '/1/2/' }] }, { role: 'MANAGER', path: '/1/2/' })).toBe(false)
	const person = (over: Partial<PersonFacts>): PersonFacts => ({ userId: 'p', memberships: [{ id: 'm', orgUnitId: 3, path: '/1/2/3/' }], grants: [], awaitingApproval: false, ...over })
	expect(accountRefusal(actor, person({}))).toBeNull()
	expect(accountRefusal(actor, person({ awaitingApproval: true }))).toBe('awaiting-approval')
	expect(accountRefusal(actor, person({ memberships: [{ id: 'x', orgUnitId: 9, path: '/1/9/' }] }))).toBe('membership-outside')
	expect(accountRefusal(actor, person({ grants: [{ role: 'TRAINER', path: '/1/9/' }] }))).toBe('grant-outside')
	expect(accountRefusal(actor, person({ userId: 'me' }))).toBe('self')
	expect(accountRefusal({ ...actor, scope: '/1/2/4/' }, person({}))).toBe('membership-outside')
	expect(membershipRefusal(actor, person({ userId: 'me', grants: [{ role: 'MANAGER', path: '/1/2/' }] }), 'm', 'end')).toBe('grant-at-or-above')
	expect(membershipRefusal(actor, person({ userId: 'me' }), 'm', 'end')).toBe('self')
	expect(membershipRefusal(actor, person({ userId: 'me', memberships: [{ id: 'm', orgUnitId: 3, path: '/1/2/3/' }, { id: 'k', orgUnitId: 4, path: '/1/2/4/' }] }), 'm', 'end')).toBeNull()
})

test('class PINs are issued only for pupils wholly inside the teacher’s scope', async () => {
	const school = await db.orgUnit.update({ where: { id: (await createUnit(`Trường ${++n}`)).id }, data: { tree: 'EDU' } })
	const klassA = await createUnit('Lớp 5A', school, 'class')
	const klassB = await createUnit('Lớp 5B', school, 'class')
	const teacher = await createUser({ unitId: klassA.id, role: 'TRAINER' })
	const pupil = await createUser({ password: null, status: 'PENDING' })
	await db.membership.create({ data: { userId: pupil.id, orgUnitId: klassA.id } })
	const twoClasses = await createUser({ password: null, status: 'PENDING' })
	await db.membership.create({ data: { userId: twoClasses.id, orgUnitId: klassA.id } })
	await db.membership.create({ data: { userId: twoClasses.id, orgUnitId: klassB.id } })
	const pins = await issuePins(klassA.id, [pupil.id, twoClasses.id], { actorId: teacher.id, grants: [grant('TRAINER', klassA)] })
	expect([...pins.keys()]).toEqual([pupil.id])
})

test('audit events follow their target: a youth root officer sees no certificate or snapshot of the government tree', async () => {
	const p = await province()
	const course = await createCourse()
	const learner = await createUser({ unitId: p.finance.id })
	const certificate = await certify(learner, course.versions[0]!, { issuedAt: new Date() })
	await db.certificate.update({ where: { id: certificate.id }, data: { orgUnitId: p.finance.id } })
	await audit({ actorId: learner.id, action: 'certificate.issue', targetType: 'Certificate', targetId: certificate.serial })
	await audit({ actorId: p.admin.id, action: 'snapshot.take', targetType: 'CompletionSnapshotPeriod', targetId: '2026-01' })
	const youthView = await listAuditEvents([grant('YOUTH_ADMIN', p.youthRoot)], 10_000)
	expect(youthView.filter((e) => e.targetId === certificate.serial || e.action === 'snapshot.take')).toEqual([])
	const financeView = await listAuditEvents([grant('MANAGER', p.finance)], 10_000)
	expect(financeView.map((e) => e.targetId)).toContain(certificate.serial)
	expect(financeView.map((e) => e.action)).not.toContain('snapshot.take')
	const cultureView = await listAuditEvents([grant('MANAGER', p.culture)], 10_000)
	expect(cultureView.map((e) => e.targetId)).not.toContain(certificate.serial)
	const adminView = await listAuditEvents([grant('ADMIN', p.root)], 10_000)
	expect(adminView.map((e) => e.targetId)).toEqual(expect.arrayContaining([certificate.serial, '2026-01']))
})

test('month-end snapshots: only an administrator of a whole tree, only ended months in range, clear 400 otherwise', async () => {
	const p = await province()
	const subAdmin = await createUser({ unitId: p.culture.id, role: 'ADMIN' })
	const post = async (userId: string, unitId: number, month: string) => {
		try {
			return await reportsRoute.action({
				request: await requestAs(userId, 'http://localhost/', { method: 'POST', body: new URLSearchParams({ month }) }),
				params: { unitId: String(unitId) },
				context: {},
			})
		} catch (thrown) {
			if (thrown instanceof Response) return thrown
			if (thrown && typeof thrown === 'object' && 'init' in thrown) return new Response(null, (thrown as { init: ResponseInit }).init)
			throw thrown
		}
	}
	expect((await post(subAdmin.id, p.culture.id, lastEndedPeriod())).status).toBe(403)
	const ancient = await post(p.admin.id, p.root.id, '1900-01')
	expect(ancient.status).toBe(400)
	expect(await ancient.text()).toContain('chỉ chốt số liệu cho tháng đã kết thúc')
	const now = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7)
	expect((await post(p.admin.id, p.root.id, now)).status).toBe(400)
	expect((await post(p.admin.id, p.root.id, '2026-13')).status).toBe(400)
	expect(await db.completionSnapshotPeriod.count({ where: { period: { in: ['1900-01', now] } } })).toBe(0)
})

test('invite registration answers a known phone or e-mail exactly like a new one, and takes no use for it', async () => {
	const p = await province()
	const made = await createInvite(
		{ orgUnitId: p.branch.id, expiresAt: new Date(Date.now() + 86_400_000), maxUses: 5 },
		{ actorId: p.youthOfficer.id, grants: [grant('YOUTH_ADMIN', p.youthRoot)] },
	)
	if (!made.ok) throw new Error(made.error)
	const known = await createUser({ fullName: 'Người Đã Có', unitId: p.finance.id })
	await db.user.update({ where: { id: known.id }, data: { email: `daco${n}@example.vn` } })
	const form = (email: string) =>
		new Request(`http://localhost/invite/${made.token}`, {
			method: 'POST',
			headers: { 'x-vms-client-ip': `192.0.2.${n}` },
			body: new URLSearchParams({ intent: 'register', fullName: 'Lý Văn Thử', birthYear: '2006', email, password: 'mat-khau-thu-nghiem', confirm: 'mat-khau-thu-nghiem' }),
		})
	const users = await db.user.count()
	const existing = await inviteRoute.action({ request: form(`daco${n}@example.vn`), params: { token: made.token }, context: {} })
	const fresh = await inviteRoute.action({ request: form(`moi${n}@example.vn`), params: { token: made.token }, context: {} })
	expect(existing.status).toBe(fresh.status)
	const [a, b] = [await existing.json(), await fresh.json()]
	expect(a).toEqual({ ...b, sent: { ...b.sent, identifier: `daco${n}@example.vn` } })
	expect(await db.user.count()).toBe(users + 1)
	expect((await db.youthInvite.findUniqueOrThrow({ where: { id: made.inviteId } })).uses).toBe(1)
})

import { expect, test } from 'vitest'
import { authenticate } from '#app/auth/login.server.ts'
import { JOIN_LIMIT, joinStatusOf, linkWithInvite, registerWithInvite } from '#app/youth/join.server.ts'
import { createInvite, listInvites, publicInvite, revokeInvite } from '#app/youth/invites.server.ts'
import { countPendingRequests, decideRequests, listPendingRequests } from '#app/youth/requests.server.ts'
import { grassrootsTypes } from '#app/youth/profile.server.ts'
import { RegisterSchema } from '#app/youth/schema.ts'
import { createUnit as createTreeUnit } from '#app/org/tree.server.ts'
import { confirmRosterImport, startRosterImport } from '#app/org/import-jobs.server.ts'
import { db } from '#app/db.server.ts'
import { type Grant } from '#app/auth/permissions.ts'
import * as requestsRoute from '#app/routes/org.$unitId_.requests.tsx'
import * as inviteRoute from '#app/routes/invite.$token.tsx'
import { createUnit, createUser, requestAs, TEST_PASSWORD } from '#tests/factories/org.ts'
import { rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const DAY = 24 * 3600_000
let n = 0
let ip = 0
/** A request from its own address, so that the registration limit per address never interferes. */
const fromNewIp = () => new Request('http://localhost/invite/x', { method: 'POST', headers: { 'x-vms-client-ip': `198.51.100.${++ip % 250}` } })

async function youthTree() {
	const i = ++n
	const root = await createUnit(`Tỉnh đoàn ${i}`)
	const youthRoot = await db.orgUnit.update({ where: { id: root.id }, data: { tree: 'YOUTH', kind: 'youth_union' } })
	const grassroots = await createUnit(`Đoàn xã ${i}`, youthRoot, 'youth_grassroots')
	const branch = await createUnit(`Chi đoàn thôn Đông ${i}`, grassroots, 'youth_branch')
	const otherBranch = await createUnit(`Chi đoàn thôn Tây ${i}`, grassroots, 'youth_branch')
	const team = await createUnit(`Tổ công nghệ số ${i}`, grassroots, 'community_team')
	const officer = await createUser({ unitId: youthRoot.id, role: 'YOUTH_ADMIN' })
	const secretary = await createUser({ unitId: branch.id, role: 'YOUTH_ADMIN' })
	const otherSecretary = await createUser({ unitId: otherBranch.id, role: 'YOUTH_ADMIN' })
	const grant = (u: { id: string }, unit: { id: number; path: string }, role: Grant['role'] = 'YOUTH_ADMIN'): Grant[] => [{ role, orgUnitId: unit.id, path: unit.path }]
	return { root: youthRoot, grassroots, branch, otherBranch, team, officer, secretary, otherSecretary, grants: { officer: grant(officer, youthRoot), secretary: grant(secretary, branch), otherSecretary: grant(otherSecretary, otherBranch) } }
}

async function invite(tree: Awaited<ReturnType<typeof youthTree>>, input: { unit?: { id: number }; maxUses?: number; expiresAt?: Date } = {}) {
	const outcome = await createInvite(
		{ orgUnitId: (input.unit ?? tree.branch).id, expiresAt: input.expiresAt ?? new Date(Date.now() + 30 * DAY), maxUses: input.maxUses ?? 10 },
		{ actorId: tree.officer.id, grants: tree.grants.officer },
	)
	if (!outcome.ok) throw new Error(outcome.error)
	return outcome
}

function person(overrides: Record<string, string> = {}) {
	const i = ++n
	return RegisterSchema.parse({
		intent: 'register',
		fullName: `  Nguye\u0302\u0303n   Văn An ${'x'.repeat(0)}`,
		birthYear: '2004',
		phone: `09${String(10_000_000 + i).padStart(8, '0')}`,
		email: '',
		password: 'mat-khau-doan-vien',
		confirm: 'mat-khau-doan-vien',
		...overrides,
	})
}

async function snapshot() {
	return { users: await db.user.count(), requests: await db.joinRequest.count(), memberships: await db.membership.count() }
}

test('invites are made only for a chi đoàn or community team of the youth tree, by an officer covering it', async () => {
	const tree = await youthTree()
	const gov = await createUnit('Ủy ban nhân dân tỉnh')
	const admin = await createUser({ unitId: gov.id, role: 'ADMIN' })
	const base = { expiresAt: new Date(Date.now() + DAY), maxUses: 5 }
	const officer = { actorId: tree.officer.id, grants: tree.grants.officer }
	expect(await createInvite({ ...base, orgUnitId: tree.grassroots.id }, officer)).toEqual({ ok: false, error: 'not-invitable' })
	expect(await createInvite({ ...base, orgUnitId: tree.root.id }, officer)).toEqual({ ok: false, error: 'not-invitable' })
	expect(await createInvite({ ...base, orgUnitId: gov.id }, { actorId: admin.id, grants: [{ role: 'ADMIN', orgUnitId: gov.id, path: gov.path }] })).toEqual({ ok: false, error: 'not-youth' })
	// A chi đoàn secretary cannot invite into the neighbouring chi đoàn; a GOV admin cannot invite into the youth tree.
	expect(await createInvite({ ...base, orgUnitId: tree.otherBranch.id }, { actorId: tree.secretary.id, grants: tree.grants.secretary })).toEqual({ ok: false, error: 'forbidden' })
	expect(await createInvite({ ...base, orgUnitId: tree.branch.id }, { actorId: admin.id, grants: [{ role: 'ADMIN', orgUnitId: gov.id, path: gov.path }] })).toEqual({ ok: false, error: 'forbidden' })
	// Outside the page's subtree: unknown.
	expect(await createInvite({ ...base, orgUnitId: tree.otherBranch.id, within: tree.branch }, officer)).toEqual({ ok: false, error: 'not-found' })

	const made = await createInvite({ ...base, orgUnitId: tree.team.id }, officer)
	expect(made).toMatchObject({ ok: true, unitName: tree.team.name })
	if (!made.ok) return
	expect(made.token).toMatch(/^[A-Za-z0-9_-]{22}$/)
	const again = await createInvite({ ...base, orgUnitId: tree.team.id }, officer)
	expect(again.ok && again.token).not.toBe(made.token)
	expect(await db.auditEvent.count({ where: { action: 'youth.invite.create', targetId: made.inviteId, actorId: tree.officer.id } })).toBe(1)
	expect(await publicInvite(made.token)).toMatchObject({ unit: { name: tree.team.name }, state: 'ok' })
	expect(await publicInvite('khong-co-lien-ket-nay-123')).toBeNull()
})

test('registering through an invite makes a pending YOUTH account and request, and takes one use', async () => {
	const tree = await youthTree()
	const { token, inviteId } = await invite(tree)
	const input = person({ phone: '+84 912 000 111', email: ' An.NV@Example.VN ' })
	expect(input).toMatchObject({ fullName: 'Nguyễn Văn An', phone: '0912000111', email: 'an.nv@example.vn', birthYear: 2004 })
	const outcome = await registerWithInvite(fromNewIp(), token, input)
	expect(outcome.ok).toBe(true)
	if (!outcome.ok) return
	const user = await db.user.findUniqueOrThrow({ where: { id: outcome.userId }, include: { memberships: true, joinRequests: true } })
	expect(user).toMatchObject({ kind: 'YOUTH', status: 'PENDING', fullName: 'Nguyễn Văn An', phone: '0912000111', username: '0912000111', email: 'an.nv@example.vn', birthYear: 2004 })
	expect(user.memberships).toEqual([])
	expect(user.joinRequests).toMatchObject([{ status: 'PENDING', orgUnitId: tree.branch.id, inviteId }])
	expect((await db.youthInvite.findUniqueOrThrow({ where: { id: inviteId } })).uses).toBe(1)
	expect(await db.auditEvent.count({ where: { action: 'youth.join.register', targetId: outcome.requestId } })).toBe(1)
	// Pending: the right password says why they cannot sign in yet; a wrong one says nothing more.
	// As the login route calls it: the youth feature explains an account that is not active yet.
	const login = (id: string, password = 'mat-khau-doan-vien') => authenticate(new Request('http://x/login', { headers: { 'x-vms-client-ip': '192.0.2.50' } }), id, password, joinStatusOf)
	expect(await login('0912 000 111')).toEqual({ ok: false, reason: 'pending-approval' })
	expect(await login('an.nv@example.vn')).toEqual({ ok: false, reason: 'pending-approval' })
	expect(await login('0912000111', 'sai-mat-khau')).toEqual({ ok: false, reason: 'invalid' })
	expect(await countPendingRequests(tree.root)).toBe(1)
	expect(await countPendingRequests(tree.otherBranch)).toBe(0)
})

test('an expired, revoked or unknown invite registers nobody', async () => {
	const tree = await youthTree()
	const expired = await invite(tree, { expiresAt: new Date(Date.now() + 60_000) })
	await db.youthInvite.update({ where: { id: expired.inviteId }, data: { expiresAt: new Date(Date.now() - 1000) } })
	const revoked = await invite(tree)
	const officer = { actorId: tree.officer.id, grants: tree.grants.officer }
	expect(await revokeInvite(tree.otherBranch, revoked.inviteId, officer)).toEqual({ ok: false, error: 'not-found' })
	expect(await revokeInvite(tree.root, revoked.inviteId, officer)).toEqual({ ok: true })
	expect(await revokeInvite(tree.root, revoked.inviteId, officer)).toEqual({ ok: false, error: 'already-revoked' })
	const before = await snapshot()
	expect(await registerWithInvite(fromNewIp(), expired.token, person())).toEqual({ ok: false, error: 'expired' })
	expect(await registerWithInvite(fromNewIp(), revoked.token, person())).toEqual({ ok: false, error: 'revoked' })
	expect(await registerWithInvite(fromNewIp(), 'AAAAAAAAAAAAAAAAAAAAAA', person())).toEqual({ ok: false, error: 'unknown' })
	expect(await registerWithInvite(fromNewIp(), '../../etc', person())).toEqual({ ok: false, error: 'unknown' })
	expect(await snapshot()).toEqual(before)
	expect((await listInvites(tree.root)).map((i) => i.state).sort()).toEqual(['expired', 'revoked'])
	// The public page answers 410 with the reason, 404 for an unknown token.
	const page = await inviteRoute.loader({ request: new Request(`http://localhost/invite/${expired.token}`), params: { token: expired.token }, context: {} })
	expect(page.status).toBe(410)
	expect(await page.json()).toMatchObject({ state: 'expired' })
	const unknown = await inviteRoute.loader({ request: new Request('http://localhost/invite/x'), params: { token: 'AAAAAAAAAAAAAAAAAAAAAA' }, context: {} })
	expect(unknown.status).toBe(404)
})

test('an invite admits at most its maximum, also when two people race for the last use', async () => {
	const tree = await youthTree()
	const one = await invite(tree, { maxUses: 1 })
	expect((await registerWithInvite(fromNewIp(), one.token, person())).ok).toBe(true)
	const before = await snapshot()
	expect(await registerWithInvite(fromNewIp(), one.token, person())).toEqual({ ok: false, error: 'exhausted' })
	expect(await snapshot()).toEqual(before)

	const two = await invite(tree, { maxUses: 2 })
	expect((await registerWithInvite(fromNewIp(), two.token, person())).ok).toBe(true)
	const racers = await Promise.all([registerWithInvite(fromNewIp(), two.token, person()), registerWithInvite(fromNewIp(), two.token, person()), registerWithInvite(fromNewIp(), two.token, person())])
	expect(racers.filter((r) => r.ok)).toHaveLength(1)
	expect(racers.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(['exhausted', 'exhausted'])
	expect((await db.youthInvite.findUniqueOrThrow({ where: { id: two.inviteId } })).uses).toBe(2)
	expect(await db.joinRequest.count({ where: { inviteId: two.inviteId } })).toBe(2)
	// The losers left no account behind.
	expect(await db.user.count({ where: { kind: 'YOUTH', joinRequests: { none: {} } } })).toBe(0)
})

test('the same phone or e-mail cannot register twice: sign in, wait, or ask the secretary', async () => {
	const tree = await youthTree()
	const { token } = await invite(tree)
	const gov = await createUnit('Sở Nội vụ')
	const staff = await db.user.create({ data: { fullName: 'Trần Thị Hoa', email: 'hoa.tt@noivu.gov.vn', phone: '0988777666', username: 'hoa.tt', status: 'ACTIVE' } })
	await db.membership.create({ data: { userId: staff.id, orgUnitId: gov.id } })
	const before = await snapshot()
	expect(await registerWithInvite(fromNewIp(), token, person({ email: 'HOA.TT@noivu.gov.vn', phone: '' }))).toEqual({ ok: false, error: 'account-exists' })
	expect(await registerWithInvite(fromNewIp(), token, person({ phone: '+84988777666' }))).toEqual({ ok: false, error: 'account-exists' })
	expect(await snapshot()).toEqual(before)

	const first = await registerWithInvite(fromNewIp(), token, person({ phone: '0977111222' }))
	expect(first.ok).toBe(true)
	const afterFirst = await snapshot()
	expect(await registerWithInvite(fromNewIp(), token, person({ phone: '0977 111 222' }))).toEqual({ ok: false, error: 'already-pending' })
	// Pending for another chi đoàn: still waiting, signing in would not work either.
	const other = await invite(tree, { unit: tree.otherBranch })
	expect(await registerWithInvite(fromNewIp(), other.token, person({ phone: '0977111222' }))).toEqual({ ok: false, error: 'already-pending' })
	expect(await snapshot()).toEqual(afterFirst)
	// Two registrations with one phone racing: the unique username keeps one.
	const racers = await Promise.all([registerWithInvite(fromNewIp(), token, person({ phone: '0966000999' })), registerWithInvite(fromNewIp(), token, person({ phone: '0966000999' }))])
	expect(racers.filter((r) => r.ok)).toHaveLength(1)
	expect(await db.user.count({ where: { phone: '0966000999' } })).toBe(1)
})

test('a rejected person trying again is told so and nothing is created', async () => {
	const tree = await youthTree()
	const { token } = await invite(tree)
	const first = await registerWithInvite(fromNewIp(), token, person({ phone: '0955123123' }))
	if (!first.ok) throw new Error(first.error)
	expect(await decideRequests(tree.branch, { ids: [first.requestId], decision: 'reject', reason: 'Không cư trú tại thôn' }, { actorId: tree.secretary.id, grants: tree.grants.secretary })).toEqual({ ok: true, decided: 1, skipped: 0 })
	const before = await snapshot()
	const uses = (await db.youthInvite.findUniqueOrThrow({ where: { token } })).uses
	expect(await registerWithInvite(fromNewIp(), token, person({ phone: '0955123123' }))).toEqual({ ok: false, error: 'rejected' })
	expect(await snapshot()).toEqual(before)
	expect((await db.youthInvite.findUniqueOrThrow({ where: { token } })).uses).toBe(uses)
	expect(await authenticate(new Request('http://x/', { headers: { 'x-vms-client-ip': '192.0.2.60' } }), '0955123123', 'mat-khau-doan-vien', joinStatusOf)).toEqual({ ok: false, reason: 'join-rejected' })
})

test('approving makes a counted membership from now and lets the person sign in; deciding twice is refused', async () => {
	const tree = await youthTree()
	const { token } = await invite(tree)
	const r = await registerWithInvite(fromNewIp(), token, person({ phone: '0944555666' }))
	if (!r.ok) throw new Error(r.error)
	expect(await listPendingRequests(tree.branch)).toMatchObject([{ id: r.requestId, fullName: 'Nguyễn Văn An', phone: '0944555666', birthYear: 2004, existingAccount: false }])
	const before = Date.now()
	expect(await decideRequests(tree.branch, { ids: [r.requestId], decision: 'approve' }, { actorId: tree.secretary.id, grants: tree.grants.secretary })).toEqual({ ok: true, decided: 1, skipped: 0 })
	const user = await db.user.findUniqueOrThrow({ where: { id: r.userId }, include: { memberships: true, joinRequests: true } })
	expect(user.status).toBe('ACTIVE')
	expect(user.memberships).toMatchObject([{ orgUnitId: tree.branch.id, countsInTarget: true, validTo: null }])
	expect(user.memberships[0]!.validFrom.getTime()).toBeGreaterThanOrEqual(before - 1000)
	expect(user.joinRequests).toMatchObject([{ status: 'APPROVED', decidedById: tree.secretary.id }])
	expect(await db.auditEvent.count({ where: { action: 'youth.request.approve', targetId: r.requestId, actorId: tree.secretary.id } })).toBe(1)
	const login = await authenticate(new Request('http://x/', { headers: { 'x-vms-client-ip': '192.0.2.70' } }), '0944555666', 'mat-khau-doan-vien')
	expect(login.ok).toBe(true)

	expect(await decideRequests(tree.branch, { ids: [r.requestId], decision: 'reject' }, { actorId: tree.secretary.id, grants: tree.grants.secretary })).toEqual({ ok: false, error: 'already-decided' })
	expect(await db.membership.count({ where: { userId: r.userId } })).toBe(1)
	// A member opening the link again is told so.
	expect(await registerWithInvite(fromNewIp(), token, person({ phone: '0944555666' }))).toEqual({ ok: false, error: 'already-member' })
})

test('bulk decisions: approve or reject many at once, skipping requests already decided', async () => {
	const tree = await youthTree()
	const { token } = await invite(tree, { maxUses: 20 })
	const ids: Array<string> = []
	const users: Array<string> = []
	for (let i = 0; i < 5; i++) {
		const r = await registerWithInvite(fromNewIp(), token, person())
		if (!r.ok) throw new Error(r.error)
		ids.push(r.requestId)
		users.push(r.userId)
	}
	const actor = { actorId: tree.officer.id, grants: tree.grants.officer }
	expect(await decideRequests(tree.root, { ids: ids.slice(0, 2), decision: 'reject', reason: 'Chưa đủ tuổi' }, actor)).toEqual({ ok: true, decided: 2, skipped: 0 })
	expect(await db.joinRequest.findMany({ where: { id: { in: ids.slice(0, 2) } }, select: { status: true, reason: true } })).toEqual([
		{ status: 'REJECTED', reason: 'Chưa đủ tuổi' },
		{ status: 'REJECTED', reason: 'Chưa đủ tuổi' },
	])
	expect(await db.user.count({ where: { id: { in: users.slice(0, 2) }, status: 'PENDING' } })).toBe(2)
	expect(await db.membership.count({ where: { userId: { in: users.slice(0, 2) } } })).toBe(0)

	// One of the batch was rejected already: the other three are approved, that one is skipped.
	expect(await decideRequests(tree.root, { ids: ids.slice(1), decision: 'approve' }, actor)).toEqual({ ok: true, decided: 3, skipped: 1 })
	expect(await db.membership.count({ where: { userId: { in: users.slice(2) }, orgUnitId: tree.branch.id, countsInTarget: true } })).toBe(3)
	expect(await db.user.count({ where: { id: { in: users.slice(2) }, status: 'ACTIVE' } })).toBe(3)
	expect(await db.user.findUniqueOrThrow({ where: { id: users[1]! } })).toMatchObject({ status: 'PENDING' })
	expect(await db.auditEvent.count({ where: { action: { in: ['youth.request.approve', 'youth.request.reject'] }, targetId: { in: ids } } })).toBe(5)
	expect(await countPendingRequests(tree.root)).toBe(0)
})

test('deciding requests outside one’s scope changes nothing (404 from the page)', async () => {
	const tree = await youthTree()
	const { token } = await invite(tree)
	const mine = await invite(tree, { unit: tree.otherBranch })
	const a = await registerWithInvite(fromNewIp(), token, person())
	const b = await registerWithInvite(fromNewIp(), mine.token, person())
	if (!a.ok || !b.ok) throw new Error('setup')
	// The other chi đoàn's secretary, directly and mixed into a batch of their own: nothing at all changes.
	const other = { actorId: tree.otherSecretary.id, grants: tree.grants.otherSecretary }
	expect(await decideRequests(tree.otherBranch, { ids: [a.requestId], decision: 'approve' }, other)).toEqual({ ok: false, error: 'not-found' })
	expect(await decideRequests(tree.otherBranch, { ids: [b.requestId, a.requestId], decision: 'approve' }, other)).toEqual({ ok: false, error: 'not-found' })
	// A page of their own unit cannot reach a request of the neighbouring one even with wider grants.
	expect(await decideRequests(tree.otherBranch, { ids: [a.requestId], decision: 'approve' }, { actorId: tree.officer.id, grants: tree.grants.officer })).toEqual({ ok: false, error: 'not-found' })
	expect(await db.joinRequest.count({ where: { status: 'PENDING', id: { in: [a.requestId, b.requestId] } } })).toBe(2)
	expect(await db.membership.count({ where: { userId: { in: [a.userId, b.userId] } } })).toBe(0)

	// Through the page: the neighbouring secretary's own page → 404; the branch page itself → 403.
	const form = new URLSearchParams([['decision', 'approve'], ['ids', a.requestId]])
	const post = async (unitId: number) =>
		requestsRoute
			.action({ request: await requestAs(tree.otherSecretary.id, `http://localhost/org/${unitId}/requests`, { method: 'POST', body: form }), params: { unitId: String(unitId) }, context: {} })
			.catch((e: unknown) => e as Response)
	expect((await post(tree.otherBranch.id)).status).toBe(404)
	expect((await post(tree.branch.id)).status).toBe(403)
	expect(await db.joinRequest.count({ where: { id: a.requestId, status: 'PENDING' } })).toBe(1)
	// A GOV manager has no say in the youth tree.
	const gov = await createUnit('Sở Tư pháp')
	const manager = await createUser({ unitId: gov.id, role: 'MANAGER' })
	const byManager = await requestsRoute
		.action({ request: await requestAs(manager.id, `http://localhost/org/${tree.branch.id}/requests`, { method: 'POST', body: form }), params: { unitId: String(tree.branch.id) }, context: {} })
		.catch((e: unknown) => e as Response)
	expect(byManager.status).toBe(403)
	// The secretary of the branch, through the page: approved.
	const ok = await requestsRoute.action({ request: await requestAs(tree.secretary.id, `http://localhost/org/${tree.branch.id}/requests`, { method: 'POST', body: form }), params: { unitId: String(tree.branch.id) }, context: {} })
	expect(ok.status).toBe(200)
	expect(await db.membership.count({ where: { userId: a.userId, orgUnitId: tree.branch.id } })).toBe(1)
})

test('a civil servant links the same account: one person, memberships in two trees, the government one untouched', async () => {
	const tree = await youthTree()
	const { token, inviteId } = await invite(tree)
	const province = await createUnit('Ủy ban nhân dân tỉnh Minh Sơn')
	const dept = await createUnit('Sở Khoa học và Công nghệ', province)
	const staff = await createUser({ fullName: 'Lê Minh Tuấn', unitId: dept.id })
	const govMembership = await db.membership.findFirstOrThrow({ where: { userId: staff.id } })
	const users = await db.user.count()
	const request = await requestAs(staff.id, `http://localhost/invite/${token}`, { method: 'POST', body: new URLSearchParams({ intent: 'link' }) })
	const response = await inviteRoute.action({ request, params: { token }, context: {} })
	expect(response.status).toBe(200)
	expect(await response.json()).toMatchObject({ sent: { kind: 'linked' } })
	expect(await db.user.count()).toBe(users)
	const pending = await db.joinRequest.findFirstOrThrow({ where: { userId: staff.id } })
	expect(pending).toMatchObject({ status: 'PENDING', orgUnitId: tree.branch.id, inviteId })
	expect(await linkWithInvite(await requestAs(staff.id), token, staff.id)).toEqual({ ok: false, error: 'already-pending' })
	expect(await listPendingRequests(tree.branch)).toMatchObject([{ fullName: 'Lê Minh Tuấn', existingAccount: true }])

	expect(await decideRequests(tree.branch, { ids: [pending.id], decision: 'approve' }, { actorId: tree.secretary.id, grants: tree.grants.secretary })).toMatchObject({ ok: true, decided: 1 })
	const after = await db.user.findUniqueOrThrow({ where: { id: staff.id }, include: { memberships: { include: { orgUnit: true }, orderBy: { createdAt: 'asc' } } } })
	expect(after.status).toBe('ACTIVE')
	expect(after.kind).toBe('STAFF')
	expect(after.memberships.map((m) => [m.orgUnit.tree, m.orgUnitId])).toEqual([
		['GOV', dept.id],
		['YOUTH', tree.branch.id],
	])
	expect(after.memberships[0]).toEqual(expect.objectContaining({ id: govMembership.id, validFrom: govMembership.validFrom, validTo: null, countsInTarget: govMembership.countsInTarget, title: govMembership.title }))
	expect(await linkWithInvite(await requestAs(staff.id), token, staff.id)).toEqual({ ok: false, error: 'already-member' })
	// Signing in with the password still works as before.
	expect((await authenticate(new Request('http://x/', { headers: { 'x-vms-client-ip': '192.0.2.80' } }), after.username!, TEST_PASSWORD)).ok).toBe(true)
})

test('registrations are limited per address', async () => {
	const tree = await youthTree()
	const { token } = await invite(tree)
	const limit = JOIN_LIMIT('203.0.113.250')
	await db.rateLimit.create({ data: { key: limit.key, count: limit.max - 1, resetAt: new Date(Date.now() + 600_000) } })
	const request = () => new Request('http://localhost/', { method: 'POST', headers: { 'x-vms-client-ip': '203.0.113.250' } })
	const before = await snapshot()
	expect(await registerWithInvite(request(), token, person())).toMatchObject({ ok: false, error: 'rate-limited' })
	expect(await snapshot()).toEqual(before)
})

test('invalid registration input is refused by the form schema with catalogue keys', () => {
	const base = { intent: 'register', fullName: 'Phạm Thu Hà', birthYear: '2003', password: 'mat-khau-123', confirm: 'mat-khau-123' }
	const issues = (value: Record<string, string>) => {
		const r = RegisterSchema.safeParse({ ...base, ...value })
		return r.success ? [] : r.error.issues.map((i) => i.message)
	}
	expect(issues({})).toEqual(['youth.join.error.contact'])
	expect(issues({ phone: '12345' })).toEqual(['youth.join.error.phone'])
	expect(issues({ email: 'khong-phai-email' })).toEqual(['youth.join.error.email'])
	expect(issues({ phone: '0912345678', confirm: 'khac' })).toEqual(['youth.join.error.confirm'])
	expect(issues({ phone: '0912345678', birthYear: '1850' })).toEqual(['youth.join.error.birthYear'])
	expect(issues({ phone: '0912345678', fullName: '<script>' })).toEqual(['youth.join.error.name'])
})

test('a roster imported into a chi đoàn creates youth accounts', async () => {
	const tree = await youthTree()
	const file = await rosterXlsx([
		['Đinh Thị Mai', '2005', '', '0933111222', tree.branch.code, 'Đoàn viên', '', 'Có'],
		['Hoàng Văn Nam', '2004', 'nam.hv@example.vn', '', tree.branch.code, 'Bí thư chi đoàn', 'lãnh đạo', 'Có'],
	])
	const scope = tree.branch
	const jobId = await startRosterImport({ bytes: file, fileName: 'chi-doan.xlsx', scope, actorId: tree.secretary.id, mode: 'upsert', effectiveAt: new Date(), wait: true })
	expect(await confirmRosterImport({ jobId, scope, actorId: tree.secretary.id, request: await requestAs(tree.secretary.id), wait: true })).toBe(true)
	const imported = await db.user.findMany({ where: { memberships: { some: { importJobId: jobId } } } })
	expect(imported.map((u) => [u.fullName, u.kind]).sort((a, b) => a[0]!.localeCompare(b[0]!, 'vi'))).toEqual([
		['Đinh Thị Mai', 'YOUTH'],
		['Hoàng Văn Nam', 'YOUTH'],
	])
})

test('a đoàn cơ sở keeps its type from the tree screen', async () => {
	const tree = await youthTree()
	const grants = tree.grants.officer.map((g) => ({ ...g, role: 'ADMIN' as const }))
	const made = await createTreeUnit(tree.root.id, { code: `DCS-TRUONG-${n}`, name: 'Đoàn trường THPT Kim Sơn', kind: 'youth_grassroots', validFrom: new Date(), grassrootsType: 'school' }, { actorId: tree.officer.id, grants })
	expect(made.ok).toBe(true)
	if (!made.ok) return
	expect((await grassrootsTypes([made.unitId])).get(made.unitId)).toBe('school')
})

test('through the pages: the registration form answers with clear statuses and the login page with the waiting message', async () => {
	const tree = await youthTree()
	const { token } = await invite(tree, { maxUses: 1 })
	const form = (fields: Record<string, string>) =>
		new Request(`http://localhost/invite/${token}`, {
			method: 'POST',
			headers: { 'x-vms-client-ip': `192.0.2.${100 + ++ip % 100}` },
			body: new URLSearchParams({ intent: 'register', fullName: 'Lý Thị Thu', birthYear: '2007', password: 'mat-khau-cua-thu', confirm: 'mat-khau-cua-thu', ...fields }),
		})
	const bad = await inviteRoute.action({ request: form({}), params: { token }, context: {} })
	expect(bad.status).toBe(400)
	const ok = await inviteRoute.action({ request: form({ email: 'thu.lt@example.vn' }), params: { token }, context: {} })
	expect(ok.status).toBe(200)
	expect(await ok.json()).toMatchObject({ sent: { kind: 'new', identifier: 'thu.lt@example.vn' } })
	const again = await inviteRoute.action({ request: form({ email: 'thu.lt@example.vn' }), params: { token }, context: {} })
	expect(again.status).toBe(410)
	const body = (await again.json()) as { result: { error: Record<string, Array<string>> } }
	expect(Object.values(body.result.error).flat()).toEqual(['Liên kết mời đã dùng hết số lượt đăng ký. Hãy xin bí thư chi đoàn một liên kết mới.'])

	const { action: loginAction } = await import('#app/routes/login.tsx')
	const login = await loginAction({
		request: new Request('http://localhost/login', { method: 'POST', headers: { 'x-vms-client-ip': '192.0.2.222' }, body: new URLSearchParams({ identifier: 'thu.lt@example.vn', password: 'mat-khau-cua-thu' }) }),
		params: {},
		context: {},
	})
	expect(login.status).toBe(403)
	const answer = (await login.json()) as { error: Record<string, Array<string>> }
	expect(Object.values(answer.error).flat()).toEqual(['Yêu cầu tham gia chi đoàn của bạn đang chờ bí thư chi đoàn duyệt. Bạn đăng nhập được sau khi được duyệt.'])
})

test('the tree screens show and set the type of a đoàn cơ sở', async () => {
	const tree = await youthTree()
	const admin = await createUser({ unitId: tree.root.id, role: 'ADMIN' })
	const treeRoute = await import('#app/routes/org.$unitId_.tree.tsx')
	const editRoute = await import('#app/routes/org.$unitId_.tree.$targetId.tsx')
	const url = `http://localhost/org/${tree.root.id}/tree`
	const created = await treeRoute.action({
		request: await requestAs(admin.id, url, { method: 'POST', body: new URLSearchParams({ intent: 'create', parentId: String(tree.root.id), code: `DCS-KCN-${n}`, name: 'Đoàn Khu công nghiệp Bắc Sơn', kind: 'youth_grassroots', validFrom: new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10), grassrootsType: 'enterprise' }) }),
		params: { unitId: String(tree.root.id) },
		context: {},
	})
	expect(created.status).toBe(200)
	const page = await treeRoute.loader({ request: await requestAs(admin.id, url), params: { unitId: String(tree.root.id) }, context: {} })
	const nodes = ((await page.json()) as { nodes: Array<{ name: string; grassrootsType: string | null }> }).nodes
	expect(nodes.find((x) => x.name === 'Đoàn Khu công nghiệp Bắc Sơn')?.grassrootsType).toBe('enterprise')
	expect(nodes.find((x) => x.name === tree.grassroots.name)?.grassrootsType).toBeNull()

	const edit = await editRoute.action({
		request: await requestAs(admin.id, `${url}/${tree.grassroots.id}`, { method: 'POST', body: new URLSearchParams({ intent: 'youth-profile', grassrootsType: 'commune' }) }),
		params: { unitId: String(tree.root.id), targetId: String(tree.grassroots.id) },
		context: {},
	})
	expect(edit.status).toBe(200)
	expect((await grassrootsTypes([tree.grassroots.id])).get(tree.grassroots.id)).toBe('commune')
	expect(await db.auditEvent.count({ where: { action: 'orgunit.youth-profile', targetId: String(tree.grassroots.id) } })).toBe(1)
	// A chi đoàn has no such type.
	const refused = await editRoute.action({
		request: await requestAs(admin.id, `${url}/${tree.branch.id}`, { method: 'POST', body: new URLSearchParams({ intent: 'youth-profile', grassrootsType: 'school' }) }),
		params: { unitId: String(tree.root.id), targetId: String(tree.branch.id) },
		context: {},
	})
	expect(refused.status).toBe(400)
	expect(await db.youthUnitProfile.count({ where: { orgUnitId: tree.branch.id } })).toBe(0)
})

// The permanent authorization matrix (issue 16): every loader and action of every route file, called as every kind of
// actor — logged out, a plain member, a grant on the unit ("inside"), an administrator above it, a grant below it,
// beside it, in another tree — and, for routes that name an object (a job, a membership, an invite…), the inside
// actor with an object of a sibling unit. RULES must name every route file: a new route without a rule fails here.
import { readdirSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { writeContentBuild } from '#app/content/build.server.ts'
import { checkContent } from '#app/content/check.server.ts'
import { db } from '#app/db.server.ts'
import { type OrgKind, type Role } from '#app/db-types.ts'
import { assign, certify, createCourse } from '#tests/factories/learning.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { createTestDb, type TestDb } from '#tests/setup/db.ts'

const ROUTES_DIR = 'app/routes'
const tmp = mkdtempSync(path.join(tmpdir(), 'vms-authz-'))
let testDb: TestDb

type Slot = 'anon' | 'learner' | 'inside' | 'above' | 'below' | 'beside' | 'other'
const SLOTS: Array<Slot> = ['anon', 'learner', 'inside', 'above', 'below', 'beside', 'other']
/** allow: the work happens (no 401/403/404, no login redirect); deny: 403 or 404; login: redirect to a login page. */
type Outcome = 'allow' | 'deny' | 'login'
type World = 'gov' | 'edu' | 'youth' | 'class'
type Expect = Partial<Record<Slot, Outcome>>

// Expectation shapes.
const scoped: Expect = { anon: 'login', learner: 'deny', inside: 'allow', above: 'allow', below: 'deny', beside: 'deny', other: 'deny' }
const signedIn: Expect = { anon: 'login', learner: 'allow', inside: 'allow', above: 'allow', below: 'allow', beside: 'allow', other: 'allow' }
const everyone: Expect = { anon: 'allow', learner: 'allow', inside: 'allow', above: 'allow', below: 'allow', beside: 'allow', other: 'allow' }
const anyGrant: Expect = { anon: 'login', learner: 'deny', inside: 'allow', above: 'allow', below: 'allow', beside: 'allow', other: 'allow' }
const adminOnly: Expect = { anon: 'login', learner: 'deny', inside: 'deny', above: 'allow', below: 'deny', beside: 'deny', other: 'deny' }
/** Only the person the object belongs to (the learner's own attempt). */
const ownerOnly: Expect = { anon: 'login', learner: 'allow', inside: 'deny', above: 'deny', below: 'deny', beside: 'deny', other: 'deny' }
/** A certificate issued in the child unit to the learner: the holder and every manager whose scope covers it. */
const certificate: Expect = { anon: 'login', learner: 'allow', inside: 'allow', above: 'allow', below: 'allow', beside: 'deny', other: 'deny' }
/** Pupils' pages behind the card login: the pupil of the class; anyone else gets the same 404 as an unknown code. */
const pupilOnly: Expect = { anon: 'login', learner: 'allow', inside: 'deny', above: 'deny', below: 'deny', beside: 'deny', other: 'deny' }
const pupilLogin: Expect = { ...pupilOnly, inside: 'allow', above: 'allow', below: 'allow', beside: 'allow', other: 'allow' }

type Fixture = Awaited<ReturnType<typeof buildWorlds>>
type Rule = {
	world: World
	params: (f: Fixture) => Record<string, string>
	/** An object of a sibling unit in place of the route's own, for the inside actor: must be refused. */
	foreign?: (f: Fixture) => Record<string, string>
	query?: string
	/** The form an action is probed with (default: an unknown intent); a valid one reaches the object lookup. */
	form?: (f: Fixture) => Record<string, string>
	/** Statuses that also count as a refusal for this route (documented where used). */
	denyAlso?: Array<number>
	loader?: Expect
	action?: Expect
}

const gov = (extra: (f: Fixture) => Record<string, string> = () => ({})) => (f: Fixture) => ({ unitId: String(f.gov.unit.id), ...extra(f) })
const youth = (extra: (f: Fixture) => Record<string, string> = () => ({})) => (f: Fixture) => ({ unitId: String(f.youth.unit.id), ...extra(f) })
const edu = (f: Fixture) => ({ unitId: String(f.edu.unit.id) })
const none = () => ({})

const RULES: Record<string, Rule> = {
	'$.tsx': { world: 'gov', params: () => ({ '*': 'khong-co-trang-nay' }), loader: Object.fromEntries(SLOTS.map((s) => [s, 'deny'])) as Expect },
	'_index.tsx': { world: 'gov', params: none, loader: everyone },
	'account.tsx': { world: 'gov', params: none, loader: signedIn, action: signedIn },
	'activate.tsx': { world: 'gov', params: none, loader: everyone, action: everyone },
	'admin.audit.tsx': { world: 'gov', params: none, loader: anyGrant },
	'admin.audit[.]xlsx.ts': { world: 'gov', params: none, loader: anyGrant },
	'admin.outbox.tsx': { world: 'gov', params: none, loader: adminOnly },
	// Seeing a certificate: its holder and the managers over it; revoking or reissuing: an ADMIN over it only.
	'certificates.$serial.tsx': { world: 'gov', params: (f) => ({ serial: f.serial }), loader: certificate, action: { ...adminOnly } },
	'certificates.$serial_.pdf.ts': { world: 'gov', params: (f) => ({ serial: f.serial }), loader: certificate },
	'certificates._index.tsx': { world: 'gov', params: none, loader: signedIn },
	'certificates.unit.$unitId.tsx': { world: 'gov', params: gov(), loader: scoped },
	'certificates.unit.$unitId_.zip.ts': { world: 'gov', params: gov(), loader: scoped },
	'content.assets.$file.ts': { world: 'gov', params: () => ({ file: 'khong-co.svg' }), loader: Object.fromEntries(SLOTS.map((s) => [s, 'deny'])) as Expect },
	'content.lessons.$file.ts': { world: 'gov', params: () => ({ file: 'khong-co.html' }), loader: Object.fromEntries(SLOTS.map((s) => [s, 'deny'])) as Expect },
	// A course's page and its lessons are public reading (decision 009); enrolling and marking done need a sign-in.
	'courses.$courseSlug._index.tsx': { world: 'gov', params: () => ({ courseSlug: 'mau' }), loader: everyone, action: signedIn },
	'courses.$courseSlug.lessons.$lessonSlug.tsx': { world: 'gov', params: (f) => ({ courseSlug: 'mau', lessonSlug: f.lessonSlug }), loader: everyone, action: signedIn },
	'courses.$courseSlug.quiz.$attemptId.tsx': { world: 'gov', params: (f) => ({ courseSlug: 'mau', attemptId: f.attemptId }), loader: ownerOnly, action: ownerOnly },
	'courses.$courseSlug.quiz._index.tsx': { world: 'gov', params: () => ({ courseSlug: 'mau' }), loader: signedIn, action: signedIn },
	'courses._index.tsx': { world: 'gov', params: none, loader: everyone },
	'invite.$token.tsx': { world: 'youth', params: (f) => ({ token: f.youth.invite.token }), loader: everyone, action: everyone },
	// Joining by code is open to any signed-in person by design: the code is the secret and the class membership is
	// checked on join, so a stranger gets the same 400 as for a wrong code.
	// The class's teacher is a member of the class too, so may join like a pupil; the page without a join shows only the
	// join form (nothing of the session).
	'join.$code.tsx': { world: 'class', params: (f) => ({ code: f.class.session.joinCode! }), form: () => ({ intent: 'join' }), denyAlso: [400], loader: { ...signedIn }, action: { ...pupilOnly, inside: 'allow' } },
	'join.$code_.state.ts': { world: 'class', params: (f) => ({ code: f.class.session.joinCode! }), loader: { ...pupilOnly, anon: 'deny', inside: 'allow' } },
	'join._index.tsx': { world: 'class', params: none, loader: pupilLogin, action: pupilLogin },
	'join.follow[.]js.ts': { world: 'class', params: none, loader: everyone },
	'join.login.tsx': { world: 'class', params: none, loader: everyone, action: everyone },
	'legal-sources.tsx': { world: 'gov', params: none, loader: everyone },
	'login.tsx': { world: 'gov', params: none, loader: everyone, action: everyone },
	'logout.tsx': { world: 'gov', params: none, loader: everyone, action: Object.fromEntries(SLOTS.map((s) => [s, 'login'])) as Expect },
	'my-courses.tsx': { world: 'gov', params: none, loader: signedIn },
	'org.$unitId.tsx': { world: 'gov', params: gov(), loader: scoped },
	'org.$unitId_.assignments.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.assignments_.$assignmentId.tsx': {
		world: 'gov',
		params: gov((f) => ({ assignmentId: f.gov.assignment.id })),
		foreign: gov((f) => ({ assignmentId: f.gov.foreignAssignment.id })),
		loader: scoped,
		action: scoped,
	},
	'org.$unitId_.classes.tsx': { world: 'edu', params: edu, loader: scoped, action: scoped },
	'org.$unitId_.classes_.import.tsx': { world: 'edu', params: edu, loader: scoped, action: scoped },
	'org.$unitId_.dashboard.tsx': { world: 'gov', params: gov(), loader: scoped },
	'org.$unitId_.dashboard[.]xlsx.ts': { world: 'gov', params: gov(), loader: scoped },
	'org.$unitId_.dashboard_.people.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.imports.$jobId.tsx': { world: 'gov', params: gov((f) => ({ jobId: f.gov.job.id })), foreign: gov((f) => ({ jobId: f.gov.foreignJob.id })), loader: scoped, action: scoped },
	'org.$unitId_.imports.$jobId_.codes.ts': { world: 'gov', params: gov((f) => ({ jobId: f.gov.job.id })), foreign: gov((f) => ({ jobId: f.gov.foreignJob.id })), action: scoped },
	'org.$unitId_.imports.$jobId_.errors[.]xlsx.ts': { world: 'gov', params: gov((f) => ({ jobId: f.gov.job.id })), foreign: gov((f) => ({ jobId: f.gov.foreignJob.id })), loader: scoped },
	'org.$unitId_.imports._index.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.imports.template[.]xlsx.ts': { world: 'gov', params: gov(), loader: scoped },
	'org.$unitId_.imports.tree.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.imports.tree[.]xlsx.ts': { world: 'gov', params: gov(), loader: scoped },
	'org.$unitId_.invites.$inviteId.tsx': { world: 'youth', params: youth((f) => ({ inviteId: f.youth.invite.id })), foreign: youth((f) => ({ inviteId: f.youth.foreignInvite.id })), loader: scoped },
	'org.$unitId_.invites.$inviteId_.qr[.]svg.ts': { world: 'youth', params: youth((f) => ({ inviteId: f.youth.invite.id })), foreign: youth((f) => ({ inviteId: f.youth.foreignInvite.id })), loader: scoped },
	'org.$unitId_.invites._index.tsx': { world: 'youth', params: youth(), loader: scoped, action: scoped },
	'org.$unitId_.members.$membershipId.tsx': {
		world: 'gov',
		params: gov((f) => ({ membershipId: f.gov.membership.id })),
		foreign: gov((f) => ({ membershipId: f.gov.foreignMembership.id })),
		// A real end, but dated before the membership began: refused as not active once found, so the probe changes nothing.
		form: () => ({ intent: 'end', at: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10) }),
		loader: scoped,
		action: scoped,
	},
	'org.$unitId_.members._index.tsx': { world: 'gov', params: gov(), loader: scoped },
	'org.$unitId_.reports.tsx': { world: 'gov', params: gov(), loader: scoped, action: { ...scoped, inside: 'deny' } },
	'org.$unitId_.reports_.$format.ts': { world: 'gov', params: gov(() => ({ format: 'xlsx' })), query: '?period=year-2025', loader: scoped },
	'org.$unitId_.requests.tsx': { world: 'youth', params: youth(), loader: scoped, action: scoped },
	// Reviewing flagged completions: managers over the unit. A sibling unit's review id posted here is refused as not
	// found (tests/integrity/reviews.test.ts), as the page takes no object in its path.
	'org.$unitId_.reviews.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.school-results.tsx': { world: 'edu', params: edu, loader: scoped },
	'org.$unitId_.school-results[.]xlsx.ts': { world: 'edu', params: edu, loader: scoped },
	'org.$unitId_.targets.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.training.$eventId.tsx': { world: 'gov', params: gov((f) => ({ eventId: f.gov.event.id })), foreign: gov((f) => ({ eventId: f.gov.foreignEvent.id })), loader: scoped, action: scoped },
	'org.$unitId_.training._index.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.tree.$targetId.tsx': { world: 'gov', params: gov((f) => ({ targetId: String(f.gov.child.id) })), foreign: gov((f) => ({ targetId: String(f.gov.foreignChild.id) })), loader: scoped, action: scoped },
	'org.$unitId_.tree.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'org.$unitId_.users.new.tsx': { world: 'gov', params: gov(), loader: scoped, action: scoped },
	'privacy.tsx': { world: 'gov', params: none, loader: everyone },
	'reports._index.tsx': { world: 'gov', params: none, loader: anyGrant },
	'set-language.tsx': { world: 'gov', params: none, loader: everyone, action: everyone },
	'teach.$classId.tsx': { world: 'class', params: (f) => ({ classId: String(f.class.unit.id) }), loader: scoped, action: scoped },
	'teach.$classId_.cards[.]pdf.ts': { world: 'class', params: (f) => ({ classId: String(f.class.unit.id) }), loader: Object.fromEntries(SLOTS.map((s) => [s, 'deny'])) as Expect, action: scoped },
	// The list of one's own classes: someone without a teaching grant sees an empty list.
	'teach._index.tsx': { world: 'class', params: none, loader: signedIn },
	'teach.session.$sessionId.tsx': { world: 'class', params: (f) => ({ sessionId: f.class.session.id }), foreign: (f) => ({ sessionId: f.class.foreignSession.id }), loader: scoped },
	// Only the teacher who runs the session closes it (the school's head may watch it).
	'teach.session.$sessionId_.close.tsx': { world: 'class', params: (f) => ({ sessionId: f.class.session.id }), foreign: (f) => ({ sessionId: f.class.foreignSession.id }), loader: scoped, action: { ...scoped, above: 'deny' } },
	'teach.session.$sessionId_.projector.tsx': { world: 'class', params: (f) => ({ sessionId: f.class.session.id }), foreign: (f) => ({ sessionId: f.class.foreignSession.id }), loader: scoped, action: scoped },
	'teach.session.$sessionId_.summary.tsx': { world: 'class', params: (f) => ({ sessionId: f.class.session.id }), foreign: (f) => ({ sessionId: f.class.foreignSession.id }), loader: scoped },
	'teach.session.$sessionId_.state.ts': { world: 'class', params: (f) => ({ sessionId: f.class.session.id }), foreign: (f) => ({ sessionId: f.class.foreignSession.id }), loader: scoped },
	'verify.$serial.tsx': { world: 'gov', params: (f) => ({ serial: f.serial }), loader: everyone },
	'verify._index.tsx': { world: 'gov', params: none, loader: everyone },
}

async function unitOf(name: string, parent: { id: number; path: string; depth: number; tree: 'GOV' | 'EDU' | 'YOUTH' } | undefined, kind: OrgKind, tree?: 'EDU' | 'YOUTH') {
	const unit = await createUnit(name, parent, kind)
	return tree && !parent ? db.orgUnit.update({ where: { id: unit.id }, data: { tree, kind } }) : unit
}

async function person(name: string, grant?: { unitId: number; role: Role }, memberOf?: number) {
	const user = await createUser({ fullName: name })
	if (grant) await db.roleGrant.create({ data: { userId: user.id, orgUnitId: grant.unitId, role: grant.role } })
	if (memberOf) await db.membership.create({ data: { userId: user.id, orgUnitId: memberOf, validFrom: new Date('2025-01-01T00:00:00Z') } })
	return user
}

async function buildWorlds() {
	// Government: province › department A (the target) › division A1; department B beside it.
	const govRoot = await unitOf('Tỉnh Ma Trận', undefined, 'province')
	const a = await unitOf('Sở A', govRoot, 'department')
	const a1 = await unitOf('Phòng A1', a, 'division')
	const b = await unitOf('Sở B', govRoot, 'department')
	const b1 = await unitOf('Phòng B1', b, 'division')
	// Education: province › school S (target) › classes C and C2; school S2 beside it.
	const eduRoot = await unitOf('Sở GD Ma Trận', undefined, 'education_office', 'EDU')
	const s = await unitOf('Trường S', eduRoot, 'school')
	const c = await unitOf('Lớp 5A', s, 'class')
	const c2 = await unitOf('Lớp 5B', s, 'class')
	const s2 = await unitOf('Trường S2', eduRoot, 'school')
	for (const klass of [c, c2]) await db.eduUnitProfile.create({ data: { orgUnitId: klass.id, level: 'PRIMARY', grade: 5, schoolYear: 2026 } })
	// Youth Union: Tỉnh đoàn › đoàn xã G (target) › chi đoàn YB; đoàn xã G2 beside it with YB2.
	const youthRoot = await unitOf('Tỉnh đoàn Ma Trận', undefined, 'youth_union', 'YOUTH')
	const g = await unitOf('Đoàn xã G', youthRoot, 'youth_grassroots')
	const yb = await unitOf('Chi đoàn YB', g, 'youth_branch')
	const g2 = await unitOf('Đoàn xã G2', youthRoot, 'youth_grassroots')
	const yb2 = await unitOf('Chi đoàn YB2', g2, 'youth_branch')

	const admin = await person('Quản trị tỉnh', { unitId: govRoot.id, role: 'ADMIN' }, govRoot.id)
	for (const root of [eduRoot, youthRoot]) await db.roleGrant.create({ data: { userId: admin.id, orgUnitId: root.id, role: 'ADMIN' } })
	const govInside = await person('Quản lý A', { unitId: a.id, role: 'MANAGER' }, a.id)
	const govBelow = await person('Quản lý A1', { unitId: a1.id, role: 'MANAGER' }, a1.id)
	const govBeside = await person('Quản lý B', { unitId: b.id, role: 'MANAGER' }, b.id)
	const govLearner = await person('Học viên A1', undefined, a1.id)
	const eduInside = await person('Hiệu trưởng S', { unitId: s.id, role: 'MANAGER' }, s.id)
	const teacher = await person('Giáo viên 5A', { unitId: c.id, role: 'TRAINER' }, c.id)
	const otherTeacher = await person('Giáo viên 5B', { unitId: c2.id, role: 'TRAINER' }, c2.id)
	const eduBeside = await person('Hiệu trưởng S2', { unitId: s2.id, role: 'MANAGER' }, s2.id)
	const pupil = await person('Học sinh 5A', undefined, c.id)
	const youthInside = await person('Bí thư G', { unitId: g.id, role: 'YOUTH_ADMIN' }, g.id)
	const youthBelow = await person('Bí thư YB', { unitId: yb.id, role: 'YOUTH_ADMIN' }, yb.id)
	const youthBeside = await person('Bí thư G2', { unitId: g2.id, role: 'YOUTH_ADMIN' }, g2.id)
	const youthMember = await person('Đoàn viên YB', undefined, yb.id)

	// The sessions and events teach the fixture course 'mau' (tests/fixtures/content), so their pages can render it.
	const course = await createCourse('mau')
	const due = new Date(Date.now() + 30 * 86_400_000)
	const job = (unitId: number, actorId: string) => db.importJob.create({ data: { kind: 'roster', fileName: 'ds.xlsx', orgUnitId: unitId, status: 'SUCCEEDED', actorId, mode: 'upsert' } })
	const event = (unitId: number, trainerId: string, kind: 'IN_PERSON' | 'CLASS_SESSION', joinCode: string | null = null) =>
		db.trainingEvent.create({ data: { kind, title: 'Buổi học', orgUnitId: unitId, courseId: course.id, trainerId, startsAt: new Date(), joinCode } })
	const invite = (unitId: number, createdById: string, token: string) =>
		db.youthInvite.create({ data: { token, orgUnitId: unitId, expiresAt: new Date(Date.now() + 86_400_000), maxUses: 50, createdById } })
	const cert = await certify(govLearner, course.versions[0]!, { issuedAt: new Date() })
	await db.certificate.update({ where: { id: cert.id }, data: { orgUnitId: a1.id, serial: 'VMS-2026-MATRAN0001' } })

	return {
		admin,
		serial: 'VMS-2026-MATRAN0001',
		lessonSlug: '',
		attemptId: '',
		courseSlug: 'mau',
		gov: {
			unit: a,
			child: a1,
			foreignChild: b1,
			actors: { learner: govLearner, inside: govInside, above: admin, below: govBelow, beside: govBeside, other: youthInside },
			job: await job(a.id, govInside.id),
			foreignJob: await job(b.id, govBeside.id),
			// Began ten days ago: the members page's probe (an end dated a month ago) is refused as not active.
			membership: await db.membership.update({ where: { id: (await db.membership.findFirstOrThrow({ where: { userId: govLearner.id } })).id }, data: { validFrom: new Date(Date.now() - 10 * 86_400_000) } }),
			foreignMembership: await db.membership.findFirstOrThrow({ where: { userId: govBeside.id } }),
			assignment: await assign(course, a, { dueAt: due }),
			foreignAssignment: await assign(course, b, { dueAt: due }),
			event: await event(a.id, govInside.id, 'IN_PERSON'),
			foreignEvent: await event(b.id, govBeside.id, 'IN_PERSON'),
		},
		edu: { unit: s, actors: { learner: pupil, inside: eduInside, above: admin, below: teacher, beside: eduBeside, other: govInside } },
		youth: {
			unit: g,
			actors: { learner: youthMember, inside: youthInside, above: admin, below: youthBelow, beside: youthBeside, other: govInside },
			invite: await invite(yb.id, youthInside.id, 'matran-loi-moi-chi-doan-yb-0001'),
			foreignInvite: await invite(yb2.id, youthBeside.id, 'matran-loi-moi-chi-doan-yb2-002'),
		},
		class: {
			unit: c,
			// A class's pages: its teacher inside, the school's head and the province above, the next class's teacher beside.
			actors: { learner: pupil, inside: teacher, above: eduInside, below: null, beside: otherTeacher, other: govInside },
			session: await event(c.id, teacher.id, 'CLASS_SESSION', 'MTRAKX'),
			foreignSession: await event(c2.id, otherTeacher.id, 'CLASS_SESSION', 'MTRBKX'),
		},
	}
}

let fixture: Fixture
beforeAll(async () => {
	testDb = await createTestDb()
	writeContentBuild(await checkContent('tests/fixtures/content/valid'), path.join(tmp, 'v1'))
	process.env.VMS_CONTENT_DIR = path.join(tmp, 'v1')
	fixture = await buildWorlds()
	const { completeLesson, startEnrollment } = await import('#app/learning/progress.server.ts')
	const { startAttempt } = await import('#app/learning/quiz.server.ts')
	const { getCourse } = await import('#app/content/courses.server.ts')
	fixture.lessonSlug = getCourse('mau')!.lessons[0]!.slug
	const enrollment = await startEnrollment(fixture.gov.actors.learner.id, 'mau')
	for (const lesson of getCourse('mau')!.lessons) await completeLesson(enrollment!.id, lesson.slug)
	const attempt = await startAttempt(fixture.gov.actors.learner.id, 'mau')
	if (!attempt.ok) throw new Error(`no attempt: ${attempt.reason}`)
	fixture.attemptId = attempt.attempt.id
	const { joinClassSession } = await import('#app/classes/sessions.server.ts')
	const joined = await joinClassSession(fixture.class.session.joinCode!, fixture.class.actors.learner.id)
	if (!joined.ok) throw new Error(`pupil could not join: ${joined.error}`)
}, 120_000)
afterAll(async () => {
	delete process.env.VMS_CONTENT_DIR
	rmSync(tmp, { recursive: true, force: true })
	await testDb.close()
})

type Module = { loader?: (args: unknown) => Promise<unknown>; action?: (args: unknown) => Promise<unknown> }

async function call(fn: NonNullable<Module['loader']>, request: Request, params: Record<string, string>) {
	try {
		const result = await fn({ request, params, context: {} })
		if (result instanceof Response) {
			// Read to the end: cancelling a streamed body (a ZIP) mid-way leaves its producer writing into a closed stream.
			await result.arrayBuffer().catch(() => undefined)
			return { status: result.status, location: result.headers.get('Location') }
		}
		return { status: 200, location: null }
	} catch (thrown) {
		if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get('Location') }
		if (thrown && typeof thrown === 'object' && 'init' in thrown) {
			const init = (thrown as { init: ResponseInit | null }).init
			return { status: init?.status ?? 200, location: null }
		}
		return { status: 500, location: String(thrown) }
	}
}

function judge(status: number, location: string | null): Outcome | 'error' {
	if (status >= 500) return 'error'
	if (status >= 300 && status < 400 && location && /^\/(join\/)?login(\?|$)/.test(location)) return 'login'
	if (status === 401 || status === 403 || status === 404 || status === 405) return 'deny'
	return 'allow'
}

function actorsOf(world: World) {
	return fixture[world].actors as Record<Exclude<Slot, 'anon'>, { id: string } | null>
}

test('every route file has a rule, and every rule a route file', () => {
	const files = readdirSync(ROUTES_DIR).filter((f) => /\.(tsx?|ts)$/.test(f))
	expect(files.filter((f) => !(f in RULES)).sort()).toEqual([])
	expect(Object.keys(RULES).filter((f) => !files.includes(f)).sort()).toEqual([])
})

test('every loader and action × every actor gives the expected answer', async () => {
	const wrong: Array<string> = []
	let cells = 0
	for (const [file, rule] of Object.entries(RULES)) {
		const mod = (await import(/* @vite-ignore */ `#app/routes/${file.replace(/\.tsx?$/, '')}`)) as Module
		for (const kind of ['loader', 'action'] as const) {
			const expected = rule[kind]
			const fn = mod[kind]
			if (!expected) {
				// A route that exports a handler the rules do not describe is a route without a rule.
				if (fn && !(kind === 'loader' && mod.action && !rule.loader && (await isMethodNotAllowed(fn)))) wrong.push(`${file} ${kind}: exported but no rule`)
				continue
			}
			if (!fn) {
				wrong.push(`${file} ${kind}: rule but not exported`)
				continue
			}
			const params = rule.params(fixture)
			const url = `http://localhost/matrix/${file}${rule.query ?? ''}`
			for (const slot of SLOTS) {
				const want = expected[slot]
				if (!want) continue
				const actor = slot === 'anon' ? null : actorsOf(rule.world)[slot]
				if (slot !== 'anon' && !actor) continue
				const init: RequestInit = kind === 'action' ? { method: 'POST', body: new URLSearchParams(rule.form?.(fixture) ?? { intent: 'matrix-probe' }) } : {}
				const got = await call(fn, await requestAs(actor?.id ?? null, url, init), params)
				cells++
				const judged = judge(got.status, got.location)
				const outcome = judged === 'allow' && rule.denyAlso?.includes(got.status) && want === 'deny' ? 'deny' : judged
				if (outcome !== want) wrong.push(`${file} ${kind} as ${slot}: expected ${want}, got ${got.status}${got.location ? ` → ${got.location}` : ''}`)
			}
			if (rule.foreign) {
				const init: RequestInit = kind === 'action' ? { method: 'POST', body: new URLSearchParams(rule.form?.(fixture) ?? { intent: 'matrix-probe' }) } : {}
				const got = await call(fn, await requestAs(actorsOf(rule.world).inside!.id, url, init), rule.foreign(fixture))
				cells++
				if (judge(got.status, got.location) !== 'deny') wrong.push(`${file} ${kind} as inside with a sibling's id: expected deny, got ${got.status}`)
			}
		}
	}
	console.log(`authorization matrix: ${cells} cells over ${Object.keys(RULES).length} route files`)
	expect(wrong).toEqual([])
}, 300_000)

async function isMethodNotAllowed(fn: NonNullable<Module['loader']>) {
	const got = await call(fn, new Request('http://localhost/'), {})
	return got.status === 405
}

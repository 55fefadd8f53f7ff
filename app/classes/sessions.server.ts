// Class sessions (decision 015): a TrainingEvent of kind CLASS_SESSION on a class, driven by the teacher who started
// it. Students join with its 6-character code while it is open; they follow TrainingEvent.step and answer the quick
// questions. Closing records attendance and the class's completions (through app/learning/completion.server.ts,
// source CLASS) in one transaction. Everything lives in the database so that any app process can serve any request;
// the student requests (join, follow, answer) are a few prepared statements, because a whole class sends them at once.
import { randomInt } from 'node:crypto'
import { audit } from '#app/auth/audit.server.ts'
import { hit, type Limit, peek } from '#app/auth/rate-limit.server.ts'
import { listCourses, getCourse } from '#app/content/courses.server.ts'
import { db, newId, Prisma, runSql } from '#app/db.server.ts'
import { completeCourse } from '#app/learning/completion.server.ts'
import { ensureCurrentVersion } from '#app/learning/versions.server.ts'
import { compareVi, sortByViName } from '#app/ui/collation.ts'
import { ANSWER, JOIN, VIEW } from './sessions.sql.ts'
import { sessionSteps } from './steps.server.ts'

// No 0/O, 1/I/L: codes are read off a projector from the back of the room.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const CODE_LENGTH = 6
/** A session left open (the teacher forgot to close it) stops taking students after this long. */
export const SESSION_HOURS = 4
const WRONG_CODE_LIMIT = (userId: string): Limit => ({ key: `join:user:${userId}`, max: 10, windowSeconds: 10 * 60 })

export function generateJoinCode() {
	return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
}

/** What a child types: case, spaces and dashes do not matter. Null when it cannot be a code at all. */
export function normalizeJoinCode(input: string) {
	const code = input.toUpperCase().replace(/[\s-]/g, '')
	return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null
}

/** Courses written for students, for the "start a session" form. */
export function studentCourseOptions() {
	return listCourses()
		.filter((c) => c.audience.some((a) => a.startsWith('student-')))
		.map((c) => ({ slug: c.slug, title: c.title }))
		.sort((a, b) => compareVi(a.title, b.title))
}

type Actor = { actorId: string; request?: Request }
type ClassUnit = { id: number; path: string }

export async function openSessionOf(classId: number) {
	return db.trainingEvent.findFirst({
		where: { kind: 'CLASS_SESSION', orgUnitId: classId, closedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: new Date() } }] },
		select: { id: true, trainerId: true },
	})
}

export type StartOutcome = { ok: true; eventId: string } | { ok: false; error: 'course' | 'open'; eventId?: string }

export async function startClassSession(klass: ClassUnit, courseSlug: string, actor: Actor): Promise<StartOutcome> {
	if (!studentCourseOptions().some((c) => c.slug === courseSlug)) return { ok: false, error: 'course' }
	const open = await openSessionOf(klass.id)
	if (open) return { ok: false, error: 'open', eventId: open.id }
	const current = await ensureCurrentVersion(courseSlug)
	if (!current) return { ok: false, error: 'course' }
	const now = new Date()
	for (let attempt = 0; ; attempt++) {
		try {
			const event = await db.$transaction(async (tx) => {
				const created = await tx.trainingEvent.create({
					data: {
						kind: 'CLASS_SESSION',
						title: current.version.title,
						orgUnitId: klass.id,
						courseId: current.course.id,
						trainerId: actor.actorId,
						startsAt: now,
						endsAt: new Date(now.getTime() + SESSION_HOURS * 3600_000),
						joinCode: generateJoinCode(),
					},
				})
				await audit({ actorId: actor.actorId, action: 'class.session.start', targetType: 'TrainingEvent', targetId: created.id, orgUnitId: klass.id, request: actor.request, details: { course: courseSlug } }, tx)
				return created
			})
			return { ok: true, eventId: event.id }
		} catch (error) {
			// A code already taken (1 in 887 million per earlier session): draw another.
			if (attempt < 5 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') continue
			throw error
		}
	}
}

/** A class session for the teacher's pages, inside the viewer's scope; null when there is none. */
export async function getClassSession(scopePaths: ReadonlyArray<string>, eventId: string) {
	const event = await db.trainingEvent.findFirst({
		where: { id: eventId, kind: 'CLASS_SESSION' },
		include: { course: { select: { slug: true } }, orgUnit: { select: { id: true, name: true, path: true, parent: { select: { name: true } } } } },
	})
	if (!event || !scopePaths.some((p) => event.orgUnit.path.startsWith(p))) return null
	const steps = sessionSteps(event.course.slug) ?? [{ kind: 'end' as const }]
	const trainer = await db.user.findUnique({ where: { id: event.trainerId }, select: { fullName: true } })
	const expired = !event.closedAt && !!event.endsAt && event.endsAt <= new Date()
	return { ...event, steps, trainerName: trainer?.fullName ?? '', expired, open: !event.closedAt && !expired, courseTitle: getCourse(event.course.slug)?.meta.title ?? event.title }
}

export type ClassSession = NonNullable<Awaited<ReturnType<typeof getClassSession>>>

/** Only the teacher who started a session drives it (another teacher of the school may watch). */
export function canDrive(event: Pick<ClassSession, 'trainerId'>, userId: string) {
	return event.trainerId === userId
}

export async function moveToStep(event: ClassSession, userId: string, to: number) {
	if (!canDrive(event, userId)) return { ok: false as const, error: 'not-driver' as const }
	if (!event.open) return { ok: false as const, error: 'closed' as const }
	const step = Math.max(0, Math.min(event.steps.length - 1, to))
	await db.trainingEvent.updateMany({ where: { id: event.id, closedAt: null }, data: { step } })
	return { ok: true as const, step }
}

/** Who joined, and who answered the question on screen: the teacher's live view. */
export async function liveStatus(event: Pick<ClassSession, 'id' | 'step' | 'orgUnitId' | 'steps'>) {
	const [students, joins, answers] = await Promise.all([
		classMembers(event.orgUnitId),
		db.classSessionJoin.findMany({ where: { eventId: event.id }, select: { userId: true } }),
		db.classSessionAnswer.findMany({ where: { eventId: event.id }, select: { userId: true, step: true, correct: true } }),
	])
	const joined = new Set(joins.map((j) => j.userId))
	const now = answers.filter((a) => a.step === event.step)
	const answeredNow = new Map(now.map((a) => [a.userId, a.correct]))
	const answeredAny = new Map<string, number>()
	for (const a of answers) answeredAny.set(a.userId, (answeredAny.get(a.userId) ?? 0) + 1)
	return {
		students: students.map((s) => ({ ...s, joined: joined.has(s.id), answeredNow: answeredNow.has(s.id), correctNow: answeredNow.get(s.id) ?? null, answers: answeredAny.get(s.id) ?? 0 })),
		joinedCount: joined.size,
		answeredCount: now.length,
		correctCount: now.filter((a) => a.correct).length,
	}
}

export async function classMembers(classId: number, at = new Date()) {
	const rows = await db.membership.findMany({
		// Teachers may be members of their class too; people holding a role are never its students.
		where: { orgUnitId: classId, validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }], user: { grants: { none: {} } } },
		select: { user: { select: { id: true, fullName: true } } },
	})
	const unique = new Map(rows.map((r) => [r.user.id, r.user]))
	return sortByViName([...unique.values()], (u) => u.fullName)
}

/** The close checklist: every student, present if they joined (or were recorded), completed by default when present
 * and the class reached the end of the course. */
export async function closeChecklist(event: ClassSession) {
	const status = await liveStatus(event)
	const recorded = new Map((await db.attendance.findMany({ where: { eventId: event.id } })).map((a) => [a.userId, a]))
	const reachedEnd = event.step >= event.steps.length - 1
	return status.students.map((s) => {
		const r = recorded.get(s.id)
		const present = r ? r.present : s.joined
		return { id: s.id, fullName: s.fullName, joined: s.joined, present, completed: r ? !!r.passed : present && reachedEnd }
	})
}

export type CloseEntry = { userId: string; present: boolean; completed: boolean }

/**
 * Ends the session (once: a second close changes nothing) and records, for the class's students listed, attendance
 * and — for those present and marked completed — a completed enrollment and a certificate with source CLASS.
 */
export async function closeClassSession(event: ClassSession, entries: Array<CloseEntry>, actor: Actor) {
	if (!canDrive(event, actor.actorId)) return { ok: false as const, error: 'not-driver' as const }
	if (event.closedAt) return { ok: false as const, error: 'closed' as const }
	const members = new Set((await classMembers(event.orgUnitId, event.startsAt)).map((m) => m.id))
	const valid = entries.filter((e) => members.has(e.userId))
	const current = await ensureCurrentVersion(event.course.slug)
	if (!current) throw new Error(`Course ${event.course.slug} is not in the content build`)
	const at = new Date()
	return db.$transaction(
		async (tx) => {
			// The claim: two teachers' tabs (or a double click) cannot both close and record.
			const claimed = await tx.trainingEvent.updateMany({ where: { id: event.id, closedAt: null }, data: { closedAt: at } })
			if (claimed.count !== 1) return { ok: false as const, error: 'closed' as const }
			const completing: Array<string> = []
			for (const e of valid) {
				await tx.attendance.upsert({
					where: { eventId_userId: { eventId: event.id, userId: e.userId } },
					create: { eventId: event.id, userId: e.userId, present: e.present, passed: e.present ? e.completed : null },
					update: { present: e.present, passed: e.present ? e.completed : null, recordedAt: at },
				})
				if (e.present && e.completed) completing.push(e.userId)
			}
			const issued = await completeCourse(tx, { source: 'CLASS', courseVersionId: current.version.id, at, userIds: completing, audit: { actorId: null, details: { source: 'CLASS' } } })
			const completions = issued.length
			const present = valid.filter((e) => e.present).length
			await audit(
				{ actorId: actor.actorId, action: 'class.session.close', targetType: 'TrainingEvent', targetId: event.id, orgUnitId: event.orgUnitId, request: actor.request, details: { recorded: valid.length, present, completions, refused: entries.length - valid.length } },
				tx,
			)
			return { ok: true as const, recorded: valid.length, present, completions }
		},
		{ timeout: 5 * 60 * 1000 },
	)
}

/** Recent sessions of a class, newest first. */
export async function listClassSessions(classId: number) {
	const events = await db.trainingEvent.findMany({
		where: { kind: 'CLASS_SESSION', orgUnitId: classId },
		orderBy: { startsAt: 'desc' },
		take: 50,
		select: { id: true, title: true, startsAt: true, closedAt: true, endsAt: true, _count: { select: { attendances: { where: { present: true } } } } },
	})
	return events.map((e) => ({ id: e.id, title: e.title, startsAt: e.startsAt.toISOString(), closed: !!e.closedAt, present: e._count.attendances }))
}

// ——— the students' side: prepared statements (sessions.sql.ts, decision 009) ————————————————————————————————————

export type JoinOutcome =
	| { ok: true; code: string }
	| { ok: false; error: 'invalid' | 'unknown' | 'closed' | 'expired' | 'wrong-class' }
	| { ok: false; error: 'rate-limited'; retryAfterSeconds: number }

/** Joins the student to the open session with this code, if it is their class's. Joining twice is harmless. */
export async function joinClassSession(rawCode: string, userId: string): Promise<JoinOutcome> {
	const limit = WRONG_CODE_LIMIT(userId)
	const blocked = await peek(limit)
	if (blocked.blocked) return { ok: false, error: 'rate-limited', retryAfterSeconds: blocked.retryAfterSeconds }
	const code = normalizeJoinCode(rawCode)
	const rows = code ? await runSql(JOIN, { code, userId, id: newId() }) : []
	const row = rows[0]
	if (!code || !row) {
		// Only wrong codes count: trying codes one after another is the attack; a class joining is not.
		const state = await hit(limit)
		if (state.blocked) return { ok: false, error: 'rate-limited', retryAfterSeconds: state.retryAfterSeconds }
		return { ok: false, error: code ? 'unknown' : 'invalid' }
	}
	if (row.closed) return { ok: false, error: 'closed' }
	if (row.expired) return { ok: false, error: 'expired' }
	if (!row.member) return { ok: false, error: 'wrong-class' }
	return { ok: true, code }
}


/** What a student sees at /join/<code>: null when the code is unknown. Nothing of the session unless they joined. */
export async function studentView(rawCode: string, userId: string) {
	const code = normalizeJoinCode(rawCode)
	if (!code) return null
	const [row] = await runSql(VIEW, { code, userId })
	if (!row) return null
	const steps = sessionSteps(row.courseSlug) ?? [{ kind: 'end' as const }]
	const step = steps[Math.min(row.step, steps.length - 1)]!
	return { ...row, code, stepIndex: row.step, stepCount: steps.length, step, open: !row.closed && !row.expired }
}

export type AnswerOutcome = { ok: true; correct: boolean } | { ok: false; error: 'unknown' | 'not-joined' | 'closed' | 'moved-on' | 'not-question' | 'already' | 'bad-choice' }

/** The first answer to the question on screen counts; answering a question the teacher has left is refused. */
export async function answerQuestion(rawCode: string, userId: string, step: number, choice: number): Promise<AnswerOutcome> {
	const view = await studentView(rawCode, userId)
	if (!view) return { ok: false, error: 'unknown' }
	if (!view.joined) return { ok: false, error: 'not-joined' }
	if (!view.open) return { ok: false, error: 'closed' }
	if (view.stepIndex !== step) return { ok: false, error: 'moved-on' }
	if (view.step.kind !== 'question') return { ok: false, error: 'not-question' }
	if (!Number.isInteger(choice) || choice < 0 || choice >= view.step.choices.length) return { ok: false, error: 'bad-choice' }
	if (view.myChoice !== null) return { ok: false, error: 'already' }
	const correct = choice === view.step.answer
	const rows = await runSql(ANSWER, { eventId: view.id, userId, id: newId(), step, choice, correct })
	// Nothing inserted: the teacher moved on or closed between the two statements, or a double tap got there first.
	if (!rows.length) return { ok: false, error: 'already' }
	return { ok: true, correct }
}

/** The student's classes (active memberships in class units): the child's home page lists only these. */
export async function myClasses(userId: string) {
	const rows = await db.membership.findMany({
		where: { userId, validFrom: { lte: new Date() }, OR: [{ validTo: null }, { validTo: { gt: new Date() } }], orgUnit: { tree: 'EDU', kind: 'class' } },
		select: { orgUnit: { select: { id: true, name: true, parent: { select: { name: true } } } } },
	})
	return rows.map((r) => ({ id: r.orgUnit.id, name: r.orgUnit.name, schoolName: r.orgUnit.parent?.name ?? '' }))
}

/** What the teacher's live pages show, as one string: they reload when it changes (/join/follow.js). */
export function liveState(event: { step: number; open: boolean }, live: { joinedCount: number; answeredCount: number }) {
	return `${event.step}:${event.open}:${live.joinedCount}:${live.answeredCount}`
}

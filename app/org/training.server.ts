// In-person training (tập huấn): an event with a course, a date, a trainer and a unit. Attendance is recorded by
// checklist or from a file; attendees who passed the event's quiz — or everyone present when the course allows
// attendance-only completion — are completed with source IN_PERSON through the completion path
// (app/learning/completion.server.ts), in the same transaction as the attendance and its audit row. Recording the
// same list twice issues nothing twice.
import { audit } from '#app/auth/audit.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import { db } from '#app/db.server.ts'
import { completeCourse } from '#app/learning/completion.server.ts'
import { ensureCurrentVersion } from '#app/learning/versions.server.ts'
import { compareViNames, foldVi, normalizeName } from '#app/ui/collation.ts'
import { type ImportMessage } from './import-messages.ts'
import { normalizePhone } from './roster-rows.server.ts'
import { cellText, columnLetter, HEADER_SEARCH_ROWS, readSpreadsheet } from './spreadsheet.server.ts'

type Scope = { id: number; path: string }
type Actor = { actorId: string; request?: Request }

/** Whether being present is enough to complete the course (course.yaml: inPersonCompletion: attendance). */
export function attendanceCompletes(courseSlug: string) {
	return getCourse(courseSlug)?.meta.inPersonCompletion === 'attendance'
}

export async function listEvents(scope: Scope) {
	const events = await db.trainingEvent.findMany({
		where: { kind: 'IN_PERSON', orgUnit: { path: { startsWith: scope.path } } },
		orderBy: { startsAt: 'desc' },
		take: 200,
		include: { course: { select: { slug: true } }, orgUnit: { select: { id: true, name: true } }, _count: { select: { attendances: { where: { present: true } } } } },
	})
	return events.map((e) => ({
		id: e.id,
		title: e.title,
		startsAt: e.startsAt.toISOString(),
		location: e.location,
		unit: e.orgUnit,
		courseTitle: getCourse(e.course.slug)?.meta.title ?? e.course.slug,
		present: e._count.attendances,
	}))
}

/** People who may be named trainer: holders of a TRAINER, MANAGER or ADMIN grant on the unit or above it, and the actor. */
export async function trainerOptions(unit: Scope, actorId: string) {
	const ancestors = unit.path.split('/').filter(Boolean).map(Number)
	const grants = await db.roleGrant.findMany({
		where: { orgUnitId: { in: ancestors }, role: { in: ['TRAINER', 'MANAGER', 'ADMIN'] } },
		select: { user: { select: { id: true, fullName: true } } },
	})
	const actor = await db.user.findUniqueOrThrow({ where: { id: actorId }, select: { id: true, fullName: true } })
	const people = new Map([[actor.id, actor], ...grants.map((g) => [g.user.id, g.user] as const)])
	return [...people.values()].sort((a, b) => compareViNames(a.fullName, b.fullName))
}

export async function createEvent(
	unit: Scope,
	input: { courseSlug: string; title: string; startsAt: Date; trainerId: string; location?: string },
	actor: Actor,
) {
	const trainers = await trainerOptions(unit, actor.actorId)
	if (!trainers.some((t) => t.id === input.trainerId)) return { ok: false as const, error: 'trainer' as const }
	const current = await ensureCurrentVersion(input.courseSlug)
	if (!current) return { ok: false as const, error: 'course' as const }
	const event = await db.$transaction(async (tx) => {
		const created = await tx.trainingEvent.create({
			data: { kind: 'IN_PERSON', title: normalizeName(input.title), orgUnitId: unit.id, courseId: current.course.id, trainerId: input.trainerId, location: input.location ? normalizeName(input.location) : null, startsAt: input.startsAt },
		})
		await audit(
			{ actorId: actor.actorId, action: 'training.create', targetType: 'TrainingEvent', targetId: created.id, orgUnitId: unit.id, request: actor.request, details: { course: input.courseSlug, startsAt: input.startsAt.toISOString() } },
			tx,
		)
		return created
	})
	return { ok: true as const, eventId: event.id }
}

export async function getEvent(scope: Scope, eventId: string) {
	const event = await db.trainingEvent.findFirst({
		where: { id: eventId, kind: 'IN_PERSON', orgUnit: { path: { startsWith: scope.path } } },
		include: { course: { select: { slug: true } }, orgUnit: { select: { id: true, name: true, path: true } } },
	})
	if (!event) return null
	const trainer = await db.user.findUnique({ where: { id: event.trainerId }, select: { fullName: true } })
	return { ...event, trainerName: trainer?.fullName ?? '', courseTitle: getCourse(event.course.slug)?.meta.title ?? event.course.slug, attendanceOnly: attendanceCompletes(event.course.slug) }
}

const CHECKLIST_LIMIT = 3000

/** The checklist: active members of the event's unit subtree, with what was recorded for each. */
export async function attendanceSheet(event: { id: string; startsAt: Date; orgUnit: { path: string } }) {
	const members = await db.membership.findMany({
		where: { orgUnit: { path: { startsWith: event.orgUnit.path } }, validFrom: { lte: event.startsAt }, OR: [{ validTo: null }, { validTo: { gt: event.startsAt } }] },
		select: { userId: true, title: true, user: { select: { fullName: true } }, orgUnit: { select: { name: true } } },
		take: CHECKLIST_LIMIT * 2,
	})
	const records = new Map((await db.attendance.findMany({ where: { eventId: event.id } })).map((a) => [a.userId, a]))
	const people = new Map<string, { userId: string; fullName: string; unitName: string; present: boolean; passed: boolean }>()
	for (const m of members) {
		if (people.has(m.userId)) continue
		const r = records.get(m.userId)
		people.set(m.userId, { userId: m.userId, fullName: m.user.fullName, unitName: m.orgUnit.name, present: r?.present ?? false, passed: r?.passed ?? false })
	}
	return [...people.values()].sort((a, b) => compareViNames(a.fullName, b.fullName)).slice(0, CHECKLIST_LIMIT)
}

export type AttendanceEntry = { userId: string; present: boolean; passed: boolean }

/**
 * Records attendance for the listed people (others are untouched) and completes the course for those who qualify.
 * Only people with a membership in the event's subtree can be recorded.
 */
export async function recordAttendance(event: { id: string; startsAt: Date; orgUnitId: number; orgUnit: { path: string }; course: { slug: string } }, entries: Array<AttendanceEntry>, actor: Actor) {
	const ids = [...new Set(entries.map((e) => e.userId))]
	const allowed = new Set(
		(await db.membership.findMany({ where: { userId: { in: ids }, orgUnit: { path: { startsWith: event.orgUnit.path } } }, select: { userId: true }, distinct: ['userId'] })).map((m) => m.userId),
	)
	const valid = entries.filter((e) => allowed.has(e.userId))
	const current = await ensureCurrentVersion(event.course.slug)
	if (!current) throw new Error(`Course ${event.course.slug} is not in the content build`)
	const attendanceOnly = attendanceCompletes(event.course.slug)
	return db.$transaction(
		async (tx) => {
			const completing: Array<string> = []
			for (const e of valid) {
				const passed = e.present && e.passed
				await tx.attendance.upsert({
					where: { eventId_userId: { eventId: event.id, userId: e.userId } },
					create: { eventId: event.id, userId: e.userId, present: e.present, passed: e.present ? e.passed : null },
					update: { present: e.present, passed: e.present ? e.passed : null, recordedAt: new Date() },
				})
				if (e.present && (passed || attendanceOnly)) completing.push(e.userId)
			}
			// Completed on the day of the event. The issue is audited without an actor: what the recorder did is the
			// training.attendance event below.
			const issued = await completeCourse(tx, { source: 'IN_PERSON', courseVersionId: current.version.id, at: event.startsAt, userIds: completing, audit: { actorId: null, details: { source: 'IN_PERSON' } } })
			const certificates = issued.length
			await audit(
				{
					actorId: actor.actorId,
					action: 'training.attendance',
					targetType: 'TrainingEvent',
					targetId: event.id,
					orgUnitId: event.orgUnitId,
					request: actor.request,
					details: { recorded: valid.length, present: valid.filter((e) => e.present).length, certificates },
				},
				tx,
			)
			return { recorded: valid.length, refused: entries.length - valid.length, certificates }
		},
		{ timeout: 5 * 60 * 1000 },
	)
}

// ——— attendance from a file ————————————————————————————————————————————————————————————————

const FILE_ALIASES: Record<'fullName' | 'email' | 'username' | 'phone' | 'present' | 'passed', Array<string>> = {
	fullName: ['ho va ten', 'ho ten', 'full name'],
	email: ['email', 'e-mail', 'thu dien tu'],
	username: ['ten dang nhap', 'username'],
	phone: ['so dien thoai', 'dien thoai', 'sdt'],
	present: ['co mat', 'tham du', 'diem danh', 'present'],
	passed: ['dat', 'ket qua', 'dat bai kiem tra', 'ket qua kiem tra', 'passed'],
}
const YES = ['co', 'x', '1', 'dat', 'yes', 'true', 'co mat']
const NO = ['khong', '0', 'khong dat', 'no', 'false', 'vang', 'vang mat']

/**
 * Reads an attendance list (Họ và tên / Email / Tên đăng nhập / Số điện thoại, Có mặt, Đạt) and matches each row to
 * a member of the event's subtree. Any problem is reported by row and column and nothing is recorded.
 */
export async function readAttendanceFile(event: { startsAt: Date; orgUnit: { path: string } }, bytes: Uint8Array): Promise<{ ok: true; entries: Array<AttendanceEntry> } | { ok: false; errors: Array<ImportMessage> }> {
	const read = await readSpreadsheet(bytes)
	if (!read.ok) return { ok: false, errors: [read.problem] }
	const sheet = read.sheets[0]!
	let headerIndex = -1
	let map = new Map<keyof typeof FILE_ALIASES, number>()
	for (let i = 0; i < Math.min(sheet.rows.length, HEADER_SEARCH_ROWS); i++) {
		const m = new Map<keyof typeof FILE_ALIASES, number>()
		sheet.rows[i]!.cells.forEach((c, col) => {
			const f = (Object.keys(FILE_ALIASES) as Array<keyof typeof FILE_ALIASES>).find((k) => FILE_ALIASES[k].includes(foldVi(cellText(c)).replace(/\(.*?\)/g, '').trim()))
			if (f && !m.has(f)) m.set(f, col)
		})
		if (m.size > map.size) {
			map = m
			headerIndex = i
		}
	}
	if (headerIndex < 0 || !['fullName', 'email', 'username', 'phone'].some((f) => map.has(f as keyof typeof FILE_ALIASES))) {
		return { ok: false, errors: [{ key: 'import.header.notFound', vars: { columns: '«Họ và tên» (hoặc «Email», «Tên đăng nhập»), «Có mặt», «Đạt»' } }] }
	}
	const headerRow = sheet.rows[headerIndex]!
	const members = await db.membership.findMany({
		where: { orgUnit: { path: { startsWith: event.orgUnit.path } }, validFrom: { lte: event.startsAt }, OR: [{ validTo: null }, { validTo: { gt: event.startsAt } }] },
		select: { user: { select: { id: true, fullName: true, email: true, username: true, phone: true } } },
	})
	const byKey = new Map<string, Set<string>>()
	const add = (k: string | null | undefined, id: string) => {
		if (!k) return
		byKey.set(k, (byKey.get(k) ?? new Set()).add(id))
	}
	for (const { user } of members) {
		add(user.email ? `e:${user.email}` : null, user.id)
		add(user.username ? `u:${user.username}` : null, user.id)
		add(user.phone ? `p:${user.phone}` : null, user.id)
		add(`n:${foldVi(user.fullName)}`, user.id)
	}
	const errors: Array<ImportMessage> = []
	const entries: Array<AttendanceEntry> = []
	const seen = new Map<string, number>()
	const at = (row: number, f: keyof typeof FILE_ALIASES) => ({ row, column: columnLetter(map.get(f)!), header: cellText(headerRow.cells[map.get(f)!]) })
	for (const r of sheet.rows.slice(headerIndex + 1)) {
		const text = (f: keyof typeof FILE_ALIASES) => (map.has(f) ? normalizeName(cellText(r.cells[map.get(f)!])) : '')
		if ([...map.values()].every((i) => !cellText(r.cells[i]).trim())) continue
		const keys: Array<[keyof typeof FILE_ALIASES, string]> = []
		if (text('email')) keys.push(['email', `e:${text('email').toLowerCase()}`])
		if (text('username')) keys.push(['username', `u:${text('username').toLowerCase()}`])
		const cell = map.has('phone') ? r.cells[map.get('phone')!] : undefined
		const phone = cell && cell.kind !== 'empty' ? normalizePhone(cell) : null
		if (phone) keys.push(['phone', `p:${phone}`])
		if (text('fullName')) keys.push(['fullName', `n:${foldVi(text('fullName'))}`])
		if (!keys.length) {
			errors.push({ ...at(r.row, map.has('fullName') ? 'fullName' : [...map.keys()][0]!), key: 'training.file.noPerson' })
			continue
		}
		const [field, key] = keys[0]!
		const matches = byKey.get(key)
		if (!matches || matches.size === 0) {
			errors.push({ ...at(r.row, field), key: 'training.file.unknown', vars: { value: text(field).slice(0, 60) } })
			continue
		}
		if (matches.size > 1) {
			errors.push({ ...at(r.row, field), key: 'import.db.ambiguous', vars: { count: matches.size } })
			continue
		}
		const userId = [...matches][0]!
		const before = seen.get(userId)
		if (before) {
			errors.push({ ...at(r.row, field), key: 'import.dup.row', vars: { other: before } })
			continue
		}
		seen.set(userId, r.row)
		const flag = (f: 'present' | 'passed', fallback: boolean) => {
			if (!map.has(f)) return fallback
			const v = foldVi(text(f))
			if (!v) return fallback
			if (YES.includes(v)) return true
			if (NO.includes(v)) return false
			errors.push({ ...at(r.row, f), key: 'import.counts.invalid', vars: { value: v.slice(0, 20) } })
			return null
		}
		const present = flag('present', true)
		const passed = flag('passed', false)
		if (present === null || passed === null) continue
		entries.push({ userId, present, passed })
	}
	if (errors.length) return { ok: false, errors }
	if (!entries.length) return { ok: false, errors: [{ key: 'import.file.onlyHeader', row: headerRow.row }] }
	return { ok: true, entries }
}

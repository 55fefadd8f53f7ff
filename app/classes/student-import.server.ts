// Schools, classes and students from one file (Mã trường, Lớp, Họ và tên, Năm sinh, Giới tính): upload → check →
// preview → confirm, all or nothing, like the roster import (decision 008), whose parts it calls: the spreadsheet
// reader, the birth-date parser, the message catalogue, the ImportJob row that holds the file between preview and
// confirm, and the set-based writer applyRosterPlan with its username rules. What differs is who a child is: no
// e-mail or phone, so a student is the same person when the school, the name and the birth year match. Classes
// missing for the school year are created in the same transaction. Gender is read past and never stored.
import { createHash } from 'node:crypto'
import { audit } from '#app/auth/audit.server.ts'
import { retryIdempotent } from '#app/db-retry.server.ts'
import { z } from 'zod'
import { checkRows, db, type Prisma } from '#app/db.server.ts'
import { type OrgUnit } from '#app/db-types.ts'
import { type ImportMessage } from '#app/org/import-messages.ts'
import { jobRequest, readStored, waitForImport } from '#app/org/import-jobs.server.ts'
import { sendJob } from '#app/jobs/queue.server.ts'
import { applyRosterPlan, emptyRosterPlan, type RosterPlan } from '#app/org/roster-import.server.ts'
import { parseBirthDate, type RosterRow } from '#app/org/roster-rows.server.ts'
import { type Cell, cellText, columnLetter, HEADER_SEARCH_ROWS, readSpreadsheet } from '#app/org/spreadsheet.server.ts'
import { recordCreated } from '#app/org/unit-history.server.ts'
import { foldVi, normalizeName } from '#app/ui/collation.ts'
import { classCode, className, gradeOf } from './classes.server.ts'

export const STUDENT_HEADERS = { schoolCode: 'Mã trường', className: 'Lớp', fullName: 'Họ và tên', birthYear: 'Năm sinh', gender: 'Giới tính' } as const
type Field = keyof typeof STUDENT_HEADERS

const ALIASES: Record<Field, Array<string>> = {
	schoolCode: ['ma truong', 'ma truong hoc', 'ma co so', 'ma don vi'],
	className: ['lop', 'ten lop', 'lop hoc'],
	fullName: ['ho va ten', 'ho ten', 'ho va ten hoc sinh', 'ten hoc sinh', 'hoc sinh', 'full name'],
	birthYear: ['nam sinh', 'ngay sinh', 'ngay thang nam sinh', 'ngay/thang/nam sinh'],
	gender: ['gioi tinh', 'nam/nu', 'gender'],
}
const KIND = 'students'

export type StudentScope = Pick<OrgUnit, 'id' | 'path' | 'name' | 'code' | 'kind' | 'tree' | 'depth'>
type Row = { row: number; school: { id: number; code: string; path: string; depth: number }; className: string; fullName: string; birthYear: number }

function fold(text: string) {
	return foldVi(text).replace(/\(.*?\)|\[.*?\]/g, '').replace(/[*:.]/g, '').replace(/\s+/g, ' ').trim()
}

/** Reads and checks the rows; no database writes. Problems carry the row and column of the file. */
async function readStudentRows(bytes: Uint8Array, scope: StudentScope) {
	const read = await readSpreadsheet(bytes)
	if (!read.ok) return { ok: false as const, problems: [read.problem] }
	const sheet = read.sheets[0]!
	let header = -1
	let map = new Map<Field, number>()
	for (let i = 0; i < Math.min(sheet.rows.length, HEADER_SEARCH_ROWS); i++) {
		const m = new Map<Field, number>()
		sheet.rows[i]!.cells.forEach((c, col) => {
			const f = (Object.keys(ALIASES) as Array<Field>).find((k) => ALIASES[k].includes(fold(cellText(c))))
			if (f && !m.has(f)) m.set(f, col)
		})
		if (m.size > map.size) [map, header] = [m, i]
	}
	const required: Array<Field> = ['schoolCode', 'className', 'fullName', 'birthYear']
	if (header < 0) return { ok: false as const, problems: [{ key: 'import.header.notFound', vars: { columns: required.map((f) => `«${STUDENT_HEADERS[f]}»`).join(', ') } } satisfies ImportMessage] }
	const headerRow = sheet.rows[header]!
	const missing = required.filter((f) => !map.has(f))
	if (missing.length) return { ok: false as const, problems: missing.map((f): ImportMessage => ({ key: 'import.header.missing', row: headerRow.row, vars: { header: STUDENT_HEADERS[f] } })) }
	const schools = await db.orgUnit.findMany({ where: { tree: 'EDU', kind: 'school', path: { startsWith: scope.path }, validTo: null }, select: { id: true, code: true, path: true, depth: true } })
	const schoolByCode = new Map(schools.map((s) => [s.code.toUpperCase(), s]))
	const errors: Array<ImportMessage> = []
	const rows: Array<Row> = []
	const year = new Date().getUTCFullYear()
	const at = (row: number, f: Field) => ({ row, column: columnLetter(map.get(f)!), header: cellText(headerRow.cells[map.get(f)!]) })
	for (const r of sheet.rows.slice(header + 1)) {
		const cell = (f: Field): Cell | undefined => r.cells[map.get(f)!]
		const text = (f: Field) => normalizeName(cellText(cell(f)))
		if (required.every((f) => !text(f))) continue
		let ok = true
		const fail = (f: Field, m: Omit<ImportMessage, 'row' | 'column' | 'header'>) => {
			errors.push({ ...at(r.row, f), ...m })
			ok = false
		}
		const code = text('schoolCode').toUpperCase()
		const school = schoolByCode.get(code)
		if (!code) fail('schoolCode', { key: 'classes.import.schoolRequired' })
		else if (!school) fail('schoolCode', { key: 'import.unit.unknown', vars: { code, scope: scope.name } })
		const klass = text('className').toUpperCase().replace(/^LỚP\s+/, '').replace(/\s+/g, '')
		if (!klass) fail('className', { key: 'classes.import.classRequired' })
		else if (!/^[\p{L}\d.-]{1,12}$/u.test(klass)) fail('className', { key: 'classes.import.classInvalid', vars: { value: klass.slice(0, 20) } })
		const fullName = text('fullName')
		if (!fullName) fail('fullName', { key: 'import.name.required' })
		else if (fullName.length > 120) fail('fullName', { key: 'import.name.tooLong', vars: { max: 120 } })
		else if (/\d/.test(fullName) || !/\p{L}/u.test(fullName) || /^[=+\-@]/.test(fullName)) fail('fullName', { key: 'import.name.invalid' })
		let birthYear = 0
		const b = cell('birthYear')
		if (!b || b.kind === 'empty') fail('birthYear', { key: 'classes.import.birthRequired' })
		else {
			const parsed = parseBirthDate(b, year)
			if ('error' in parsed) fail('birthYear', { key: parsed.error, vars: { value: cellText(b).slice(0, 40) } })
			// Students of a GDNN-GDTX centre may be adults; a "student" born less than 4 years ago is a typo.
			else if (parsed.year > year - 4 || parsed.year < year - 60) fail('birthYear', { key: 'classes.import.birthRange', vars: { value: parsed.year } })
			else birthYear = parsed.year
		}
		if (ok && school) rows.push({ row: r.row, school, className: klass, fullName, birthYear })
	}
	if (!rows.length && !errors.length) return { ok: false as const, problems: [{ key: 'import.file.onlyHeader', row: headerRow.row } satisfies ImportMessage] }
	return { ok: true as const, rows, errors, where: (f: Field) => at(0, f) }
}

type Plan = {
	errors: Array<ImportMessage>
	rows: number
	newClasses: Array<{ key: string; school: Row['school']; className: string }>
	/** Per accepted row: who (an existing user id, or the row itself for a new student) and which class (by key). */
	joins: Array<{ row: Row; userId: string | null; classKey: string }>
	unchanged: number
}

const KNOWN_STUDENT = z.object({ userId: z.string(), fullName: z.string(), birthYear: z.number().int().nullable(), school: z.number().int(), classId: z.number().int() })

async function planStudents(bytes: Uint8Array, scope: StudentScope, schoolYear: number) {
	const read = await readStudentRows(bytes, scope)
	if (!read.ok) return { ok: false as const, problems: read.problems }
	const { rows } = read
	const errors = [...read.errors]
	const schoolIds = [...new Set(rows.map((r) => r.school.id))]
	const classes = await db.orgUnit.findMany({ where: { parentId: { in: schoolIds }, kind: 'class' }, select: { id: true, code: true, parentId: true, validTo: true } })
	const classByCode = new Map(classes.map((c) => [c.code.toUpperCase(), c]))
	// Students of these schools now: name + birth year inside a school is who a child is.
	const knownRows = await db.$queryRaw<Array<unknown>>`
		SELECT DISTINCT m."userId", u."fullName", u."birthYear", c."parentId" AS school, c.id AS "classId"
		FROM "Membership" m JOIN "OrgUnit" c ON c.id = m."orgUnitId" AND c.kind = 'class' JOIN "User" u ON u.id = m."userId"
		WHERE c."parentId" = ANY(${`{${schoolIds.join(",")}}`}::int[]) AND m."validFrom" <= now() AND (m."validTo" IS NULL OR m."validTo" > now())`
	const known = checkRows('known-students', KNOWN_STUDENT, knownRows)
	const people = new Map<string, { userId: string; classes: Set<number> }>()
	const clash = new Set<string>()
	for (const k of known) {
		const key = `${k.school}|${foldVi(k.fullName)}|${k.birthYear}`
		const p = people.get(key)
		if (p && p.userId !== k.userId) clash.add(key)
		else if (p) p.classes.add(k.classId)
		else people.set(key, { userId: k.userId, classes: new Set([k.classId]) })
	}
	const plan: Plan = { errors, rows: rows.length + new Set(read.errors.map((e) => e.row)).size, newClasses: [], joins: [], unchanged: 0 }
	const seen = new Map<string, Row>()
	const newClassKeys = new Set<string>()
	for (const r of rows) {
		const code = classCode(r.school.code, r.className, schoolYear).toUpperCase()
		const person = `${r.school.id}|${foldVi(r.fullName)}|${r.birthYear}`
		const before = seen.get(person)
		if (before) {
			errors.push({ ...read.where('fullName'), row: r.row, key: before.className === r.className ? 'import.dup.row' : 'classes.import.twoClasses', vars: { other: before.row, class: before.className } })
			continue
		}
		seen.set(person, r)
		if (clash.has(person)) {
			errors.push({ ...read.where('fullName'), row: r.row, key: 'import.db.ambiguous', vars: { count: 2 } })
			continue
		}
		const existingClass = classByCode.get(code)
		if (existingClass?.validTo) {
			errors.push({ ...read.where('className'), row: r.row, key: 'classes.import.classClosed', vars: { value: r.className } })
			continue
		}
		if (!existingClass && !newClassKeys.has(code)) {
			newClassKeys.add(code)
			plan.newClasses.push({ key: code, school: r.school, className: r.className })
		}
		const found = people.get(person)
		if (found && existingClass && found.classes.has(existingClass.id)) {
			plan.unchanged++
			continue
		}
		plan.joins.push({ row: r, userId: found?.userId ?? null, classKey: code })
	}
	errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.column ?? '').localeCompare(b.column ?? ''))
	return { ok: true as const, plan, classByCode }
}

function rosterRow(r: Row, classKey: string): RosterRow {
	return { row: r.row, fullName: r.fullName, birthDate: null, birthYear: r.birthYear, email: null, phone: null, unitCode: classKey, title: 'Học sinh', tags: [], countsInTarget: true }
}

type Counts = { newUsers: number; created: number; unchanged: number; newClasses: number }

function countsOf(plan: Plan): Counts {
	return { newUsers: plan.joins.filter((j) => !j.userId).length, created: plan.joins.length, unchanged: plan.unchanged, newClasses: plan.newClasses.length }
}

function store(messages: Array<ImportMessage>) {
	return { total: messages.length, items: messages.slice(0, 5000) }
}

/** Upload: keeps the file in an ImportJob and has the queue check it (`students.validate`); nothing else is written. */
export async function startStudentImport(input: { bytes: Uint8Array; fileName: string; scope: StudentScope; schoolYear: number; actorId: string; request?: Request; wait?: boolean }) {
	const job = await db.$transaction(async (tx) => {
		const created = await tx.importJob.create({
			data: {
				kind: KIND,
				fileName: input.fileName.slice(0, 200),
				orgUnitId: input.scope.id,
				// The school year the classes are for travels in `mode`, which the roster import uses for its own modes.
				mode: `year:${input.schoolYear}`,
				status: 'VALIDATING',
				fileHash: createHash('sha256').update(input.bytes).digest('hex'),
				actorId: input.actorId,
				startedAt: new Date(),
			},
			select: { id: true },
		})
		await tx.$executeRaw`UPDATE "ImportJob" SET file = decode(${Buffer.from(input.bytes).toString('base64')}, 'base64') WHERE id = ${created.id}`
		await audit({ actorId: input.actorId, action: 'students.upload', targetType: 'ImportJob', targetId: created.id, orgUnitId: input.scope.id, request: input.request, details: { fileName: input.fileName.slice(0, 200), bytes: input.bytes.length } }, tx)
		return created
	})
	await sendJob('students.validate', { jobId: job.id })
	await waitForImport(job.id, input.wait ? undefined : INLINE_WAIT_MS)
	return job.id
}

/** At most 1 MB (the route's limit): the browser waits for the check and usually for the write. */
const INLINE_WAIT_MS = 20_000
const SCOPE_SELECT = { id: true, path: true, name: true, code: true, kind: true, tree: true, depth: true } as const

const STORED_FILE = z.object({ data: z.string().nullable(), mode: z.string() })

async function storedFile(jobId: string) {
	const [row] = checkRows('student-import-file', STORED_FILE, await db.$queryRaw<Array<unknown>>`SELECT encode(file, 'base64') AS data, mode FROM "ImportJob" WHERE id = ${jobId}`)
	return { bytes: new Uint8Array(Buffer.from(row?.data ?? '', 'base64')), schoolYear: Number(row?.mode.replace('year:', '')) }
}

/** The queue's `students.validate` job; does nothing unless the job is still VALIDATING. */
export async function validateStudentJob(jobId: string) {
	const job = await db.importJob.findUnique({ where: { id: jobId }, select: { status: true, kind: true, orgUnitId: true } })
	const scope = job?.orgUnitId ? await db.orgUnit.findUnique({ where: { id: job.orgUnitId }, select: SCOPE_SELECT }) : null
	if (!job || job.kind !== KIND || job.status !== 'VALIDATING' || !scope) return
	try {
		const { bytes, schoolYear } = await storedFile(jobId)
		const planned = await planStudents(bytes, scope, schoolYear)
		const errors = planned.ok ? planned.plan.errors : planned.problems
		const counts = planned.ok ? countsOf(planned.plan) : null
		await db.importJob.updateMany({
			where: { id: jobId, status: 'VALIDATING' },
			data: {
				status: 'PREVIEW',
				rowCount: planned.ok ? planned.plan.rows : 0,
				newUsers: counts?.newUsers ?? 0,
				created: counts?.created ?? 0,
				unchanged: counts?.unchanged ?? 0,
				updated: counts?.newClasses ?? 0,
				errors: store(errors),
				warnings: store([]),
				// A file with errors can never be confirmed: no reason to keep children's data in it.
				...(errors.length ? { file: null, finishedAt: new Date() } : {}),
			},
		})
	} catch (error) {
		console.error('student import check failed', jobId, error)
		await retryIdempotent(() =>
			db.importJob.updateMany({ where: { id: jobId, status: 'VALIDATING' }, data: { status: 'FAILED', errors: store([{ key: 'import.failed.unexpected' }]), file: null, finishedAt: new Date() } }),
		).catch(() => undefined)
	}
}

export async function getStudentImport(jobId: string, unitId: number) {
	const job = await db.importJob.findFirst({
		where: { id: jobId, orgUnitId: unitId, kind: KIND },
		select: { id: true, fileName: true, mode: true, status: true, rowCount: true, newUsers: true, created: true, unchanged: true, updated: true, errors: true, createdAt: true, finishedAt: true },
	})
	if (!job) return null
	return { ...job, schoolYear: Number(job.mode?.replace('year:', '')), newClasses: job.updated, errors: readStored(job.errors) }
}

/** PREVIEW → RUNNING once; the queue's `students.run` job then re-checks the file and writes it in one transaction. */
export async function confirmStudentImport(input: { jobId: string; scope: StudentScope; actorId: string; request?: Request; wait?: boolean }) {
	const claimed = await db.importJob.updateMany({ where: { id: input.jobId, orgUnitId: input.scope.id, kind: KIND, status: 'PREVIEW', file: { not: null } }, data: { status: 'RUNNING', startedAt: new Date() } })
	if (claimed.count !== 1) return false
	await sendJob('students.run', { jobId: input.jobId, actorId: input.actorId, ip: input.request?.headers.get('x-vms-client-ip') ?? null })
	await waitForImport(input.jobId, input.wait ? undefined : INLINE_WAIT_MS)
	return true
}

/** The queue's `students.run` job; does nothing unless the job is still RUNNING. */
export async function runStudentJob(input: { jobId: string; actorId: string; ip?: string | null }) {
	const job = await db.importJob.findUnique({ where: { id: input.jobId }, select: { status: true, kind: true, orgUnitId: true } })
	const scope = job?.orgUnitId ? await db.orgUnit.findUnique({ where: { id: job.orgUnitId }, select: SCOPE_SELECT }) : null
	if (!job || job.kind !== KIND || job.status !== 'RUNNING' || !scope) return
	const request = jobRequest(input.ip)
	const fail = (errors: Array<ImportMessage>) =>
		retryIdempotent(() => db.importJob.updateMany({ where: { id: input.jobId, status: 'RUNNING' }, data: { status: 'FAILED', errors: store(errors), file: null, finishedAt: new Date() } }))
	try {
		const { bytes, schoolYear } = await storedFile(input.jobId)
		const planned = await planStudents(bytes, scope, schoolYear)
		if (!planned.ok || planned.plan.errors.length) {
			await fail(planned.ok ? planned.plan.errors : planned.problems)
			return
		}
		const { plan, classByCode } = planned
		const counts = countsOf(plan)
		await db.$transaction(
			async (tx) => {
				const classIds = new Map([...classByCode].map(([code, c]) => [code, c.id]))
				for (const c of plan.newClasses) classIds.set(c.key, await createClassIn(tx, c.school, c.className, schoolYear, input.actorId))
				const rosterPlan = toRosterPlan(plan, classIds)
				await applyRosterPlan(tx, rosterPlan, { effectiveAt: new Date(), importJobId: input.jobId })
				// The roster writer makes staff accounts; these are students (no e-mail, login cards instead).
				await tx.$executeRaw`UPDATE "User" SET kind = 'STUDENT' WHERE id IN (SELECT "userId" FROM "Membership" WHERE "importJobId" = ${input.jobId}) AND email IS NULL`
				// Still RUNNING, or everything rolls back: a job already resolved by another process is not written twice.
				const finished = await tx.importJob.updateMany({
					where: { id: input.jobId, status: 'RUNNING' },
					data: { status: 'SUCCEEDED', newUsers: counts.newUsers, created: counts.created, unchanged: counts.unchanged, updated: counts.newClasses, errors: store([]), file: null, finishedAt: new Date() },
				})
				if (finished.count !== 1) throw new Error(`Student import ${input.jobId} is no longer RUNNING; its writes are rolled back`)
				await audit({ actorId: input.actorId, action: 'students.import', targetType: 'ImportJob', targetId: input.jobId, orgUnitId: scope.id, request, details: { ...counts, schoolYear } }, tx)
			},
			{ timeout: 10 * 60 * 1000 },
		)
	} catch (error) {
		console.error('student import failed', input.jobId, error)
		await fail([{ key: 'import.failed.unexpected' }]).catch(() => undefined)
	}
}

async function createClassIn(tx: Prisma.TransactionClient, school: Row['school'], shortName: string, schoolYear: number, actorId: string) {
	const unit = await tx.orgUnit.create({ data: { tree: 'EDU', kind: 'class', code: classCode(school.code, shortName, schoolYear), name: className(shortName, schoolYear), parentId: school.id, path: 'pending', depth: school.depth + 1 } })
	const created = await tx.orgUnit.update({ where: { id: unit.id }, data: { path: `${school.path}${unit.id}/` } })
	await tx.eduUnitProfile.create({ data: { orgUnitId: unit.id, schoolYear, grade: gradeOf(shortName) } })
	await recordCreated(tx, created, actorId)
	await audit({ actorId, action: 'orgunit.create', targetType: 'OrgUnit', targetId: unit.id, orgUnitId: unit.id, details: { code: unit.code, name: unit.name, kind: 'class', parentId: school.id, schoolYear } }, tx)
	return unit.id
}

function toRosterPlan(plan: Plan, classIds: Map<string, number>): RosterPlan {
	const rosterPlan = emptyRosterPlan(plan.rows)
	rosterPlan.counts.created = plan.joins.length
	rosterPlan.counts.unchanged = plan.unchanged
	for (const j of plan.joins) {
		const row = rosterRow(j.row, j.classKey)
		const unit = classIds.get(j.classKey)!
		if (j.userId) {
			rosterPlan.newMemberships.users.push(j.userId)
			rosterPlan.newMemberships.rows.push(row)
			rosterPlan.newMemberships.units.push(unit)
			rosterPlan.newMemberships.counts.push(true)
		} else {
			// Username chosen by applyRosterPlan ("an.nv", "an.nv2", …), unique in the database.
			const user = { username: '', row }
			rosterPlan.newUsers.push(user)
			rosterPlan.newUserMemberships.users.push(user)
			rosterPlan.newUserMemberships.rows.push(row)
			rosterPlan.newUserMemberships.units.push(unit)
			rosterPlan.newUserMemberships.counts.push(true)
		}
	}
	rosterPlan.counts.newUsers = rosterPlan.newUsers.length
	return rosterPlan
}

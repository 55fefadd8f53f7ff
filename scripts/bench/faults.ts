/**
 * `npm run bench:faults` — injects the faults of issue 17 again and again and counts what was lost or done twice.
 *
 *   npm run bench:faults                                    embedded database in a temporary directory
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:faults
 *                                                           a throw-away database on that server (dropped at the end)
 *   npm run bench:faults -- --runs 5
 *   npm run bench:faults -- --only quiz,reminders           some scenarios (import, terminate, quiz, reminders)
 *
 * Scenarios (each run on fresh people):
 *   - kill -9 during an import's write (a child process, scripts/bench/fault-child.ts): the job must be resolved
 *     (FAILED, file deleted, nothing written), and the manager's second upload must bring each person in once;
 *   - backend terminations during an import's write (PostgreSQL only: pg_terminate_backend of the app's connections):
 *     the import is FAILED whole or SUCCEEDED whole, and a retry brings each person in once;
 *   - kill -9 during quiz submits (a child process submitting learners' quizzes, four at a time): after the restart
 *     every submit that returned is graded, each one in flight is sent again (the learner's "Thử lại") and every
 *     learner left without a graded attempt starts over from the quiz page; each learner then has exactly one graded
 *     attempt, and a passing learner one completion, one certificate and one audit row;
 *   - three reminder runs and a double click at once: one mail per recipient, kind and period.
 * Lost: people of a finished import missing, a resolved job that wrote part of its rows, a submit that returned but
 * is not graded, a learner without a graded attempt or (passing) without completion or certificate. Duplicated: a
 * person or membership twice, a second mail with the same key, an attempt graded twice, a second certificate,
 * completion or audit row. Both must be 0; the exit status is 1 otherwise.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { pgConfig } from '#app/db-adapters.server.ts'
import { createPrismaClient, db, setDbForTests } from '#app/db.server.ts'
import { resolveAbandonedImports } from '#app/jobs/import-progress.server.ts'
import { stopQueue } from '#app/jobs/queue.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import { startEnrollment } from '#app/learning/progress.server.ts'
import { getAttempt, startAttempt, submitAttempt } from '#app/learning/quiz.server.ts'
import { confirmRosterImport, startRosterImport, waitForImport } from '#app/org/import-jobs.server.ts'
import { queueWeeklySummaries, remindOverdue } from '#app/reports/reminders.server.ts'
import { assign, createCourse } from '#tests/factories/learning.ts'
import { rosterCsv } from '#tests/factories/roster-files.ts'
import { migrationSql } from '#tests/setup/global-setup.ts'
import { quizAnswers, quizEmail, quizFails, quizRequest } from './quiz-answers.ts'

const { values } = parseArgs({
	options: {
		runs: { type: 'string', default: '3' },
		rows: { type: 'string', default: '12000' },
		learners: { type: 'string', default: '60' },
		// import, terminate, quiz, reminders (comma-separated): the scenarios to run; all by default.
		only: { type: 'string' },
	},
})
const wanted = (scenario: string) => !values.only || values.only.split(',').includes(scenario)
const RUNS = Number(values.runs)
const ROWS = Number(values.rows)
const LEARNERS = Number(values.learners)
const QUIZ_SLUG = 'bao-ve-bi-mat-nha-nuoc'
const base = process.env.DATABASE_URL
const onPostgres = !!base && base.startsWith('postgres')

// ——— the courses, built for this run: the quiz runs read them for minutes, and a build or e2e run in the same
// folder rewrites build/content meanwhile ———
let contentCopy: string | undefined
if (wanted('quiz') && !process.env.VMS_CONTENT_DIR) {
	const { checkContent } = await import('#app/content/check.server.ts')
	const { writeContentBuild } = await import('#app/content/build.server.ts')
	const checked = await checkContent('content')
	if (checked.problems.length) throw new Error(`content/ has ${checked.problems.length} problems: run npm run content:check`)
	contentCopy = mkdtempSync(path.join(tmpdir(), 'vms-faults-content-'))
	writeContentBuild(checked, contentCopy)
	process.env.VMS_CONTENT_DIR = contentCopy
}

// ——— a throw-away database ———
let url: string
let drop: () => Promise<void>
if (onPostgres) {
	const name = `vms_faults_${process.pid}`
	const admin = new pg.Client(pgConfig(base!))
	await admin.connect()
	await admin.query(`CREATE DATABASE ${name}`)
	await admin.end()
	const u = new URL(base!)
	u.pathname = `/${name}`
	url = u.toString()
	const client = new pg.Client(pgConfig(url))
	await client.connect()
	for (const sql of migrationSql()) await client.query(sql)
	await client.end()
	drop = async () => {
		const again = new pg.Client(pgConfig(base!))
		await again.connect()
		await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
		await again.end()
	}
} else {
	const dir = mkdtempSync(path.join(tmpdir(), 'vms-faults-'))
	const fresh = new PGlite(dir)
	for (const sql of migrationSql()) await fresh.exec(sql)
	await fresh.close()
	url = `pglite:${dir}`
	drop = async () => rmSync(dir, { recursive: true, force: true })
}

let client = createPrismaClient(url)
setDbForTests(client)
async function closeDb() {
	await stopQueue(client)
	setDbForTests(undefined)
	await client.$disconnect()
}
async function openDb() {
	client = createPrismaClient(url)
	setDbForTests(client)
}

type Tally = { runs: number; lost: number; duplicated: number; notes: Array<string> }
const results = new Map<string, Tally>()
const tally = (name: string) => results.get(name) ?? (results.set(name, { runs: 0, lost: 0, duplicated: 0, notes: [] }), results.get(name)!)

const unit = await db.orgUnit.create({ data: { tree: 'GOV', kind: 'department', code: 'FAULT', name: 'Sở Thử Lỗi', path: 'pending', depth: 0 } })
await db.orgUnit.update({ where: { id: unit.id }, data: { path: `/${unit.id}/` } })
const scope = await db.orgUnit.findUniqueOrThrow({ where: { id: unit.id }, select: { id: true, path: true, tree: true, name: true, code: true, kind: true } })
const manager = await db.user.create({ data: { fullName: 'Quản Lý Thử Lỗi', email: 'quanly@faults.example.vn', status: 'ACTIVE' } })
await db.roleGrant.create({ data: { userId: manager.id, orgUnitId: unit.id, role: 'MANAGER' } })
await db.membership.create({ data: { userId: manager.id, orgUnitId: unit.id } })

/** The tag in letters (names may not contain digits), so that each run's people have names of their own. */
const nameTag = (tag: string) => tag.replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)]!).toUpperCase()
const letters = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letters(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)))
const rosterOf = (tag: string) => rosterCsv(Array.from({ length: ROWS }, (_, i) => [`Người Gián Đoạn ${nameTag(tag)} ${letters(i)}`, '', `gd${tag}${i}@example.vn`, '', scope.code, '', '', '']))

/** Each person of the tag exactly once, each with exactly one membership of the unit: [lost, duplicated]. */
async function people(tag: string) {
	const rows = await db.$queryRaw<Array<{ users: number; emails: number; memberships: number }>>`
		SELECT count(*)::int AS users, count(DISTINCT email)::int AS emails,
			(SELECT count(*)::int FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email LIKE ${`gd${tag}%`}) AS memberships
		FROM "User" WHERE email LIKE ${`gd${tag}%`}`
	const r = rows[0]!
	return { lost: Math.max(0, ROWS - r.emails) + Math.max(0, ROWS - r.memberships), duplicated: r.users - r.emails + Math.max(0, r.memberships - ROWS) }
}

async function uploadAndConfirm(tag: string) {
	const jobId = await startRosterImport({ bytes: rosterOf(tag), fileName: 'lai.csv', scope, actorId: manager.id, mode: 'upsert', effectiveAt: new Date(Date.now() - 60_000), wait: true })
	await confirmRosterImport({ jobId, scope, actorId: manager.id, wait: true })
	return db.importJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })
}

/** An interrupted job must be FAILED, without its file, with nothing written. */
async function checkResolved(jobId: string, t: Tally) {
	const job = await db.importJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })
	const [file] = await db.$queryRaw<Array<{ size: number | null }>>`SELECT length(file) AS size FROM "ImportJob" WHERE id = ${jobId}`
	const written = await db.membership.count({ where: { importJobId: jobId } })
	if (job.status !== 'FAILED' && job.status !== 'SUCCEEDED') t.notes.push(`job ${jobId} left ${job.status}`)
	if (file?.size !== null) t.notes.push(`job ${jobId} kept its file`)
	// Partly written: some rows of a job that did not succeed.
	if (job.status !== 'SUCCEEDED' && written > 0) t.lost += written
	return job.status
}

// ——— kill -9 during an import's write ———
for (let run = 0; run < (wanted('import') ? RUNS : 0); run++) {
	const t = tally('kill -9 during an import write')
	const tag = `k${run}${Math.random().toString(36).slice(2, 6)}`
	await closeDb()
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/fault-child.ts', 'import', String(scope.id), manager.id, String(ROWS), tag], {
		env: { ...process.env, DATABASE_URL: url },
		stdio: ['ignore', 'pipe', 'inherit'],
	})
	let output = ''
	const jobId = await new Promise<string>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk
			const found = /WRITING (\S+)/.exec(output)
			if (found) resolve(found[1]!)
			else if (/FINISHED/.test(output)) reject(new Error('the import finished before the kill; use more --rows'))
		})
		child.on('exit', (code) => reject(new Error(`child exited (${code}) before writing`)))
	})
	const exited = new Promise((resolve) => child.once('exit', resolve))
	child.kill('SIGKILL')
	await exited
	await openDb()
	// The restart (embedded: this process is the only opener) or another instance's sweep 30 s later (PostgreSQL;
	// simulated by giving the sweep a clock 31 s ahead rather than waiting).
	await resolveAbandonedImports(onPostgres ? { now: new Date(Date.now() + 31_000) } : { all: true })
	await checkResolved(jobId, t)
	const again = await uploadAndConfirm(tag)
	if (again.status !== 'SUCCEEDED') t.notes.push(`second upload ${again.status}`)
	const counted = await people(tag)
	t.lost += counted.lost
	t.duplicated += counted.duplicated
	t.runs++
}

// ——— backend terminations during an import's write (PostgreSQL) ———
if (onPostgres && wanted('terminate')) {
	const killer = new pg.Client(pgConfig(url))
	await killer.connect()
	const { progressListeners } = await import('#app/jobs/import-progress.server.ts')
	for (let run = 0; run < RUNS; run++) {
		const t = tally('backends terminated during an import write')
		const tag = `t${run}${Math.random().toString(36).slice(2, 6)}`
		const jobId = await startRosterImport({ bytes: rosterOf(tag), fileName: 'ngat.csv', scope, actorId: manager.id, mode: 'upsert', effectiveAt: new Date(Date.now() - 60_000), wait: true })
		let terminated = 0
		const terminate = new Promise<void>((resolve) => {
			progressListeners.add((id, phase, done) => {
				if (id !== jobId || phase !== 'writing' || done === 0 || terminated) return
				terminated = 1
				killer
					.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
					.then((r) => ((terminated = r.rows[0].n), resolve()), () => resolve())
			})
		})
		await confirmRosterImport({ jobId, scope, actorId: manager.id, wait: false })
		await terminate
		progressListeners.clear()
		// The pool drops the dead connections; the job ends FAILED (its transaction was cut) or SUCCEEDED (it committed first).
		await waitForImport(jobId, 120_000)
		const status = await checkResolved(jobId, t)
		t.notes.push(`run ${run + 1}: ${terminated} backends terminated, import ${status}`)
		if (status !== 'SUCCEEDED') {
			const again = await uploadAndConfirm(tag)
			if (again.status !== 'SUCCEEDED') t.notes.push(`second upload ${again.status}`)
		}
		const counted = await people(tag)
		t.lost += counted.lost
		t.duplicated += counted.duplicated
		t.runs++
	}
	await killer.end()
}

// ——— kill -9 during quiz submits ———
for (let run = 0; run < (wanted('quiz') ? RUNS : 0); run++) {
	const t = tally('kill -9 during quiz submits')
	const tag = `${run}${Math.random().toString(36).slice(2, 6)}`
	await readyLearners(tag)
	await closeDb()
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/fault-child.ts', 'quiz', QUIZ_SLUG, tag, '4'], {
		env: { ...process.env, DATABASE_URL: url },
		stdio: ['ignore', 'pipe', 'inherit'],
	})
	// Killed after a random number of returned submits, at a moment when at least one submit has not returned.
	const killAfter = 4 + Math.floor(Math.random() * Math.max(1, LEARNERS - 20))
	let output = ''
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk
			const returned = output.match(/^SUBMITTED /gm)?.length ?? 0
			if (returned >= killAfter && (output.match(/^SUBMITTING /gm)?.length ?? 0) > returned) resolve()
			else if (/^FINISHED/m.test(output)) reject(new Error('every submit finished before the kill; use more --learners'))
		})
		child.on('exit', (code) => reject(new Error(`child exited (${code}) before the kill`)))
	})
	const exited = new Promise((resolve) => child.once('exit', resolve))
	child.kill('SIGKILL')
	await exited
	// What had been read before the kill: a line still in the pipe is a submit the learner never saw return.
	await openDb()
	const acknowledged = [...output.matchAll(/^SUBMITTED (\S+)$/gm)].map((m) => m[1]!)
	const inFlight = [...output.matchAll(/^SUBMITTING (\S+) (\S+)$/gm)].filter((m) => !acknowledged.includes(m[1]!)).map((m) => ({ attemptId: m[1]!, userId: m[2]! }))
	if (output.includes('REFUSED')) t.notes.push(`run ${run + 1}: refused ${output.match(/^REFUSED .*$/gm)!.join('; ')}`)

	// Every submit that returned is graded.
	const graded = await db.quizAttempt.count({ where: { id: { in: acknowledged }, submittedAt: { not: null }, score: { not: null } } })
	t.lost += acknowledged.length - graded
	const learners = await db.user.findMany({ where: { email: { startsWith: `qz${tag}-` } }, select: { id: true, email: true } })
	const emailOf = new Map(learners.map((l) => [l.id, l.email!]))
	// The learner of a submit in flight presses "Thử lại" (the same attempt, answers and key again); one whose submit
	// returned presses it too (a double click, a reload of the posted form): neither may grade anything twice.
	const owners = new Map([...output.matchAll(/^SUBMITTING (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]))
	for (const attemptId of [...inFlight.map((f) => f.attemptId), ...acknowledged]) {
		const userId = owners.get(attemptId)!
		const attempt = await getAttempt(userId, QUIZ_SLUG, attemptId)
		if (!attempt) {
			t.lost++
			t.notes.push(`attempt ${attemptId} is gone`)
			continue
		}
		await submitAttempt(attempt, QUIZ_SLUG, quizAnswers(QUIZ_SLUG, attempt.questionIds, emailOf.get(userId)!), userId, quizRequest())
	}
	// The others start over from the quiz page: their open attempt if the killed process made one, else a new one.
	const done = new Set(
		(await db.quizAttempt.findMany({ where: { submittedAt: { not: null }, enrollment: { userId: { in: learners.map((l) => l.id) } } }, select: { enrollment: { select: { userId: true } } } })).map(
			(a) => a.enrollment.userId,
		),
	)
	for (const learner of learners.filter((l) => !done.has(l.id))) {
		const started = await startAttempt(learner.id, QUIZ_SLUG)
		if (!started.ok) {
			t.notes.push(`learner ${learner.email} refused on retry: ${started.reason}`)
			continue
		}
		await submitAttempt(started.attempt, QUIZ_SLUG, quizAnswers(QUIZ_SLUG, started.attempt.questionIds, learner.email!), learner.id, quizRequest())
	}

	const rows = await db.$queryRaw<Array<{ email: string; graded: number; passed: number; open: number; completed: number; certificates: number; audits: number }>>`
		SELECT u.email,
			(SELECT count(*)::int FROM "QuizAttempt" a JOIN "Enrollment" e ON e.id = a."enrollmentId" WHERE e."userId" = u.id AND a."submittedAt" IS NOT NULL) AS graded,
			(SELECT count(*)::int FROM "QuizAttempt" a JOIN "Enrollment" e ON e.id = a."enrollmentId" WHERE e."userId" = u.id AND a.passed) AS passed,
			(SELECT count(*)::int FROM "QuizAttempt" a JOIN "Enrollment" e ON e.id = a."enrollmentId" WHERE e."userId" = u.id AND a."submittedAt" IS NULL) AS open,
			(SELECT count(*)::int FROM "Enrollment" e WHERE e."userId" = u.id AND e.status = 'COMPLETED') AS completed,
			(SELECT count(*)::int FROM "Certificate" c WHERE c."userId" = u.id) AS certificates,
			(SELECT count(*)::int FROM "AuditEvent" ev WHERE ev."actorId" = u.id AND ev.action = 'certificate.issue') AS audits
		FROM "User" u WHERE u.email LIKE ${`qz${tag}-%`}`
	if (rows.length !== LEARNERS) t.notes.push(`run ${run + 1}: ${rows.length} learners instead of ${LEARNERS}`)
	for (const r of rows) {
		const passes = quizFails(r.email) ? 0 : 1
		t.lost += (r.graded === 0 ? 1 : 0) + Math.max(0, passes - r.completed) + Math.max(0, passes - r.certificates) + Math.max(0, passes - r.audits)
		t.duplicated += Math.max(0, r.graded - 1) + Math.max(0, r.completed - 1) + Math.max(0, r.certificates - passes) + Math.max(0, r.audits - passes)
		// Graded with the answers sent: a passing learner's attempt passed, a failing one's did not.
		if (r.graded === 1 && r.passed !== passes) t.notes.push(`${r.email}: graded ${r.passed ? 'passed' : 'failed'}, sent answers that ${passes ? 'pass' : 'fail'}`)
		if (r.open) t.notes.push(`${r.email}: ${r.open} attempt(s) left open`)
	}
	t.notes.push(`run ${run + 1}: killed after ${acknowledged.length} returned submits, ${inFlight.length} in flight`)
	t.runs++
}

/** LEARNERS learners of the unit, enrolled in the quiz's course with every lesson done. */
async function readyLearners(tag: string) {
	const lessons = getCourse(QUIZ_SLUG)!.lessons
	const now = new Date()
	for (let i = 0; i < LEARNERS; i++) {
		const user = await db.user.create({ data: { fullName: `Học Viên Thử Lỗi ${nameTag(tag)} ${letters(i)}`, email: quizEmail(tag, i), status: 'ACTIVE' } })
		await db.membership.create({ data: { userId: user.id, orgUnitId: unit.id } })
		const enrollment = (await startEnrollment(user.id, QUIZ_SLUG))!
		await db.lessonProgress.createMany({ data: lessons.map((l) => ({ enrollmentId: enrollment.id, lessonSlug: l.slug, startedAt: now, completedAt: now })) })
	}
}

// ——— reminders at once ———
if (wanted('reminders')) {
	const course = await createCourse(`faults-${process.pid}`)
	await assign(course, unit, { dueAt: new Date('2025-01-31T00:00:00Z') })
	for (let run = 0; run < RUNS; run++) {
		const t = tally('reminder runs and clicks at once')
		const now = new Date(Date.UTC(2027, 0, 4 + run * 7, 1))
		const request = new Request('https://vanminhso.example.vn/org', { headers: { 'x-vms-client-ip': '127.0.0.1' } })
		const before = await db.outboxMail.count()
		await Promise.all([
			queueWeeklySummaries(now, 'https://vanminhso.example.vn'),
			queueWeeklySummaries(now, 'https://vanminhso.example.vn'),
			queueWeeklySummaries(now, 'https://vanminhso.example.vn'),
			remindOverdue({ unitId: unit.id, courseId: course.id, courseTitle: 'Khoá thử lỗi', userIds: 'all', actorId: manager.id, request }),
			remindOverdue({ unitId: unit.id, courseId: course.id, courseTitle: 'Khoá thử lỗi', userIds: 'all', actorId: manager.id, request }),
		])
		const keys = await db.$queryRaw<Array<{ n: number; distinct: number }>>`
			SELECT count(*)::int AS n, count(DISTINCT ("to", kind, period))::int AS distinct FROM "OutboxMail"`
		t.duplicated += keys[0]!.n - keys[0]!.distinct
		if (run === 0 && (await db.outboxMail.count()) === before) t.notes.push('no mail queued at all')
		t.runs++
	}
}

await closeDb()
await drop()
if (contentCopy) rmSync(contentCopy, { recursive: true, force: true })

console.log(`\nbench:faults on ${onPostgres ? 'PostgreSQL' : 'embedded PGlite'}, ${RUNS} runs each, ${ROWS} rows per import`)
let bad = 0
for (const [name, t] of results) {
	console.log(`${name.padEnd(46)} runs ${t.runs}  lost ${t.lost}  duplicated ${t.duplicated}`)
	for (const note of t.notes) console.log(`    ${note}`)
	bad += t.lost + t.duplicated + t.notes.filter((n) => !/^run \d+:/.test(n)).length
}
console.log(bad ? `FAILED: ${bad} problems` : 'lost/duplicated: 0/0')
process.exit(bad ? 1 : 0)

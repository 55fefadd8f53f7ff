// Issue 17 item 6 for writes: a request that the database connection drops under gets a 503 page that says its
// change was not saved and offers "Thử lại" (without JavaScript), a GET that only read is run once more, and
// nothing else changes (a bug is still a 500). Through the real HTTP stack (server/app.ts, server/send-response.ts)
// with the app's own entry and root, over a socket.
//
// The first tests need no PostgreSQL: their routes query a stand-in pool that fails like a terminated backend, behind
// the same retryReadsOnce as the app's pool. The last ones terminate the app's real backend mid-write.
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { pgConfig } from '#app/db-adapters.server.ts'
import { retryReadsOnce } from '#app/db-retry.server.ts'
import { db, rawDatabase } from '#app/db.server.ts'
import { completeLesson, startEnrollment } from '#app/learning/progress.server.ts'
import { saveAnswers, startAttempt } from '#app/learning/quiz.server.ts'
import { answerIndex } from '#app/learning/quiz.ts'
import * as attemptRoute from '#app/routes/courses.$courseSlug.quiz.$attemptId.tsx'
import { createUser, requestAs } from '#tests/factories/org.ts'
import { allowConsoleError } from '#tests/setup/console.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { bodyLimitFor } from '../../server/body-limit.ts'
import { createRequestHandler } from '../../server/send-response.ts'
import { appBuild } from './app-build.ts'
import { startEdgeServer } from './edge-server.ts'

// ——— a pool whose statements fail as on a backend ended by pg_terminate_backend, when armed ———
let armed: { match: RegExp; count: number } | null = null
/** The next `count` statements that match fail with a terminated connection. */
const arm = (match: RegExp, count: number) => (armed = { match, count })
const terminated = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' })
const standIn = retryReadsOnce({
	query: async (text: string) => {
		if (armed && armed.count > 0 && armed.match.test(text)) {
			armed.count--
			throw terminated()
		}
		return { rows: [{ ok: 1 }] }
	},
	connect: async () => ({}),
} as unknown as pg.Pool)

let loaderRuns = 0
const page = (text: string) => () => text
const routes = [
	{
		id: 'read',
		path: 'doc/read',
		module: {
			loader: async () => {
				loaderRuns++
				await standIn.query('SELECT 1')
				return { ok: true }
			},
			default: page('đã đọc'),
		},
	},
	{
		id: 'read-write',
		path: 'doc/read-write',
		module: {
			loader: async () => {
				loaderRuns++
				await standIn.query('UPDATE "Session" SET "expiresAt" = now()')
				await standIn.query('SELECT 1')
				return { ok: true }
			},
			default: page('đã đọc và ghi'),
		},
	},
	{
		id: 'write',
		path: 'doc/write',
		module: {
			action: async ({ request }: { request: Request }) => {
				await request.formData()
				await standIn.query('INSERT INTO "Note" (text) VALUES ($1)')
				return { ok: true }
			},
			loader: () => ({ ok: true }),
			default: page('biểu mẫu'),
		},
	},
	{
		id: 'home',
		path: undefined as unknown as string,
		index: true,
		module: {
			action: async () => {
				await standIn.query('DELETE FROM "Note"')
				return { ok: true }
			},
			default: page('trang chủ'),
		},
	},
	{
		id: 'export',
		path: 'doc/export.csv',
		module: {
			action: async () => {
				await standIn.query('UPDATE "ImportJob" SET status = $1')
				return new Response('ok')
			},
		},
	},
	{
		id: 'bug',
		path: 'doc/bug',
		module: {
			action: async () => {
				throw new Error('a bug, not the database')
			},
			default: page('lỗi'),
		},
	},
	{
		id: 'tx-write',
		path: 'db/tx-write',
		module: {
			// Two rows in one transaction, with a pause between them in which the test ends the connection.
			action: async () => {
				await db.$transaction(
					async (tx) => {
						await tx.orgUnit.create({ data: { tree: 'GOV', kind: 'department', code: 'TX-A', name: 'Đơn vị A', path: '/tx-a/', depth: 0 } })
						await tx.$queryRaw`SELECT 1 AS "pauseForTermination" FROM pg_sleep(3)`
						await tx.orgUnit.create({ data: { tree: 'GOV', kind: 'department', code: 'TX-B', name: 'Đơn vị B', path: '/tx-b/', depth: 0 } })
					},
					{ timeout: 20_000 },
				)
				return { ok: true }
			},
			default: page('đã ghi'),
		},
	},
	{
		id: 'tx-read',
		path: 'db/tx-read',
		module: {
			// Reads in one transaction (a consistent view), the first run with a pause in which the test ends it.
			loader: async () => {
				loaderRuns++
				const pause = loaderRuns === 1 ? 3 : 0
				const units = await db.$transaction(async (tx) => {
					const count = await tx.orgUnit.count()
					await tx.$queryRaw`SELECT 1 AS "pauseForTermination" FROM pg_sleep(${pause})`
					return count
				})
				return { units }
			},
			default: page('đọc trong giao dịch'),
		},
	},
	{ id: 'quiz', path: 'courses/:courseSlug/quiz/:attemptId', module: attemptRoute as unknown as Record<string, unknown> },
]

const testDb = useTestDb()
let server: Awaited<ReturnType<typeof startEdgeServer>>
let base: string
beforeAll(async () => {
	server = await startEdgeServer([], {
		handler: createRequestHandler({
			build: appBuild(routes),
			mode: 'production',
			getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
			bodyLimit: bodyLimitFor,
		}),
	})
	base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
	await server?.close()
})

function post(path: string, form: Record<string, string> | URLSearchParams, headers: Record<string, string> = {}) {
	return fetch(`${base}${path}`, {
		method: 'POST',
		body: new URLSearchParams(form),
		headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
		redirect: 'manual',
	})
}

/** The "Thử lại" form of a 503 page: where it posts and what. */
function retryForm(html: string) {
	const form = [...html.matchAll(/<form method="post" action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].find((f) => f[2]!.includes('>Thử lại</button>'))
	if (!form) return null
	const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
	const fields = [...form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)] as [string, string])
	return { action: unescape(form[1]!), fields }
}

test('a GET whose reads lost their connection twice is run once more, and the page comes', async () => {
	loaderRuns = 0
	// The first read and the pool's own retry both fail: only running the loader again saves it.
	arm(/^SELECT/, 2)
	const response = await fetch(`${base}/doc/read`)
	expect(response.status).toBe(200)
	expect(await response.text()).toContain('đã đọc')
	expect(loaderRuns).toBe(2)
})

test('a GET that wrote is not run again: a 503 page that reloads it', async () => {
	loaderRuns = 0
	arm(/^SELECT/, 2)
	const response = await fetch(`${base}/doc/read-write`)
	expect(loaderRuns).toBe(1)
	expect(response.status).toBe(503)
	expect(response.headers.get('Retry-After')).toBe('5')
	const html = await response.text()
	expect(html).toContain('Mất kết nối tới cơ sở dữ liệu')
	expect(html).toContain('Máy chủ cơ sở dữ liệu vừa ngắt kết nối nên trang chưa tải được')
	expect(html).toMatch(/<a href="\/doc\/read-write" class="btn">Thử lại<\/a>/)
	expect(retryForm(html)).toBeNull()
})

test('a form whose write lost its connection: 503, "not saved", and "Thử lại" posts the same fields again', async () => {
	arm(/^INSERT/, 1)
	const form = new URLSearchParams([
		['note', 'Ghi chú <b>"đậm"</b> & ý kiến'],
		['tag', 'một'],
		['tag', 'hai'],
	])
	const response = await post('/doc/write', form)
	expect(response.status).toBe(503)
	expect(response.headers.get('Retry-After')).toBe('5')
	const html = await response.text()
	expect(html).toContain('<title>Mất kết nối tới cơ sở dữ liệu | Văn Minh Số</title>')
	expect(html).toContain('Máy chủ cơ sở dữ liệu vừa ngắt kết nối; thao tác của bạn chưa được lưu, vui lòng thử lại.')
	const retry = retryForm(html)
	expect(retry).toEqual({ action: '/doc/write', fields: [...form] })
	// The retry, once the database is back, is the same request.
	const again = await post(retry!.action, new URLSearchParams(retry!.fields))
	expect(again.status).toBe(200)
})

test("an index route's form is posted again to the index route", async () => {
	arm(/^DELETE/, 1)
	const response = await post('/?index', { intent: 'xoa', id: '7' })
	expect(response.status).toBe(503)
	expect(retryForm(await response.text())?.action).toBe('/?index')
})

test('passwords are not put back into the page: "Thử lại" opens the form again', async () => {
	arm(/^INSERT/, 1)
	const response = await post('/doc/write', { email: 'a@example.vn', password: 'bí mật' }, { Referer: `${base}/doc/write?from=login` })
	expect(response.status).toBe(503)
	const html = await response.text()
	expect(html).not.toContain('bí mật')
	expect(retryForm(html)).toBeNull()
	expect(html).toContain('mật khẩu và tệp đã chọn không được giữ lại')
	expect(html).toMatch(/<a href="\/doc\/write\?from=login" class="btn">Thử lại<\/a>/)
})

test('with JavaScript (single fetch) the client gets the same 503 as route data', async () => {
	arm(/^INSERT/, 1)
	const response = await post('/doc/write.data', { note: 'x' })
	expect(response.status).toBe(503)
	const body = await response.text()
	expect(body).toContain('database-connection')
	// The form's own address, not the data request's.
	expect(body).toContain('"/doc/write"')
	expect(body).not.toContain('write.data')
})

test('a resource route answers with the message as text', async () => {
	arm(/^UPDATE/, 1)
	const response = await post('/doc/export.csv', { x: '1' })
	expect(response.status).toBe(503)
	expect(response.headers.get('Retry-After')).toBe('5')
	expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/)
	expect(await response.text()).toBe('Máy chủ cơ sở dữ liệu vừa ngắt kết nối; thao tác của bạn chưa được lưu, vui lòng thử lại.')
})

test('anything else is still a 500 (the 503 is only for a lost connection)', async () => {
	armed = null
	const logged = allowConsoleError('a bug, not the database')
	// The error page logs what it shows too (Remix hides a production error's message behind this one).
	allowConsoleError('Unexpected Server Error')
	const response = await post('/doc/bug', { x: '1' })
	expect(response.status).toBe(500)
	expect(response.headers.get('Retry-After')).toBeNull()
	expect(await response.text()).not.toContain('cơ sở dữ liệu')
	expect(logged.length).toBeGreaterThan(0)
})

// ——— on PostgreSQL: the app's own backend ended by pg_terminate_backend in the middle of a write ———

const onPostgres = !!process.env.TEST_DATABASE_URL

async function admin() {
	const client = new pg.Client(pgConfig(testDb.current.url!))
	await client.connect()
	return client
}

/** Ends the app's backend once one of them shows `where` (a statement text, or 'lock' for one waiting on a lock). */
async function terminateWhen(client: pg.Client, where: 'lock' | RegExp) {
	for (let i = 0; i < 200; i++) {
		const { rows } = await client.query<{ pid: number; query: string; wait: string | null }>(
			`SELECT pid, query, wait_event_type AS wait FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
		)
		const target = rows.find((r) => (where === 'lock' ? r.wait === 'Lock' : where.test(r.query)))
		if (target) {
			await client.query('SELECT pg_terminate_backend($1)', [target.pid])
			return target.query
		}
		await new Promise((r) => setTimeout(r, 25))
	}
	throw new Error('the statement to interrupt never ran')
}

test.skipIf(!onPostgres)('a transaction cut by the termination: 503, neither row written, and the retry writes both', async () => {
	const client = await admin()
	try {
		const pending = post('/db/tx-write', { name: 'A và B' })
		await terminateWhen(client, /pauseForTermination/)
		const response = await pending
		expect(response.status).toBe(503)
		expect(response.headers.get('Retry-After')).toBe('5')
		const html = await response.text()
		expect(html).toContain('thao tác của bạn chưa được lưu')
		expect(await db.orgUnit.count({ where: { code: { in: ['TX-A', 'TX-B'] } } })).toBe(0)
		const retry = retryForm(html)!
		expect(retry.fields).toEqual([['name', 'A và B']])
		const again = await post(retry.action, new URLSearchParams(retry.fields))
		expect(again.status).toBe(200)
		expect(await db.orgUnit.count({ where: { code: { in: ['TX-A', 'TX-B'] } } })).toBe(2)
		// The cut transaction's connection went back to the pool (Prisma's failed ROLLBACK would have kept it for ever).
		const raw = rawDatabase()
		if (raw.kind !== 'postgres') throw new Error('PostgreSQL expected')
		expect(raw.pool.totalCount - raw.pool.idleCount).toBe(0)
	} finally {
		await client.end()
	}
})

test.skipIf(!onPostgres)('a GET whose reads run in a transaction is run again after the termination: 200', async () => {
	const client = await admin()
	try {
		loaderRuns = 0
		const pending = fetch(`${base}/db/tx-read`)
		await terminateWhen(client, /pauseForTermination/)
		const response = await pending
		expect(response.status).toBe(200)
		expect(await response.text()).toContain('đọc trong giao dịch')
		expect(loaderRuns).toBe(2)
	} finally {
		await client.end()
	}
})

const SLUG = 'bao-ve-bi-mat-nha-nuoc'

test.skipIf(!onPostgres)('a quiz submit cut by the termination keeps the saved answers; "Thử lại" grades them once', async () => {
	const user = await createUser({ fullName: 'Lê Văn Ngắt' })
	const enrollment = (await startEnrollment(user.id, SLUG))!
	for (const lesson of getCourse(SLUG)!.lessons) await completeLesson(enrollment.id, lesson.slug)
	const started = await startAttempt(user.id, SLUG)
	if (!started.ok) throw new Error('attempt refused')
	const attempt = started.attempt
	const bank = getQuiz(SLUG)!.bank
	const right = (id: string) => answerIndex(bank.find((q) => q.id === id)!)
	const [early, late] = [attempt.questionIds.slice(0, 5), attempt.questionIds.slice(5)]
	// Half answered and saved while working (the page's autosave); the rest only in the submitted form.
	await saveAnswers(attempt.id, Object.fromEntries(early.map((id) => [id, right(id)])))
	const form = new URLSearchParams([['submitKey', attempt.idempotencyKey], ['intent', 'submit'], ...late.map((id) => [`answer.${id}`, String(right(id))] as [string, string])])
	const cookie = (await requestAs(user.id)).headers.get('Cookie')!
	const path = `/courses/${SLUG}/quiz/${attempt.id}`

	// One connection holds the row, another watches: inside a transaction pg_stat_activity is a frozen snapshot.
	const [client, observer] = [await admin(), await admin()]
	try {
		// Hold the attempt's row so that the submit's write waits on it, then end the backend that waits.
		await client.query('BEGIN')
		await client.query('SELECT id FROM "QuizAttempt" WHERE id = $1 FOR UPDATE', [attempt.id])
		const pending = post(path, form, { Cookie: cookie })
		const cut = await terminateWhen(observer, 'lock')
		expect(cut).toMatch(/WITH claimed AS/)
		await client.query('ROLLBACK')
		const response = await pending
		expect(response.status).toBe(503)
		const html = await response.text()
		expect(html).toContain('Máy chủ cơ sở dữ liệu vừa ngắt kết nối; thao tác của bạn chưa được lưu, vui lòng thử lại.')

		// Nothing of the submit was written, and what was saved before is still there.
		const after = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })
		expect(after.submittedAt).toBeNull()
		expect(after.score).toBeNull()
		expect(after.answers).toEqual(Object.fromEntries(early.map((id) => [id, right(id)])))
		expect(await db.certificate.count({ where: { userId: user.id } })).toBe(0)

		// "Thử lại": the same answers and key again; the attempt is graded with all ten, once.
		const retry = retryForm(html)!
		expect(retry.action).toBe(path)
		expect(retry.fields).toEqual([...form])
		const again = await post(retry.action, new URLSearchParams(retry.fields), { Cookie: cookie })
		expect(again.status).toBe(302)
		expect(again.headers.get('Location')).toBe(path)
		const graded = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })
		expect(graded.submittedAt).not.toBeNull()
		expect(graded.score).toBe(100)
		expect(Object.keys(graded.answers as object).sort()).toEqual([...attempt.questionIds].sort())
		// A second press (a double click, a reload) changes nothing.
		expect((await post(retry.action, new URLSearchParams(retry.fields), { Cookie: cookie })).status).toBe(302)
		expect(await db.certificate.count({ where: { userId: user.id } })).toBe(1)
		expect(await db.auditEvent.count({ where: { actorId: user.id, action: 'certificate.issue' } })).toBe(1)
	} finally {
		await client.end()
		await observer.end()
	}
})

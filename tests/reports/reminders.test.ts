// Reminders and weekly summaries: queued once, only for overdue people of the unit, sent through SMTP.
import net from 'node:net'
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { APP_URL_MISSING } from '#app/public-url.server.ts'
import { deliverMail } from '#app/outbox/mail.server.ts'
import { isoWeek, queueWeeklySummaries, remindOverdue } from '#app/reports/reminders.server.ts'
import { assign, certify, createCourse, join } from '#tests/factories/learning.ts'
import { createUnit, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

async function world() {
	const root = await createUnit('Tỉnh Nhắc Việc')
	const dept = await createUnit('Sở Nhắc', root)
	const other = await createUnit('Sở Khác', root)
	const course = await createCourse(`nhac-${Math.random().toString(36).slice(2, 7)}`)
	await assign(course, root, { dueAt: new Date('2025-01-31T00:00:00Z') })
	const late = await db.user.create({ data: { fullName: 'Ngô Thị Trễ', email: `tre${Date.now()}@vi.du`, status: 'ACTIVE' } })
	const noMail = await db.user.create({ data: { fullName: 'Đỗ Văn Không Thư', status: 'ACTIVE' } })
	const done = await db.user.create({ data: { fullName: 'Vũ Thị Xong', email: `xong${Date.now()}@vi.du`, status: 'ACTIVE' } })
	const outside = await db.user.create({ data: { fullName: 'Hồ Văn Ngoài', email: `ngoai${Date.now()}@vi.du`, status: 'ACTIVE' } })
	for (const u of [late, noMail, done]) await join(u, dept)
	await join(outside, other)
	await certify(done, course.versions[0]!, { issuedAt: new Date('2025-01-10T00:00:00Z') })
	const manager = await db.user.create({ data: { fullName: 'Lý Quản Lý', email: `quanly${Date.now()}@vi.du`, status: 'ACTIVE' } })
	await db.roleGrant.create({ data: { userId: manager.id, orgUnitId: dept.id, role: 'MANAGER' } })
	return { dept, course, late, noMail, done, outside, manager }
}

test('"remind all" mails each overdue person with an address once a day, and says who could not be reached', async () => {
	const w = await world()
	// Without APP_URL the link names the address the manager reached the site at, never localhost:3000.
	const request = await requestAs(w.manager.id, 'https://vms.so-thu.example/org/1/dashboard/people')
	const input = { unitId: w.dept.id, courseId: w.course.id, courseTitle: 'Khoá nhắc việc', userIds: 'all' as const, actorId: w.manager.id, request }
	expect(await remindOverdue(input)).toEqual({ queued: 1, withoutEmail: 1, alreadyToday: 0, notOverdue: 0 })
	const mails = await db.outboxMail.findMany({ where: { to: w.late.email! } })
	expect(mails).toHaveLength(1)
	expect(mails[0]!.subject).toBe('Nhắc hoàn thành khoá học: Khoá nhắc việc')
	expect(mails[0]!.text).toContain('Kính gửi Ngô Thị Trễ')
	expect(mails[0]!.text).toContain('31/01/2025')
	expect(mails[0]!.text).toContain('https://vms.so-thu.example/my-courses')
	expect(await remindOverdue(input)).toEqual({ queued: 0, withoutEmail: 1, alreadyToday: 1, notOverdue: 0 })
	expect(await db.auditEvent.count({ where: { action: 'reminder.queue', targetId: String(w.dept.id) } })).toBe(2)
})

test('a selection can only reach overdue people of the unit: the others are counted, never mailed', async () => {
	const w = await world()
	const request = await requestAs(w.manager.id)
	const result = await remindOverdue({
		unitId: w.dept.id,
		courseId: w.course.id,
		courseTitle: null,
		userIds: [w.done.id, w.outside.id, 'khong-co-ai'],
		actorId: w.manager.id,
		request,
	})
	expect(result).toEqual({ queued: 0, withoutEmail: 0, alreadyToday: 0, notOverdue: 3 })
	expect(await db.outboxMail.count({ where: { to: { in: [w.done.email!, w.outside.email!] } } })).toBe(0)
})

test('weekly summaries: one per manager and unit per ISO week, with the unit’s numbers', async () => {
	const w = await world()
	const now = new Date('2026-11-23T02:00:00Z')
	expect(isoWeek(now)).toBe('2026-W48')
	// Cron has no request: without APP_URL it refuses rather than mailing links to a private address.
	await expect(queueWeeklySummaries(now)).rejects.toThrow(APP_URL_MISSING)
	expect(await db.outboxMail.count({ where: { to: w.manager.email! } })).toBe(0)
	await queueWeeklySummaries(now, 'https://vanminhso.minhson.gov.vn')
	const first = await db.outboxMail.findMany({ where: { to: w.manager.email! } })
	expect(first).toHaveLength(1)
	expect(first[0]!.subject).toBe('Tóm tắt tuần 2026-W48: tiến độ hoàn thành của Sở Nhắc')
	expect(first[0]!.text).toContain('Đã hoàn thành: 1/3')
	expect(first[0]!.text).toContain('Quá hạn chưa hoàn thành: 2')
	expect(first[0]!.text).toContain('https://vanminhso.minhson.gov.vn/org/')
	await queueWeeklySummaries(new Date('2026-11-26T02:00:00Z'), 'https://vanminhso.minhson.gov.vn')
	expect(await db.outboxMail.count({ where: { to: w.manager.email! } })).toBe(1)
})

test('two runs at once (two cron jobs, two instances, a double click on "nhắc") queue one mail per recipient, kind and period', async () => {
	const w = await world()
	const origin = 'https://vanminhso.minhson.gov.vn'
	const now = new Date('2026-12-07T01:00:00Z')
	// Before the unique key each run checked, found nothing, and inserted: 2 runs, 2 mails each (issue 17 item 3).
	const runs = await Promise.all([queueWeeklySummaries(now, origin), queueWeeklySummaries(now, origin), queueWeeklySummaries(now, origin)])
	expect(runs.every((n) => n >= 0)).toBe(true)
	expect(await db.outboxMail.count({ where: { to: w.manager.email! } })).toBe(1)
	const request = await requestAs(w.manager.id)
	const input = { unitId: w.dept.id, courseId: w.course.id, courseTitle: 'Khoá bấm hai lần', userIds: 'all' as const, actorId: w.manager.id, request }
	const clicks = await Promise.all([remindOverdue(input), remindOverdue(input)])
	expect(clicks.map((c) => c.queued).sort()).toEqual([0, 1])
	expect(clicks.map((c) => c.alreadyToday).sort()).toEqual([0, 1])
	expect(await db.outboxMail.findMany({ where: { to: w.late.email! }, select: { kind: true, period: true } })).toEqual([
		{ kind: `reminder:${w.course.id}`, period: new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10) },
	])
	// The database itself refuses a second row with the same key, whoever inserts it.
	await expect(db.outboxMail.create({ data: { to: w.manager.email!, subject: 'x', text: 'x', kind: `summary:${w.dept.id}`, period: '2026-W50' } })).rejects.toThrow()
})

/** A minimal SMTP server that accepts every mail and records its envelope and data. */
function smtpServer() {
	const received: Array<{ to: Array<string>; data: string }> = []
	const server = net.createServer((socket) => {
		let to: Array<string> = []
		let data: string | null = null
		let buffer = ''
		socket.write('220 thu.vi.du ESMTP\r\n')
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8')
			let end: number
			while ((end = data === null ? buffer.indexOf('\r\n') : buffer.indexOf('\r\n.\r\n')) >= 0) {
				if (data !== null) {
					received.push({ to, data: buffer.slice(0, end) })
					buffer = buffer.slice(end + 5)
					data = null
					to = []
					socket.write('250 OK\r\n')
					continue
				}
				const line = buffer.slice(0, end)
				buffer = buffer.slice(end + 2)
				const verb = line.slice(0, 4).toUpperCase()
				if (verb === 'EHLO' || verb === 'HELO') socket.write('250-thu.vi.du\r\n250 8BITMIME\r\n')
				else if (verb === 'RCPT') {
					to.push(/<([^>]+)>/.exec(line)?.[1] ?? '')
					socket.write('250 OK\r\n')
				} else if (verb === 'DATA') {
					data = ''
					socket.write('354 go on\r\n')
				} else if (verb === 'QUIT') socket.end('221 bye\r\n')
				else socket.write('250 OK\r\n')
			}
		})
	})
	return new Promise<{ port: number; received: typeof received; close: () => void }>((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, received, close: () => server.close() })),
	)
}

test('delivery: without SMTP_URL mails wait; with it each is sent once and marked sent', async () => {
	const w = await world()
	await remindOverdue({ unitId: w.dept.id, courseId: w.course.id, courseTitle: 'Khoá gửi thư', userIds: 'all', actorId: w.manager.id, request: await requestAs(w.manager.id) })
	const { getEnv } = await import('#app/env.server.ts')
	const env = getEnv()
	delete env.SMTP_URL
	const idle = await deliverMail()
	expect(idle.configured).toBe(false)
	expect(idle.waiting).toBeGreaterThan(0)

	const smtp = await smtpServer()
	env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`
	try {
		const sent = await deliverMail()
		expect(sent).toMatchObject({ configured: true, failed: 0 })
		expect(sent.sent).toBe(idle.waiting)
		expect(smtp.received.some((m) => m.to.includes(w.late.email!) && m.data.includes('Subject:'))).toBe(true)
		expect(await db.outboxMail.count({ where: { sentAt: null } })).toBe(0)
		expect((await deliverMail()).sent).toBe(0)
	} finally {
		delete env.SMTP_URL
		smtp.close()
	}
})

// Last: the mails it leaves failed would count as waiting in the tests above.
test('a failed delivery waits longer each time and stops after 5 attempts', async () => {
	const w = await world()
	await remindOverdue({ unitId: w.dept.id, courseId: w.course.id, courseTitle: 'Khoá thư lỗi', userIds: 'all', actorId: w.manager.id, request: await requestAs(w.manager.id) })
	const { getEnv } = await import('#app/env.server.ts')
	const env = getEnv()
	// Nothing listens on this port: every attempt fails at once.
	const closed = net.createServer()
	await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
	const port = (closed.address() as net.AddressInfo).port
	await new Promise((resolve) => closed.close(resolve))
	env.SMTP_URL = `smtp://127.0.0.1:${port}`
	try {
		const mail = () => db.outboxMail.findFirstOrThrow({ where: { to: w.late.email! } })
		let at = new Date()
		const pauses: Array<number> = []
		for (let attempt = 1; attempt <= 6; attempt++) {
			const before = await mail()
			const result = await deliverMail({ now: at })
			const after = await mail()
			if (attempt === 6) {
				expect(after.attempts).toBe(5)
				expect(result.failed).toBe(0)
				break
			}
			expect(after.attempts).toBe(before.attempts + 1)
			expect(after.lastError).toBeTruthy()
			// Not due before its pause has passed.
			expect((await deliverMail({ now: new Date(after.nextAttemptAt!.getTime() - 1000) })).failed).toBe(0)
			pauses.push(Math.round((after.nextAttemptAt!.getTime() - Date.now()) / 60_000))
			at = new Date(after.nextAttemptAt!.getTime() + 1000)
		}
		expect(pauses).toEqual([5, 10, 20, 40, 80])
	} finally {
		delete env.SMTP_URL
	}
})

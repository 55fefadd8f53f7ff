// A delivery run is short: it stops claiming mails after its time budget and leaves the rest, unclaimed, to the next
// run. The queue runs one delivery at a time, so a run allowed 15 minutes held everyone's mail that long when its
// node was killed (issue 21).
import net from 'node:net'
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { getEnv } from '#app/env.server.ts'
import { jobDefinition } from '#app/jobs/queue.server.ts'
import { DELIVERY_BUDGET_MS, deliverMail, OUTBOX_JOB_EXPIRE_SECONDS } from '#app/outbox/mail.server.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

/** An SMTP server that answers the end of each mail's data only after `delayMs`. */
function slowSmtp(delayMs: number) {
	let received = 0
	const server = net.createServer((socket) => {
		let inData = false
		let buffer = ''
		socket.write('220 cham.vi.du ESMTP\r\n')
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8')
			for (;;) {
				const end = inData ? buffer.indexOf('\r\n.\r\n') : buffer.indexOf('\r\n')
				if (end < 0) break
				if (inData) {
					buffer = buffer.slice(end + 5)
					inData = false
					received++
					setTimeout(() => socket.write('250 OK\r\n'), delayMs)
					continue
				}
				const verb = buffer.slice(0, 4).toUpperCase()
				buffer = buffer.slice(end + 2)
				if (verb === 'EHLO' || verb === 'HELO') socket.write('250-cham.vi.du\r\n250 8BITMIME\r\n')
				else if (verb === 'DATA') {
					inData = true
					socket.write('354 go on\r\n')
				} else if (verb === 'QUIT') socket.end('221 bye\r\n')
				else socket.write('250 OK\r\n')
			}
		})
	})
	return new Promise<{ port: number; received: () => number; close: () => void }>((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, received: () => received, close: () => server.close() })),
	)
}

test('a run past its time budget stops claiming; the mails it did not reach stay unclaimed and go with the next run', async () => {
	const period = `budget-${Date.now()}`
	await db.outboxMail.createMany({
		data: Array.from({ length: 6 }, (_, i) => ({ to: `nguoi${i}@vi.du`, subject: 'Nhắc học', text: 'Xin chào', kind: 'test', period })),
	})
	const smtp = await slowSmtp(150)
	const env = getEnv() as { SMTP_URL?: string }
	env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`
	try {
		const first = await deliverMail({ budgetMs: 200 })
		expect(first.stoppedEarly).toBe(true)
		expect(first.sent).toBeGreaterThanOrEqual(1)
		expect(first.sent).toBeLessThan(6)
		const untouched = await db.outboxMail.count({ where: { period, sentAt: null, attempts: 0, nextAttemptAt: null } })
		expect(untouched).toBe(6 - first.sent)
		const rest = await deliverMail()
		expect(rest).toMatchObject({ sent: 6 - first.sent, failed: 0, stoppedEarly: false })
		expect(await db.outboxMail.count({ where: { period, sentAt: null } })).toBe(0)
		expect(smtp.received()).toBe(6)
	} finally {
		delete env.SMTP_URL
		smtp.close()
	}
})

test('the delivery job may not outlive its expiry: budget plus one slow mail fit inside it, and the job uses it', async () => {
	// One mail may take up to 20 s to connect, 20 s for the greeting and 60 s of socket silence.
	expect(DELIVERY_BUDGET_MS / 1000 + 100).toBeLessThan(OUTBOX_JOB_EXPIRE_SECONDS)
	await import('#app/jobs/handlers.server.ts')
	expect(jobDefinition('outbox.deliver')?.expireInSeconds).toBe(OUTBOX_JOB_EXPIRE_SECONDS)
})

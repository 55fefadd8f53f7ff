/**
 * `npm run reminders` — for cron (every hour is fine; every step is idempotent):
 *   1. queues each manager's weekly summary (once per ISO week and unit);
 *   2. sends what waits in the outbox through SMTP_URL (reminders that managers queued, the summaries).
 * Without SMTP_URL nothing is sent: the mails wait in the outbox and administrators see them at /admin/outbox.
 *
 *   npm run reminders
 *   npm run reminders -- --no-summaries     only deliver
 */
import { parseArgs } from 'node:util'
import { getEnv } from '#app/env.server.ts'
import { deliverMail } from '#app/outbox/mail.server.ts'
import { queueWeeklySummaries } from '#app/reports/reminders.server.ts'
import { checkDatabase, CliError, runCli } from './cli.ts'

await runCli(async () => {
	let values
	try {
		values = parseArgs({ options: { 'no-summaries': { type: 'boolean', default: false } } }).values
	} catch (error) {
		throw new CliError(`${error instanceof Error ? error.message : error}\nusage: npm run reminders [-- --no-summaries]`)
	}
	// The environment first (a bad SMTP_URL is a configuration error, not a failed mail), then the database.
	getEnv()
	await checkDatabase()
	const summaries = values['no-summaries'] ? 0 : await queueWeeklySummaries()
	const delivery = await deliverMail()
	console.log(`Tóm tắt tuần mới xếp hàng: ${summaries}.`)
	if (!delivery.configured) console.log(`SMTP_URL chưa được cấu hình: ${delivery.waiting} thư đang chờ trong hộp thư đi (xem /admin/outbox).`)
	else console.log(`Đã gửi ${delivery.sent} thư, lỗi ${delivery.failed} (còn chờ trước khi gửi: ${delivery.waiting}).`)
	return delivery.failed ? 1 : 0
})

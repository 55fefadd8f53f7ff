/**
 * Month-end completion snapshots (DESIGN §5): freezes the completion rule per unit, course and month, as of the
 * month's last instant in Vietnam, for the official six-monthly and annual reports. Idempotent: a month already taken
 * is reported and left as it is, so cron may run it every day; a month that has not ended is refused.
 *
 *   npm run snapshot                       the last month that has ended (cron: shortly after midnight on the 1st,
 *                                          Vietnam time, so that nothing is back-dated into the month afterwards)
 *   npm run snapshot -- --month 2026-10    a given month
 *
 * Uses DATABASE_URL like the app. Exit 0 when the month is taken or was already there, 1 on bad arguments or failure.
 */
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { PERIOD_PATTERN } from '#app/reports/completion.ts'
import { lastEndedPeriod, SnapshotError, takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { checkDatabase, CliError, runCli } from './cli.ts'

const ArgsSchema = z.object({
	month: z
		.string()
		.regex(PERIOD_PATTERN, '--month phải có dạng YYYY-MM, ví dụ 2026-10 (--month must be YYYY-MM)')
		.optional(),
})

await runCli(async () => {
	let raw
	try {
		raw = parseArgs({ options: { month: { type: 'string' } } }).values
	} catch (error) {
		throw new CliError(`${error instanceof Error ? error.message : error}\nusage: npm run snapshot [-- --month YYYY-MM]`)
	}
	const args = ArgsSchema.safeParse(raw)
	if (!args.success) throw new CliError(args.error.issues.map((i) => i.message).join('\n'))
	const period = args.data.month ?? lastEndedPeriod()
	await checkDatabase()
	try {
		const outcome = await takeMonthSnapshot(period)
		const what = `${outcome.rows.toLocaleString('en')} rows, ${outcome.units.toLocaleString('en')} units, as of ${outcome.asOf.toISOString()}`
		console.log(
			outcome.taken
				? `Đã chốt số liệu tháng ${period} (snapshot taken): ${what}, ${(outcome.durationMs / 1000).toFixed(1)} s.`
				: `Tháng ${period} đã được chốt trước đó, không thay đổi gì (already taken): ${what}.`,
		)
	} catch (error) {
		throw error instanceof SnapshotError ? new CliError(error.message) : error
	}
})

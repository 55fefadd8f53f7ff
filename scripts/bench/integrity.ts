/**
 * Signals of proxy completion ("học hộ", issue 22) on a synthetic province: precision and recall of each signal
 * against the patterns scripts/gen-load-data.ts injected (with the truth it keeps), and the time the scan job takes
 * to compute every flag for 100,000 staff (budget 60 s), on real PostgreSQL through the app's own client.
 *
 *   npm run bench:integrity                  build (or reuse) vms_bench_integrity, scan, score, drop it afterwards
 *   npm run bench:integrity -- --keep        keep the database for the next run (the scan's rows are cleared first)
 *   npm run bench:integrity -- --staff 20000 --units 300
 * Never in CI. A missed budget is reported, not an exit code; exits 1 when something fails.
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { createPrismaClient, rawDatabase, setDbForTests } from '#app/db.server.ts'
import { dropLoadData, ensureLoadData, TRACE_DAYS } from '../gen-load-data.ts'

const ArgsSchema = z.object({
	url: z.string().regex(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z_][A-Za-z0-9_]*$/, '--url phải là postgresql://…/<tên cơ sở dữ liệu> (a PostgreSQL URL naming a database)'),
	staff: z.coerce.number({ error: '--staff phải là số (must be a number)' }).int().min(1000).max(1_000_000),
	units: z.coerce.number({ error: '--units phải là số (must be a number)' }).int().min(20).max(20_000),
	keep: z.boolean(),
})

const BUDGET_MS = 60_000
const SIGNALS = ['speed', 'device', 'login-chain', 'network', 'same-answers', 'burst', 'off-hours'] as const

const machine = () => {
	const cpu = os.cpus()
	return `${cpu[0]?.model ?? 'cpu'} × ${cpu.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`)
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v} ms`)

async function main() {
	const { values } = parseArgs({
		options: {
			url: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/vms_bench_integrity' },
			staff: { type: 'string', default: '100000' },
			units: { type: 'string', default: '1500' },
			keep: { type: 'boolean', default: false },
		},
	})
	const parsed = ArgsSchema.safeParse(values)
	if (!parsed.success) {
		for (const issue of parsed.error.issues) console.error(issue.message)
		console.error('usage: npm run bench:integrity -- [--url postgresql://…/vms_bench_integrity] [--staff 100000] [--units 1500] [--keep]')
		process.exit(1)
	}
	const { url, staff, units, keep } = parsed.data
	console.log(`Machine: ${machine()}`)
	const load = await ensureLoadData({ url, staff, units, integrity: true, log: (line) => console.log(line) })
	console.log(
		`Input: ${url} ${load.reused ? `(reused, built ${load.builtAt})` : `(built in ${load.seconds} s)`}: ` +
			Object.entries(load.counts)
				.map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
				.join(', '),
	)

	const prisma = createPrismaClient(url, { poolSize: 4 })
	setDbForTests(prisma)
	let failed = false
	try {
		const { scanCompletions } = await import('#app/integrity/scan.server.ts')
		const query = <T>(text: string) => prisma.$queryRawUnsafe<Array<T>>(text)
		// A reused database starts as a fresh one: no reviews, no scan yet.
		await prisma.$executeRawUnsafe(`DELETE FROM "CompletionReview"`)
		await prisma.$executeRawUnsafe(`DELETE FROM "IntegrityScanState"`)

		const [rows] = await query<Record<string, number>>(`SELECT
			(SELECT count(*) FROM "LearningTrace")::int AS traces,
			(SELECT count(*) FROM "LearningTrace" WHERE kind = 'LOGIN')::int AS logins,
			(SELECT count(*) FROM "LearningTrace" WHERE kind = 'LESSON_DONE')::int AS lessons,
			(SELECT count(*) FROM "LearningTrace" WHERE kind = 'QUIZ_SUBMIT')::int AS submits,
			(SELECT count(*) FROM "QuizAttempt")::int AS attempts,
			(SELECT count(*) FROM "Enrollment" WHERE status = 'COMPLETED')::int AS completions,
			(SELECT count(*) FROM load_integrity_truth)::int AS traced,
			(SELECT pg_total_relation_size('"LearningTrace"'))::bigint::float8 AS "traceBytes"`)
		const kinds = await query<{ kind: string; style: string | null; n: number; accounts: number }>(
			`SELECT kind, style, count(*)::int AS n, count(DISTINCT "userId")::int AS accounts
			FROM load_integrity_truth t JOIN "Enrollment" e ON e.id = t.enrollment_id GROUP BY 1, 2 ORDER BY 1, 2`,
		)
		console.log(
			`\nRows: ${rows!.traces!.toLocaleString('en')} learning traces (${rows!.logins!.toLocaleString('en')} logins, ${rows!.lessons!.toLocaleString('en')} lessons done, ` +
				`${rows!.submits!.toLocaleString('en')} quiz submits; ${(rows!.traceBytes! / 2 ** 20).toFixed(0)} MB with indexes), ${rows!.attempts!.toLocaleString('en')} quiz attempts, ` +
				`${rows!.completions!.toLocaleString('en')} completions of which ${rows!.traced!.toLocaleString('en')} in the last ${TRACE_DAYS} days carry traces:`,
		)
		for (const k of kinds) console.log(`  ${k.kind}${k.style ? ` (${k.style})` : ''}: ${k.n.toLocaleString('en')} completions, ${k.accounts.toLocaleString('en')} accounts`)
		const keyRows = await query<{ slug: string; question: string; correct: number }>(`SELECT slug, question, correct FROM load_quiz_key`)
		const answerKeys: Record<string, Record<string, number>> = {}
		for (const k of keyRows) (answerKeys[k.slug] ??= {})[k.question] = k.correct

		console.log(`\nFirst scan (every traced completion, the last ${TRACE_DAYS} days):`)
		const now = new Date()
		const first = await scanCompletions({ now, answerKeys })
		console.log(`  ${first.from.toISOString()} → ${first.to.toISOString()}: ${first.flagged.toLocaleString('en')} completions flagged in ${ms(first.durationMs)}`)
		for (const s of Object.keys(first.timings)) console.log(`    ${s}: ${ms(first.timings[s]!)}, ${first.rows[s]!.toLocaleString('en')} evidence rows`)
		const again = await scanCompletions({ now, answerKeys })
		console.log(`  The same scan again: ${again.inserted} inserted, ${again.updated} updated (idempotent) in ${ms(again.durationMs)}`)
		const steady = await scanCompletions({ now: new Date(now.getTime() + 15 * 60_000), answerKeys })
		console.log(`  The next 15-minute run (its lookback of ${((steady.to.getTime() - steady.from.getTime()) / 3_600_000).toFixed(2)} h): ${ms(steady.durationMs)}`)

		const scored = await query<{ signal: string; flagged: number; proxy: number; collective: number; sharedPc: number; fastReader: number; honest: number }>(
			`SELECT s.signal, count(*)::int AS flagged,
				count(*) FILTER (WHERE t.kind = 'proxy')::int AS proxy, count(*) FILTER (WHERE t.kind = 'collective')::int AS collective,
				count(*) FILTER (WHERE t.kind = 'shared-pc')::int AS "sharedPc", count(*) FILTER (WHERE t.kind = 'fast-reader')::int AS "fastReader",
				count(*) FILTER (WHERE t.kind = 'honest' OR t.kind IS NULL)::int AS honest
			FROM (SELECT "enrollmentId", unnest(signals) AS signal FROM "CompletionReview" UNION ALL SELECT "enrollmentId", 'any signal' FROM "CompletionReview") s
			LEFT JOIN load_integrity_truth t ON t.enrollment_id = s."enrollmentId"
			GROUP BY 1`,
		)
		const byStyle = await query<{ style: string; n: number; caught: number }>(
			`SELECT t.style, count(*)::int AS n, count(r.id)::int AS caught FROM load_integrity_truth t
			LEFT JOIN "CompletionReview" r ON r."enrollmentId" = t.enrollment_id WHERE t.kind = 'proxy' GROUP BY 1 ORDER BY 1`,
		)
		const proxies = byStyle.reduce((n, s) => n + s.n, 0)

		console.log(`\nAfter: load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
		console.log(`\nPrecision and recall per signal (${proxies.toLocaleString('en')} injected proxy completions; recall = share of them the signal flags):\n`)
		console.log('| signal | flagged | of them proxy | precision | recall | collective session | shared office PC | fast reader | other honest | time |')
		console.log('|---|---|---|---|---|---|---|---|---|---|')
		for (const name of [...SIGNALS, 'any signal']) {
			const s = scored.find((r) => r.signal === name) ?? { flagged: 0, proxy: 0, collective: 0, sharedPc: 0, fastReader: 0, honest: 0 }
			const time = name === 'any signal' ? ms(first.durationMs) : ms(first.timings[name] ?? 0)
			console.log(
				`| ${name} | ${s.flagged.toLocaleString('en')} | ${s.proxy.toLocaleString('en')} | ${pct(s.proxy, s.flagged)} | ${pct(s.proxy, proxies)} | ${s.collective} | ${s.sharedPc} | ${s.fastReader} | ${s.honest} | ${time} |`,
			)
		}
		console.log('\n| helper style | proxy completions | flagged by any signal | recall |')
		console.log('|---|---|---|---|')
		for (const s of byStyle) console.log(`| ${s.style} | ${s.n} | ${s.caught} | ${pct(s.caught, s.n)} |`)
		console.log('\n| scan | completions read from | time | budget |')
		console.log('|---|---|---|---|')
		console.log(`| every flag, first run (${TRACE_DAYS} days of traces, ${staff.toLocaleString('en')} staff) | ${first.from.toISOString()} | ${ms(first.durationMs)} | ${first.durationMs <= BUDGET_MS ? '≤ 60 s ✓' : '60 s ✗ OVER'} |`)
		console.log(`| the same again (no change) | ${again.from.toISOString()} | ${ms(again.durationMs)} | — |`)
		console.log(`| next 15-minute run | ${steady.from.toISOString()} | ${ms(steady.durationMs)} | ≤ 60 s ${steady.durationMs <= BUDGET_MS ? '✓' : '✗ OVER'} |`)
		console.log(
			'\nThese are synthetic figures: the patterns, the honest noise and their proportions are generated (scripts/gen-load-data.ts ' +
				'injectIntegrityPatterns), so precision and recall say how the signals separate what was generated, not how they will do on real behaviour.',
		)
	} catch (error) {
		failed = true
		console.error(error)
	} finally {
		setDbForTests(undefined)
		const raw = rawDatabase(prisma)
		await prisma.$disconnect()
		// Prisma leaves a pool it was handed open: ended here, or dropping the database cuts its idle connections.
		if (raw.kind === 'postgres') await raw.pool.end()
		if (!keep) {
			await dropLoadData(url)
			console.log(`\nDropped ${url} (--keep keeps it for the next run).`)
		}
	}
	if (failed) process.exitCode = 1
}

await main()

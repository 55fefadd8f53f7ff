// Every background job of the app, with its retry and schedule (decision 020). Each one is idempotent: it starts by
// checking the state it is meant to change (a job row still VALIDATING or RUNNING, a month not yet taken, a mail not
// yet sent, a key not yet queued), so that a retry after a crash, or a second instance, changes nothing twice.
import { validateStudentJob, runStudentJob } from '#app/classes/student-import.server.ts'
import { getEnv } from '#app/env.server.ts'
import { scanCompletions } from '#app/integrity/scan.server.ts'
import { runImportJob, validateImportJob } from '#app/org/import-jobs.server.ts'
import { deliverMail, OUTBOX_JOB_EXPIRE_SECONDS } from '#app/outbox/mail.server.ts'
import { refreshCompletionRollup, ROLLUP_JOB, ROLLUP_MAX_AGE_MS } from '#app/reports/completion.server.ts'
import { queueWeeklySummaries } from '#app/reports/reminders.server.ts'
import { lastEndedPeriod, takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { withHeartbeat } from './import-progress.server.ts'
import { defineJob, sendJob } from './queue.server.ts'
import { applyRetention } from './retention.server.ts'

// A 20 MB roster takes minutes; an import is never retried by pg-boss (its state is in the ImportJob row, and a run
// whose process died is resolved by resolveAbandonedImports within a minute).
const IMPORT = { retryLimit: 0, expireInSeconds: 60 * 60 } as const

defineJob<{ jobId: string }>({ name: 'import.validate', ...IMPORT, run: ({ jobId }) => withHeartbeat(jobId, () => validateImportJob(jobId)) })
defineJob<{ jobId: string; actorId: string; ip?: string | null }>({ name: 'import.run', ...IMPORT, run: (data) => withHeartbeat(data.jobId, () => runImportJob(data)) })
defineJob<{ jobId: string }>({ name: 'students.validate', ...IMPORT, run: ({ jobId }) => withHeartbeat(jobId, () => validateStudentJob(jobId)) })
defineJob<{ jobId: string; actorId: string; ip?: string | null }>({ name: 'students.run', ...IMPORT, run: (data) => withHeartbeat(data.jobId, () => runStudentJob(data)) })

defineJob<{ requestedAt?: string; changed?: boolean }>({
	name: ROLLUP_JOB,
	policy: 'stately',
	retryLimit: 2,
	retryDelay: 60,
	expireInSeconds: 15 * 60,
	// Skipped when a refresh that ended meanwhile already gave the asker a rollup it would have called fresh (asked
	// for its age), or already folded in every change (asked for because the data changed).
	run: ({ requestedAt, changed }) =>
		refreshCompletionRollup(
			new Date(),
			changed ? { onlyIfChanged: true } : requestedAt ? { unlessNewerThan: new Date(Date.parse(requestedAt) - ROLLUP_MAX_AGE_MS) } : {},
		),
})

defineJob({
	name: 'outbox.deliver',
	policy: 'stately',
	cron: '* * * * *',
	// Short: one delivery runs at a time, so a run lost with its node blocks the next ones until it expires.
	expireInSeconds: OUTBOX_JOB_EXPIRE_SECONDS,
	run: async () => {
		const result = await deliverMail()
		// Failed mails are retried by the next runs after their backoff (deliverMail); the job itself succeeded.
		return result
	},
})

defineJob({
	name: 'reminders.weekly',
	policy: 'stately',
	// Monday 07:00 in Vietnam: each manager's summary of the week that starts.
	cron: '0 7 * * 1',
	retryLimit: 3,
	retryDelay: 15 * 60,
	expireInSeconds: 30 * 60,
	run: async () => {
		// Summaries link to the site: without APP_URL there is no address to give (development) and nothing is queued.
		if (!getEnv().APP_URL) return { skipped: 'APP_URL unset' }
		const queued = await queueWeeklySummaries()
		await sendJob('outbox.deliver')
		return { queued }
	},
})

defineJob({
	name: 'snapshot.month',
	policy: 'stately',
	// Every day at 00:15 in Vietnam: on the 1st it takes the month that just ended; other days find it taken (or
	// take it, if the 1st was missed) and change nothing.
	cron: '15 0 * * *',
	retryLimit: 3,
	retryDelay: 10 * 60,
	expireInSeconds: 30 * 60,
	run: () => takeMonthSnapshot(lastEndedPeriod()),
})

defineJob({
	name: 'retention',
	policy: 'stately',
	cron: '30 2 * * *',
	retryLimit: 2,
	retryDelay: 30 * 60,
	run: () => applyRetention(),
})

defineJob({
	name: 'integrity.scan',
	policy: 'stately',
	// The signals of proxy completion (issue 22) over the completions since the last scan: a manager sees a doubtful
	// completion within a quarter of an hour, well before a report is taken.
	cron: '*/15 * * * *',
	// The bench computes every flag of a 100,000-staff province in well under a minute; a scan still running after
	// ten minutes is stuck, and the next one starts over from the same scannedTo (nothing was committed as done).
	expireInSeconds: 10 * 60,
	retryLimit: 1,
	retryDelay: 5 * 60,
	run: async () => {
		const result = await scanCompletions()
		return { flagged: result.flagged, inserted: result.inserted, updated: result.updated, durationMs: result.durationMs }
	},
})

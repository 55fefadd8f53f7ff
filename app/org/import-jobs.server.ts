// The life of a roster import: upload → VALIDATING → PREVIEW (counts and every error by row and column) →
// confirm → RUNNING → SUCCEEDED or FAILED. The uploaded bytes wait in the ImportJob row between preview and
// confirm (app processes keep no files) and are re-read and re-checked at confirm, because the database may
// have changed meanwhile. The writes happen in one transaction that also marks the job SUCCEEDED.
// The check and the write are jobs of the queue (app/jobs, decision 020): whichever instance is free runs them, their
// progress is in the row, and a job whose process died is marked FAILED by the others (app/jobs/import-progress).
import { createHash } from 'node:crypto'
import { batchCounts, currentBatch, dropDeadSealedCodes, issueBatch, openBatch, voidBatch } from './activation-batches.server.ts'
import { audit } from '#app/auth/audit.server.ts'
import { accountRefusal, type Actor, personFacts } from '#app/auth/people.server.ts'
import { retryIdempotent } from '#app/db-retry.server.ts'
import { db, type Prisma, runSql } from '#app/db.server.ts'
import { type ImportPhase, reportProgress } from '#app/jobs/import-progress.server.ts'
import { sendJob } from '#app/jobs/queue.server.ts'
import { compareVi, compareViNames } from '#app/ui/collation.ts'
import { type ImportMessage } from './import-messages.ts'
import { IMPORT_FILE_PIECE, IMPORT_FILE_SIZE } from './import-jobs.sql.ts'
import { type ImportPreview, readPreview, rosterPreview } from './import-preview.ts'
import { type OrgUnit } from '#app/db-types.ts'
import { applyRosterPlan, auditRosterImport, planRoster, type RosterMode } from './roster-import.server.ts'
import { readRosterFile } from './roster-rows.server.ts'
import { readSpreadsheet } from './spreadsheet.server.ts'
import { applyTreePlan, parseTreeSheets, planTree } from './tree-import.server.ts'

/** Largest upload accepted (server.ts must let these bodies through: see the upload exception there). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
/** Below this many bytes or rows the browser waits for the job to finish; above it, the job page shows progress. */
const INLINE_BYTES = 256 * 1024
const INLINE_ROWS = 3000
/** How long a request waits for a small job before showing the job page with its progress instead. */
const INLINE_WAIT_MS = 20_000
/** Imports at least this large refresh the planner statistics of the roster tables. */
const ANALYZE_ROWS = 10_000
/** Errors kept with the job; a file with more is wrong throughout and the first ones tell why. */
const MAX_STORED_MESSAGES = 5000

type Stored = { total: number; items: Array<ImportMessage> }

function store(messages: Array<ImportMessage>): Stored {
	return { total: messages.length, items: messages.slice(0, MAX_STORED_MESSAGES) }
}

export function readStored(value: Prisma.JsonValue | null | undefined): Stored {
	if (value && typeof value === 'object' && !Array.isArray(value) && 'items' in value && Array.isArray(value.items)) {
		return { total: Number(value.total ?? value.items.length), items: value.items as unknown as Array<ImportMessage> }
	}
	return { total: 0, items: [] }
}

// Raw SQL with base64: pglite-prisma-adapter 0.6 cannot bind Bytes parameters ("Invalid input for bytea type").
// The file travels in pieces: Prisma copies each statement's parameters into its query compiler (WebAssembly, whose
// memory never shrinks) and keeps them in its debug log, so one 20 MB parameter would stay in the process as
// several copies. 3 MiB of file per statement keeps that small at the price of a few more statements.
const FILE_PIECE_BYTES = 3 * 1024 * 1024

async function saveFile(client: Pick<Prisma.TransactionClient, '$executeRaw'>, jobId: string, bytes: Uint8Array) {
	// A view of the upload's memory, not a copy.
	const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
	await client.$executeRaw`UPDATE "ImportJob" SET file = ''::bytea WHERE id = ${jobId}`
	for (let at = 0; at < view.length; at += FILE_PIECE_BYTES) {
		const piece = view.subarray(at, at + FILE_PIECE_BYTES).toString('base64')
		await client.$executeRaw`UPDATE "ImportJob" SET file = file || decode(${piece}, 'base64') WHERE id = ${jobId}`
	}
}

async function loadFile(jobId: string) {
	const [row] = await runSql(IMPORT_FILE_SIZE, { jobId })
	const bytes = new Uint8Array(Number(row?.size ?? 0))
	for (let at = 0; at < bytes.length; at += FILE_PIECE_BYTES) {
		const [piece] = await runSql(IMPORT_FILE_PIECE, { jobId, from: at + 1, length: FILE_PIECE_BYTES })
		bytes.set(Buffer.from(piece?.data ?? '', 'base64'), at)
	}
	return bytes
}

export type ImportKind = 'roster' | 'tree'
// Jobs of other kinds (the student import of app/classes) have their own pages; these pages neither list nor run them.
const KINDS: Array<ImportKind> = ['roster', 'tree']
/** The unit whose page the import is made from: everything it writes stays inside this unit's subtree. */
export type ImportScope = Pick<OrgUnit, 'id' | 'path' | 'tree' | 'name' | 'code' | 'kind'>

type Counts = { newUsers: number; created: number; updated: number; unchanged: number; ended: number }
type Analysis =
	| { ok: false; problems: Array<ImportMessage>; rowCount: number }
	| {
			ok: true
			rowCount: number
			errors: Array<ImportMessage>
			warnings: Array<ImportMessage>
			counts: Counts
			/** What the page shows beyond counts (import-preview.ts); roster imports only. */
			preview?: ImportPreview
			/** Writes the checked plan; called inside the import's one transaction. */
			apply: (tx: Prisma.TransactionClient, job: { id: string; actorId: string; request?: Request }) => Promise<void>
	  }

// Rows are checked as the file is read and only their compact form is kept (roster-rows.server.ts).
function readRoster(bytes: Uint8Array) {
	return readRosterFile(bytes)
}

/** Reads and checks a roster file against the database without writing anything. */
/**
 * Rows read at the preview, kept by the process that read them until the confirm (or 30 minutes): the confirm then
 * re-checks them against the database without parsing the file again. Another process simply reads the file.
 */
const parsedRosters = new Map<string, { at: number; parsed: Awaited<ReturnType<typeof readRoster>> }>()
const PARSED_TTL_MS = 30 * 60 * 1000

function keepParsed(jobId: string, parsed: Awaited<ReturnType<typeof readRoster>>) {
	const now = Date.now()
	for (const [id, entry] of parsedRosters) if (now - entry.at > PARSED_TTL_MS) parsedRosters.delete(id)
	parsedRosters.set(jobId, { at: now, parsed })
}

export async function analyseRoster(
	file: Uint8Array | (() => Promise<Uint8Array>),
	scope: ImportScope,
	mode: RosterMode,
	effectiveAt: Date,
	jobId?: string,
	phase: 'preview' | 'confirm' = 'preview',
	importerId?: string,
): Promise<Analysis> {
	if (jobId) reportProgress(jobId, 'reading', 0, 0)
	const kept = jobId && phase === 'confirm' ? parsedRosters.get(jobId) : undefined
	if (jobId) parsedRosters.delete(jobId)
	const parsed = kept && Date.now() - kept.at <= PARSED_TTL_MS ? kept.parsed : await readRoster(typeof file === 'function' ? await file() : file)
	if (!parsed.ok) return { ok: false, problems: parsed.problems, rowCount: 0 }
	if (jobId) reportProgress(jobId, 'checking', 0, parsed.rows.length)
	// A preview needs counts and errors only; the confirm's plan chooses the new people's usernames.
	const plan = await planRoster({ rows: parsed.rows, columns: parsed.columns, where: parsed.where, scope, mode, effectiveAt, usernames: phase === 'confirm', importerId })
	if (jobId && phase === 'preview' && parsed.errors.length === 0 && plan.errors.length === 0) keepParsed(jobId, parsed)
	const rowCount = parsed.rows.length + new Set(parsed.errors.map((e) => e.row)).size
	// The importer confirmed ending the people the preview listed, by their number: a different number now (someone
	// joined or left meanwhile) would end people nobody saw, so the import stops instead.
	const confirmed = jobId && phase === 'confirm' && mode === 'sync' ? await db.importJob.findUnique({ where: { id: jobId }, select: { ended: true } }) : null
	const endedChanged: Array<ImportMessage> = confirmed && confirmed.ended !== plan.counts.ended ? [{ key: 'import.sync.endedChanged', vars: { before: confirmed.ended, now: plan.counts.ended } }] : []
	return {
		ok: true,
		rowCount,
		errors: [...endedChanged, ...parsed.errors, ...plan.errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
		warnings: [...parsed.warnings, ...plan.warnings],
		counts: { newUsers: plan.counts.newUsers, created: plan.counts.created, updated: plan.counts.updated, unchanged: plan.counts.unchanged, ended: plan.counts.ended },
		preview: rosterPreview(plan),
		apply: async (tx, job) => {
			await applyRosterPlan(tx, plan, {
				effectiveAt,
				importJobId: job.id,
				onProgress: (done, total) => reportProgress(job.id, 'writing', done, total),
				userKind: scope.tree === 'YOUTH' ? 'YOUTH' : 'STAFF',
			})
			await auditRosterImport(tx, { actorId: job.actorId, scope, jobId: job.id, mode, counts: plan.counts, request: job.request })
		},
	}
}

async function readTree(bytes: Uint8Array, scope: ImportScope) {
	const read = await readSpreadsheet(bytes)
	if (!read.ok) return { ok: false as const, problems: [read.problem] }
	return parseTreeSheets(read.sheets, scope.tree)
}

/** Reads and checks an org-tree file (Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Loại). */
export async function analyseTree(bytes: Uint8Array, scope: ImportScope, effectiveAt: Date): Promise<Analysis> {
	const parsed = await readTree(bytes, scope)
	if (!parsed.ok) return { ok: false, problems: parsed.problems, rowCount: 0 }
	const plan = await planTree(parsed.rows, scope, parsed.where, effectiveAt)
	const counts = { newUsers: 0, created: plan.creates.length, updated: new Set([...plan.renames, ...plan.moves].map((c) => c.id)).size, unchanged: plan.unchanged, ended: 0 }
	return {
		ok: true,
		rowCount: parsed.rows.length + new Set(parsed.errors.map((e) => e.row)).size,
		errors: [...parsed.errors, ...plan.errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
		warnings: [],
		counts,
		apply: async (tx, job) => {
			await applyTreePlan(tx, plan, scope, effectiveAt, job.actorId)
			await audit({ actorId: job.actorId, action: 'tree.import', targetType: 'ImportJob', targetId: job.id, orgUnitId: scope.id, request: job.request, details: counts }, tx)
		},
	}
}

/** `bytes`: the upload itself at the preview (no need to read back what was just stored); else read from the job. */
async function analyse(kind: string, scope: ImportScope, mode: RosterMode, effectiveAt: Date, jobId: string, phase: 'preview' | 'confirm', importerId: string, bytes?: Uint8Array) {
	if (!(KINDS as Array<string>).includes(kind)) throw new Error(`Import job ${jobId} is a ${kind} import, not one this module runs`)
	const file = bytes ? () => Promise.resolve(bytes) : () => loadFile(jobId)
	return kind === 'tree' ? analyseTree(await file(), scope, effectiveAt) : analyseRoster(file, scope, mode, effectiveAt, jobId, phase, importerId)
}

export async function startImport(input: {
	kind: ImportKind
	bytes: Uint8Array
	fileName: string
	scope: ImportScope
	actorId: string
	mode?: RosterMode
	effectiveAt: Date
	request?: Request
	/** Tests and the bench wait for the check instead of polling the job. */
	wait?: boolean
}) {
	const mode = input.mode ?? 'upsert'
	const job = await db.$transaction(async (tx) => {
		const created = await tx.importJob.create({
			data: {
				kind: input.kind,
				fileName: input.fileName.slice(0, 200),
				orgUnitId: input.scope.id,
				mode,
				effectiveAt: input.effectiveAt,
				status: 'VALIDATING',
				fileHash: createHash('sha256').update(input.bytes).digest('hex'),
				actorId: input.actorId,
				startedAt: new Date(),
			},
			select: { id: true },
		})
		await saveFile(tx, created.id, input.bytes)
		await audit(
			{
				actorId: input.actorId,
				action: `${input.kind}.upload`,
				targetType: 'ImportJob',
				targetId: created.id,
				orgUnitId: input.scope.id,
				request: input.request,
				details: { fileName: input.fileName.slice(0, 200), bytes: input.bytes.length, mode },
			},
			tx,
		)
		return created
	})
	keepUpload(job.id, input.bytes)
	await sendJob('import.validate', { jobId: job.id })
	if (input.wait || input.bytes.length <= INLINE_BYTES) await waitForImport(job.id, input.wait ? undefined : INLINE_WAIT_MS)
	return job.id
}

/**
 * The upload, kept by the process that received it until its check starts (at most a minute): when the same process
 * runs the check — the usual case — it does not read back the file it just stored. Another process reads the row.
 */
const uploads = new Map<string, { at: number; bytes: Uint8Array }>()
const UPLOAD_TTL_MS = 60_000

function keepUpload(jobId: string, bytes: Uint8Array) {
	const now = Date.now()
	for (const [id, entry] of uploads) if (now - entry.at > UPLOAD_TTL_MS) uploads.delete(id)
	uploads.set(jobId, { at: now, bytes })
}

function takeUpload(jobId: string) {
	const kept = uploads.get(jobId)
	uploads.delete(jobId)
	return kept && Date.now() - kept.at <= UPLOAD_TTL_MS ? kept.bytes : undefined
}

/** Until the job is no longer VALIDATING or RUNNING (or the time is up: the page then shows its progress). */
export async function waitForImport(jobId: string, timeoutMs = 30 * 60_000) {
	const until = Date.now() + timeoutMs
	for (let pause = 20; Date.now() < until; pause = Math.min(pause * 2, 250)) {
		const job = await db.importJob.findUnique({ where: { id: jobId }, select: { status: true } })
		if (!job || (job.status !== 'VALIDATING' && job.status !== 'RUNNING')) return job?.status ?? null
		await new Promise((resolve) => setTimeout(resolve, pause))
	}
	return null
}

const SCOPE_SELECT = { id: true, path: true, tree: true, name: true, code: true, kind: true } as const

/** A request's client address for the audit of work done later by a job. */
export function jobRequest(ip: string | null | undefined) {
	return ip ? new Request('http://job.invalid/', { headers: { 'x-vms-client-ip': ip } }) : undefined
}

export function startRosterImport(input: Omit<Parameters<typeof startImport>[0], 'kind'>) {
	return startImport({ ...input, kind: 'roster' })
}

/** The queue's `import.validate` job: checks the stored file. Does nothing unless the job is still VALIDATING. */
export async function validateImportJob(jobId: string) {
	const job = await db.importJob.findUnique({
		where: { id: jobId },
		select: { kind: true, mode: true, effectiveAt: true, actorId: true, status: true, orgUnitId: true },
	})
	const scope = job?.orgUnitId ? await db.orgUnit.findUnique({ where: { id: job.orgUnitId }, select: SCOPE_SELECT }) : null
	if (!job || job.status !== 'VALIDATING' || !scope || !(KINDS as Array<string>).includes(job.kind)) return
	try {
		const analysis = await analyse(job.kind, scope, job.mode as RosterMode, job.effectiveAt!, jobId, 'preview', job.actorId, takeUpload(jobId))
		if (!analysis.ok) {
			await db.importJob.updateMany({ where: { id: jobId, status: 'VALIDATING' }, data: { status: 'PREVIEW', errors: store(analysis.problems), file: null, finishedAt: new Date() } })
			return
		}
		// Conditional: a job marked FAILED meanwhile (found abandoned) stays so.
		await db.importJob.updateMany({
			where: { id: jobId, status: 'VALIDATING' },
			data: {
				status: 'PREVIEW',
				rowCount: analysis.rowCount,
				...analysis.counts,
				errors: store(analysis.errors),
				warnings: store(analysis.warnings),
				...(analysis.preview ? { preview: analysis.preview } : {}),
				// A file with errors can never be confirmed: no reason to keep people's data in it.
				...(analysis.errors.length ? { file: null } : {}),
			},
		})
	} catch (error) {
		console.error('import check failed', jobId, error)
		// Retried: the connection error that failed the job may fail this write too, leaving it busy for ever.
		await retryIdempotent(() =>
			db.importJob.updateMany({ where: { id: jobId, status: 'VALIDATING' }, data: { status: 'FAILED', errors: store([{ key: 'import.failed.unexpected' }]), file: null, finishedAt: new Date() } }),
		).catch(() => undefined)
	}
}

/** PREVIEW → RUNNING exactly once (a double click or a second tab cannot run an import twice). */
export async function confirmImport(input: { jobId: string; scope: ImportScope; actorId: string; request?: Request; wait?: boolean }) {
	const claimed = await db.importJob.updateMany({
		where: { id: input.jobId, orgUnitId: input.scope.id, status: 'PREVIEW', file: { not: null } },
		data: { status: 'RUNNING', startedAt: new Date() },
	})
	if (claimed.count !== 1) return false
	const job = await db.importJob.findUniqueOrThrow({ where: { id: input.jobId }, select: { rowCount: true } })
	await sendJob('import.run', { jobId: input.jobId, actorId: input.actorId, ip: input.request?.headers.get('x-vms-client-ip') ?? null })
	if (input.wait || job.rowCount <= INLINE_ROWS) await waitForImport(input.jobId, input.wait ? undefined : INLINE_WAIT_MS)
	return true
}

export const confirmRosterImport = confirmImport

/** The queue's `import.run` job: re-checks and writes a confirmed import. Does nothing unless it is still RUNNING. */
export async function runImportJob(input: { jobId: string; actorId: string; ip?: string | null }) {
	const { jobId } = input
	const job = await db.importJob.findUnique({ where: { id: jobId }, select: { kind: true, mode: true, effectiveAt: true, status: true, orgUnitId: true } })
	const scope = job?.orgUnitId ? await db.orgUnit.findUnique({ where: { id: job.orgUnitId }, select: SCOPE_SELECT }) : null
	if (!job || job.status !== 'RUNNING' || !scope || !(KINDS as Array<string>).includes(job.kind)) return
	try {
		const analysis = await analyse(job.kind, scope, job.mode as RosterMode, job.effectiveAt!, jobId, 'confirm', input.actorId)
		if (!analysis.ok || analysis.errors.length) {
			// The database changed since the preview (someone added the same person meanwhile): nothing is written.
			const errors = analysis.ok ? analysis.errors : analysis.problems
			await db.importJob.updateMany({ where: { id: jobId, status: 'RUNNING' }, data: { status: 'FAILED', errors: store(errors), file: null, finishedAt: new Date() } })
			return
		}
		reportProgress(jobId, 'writing', 0, 1)
		await db.$transaction(
			async (tx) => {
				await analysis.apply(tx, { id: jobId, actorId: input.actorId, request: jobRequest(input.ip) })
				// Still RUNNING, or everything rolls back: a job already resolved by another process is not written twice.
				const finished = await tx.importJob.updateMany({
					where: { id: jobId, status: 'RUNNING' },
					data: {
						status: 'SUCCEEDED',
						rowCount: analysis.rowCount,
						...analysis.counts,
						errors: store([]),
						warnings: store(analysis.warnings),
						file: null,
						finishedAt: new Date(),
					},
				})
				if (finished.count !== 1) throw new Error(`Import job ${jobId} is no longer RUNNING; its writes are rolled back`)
			},
			{ timeout: 20 * 60 * 1000, maxWait: 60 * 1000 },
		)
		// Fresh statistics after a bulk load (as PostgreSQL's docs advise): until autovacuum gets to it, the planner
		// would still see the old table sizes and pick slow plans for the roster queries that follow.
		if (job.kind === 'roster' && analysis.rowCount >= ANALYZE_ROWS) await db.$executeRaw`ANALYZE "OrgUnit", "User", "Membership"`
	} catch (error) {
		console.error('import failed', jobId, error)
		// Retried: the connection error that failed the job may fail this write too, leaving it busy for ever.
		await retryIdempotent(() =>
			db.importJob.updateMany({ where: { id: jobId, status: 'RUNNING' }, data: { status: 'FAILED', errors: store([{ key: 'import.failed.unexpected' }]), file: null, finishedAt: new Date() } }),
		).catch(() => undefined)
	}
}

/** A job of this unit, for its page; null when it belongs to another unit (so another manager's job is a 404). */
export async function getImportJob(jobId: string, unitId: number) {
	const job = await db.importJob.findFirst({
		where: { id: jobId, orgUnitId: unitId, kind: { in: KINDS } },
		select: {
			id: true,
			kind: true,
			fileName: true,
			mode: true,
			effectiveAt: true,
			rowCount: true,
			newUsers: true,
			created: true,
			updated: true,
			unchanged: true,
			ended: true,
			status: true,
			errors: true,
			warnings: true,
			preview: true,
			createdAt: true,
			startedAt: true,
			finishedAt: true,
			progressPhase: true,
			progressDone: true,
			progressTotal: true,
		},
	})
	if (!job) return null
	const { progressPhase, progressDone, progressTotal, ...rest } = job
	// From the row, written by whichever instance runs the job: every instance shows the same progress.
	const progress = progressPhase ? { phase: progressPhase as ImportPhase, done: progressDone, total: progressTotal } : null
	return { ...rest, errors: readStored(job.errors), warnings: readStored(job.warnings), preview: readPreview(job.preview), progress }
}

export async function listImportJobs(unitId: number, take = 20) {
	return db.importJob.findMany({
		where: { orgUnitId: unitId, kind: { in: KINDS } },
		orderBy: { createdAt: 'desc' },
		take,
		select: { id: true, kind: true, fileName: true, status: true, rowCount: true, newUsers: true, created: true, updated: true, ended: true, createdAt: true },
	})
}

/**
 * The people an import brought in who may get an activation card from this actor: not activated yet, and with every
 * membership and grant inside the issuer's scope (people.server.ts). A code sets the password, so it is never issued
 * for someone another unit manages, nor for a youth registrant awaiting approval; those are counted as `withheld`.
 */
async function codePeople(jobId: string, actor: Actor) {
	const memberships = await db.membership.findMany({
		where: { importJobId: jobId, user: { status: 'PENDING' } },
		select: { user: { select: { id: true, fullName: true, username: true, email: true } }, orgUnit: { select: { name: true } } },
	})
	const seen = new Set<string>()
	const found = memberships.filter((m) => (seen.has(m.user.id) ? false : (seen.add(m.user.id), true)))
	const facts = await personFacts(found.map((p) => p.user.id))
	const people = found.filter((p) => {
		const person = facts.get(p.user.id)
		return person !== undefined && accountRefusal(actor, person) === null
	})
	people.sort((a, b) => compareVi(a.orgUnit.name, b.orgUnit.name) || compareViNames(a.user.fullName, b.user.fullName))
	return { people, withheld: found.length - people.length }
}

type CodesInput = { jobId: string; unitId: number; actor: Actor; request?: Request }

async function succeededJob(input: Pick<CodesInput, 'jobId' | 'unitId'>) {
	return db.importJob.findFirst({ where: { id: input.jobId, orgUnitId: input.unitId, status: 'SUCCEEDED', kind: 'roster' }, select: { id: true } })
}

/** What the job page says about the cards: the batch printed (if any), its codes used and live, and who is withheld. */
export async function importCodesStatus(input: Pick<CodesInput, 'jobId' | 'unitId' | 'actor'>) {
	const job = await succeededJob(input)
	if (!job) return null
	const { people, withheld } = await codePeople(job.id, input.actor)
	const batch = await currentBatch(job.id)
	if (!batch) return { batch: null, eligible: people.length, withheld }
	const counts = await batchCounts(batch.id)
	const { codes, unreadable } = await openBatch(batch.id)
	// Eligible people without a live code in this batch: their code was used meanwhile is not "missing".
	const activated = people.filter((p) => !codes.has(p.user.id)).length
	return { batch: { issuedAt: batch.issuedAt, expiresAt: batch.expiresAt, ...counts, unreadable, missing: Math.max(0, activated - unreadable) }, eligible: people.length, withheld }
}

/**
 * The activation cards of an import (PDF and XLSX show the same ones). The first download issues the job's batch;
 * later ones print that batch again — the same codes, read back from their sealed copies — so printing never voids
 * cards already handed out. Only `reissueImportCodes` replaces a batch.
 */
export async function issueImportCodes(input: CodesInput) {
	const job = await succeededJob(input)
	if (!job) return null
	await dropDeadSealedCodes()
	const { people, withheld } = await codePeople(job.id, input.actor)
	const actorId = input.actor.userId
	const result = await db.$transaction(
		async (tx) => {
			// One batch per job even when two downloads start together: the second waits here and prints the first's.
			await tx.$queryRaw`SELECT id FROM "ImportJob" WHERE id = ${job.id} FOR UPDATE`
			const existing = await currentBatch(job.id, tx)
			if (existing) {
				const { codes, unreadable } = await openBatch(existing.id, tx)
				const count = people.filter((p) => codes.has(p.user.id)).length
				await audit({ actorId, action: 'activation.print', targetType: 'ImportJob', targetId: job.id, orgUnitId: input.unitId, request: input.request, details: { count, withheld, batch: existing.id } }, tx)
				return { codes, expiresAt: existing.expiresAt, unreadable }
			}
			const { batch, codes } = await issueBatch(tx, { importJobId: job.id, orgUnitId: input.unitId, issuedById: actorId, userIds: people.map((p) => p.user.id) })
			await audit({ actorId, action: 'activation.issue', targetType: 'ImportJob', targetId: job.id, orgUnitId: input.unitId, request: input.request, details: { count: people.length, withheld, batch: batch.id } }, tx)
			return { codes, expiresAt: batch.expiresAt, unreadable: 0 }
		},
		{ timeout: 5 * 60 * 1000 },
	)
	const cards = people
		.filter((p) => result.codes.has(p.user.id))
		.map((p) => ({ fullName: p.user.fullName, username: p.user.username, email: p.user.email, unitName: p.orgUnit.name, code: result.codes.get(p.user.id)! }))
	return { cards, expiresAt: result.expiresAt, withheld, unreadable: result.unreadable }
}

/**
 * Replaces the job's batch by a new one: every printed code not yet used stops working. Confirmed by the number of
 * codes it voids, as the page showed it; when that number changed meanwhile nothing happens and the new one is returned.
 */
export async function reissueImportCodes(input: CodesInput & { expectedVoided: number }) {
	const job = await succeededJob(input)
	if (!job) return null
	const { people, withheld } = await codePeople(job.id, input.actor)
	const actorId = input.actor.userId
	return db.$transaction(
		async (tx) => {
			await tx.$queryRaw`SELECT id FROM "ImportJob" WHERE id = ${job.id} FOR UPDATE`
			const existing = await currentBatch(job.id, tx)
			const live = existing ? await tx.activationCode.count({ where: { batchId: existing.id, usedAt: null, expiresAt: { gt: new Date() } } }) : 0
			if (live !== input.expectedVoided) return { ok: false as const, voided: live }
			const voided = existing ? await voidBatch(tx, existing.id) : 0
			const { batch } = await issueBatch(tx, { importJobId: job.id, orgUnitId: input.unitId, issuedById: actorId, userIds: people.map((p) => p.user.id) })
			await audit({ actorId, action: 'activation.reissue', targetType: 'ImportJob', targetId: job.id, orgUnitId: input.unitId, request: input.request, details: { count: people.length, voided, withheld, batch: batch.id } }, tx)
			return { ok: true as const, voided, count: people.length }
		},
		{ timeout: 5 * 60 * 1000 },
	)
}

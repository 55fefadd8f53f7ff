import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFor } from '#app/auth/people.server.ts'
import { requireOrgRole, notFound } from '#app/auth/permissions.server.ts'
import { confirmRosterImport, getImportJob, importCodesStatus, reissueImportCodes } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { type ReadRow, SAMPLE_ROWS } from '#app/org/import-preview.ts'
import { ImportJobActionSchema } from '#app/org/schema.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { FormErrors, replyErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const
/** Errors listed on the page; all of them are in the downloadable workbook. */
const SHOWN = 200

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: `${data?.job.fileName ?? 'Nhập danh sách'} | Văn Minh Số` },
	// Refreshes itself while the server works, so the progress moves without JavaScript.
	...(data?.busy ? [{ httpEquiv: 'refresh', content: '2' } as const] : []),
]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const job = await getImportJob(String(params.jobId), unit.id)
	if (!job) notFound()
	const busy = job.status === 'VALIDATING' || job.status === 'RUNNING'
	const codes =
		job.status === 'SUCCEEDED' && job.kind === 'roster' && job.newUsers > 0
			? await importCodesStatus({ jobId: job.id, unitId: unit.id, actor: actorFor(user.id, grants, ROLES, unit.path) })
			: null
	return json({
		unit: { id: unit.id, name: unit.name },
		busy,
		codes,
		job: { ...job, errors: { total: job.errors.total, items: job.errors.items.slice(0, SHOWN) } },
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const jobId = String(params.jobId)
	// A job of another unit is not found, as on the page itself (issue 16's matrix).
	const job = await getImportJob(jobId, unit.id)
	if (!job) notFound()
	// The confirm button posts an empty form; a body that is not a form is that too.
	const submission = parseWithZod(await request.formData().catch(() => new FormData()), { schema: ImportJobActionSchema })
	if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
	const value = submission.value
	if (value.intent === 'reissue') {
		const voids = value.voids ?? 0
		if (value.understood !== 'yes') return json({ reissue: { error: 'codes.reissue.unchecked' as const, count: voids } }, { status: 400 })
		const actor = actorFor(user.id, grants, ROLES, unit.path)
		const done = await reissueImportCodes({ jobId, unitId: unit.id, actor, request, expectedVoided: voids })
		if (!done) notFound()
		if (!done.ok) return json({ reissue: { error: 'codes.reissue.changed' as const, count: done.voided } }, { status: 409 })
		return json({ reissue: { done: true as const, count: done.count, voided: done.voided } })
	}
	// A sync that ends people is confirmed by typing how many: a click alone ended 25 people nobody had looked at.
	if (job.status === 'PREVIEW' && job.mode === 'sync' && job.ended > 0) {
		const typed = value.endCount ?? ''
		if (typed.replace(/[\s.,]/g, '') !== String(job.ended)) return json({ endCount: { typed: typed.slice(0, 20) } }, { status: 400 })
	}
	await confirmRosterImport({ jobId, scope: unit, actorId: user.id, request })
	// Whatever happened (done, running, refused because already confirmed), the job page tells it.
	return redirect(`/org/${unit.id}/imports/${jobId}`)
}

export default function ImportJobPage() {
	const t = useT()
	const { unit, job, busy, codes } = useLoaderData<typeof loader>()
	const acted = useActionData<typeof action>()
	const reissue = acted && 'reissue' in acted ? acted.reissue : null
	const endCountError = acted && 'endCount' in acted ? acted.endCount : null
	const invalid = acted && 'result' in acted ? replyErrors(acted.result) : undefined
	const ending = job.mode === 'sync' && job.ended > 0 && !isTreeKind(job.kind) && (canConfirmJob(job) || job.status === 'SUCCEEDED') ? job.preview : null
	const mustType = canConfirmJob(job) && ending !== null
	const errorCount = job.errors.total
	const canConfirm = job.status === 'PREVIEW' && errorCount === 0
	const isTree = job.kind === 'tree'
	const uploadPage = isTree ? `/org/${unit.id}/imports/tree` : `/org/${unit.id}/imports`
	const p = job.progress
	const percent = p && p.total ? Math.round((p.done / p.total) * 100) : null
	return (
		<>
			<UnitTrail unit={unit} page={{ path: isTree ? 'imports/tree' : 'imports', label: t(isTree ? 'tree.import' : 'roster.title') }} />
			<h1 className="mb-1 text-2xl font-bold">{job.fileName}</h1>
			<p className="mb-4 text-gray-700">
				{isTree ? null : t(job.mode === 'sync' ? 'roster.mode.sync' : 'roster.mode.upsert')}
				{job.effectiveAt ? ` · ${t('roster.effectiveAt')}: ${formatVnDate(job.effectiveAt)}` : null}
			</p>
			<FormErrors id="job-errors" errors={invalid} />
			<p role="status" className={`alert mb-4 ${job.status === 'FAILED' || errorCount ? 'alert-error' : 'alert-success'}`}>
				{job.status === 'PREVIEW' && errorCount ? t('import.blocked', { count: errorCount }) : t(`import.state.${job.status}`)}
			</p>
			{busy ? (
				<div className="mb-6">
					<label htmlFor="import-progress" className="label">
						{p ? t(`import.phase.${p.phase}`) : t(`import.state.${job.status}`)}
						{percent !== null ? ` — ${percent}%` : null}
					</label>
					<progress id="import-progress" className="w-full max-w-xl" max={100} value={percent ?? undefined}>
						{percent ?? ''}
					</progress>
					<p className="mt-2 text-sm text-gray-700">{t('import.autoRefresh')}</p>
				</div>
			) : null}
			{job.status !== 'VALIDATING' && !(job.status === 'PREVIEW' && errorCount) && job.rowCount ? (
				<dl className="mb-6 grid max-w-xl grid-cols-2 gap-x-6 gap-y-1">
					<dt>{t('roster.col.rows')}</dt>
					<dd className="font-semibold">{job.rowCount}</dd>
					{isTree ? null : (
						<>
							<dt>{t('import.count.newUsers')}</dt>
							<dd className="font-semibold">{job.newUsers}</dd>
						</>
					)}
					<dt>{t(isTree ? 'import.count.unitsCreated' : 'import.count.created')}</dt>
					<dd className="font-semibold">{job.created}</dd>
					<dt>{t(isTree ? 'import.count.unitsUpdated' : 'import.count.updated')}</dt>
					<dd className="font-semibold">{job.updated}</dd>
					<dt>{t('import.count.unchanged')}</dt>
					<dd className="font-semibold">{job.unchanged}</dd>
					{job.mode === 'sync' && !isTree ? (
						<>
							<dt>{t('import.count.ended')}</dt>
							<dd className="font-semibold">{job.ended}</dd>
						</>
					) : null}
				</dl>
			) : null}
			{job.preview.rows.length && (canConfirm || job.status === 'SUCCEEDED') && !isTree ? <ReadTable rows={job.preview.rows} more={job.preview.rowsMore} /> : null}
			{ending ? (
				<Section
					id="ending-heading"
					title={t(job.status === 'SUCCEEDED' ? 'import.ending.doneTitle' : 'import.ending.title', { count: job.ended, date: job.effectiveAt ? formatVnDate(job.effectiveAt) : '' })}
					className="alert alert-warning mb-6 max-w-4xl"
				>
					<p className="mb-3">{t('import.ending.intro')}</p>
					<DataTable caption={t('import.ending.caption')} columns={[t('import.ending.col.name'), t('import.ending.col.unit'), t('import.ending.col.title')]}>
						{ending.ending.map((p, i) => (
							<tr key={i}>
								<td>{p.name}</td>
								<td>{p.unit}</td>
								<td>{p.title ?? ''}</td>
							</tr>
						))}
					</DataTable>
					{ending.endingTotal > ending.ending.length ? <p className="mt-2">{t('import.ending.more', { count: ending.endingTotal - ending.ending.length })}</p> : null}
				</Section>
			) : null}
			{canConfirm ? (
				<Form method="post" className="mb-6">
					<p className="mb-2 max-w-2xl">{t('import.confirmHint')}</p>
					{mustType ? (
						<div className="mb-3 max-w-md">
							<label htmlFor="endCount" className="label">
								{t('import.ending.typeLabel', { count: job.ended })}
							</label>
							<input
								id="endCount"
								name="endCount"
								className="field"
								inputMode="numeric"
								autoComplete="off"
								required
								defaultValue={endCountError?.typed ?? ''}
								aria-invalid={endCountError ? true : undefined}
								aria-describedby={endCountError ? 'endCount-error' : undefined}
							/>
							{endCountError ? (
								<p id="endCount-error" role="alert" className="field-error">
									{t('import.ending.typeError', { count: job.ended })}
								</p>
							) : null}
						</div>
					) : null}
					<button type="submit" className={mustType ? 'btn btn-danger' : 'btn'}>
						{t(mustType ? 'import.ending.confirm' : 'import.confirm', { count: job.ended })}
					</button>
				</Form>
			) : null}
			{codes ? (
				<Section id="codes-heading" title={t('codes.title')} className="card mb-6 max-w-2xl">
					<p className="mb-3">{t('codes.intro')}</p>
					{reissue && 'done' in reissue ? (
						<p role="status" className="alert alert-success mb-3">
							{t('codes.reissue.done', { count: reissue.count, voided: reissue.voided })}
						</p>
					) : null}
					<p className="mb-2" data-testid="codes-batch">
						{codes.batch
							? t('codes.batch', { issued: formatVnDate(codes.batch.issuedAt), expires: formatVnDate(codes.batch.expiresAt), issuedCount: codes.batch.issued, used: codes.batch.used, live: codes.batch.live })
							: t('codes.notIssued', { count: codes.eligible })}
					</p>
					{codes.withheld ? <p className="alert alert-warning mb-2">{t('codes.withheld', { count: codes.withheld })}</p> : null}
					{codes.batch?.missing ? <p className="alert alert-warning mb-2">{t('codes.missing', { count: codes.batch.missing })}</p> : null}
					{codes.batch?.unreadable ? <p className="alert alert-warning mb-2">{t('codes.unreadable', { count: codes.batch.unreadable })}</p> : null}
					<Form method="post" action={`/org/${unit.id}/imports/${job.id}/codes`} reloadDocument className="mt-3 flex flex-wrap gap-3">
						<button type="submit" name="format" value="pdf" className="btn">
							{t('codes.pdf')}
						</button>
						<button type="submit" name="format" value="xlsx" className="btn btn-secondary">
							{t('codes.xlsx')}
						</button>
					</Form>
					{codes.batch ? (
						<details className="mt-4" open={reissue !== null && 'error' in reissue}>
							<summary className="cursor-pointer font-semibold">{t('codes.reissue.title')}</summary>
							<Form method="post" className="mt-2">
								<p className="mb-2">{t('codes.reissue.intro', { count: codes.batch.live })}</p>
								{reissue && 'error' in reissue ? (
									<p role="alert" id="reissue-error" className="alert alert-error mb-2">
										{t(reissue.error, { count: reissue.count })}
									</p>
								) : null}
								<input type="hidden" name="intent" value="reissue" />
								<input type="hidden" name="voids" value={codes.batch.live} />
								<label className="mb-3 flex items-start gap-2">
									<input type="checkbox" name="understood" value="yes" required className="mt-1" aria-describedby={reissue && 'error' in reissue ? 'reissue-error' : undefined} />
									<span>{t('codes.reissue.check', { count: codes.batch.live })}</span>
								</label>
								<button type="submit" className="btn btn-danger">
									{t('codes.reissue.submit')}
								</button>
							</Form>
						</details>
					) : null}
				</Section>
			) : null}
			{errorCount ? (
				<Section id="errors-heading" title={t('import.errors.title', { count: errorCount })} className="mb-6">
					<p className="mb-3 flex flex-wrap gap-3">
						<a href={`/org/${unit.id}/imports/${job.id}/errors.xlsx`} className="btn btn-secondary" download>
							{t('import.errors.download')}
						</a>
						<Link to={uploadPage} className="btn">
							{t('import.uploadFixed')}
						</Link>
					</p>
					<MessageTable messages={job.errors.items.map((m) => ({ ...m, text: formatImportMessage(t, { key: m.key, vars: m.vars }) }))} />
					{errorCount > job.errors.items.length ? <p className="mt-2">{t('import.errors.more', { count: errorCount - job.errors.items.length })}</p> : null}
				</Section>
			) : null}
			{job.warnings.total ? (
				<Section id="warnings-heading" title={t('import.warnings.title', { count: job.warnings.total })} className="mb-6">
					<MessageTable messages={job.warnings.items.slice(0, SHOWN).map((m) => ({ ...m, text: formatImportMessage(t, { key: m.key, vars: m.vars }) }))} />
				</Section>
			) : null}
		</>
	)
}

const isTreeKind = (kind: string) => kind === 'tree'

/** How each value of the sample and of every changed row was read, before anyone confirms (issue 18 item 13). */
function ReadTable({ rows, more }: { rows: Array<ReadRow>; more: number }) {
	const t = useT()
	const note = (text: string) => <span className="block text-sm text-gray-700">{text}</span>
	return (
		<Section id="read-heading" title={t('import.read.title')} className="mb-6" headingClassName="mb-1 text-xl font-semibold">
			<p className="mb-3 max-w-3xl">{t('import.read.intro', { sample: SAMPLE_ROWS })}</p>
			<DataTable
				columns={[
					t('import.read.col.row'),
					t('import.read.col.name'),
					t('import.read.col.birth'),
					t('import.read.col.contact'),
					t('import.read.col.unit'),
					t('import.read.col.title'),
					t('import.read.col.result'),
				]}
			>
				{rows.map((r) => (
					<tr key={r.row}>
						<td>{r.row}</td>
						<td>{r.name}</td>
						<td>
							{r.birth ?? ''}
							{r.birthNote ? note(t(`import.read.birth.${r.birthNote}`)) : null}
						</td>
						<td>
							{r.phone ?? ''}
							{r.phoneNote ? note(t(`import.read.phone.${r.phoneNote}`)) : null}
							{r.email ? <span className="block break-all">{r.email}</span> : null}
						</td>
						<td>
							{r.unit} ({r.unitCode}){r.unitByName ? note(t('import.read.unit.byName', { typed: r.typedUnit })) : null}
						</td>
						<td>{r.title ?? ''}</td>
						<td>
							<span className={r.action === 'update' ? 'font-semibold' : undefined}>{t(`import.read.action.${r.action}`)}</span>
							{r.changes.length ? (
								<ul className="text-sm">
									{r.changes.map((c) => (
										<li key={c.field}>
											{t(`import.read.field.${c.field}`)}: {c.from || t('import.read.empty')} → {c.to || t('import.read.empty')}
										</li>
									))}
								</ul>
							) : null}
						</td>
					</tr>
				))}
			</DataTable>
			{more ? <p className="mt-2">{t('import.read.more', { count: more })}</p> : null}
		</Section>
	)
}
const canConfirmJob = (job: { status: string; errors: { total: number } }) => job.status === 'PREVIEW' && job.errors.total === 0

function MessageTable({ messages }: { messages: Array<{ row?: number; column?: string; header?: string; text: string }> }) {
	const t = useT()
	return (
		<DataTable columns={[t('import.col.row'), t('import.col.column'), t('import.col.problem')]}>
			{messages.map((m, i) => (
				<tr key={i}>
					<td>{m.row ?? ''}</td>
					<td>{m.column ? `${m.column}${m.header ? ` (${m.header})` : ''}` : ''}</td>
					<td>{m.text}</td>
				</tr>
			))}
		</DataTable>
	)
}

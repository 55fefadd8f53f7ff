import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireOrgRole, notFound } from '#app/auth/permissions.server.ts'
import { confirmRosterImport, getImportJob } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { useLang, useT } from '#app/ui/i18n.ts'

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const
/** Errors listed on the page; all of them are in the downloadable workbook. */
const SHOWN = 200

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: `${data?.job.fileName ?? 'Nhập danh sách'} | Văn Minh Số` },
	// Refreshes itself while the server works, so the progress moves without JavaScript.
	...(data?.busy ? [{ httpEquiv: 'refresh', content: '2' } as const] : []),
]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const job = await getImportJob(String(params.jobId), unit.id)
	if (!job) notFound()
	const busy = job.status === 'VALIDATING' || job.status === 'RUNNING'
	return json({
		unit: { id: unit.id, name: unit.name },
		busy,
		job: { ...job, errors: { total: job.errors.total, items: job.errors.items.slice(0, SHOWN) } },
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const jobId = String(params.jobId)
	// A job of another unit is not found, as on the page itself (issue 16's matrix).
	if (!(await getImportJob(jobId, unit.id))) throw new Response('Not Found', { status: 404 })
	await confirmRosterImport({ jobId, scope: unit, actorId: user.id, request })
	// Whatever happened (done, running, refused because already confirmed), the job page tells it.
	return redirect(`/org/${unit.id}/imports/${jobId}`)
}

export default function ImportJobPage() {
	const t = useT()
	const lang = useLang()
	const { unit, job, busy } = useLoaderData<typeof loader>()
	const errorCount = job.errors.total
	const canConfirm = job.status === 'PREVIEW' && errorCount === 0
	const isTree = job.kind === 'tree'
	const uploadPage = isTree ? `/org/${unit.id}/imports/tree` : `/org/${unit.id}/imports`
	const p = job.progress
	const percent = p && p.total ? Math.round((p.done / p.total) * 100) : null
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link> › <Link to={uploadPage}>{t(isTree ? 'tree.import' : 'roster.title')}</Link>
			</p>
			<h1 className="mb-1 text-2xl font-bold">{job.fileName}</h1>
			<p className="mb-4 text-gray-700">
				{isTree ? null : t(job.mode === 'sync' ? 'roster.mode.sync' : 'roster.mode.upsert')}
				{job.effectiveAt ? ` · ${t('roster.effectiveAt')}: ${new Date(job.effectiveAt).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })}` : null}
			</p>
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
			{canConfirm ? (
				<Form method="post" className="mb-6">
					<p className="mb-2 max-w-2xl">{t('import.confirmHint')}</p>
					<button type="submit" className="btn">
						{t('import.confirm')}
					</button>
				</Form>
			) : null}
			{job.status === 'SUCCEEDED' && !isTree && job.newUsers > 0 ? (
				<section className="card mb-6 max-w-2xl" aria-labelledby="codes-heading">
					<h2 id="codes-heading" className="mb-2 text-xl font-semibold">
						{t('codes.title')}
					</h2>
					<p className="mb-3">{t('codes.intro')}</p>
					<Form method="post" action={`/org/${unit.id}/imports/${job.id}/codes`} reloadDocument className="flex flex-wrap gap-3">
						<button type="submit" name="format" value="pdf" className="btn">
							{t('codes.pdf')}
						</button>
						<button type="submit" name="format" value="xlsx" className="btn btn-secondary">
							{t('codes.xlsx')}
						</button>
					</Form>
				</section>
			) : null}
			{errorCount ? (
				<section className="mb-6" aria-labelledby="errors-heading">
					<h2 id="errors-heading" className="mb-2 text-xl font-semibold">
						{t('import.errors.title', { count: errorCount })}
					</h2>
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
				</section>
			) : null}
			{job.warnings.total ? (
				<section className="mb-6" aria-labelledby="warnings-heading">
					<h2 id="warnings-heading" className="mb-2 text-xl font-semibold">
						{t('import.warnings.title', { count: job.warnings.total })}
					</h2>
					<MessageTable messages={job.warnings.items.slice(0, SHOWN).map((m) => ({ ...m, text: formatImportMessage(t, { key: m.key, vars: m.vars }) }))} />
				</section>
			) : null}
		</>
	)
}

function MessageTable({ messages }: { messages: Array<{ row?: number; column?: string; header?: string; text: string }> }) {
	const t = useT()
	return (
		<div className="overflow-x-auto">
			<table className="table bg-white">
				<thead>
					<tr>
						<th scope="col">{t('import.col.row')}</th>
						<th scope="col">{t('import.col.column')}</th>
						<th scope="col">{t('import.col.problem')}</th>
					</tr>
				</thead>
				<tbody>
					{messages.map((m, i) => (
						<tr key={i}>
							<td>{m.row ?? ''}</td>
							<td>{m.column ? `${m.column}${m.header ? ` (${m.header})` : ''}` : ''}</td>
							<td>{m.text}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	)
}

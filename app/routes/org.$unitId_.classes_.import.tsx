// Schools, classes and students from a file: upload → check → preview → confirm (app/classes/student-import.server.ts).
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { currentSchoolYear } from '#app/classes/classes.server.ts'
import { StudentImportConfirmSchema, StudentUploadSchema } from '#app/classes/schema.ts'
import { confirmStudentImport, getStudentImport, startStudentImport } from '#app/classes/student-import.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { InputField, SelectField } from '#app/ui/fields.tsx'
import { Alert, FormCard, FormErrors, replyErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { Breadcrumbs, Section } from '#app/ui/layout.tsx'
import { DataTable } from '#app/ui/table.tsx'
import { readUpload, uploadRefusalKey } from '#app/ui/uploads.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: 'Nhập học sinh | Văn Minh Số' },
	// The queue is still checking or writing the file: the page refreshes itself, without JavaScript too.
	...(data?.job && (data.job.status === 'VALIDATING' || data.job.status === 'RUNNING') ? [{ httpEquiv: 'refresh', content: '2' } as const] : []),
]

const ROLES = ['MANAGER'] as const
// A pupils' list is small: the file stops at 1 MB, below the 20 MB the server lets the upload pages send (decision 015).
const MAX_BYTES = 1024 * 1024

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	if (unit.tree !== 'EDU') notFound()
	const jobId = new URL(request.url).searchParams.get('job')
	const job = jobId ? await getStudentImport(jobId.slice(0, 40), unit.id) : null
	if (jobId && !job) notFound()
	const year = currentSchoolYear()
	return json({ unit: { id: unit.id, name: unit.name }, job: job ? { ...job, errors: { total: job.errors.total, items: job.errors.items.slice(0, 200) } } : null, years: [year - 1, year, year + 1], year })
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	if (unit.tree !== 'EDU') notFound()
	if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
		const confirm = parseWithZod(await request.formData(), { schema: StudentImportConfirmSchema })
		if (confirm.status !== 'success') return json({ result: confirm.reply(), error: null }, { status: 400 })
		await confirmStudentImport({ jobId: confirm.value.job, scope: unit, actorId: user.id, request })
		return redirect(`/org/${unit.id}/classes/import?job=${encodeURIComponent(confirm.value.job)}`)
	}
	const upload = await readUpload(request, { maxFileBytes: MAX_BYTES })
	if (!upload.ok) return json({ result: null, error: uploadRefusalKey(upload.error, 'edu.import.tooLarge') }, { status: upload.status })
	const submission = parseWithZod(upload.form, { schema: StudentUploadSchema })
	if (submission.status !== 'success') return json({ result: submission.reply({ hideFields: ['file'] }), error: null }, { status: 400 })
	const { file, schoolYear } = submission.value
	const jobId = await startStudentImport({ bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || 'hoc-sinh', scope: unit, schoolYear, actorId: user.id, request })
	return redirect(`/org/${unit.id}/classes/import?job=${jobId}`)
}

export default function StudentImportPage() {
	const t = useT()
	const { unit, job, years, year } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const errorCount = job?.errors.total ?? 0
	return (
		<>
			<Breadcrumbs crumbs={[{ to: `/org/${unit.id}/classes`, label: unit.name }]} />
			<h1 className="mb-2 text-2xl font-bold">{t('edu.import.title')}</h1>
			<p className="mb-4 max-w-2xl">{t('edu.import.intro')}</p>
			{data?.error ? <Alert>{t(data.error)}</Alert> : null}
			<FormErrors id="import-errors" errors={replyErrors(data?.result)} />
			{job ? (
				<Section id="job-heading" title={job.fileName} className="mb-8">
					<p role="status" className={`alert mb-4 ${job.status === 'FAILED' || errorCount ? 'alert-error' : 'alert-success'}`}>
						{job.status === 'SUCCEEDED'
							? t('edu.import.done')
							: job.status === 'FAILED'
								? t('edu.import.failed')
								: job.status === 'RUNNING' || job.status === 'VALIDATING'
									? t('edu.import.running')
									: errorCount
										? t('edu.import.blocked', { count: errorCount })
										: t('edu.import.ready')}
					</p>
					{!errorCount ? (
						<dl className="mb-4 grid max-w-xl grid-cols-2 gap-x-6 gap-y-1">
							<dt>{t('edu.schoolYear')}</dt>
							<dd className="font-semibold">{`${job.schoolYear}–${job.schoolYear + 1}`}</dd>
							<dt>{t('edu.import.rows')}</dt>
							<dd className="font-semibold">{job.rowCount}</dd>
							<dt>{t('edu.import.newClasses')}</dt>
							<dd className="font-semibold">{job.newClasses}</dd>
							<dt>{t('edu.import.newStudents')}</dt>
							<dd className="font-semibold">{job.newUsers}</dd>
							<dt>{t('edu.import.memberships')}</dt>
							<dd className="font-semibold">{job.created}</dd>
							<dt>{t('edu.import.unchanged')}</dt>
							<dd className="font-semibold">{job.unchanged}</dd>
						</dl>
					) : null}
					{job.status === 'PREVIEW' && !errorCount ? (
						<Form method="post">
							<input type="hidden" name="job" value={job.id} />
							<button type="submit" className="btn">
								{t('edu.import.confirm')}
							</button>
						</Form>
					) : null}
					{errorCount ? (
						<DataTable columns={[t('import.col.row'), t('import.col.column'), t('import.col.problem')]}>
							{job.errors.items.map((m, i) => (
								<tr key={i}>
									<td>{m.row ?? ''}</td>
									<td>{m.column ? `${m.column}${m.header ? ` (${m.header})` : ''}` : ''}</td>
									<td>{formatImportMessage(t, { key: m.key, vars: m.vars })}</td>
								</tr>
							))}
						</DataTable>
					) : null}
				</Section>
			) : null}
			<FormCard submit={t('edu.import.submit')} encType="multipart/form-data" reloadDocument className="card max-w-2xl">
				<InputField id="students-file" label={t('edu.import.file')} name="file" type="file" required accept=".xlsx,.csv,.txt" className="mb-4" />
				<SelectField
					label={t('edu.schoolYear')}
					plain={{ id: 'students-year', name: 'schoolYear', defaultValue: year }}
					options={years.map((y) => ({ value: y, label: `${y}–${y + 1}` }))}
				/>
			</FormCard>
		</>
	)
}

import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { listImportJobs, MAX_UPLOAD_BYTES, startRosterImport } from '#app/org/import-jobs.server.ts'
import { RosterUploadSchema } from '#app/org/schema.ts'
import { RadioGroup } from '#app/ui/fields.tsx'
import { Field, FormErrors } from '#app/ui/form.tsx'
import { useErrorText, useT } from '#app/ui/i18n.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { readUpload, uploadRefusalKey } from '#app/ui/uploads.server.ts'
import { formatVnDateTime, vnToday } from '#app/ui/dates.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('roster.manage'))

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const jobs = await listImportJobs(unit.id)
	return json({ unit: { id: unit.id, name: unit.name }, jobs, today: vnToday(), maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 })
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const upload = await readUpload(request, { maxFileBytes: MAX_UPLOAD_BYTES })
	if (!upload.ok) return json({ result: { status: 'error' as const, error: { '': [uploadRefusalKey(upload.error, 'import.file.tooLarge')] } } }, { status: upload.status })
	const submission = parseWithZod(upload.form, { schema: RosterUploadSchema })
	if (submission.status !== 'success') return json({ result: submission.reply({ hideFields: ['file'] }) }, { status: 400 })
	const { file, mode, effectiveAt } = submission.value
	const jobId = await startRosterImport({
		bytes: new Uint8Array(await file.arrayBuffer()),
		fileName: file.name || 'danh-sach',
		scope: unit,
		actorId: user.id,
		mode,
		effectiveAt,
		request,
	})
	return redirect(`/org/${unit.id}/imports/${jobId}`)
}

export default function RosterUploadPage() {
	const t = useT()
	const errorText = useErrorText()
	const { unit, jobs, today, maxMb } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm<{ file: File; mode: string; effectiveAt: string }>({
		id: 'roster-upload',
		lastResult: data?.result,
		defaultValue: { mode: 'upsert', effectiveAt: today },
	})
	const formErrors = form.errors?.map((e) => (e === 'import.file.tooLarge' ? t('import.file.tooLarge', { max: maxMb }) : e))
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-2 text-2xl font-bold">{t('roster.title')}</h1>
			<p className="mb-4 max-w-2xl">{t('roster.intro')}</p>
			<ol className="mb-6 max-w-2xl list-decimal pl-6">
				<li>
					<a href={`/org/${unit.id}/imports/template.xlsx`} download>
						{t('roster.template.download')}
					</a>{' '}
					{t('roster.step.template')}
				</li>
				<li>{t('roster.step.fill')}</li>
				<li>{t('roster.step.upload')}</li>
				<li>{t('roster.step.confirm')}</li>
			</ol>
			<Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card mb-8 max-w-2xl">
				<FormErrors id={form.errorId} errors={formErrors} />
				<div className="mb-4">
					<label htmlFor={fields.file.id} className="label">
						{t('roster.file')}
					</label>
					<input
						{...getInputProps(fields.file, { type: 'file' })}
						accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
						className="field"
						aria-describedby={`${fields.file.id}-hint`}
					/>
					<p id={`${fields.file.id}-hint`} className="mt-1 text-sm text-gray-700">
						{t('roster.fileHint', { max: maxMb })}
					</p>
					{fields.file.errors?.length ? (
						<p id={fields.file.errorId} className="field-error">
							{errorText(fields.file.errors[0])}
						</p>
					) : null}
				</div>
				<RadioGroup
					legend={t('roster.mode')}
					meta={fields.mode}
					options={[
						{ value: 'upsert', label: t('roster.mode.upsert'), hint: t('roster.mode.upsertHint') },
						{ value: 'sync', label: t('roster.mode.sync'), hint: t('roster.mode.syncHint') },
					]}
				/>
				<Field label={t('roster.effectiveAt')} meta={fields.effectiveAt} type="date" hint={t('roster.effectiveAtHint')} />
				<button type="submit" className="btn" disabled={navigation.state === 'submitting'}>
					{navigation.state === 'submitting' ? t('roster.checking') : t('roster.submit')}
				</button>
			</Form>
			<Section id="jobs-heading" title={t('roster.history')}>
				{jobs.length ? (
					<DataTable columns={[t('roster.col.when'), t('roster.file'), t('org.col.status'), t('roster.col.rows')]}>
						{jobs.map((j) => (
							<tr key={j.id}>
								<td>{formatVnDateTime(j.createdAt)}</td>
								<td>
									<Link to={`/org/${unit.id}/imports/${j.id}`}>{j.fileName}</Link>
								</td>
								<td>{t(`import.status.${j.status}`)}</td>
								<td>{j.rowCount}</td>
							</tr>
						))}
					</DataTable>
				) : (
					<p>{t('roster.noHistory')}</p>
				)}
			</Section>
		</>
	)
}

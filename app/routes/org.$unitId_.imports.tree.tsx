import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { MAX_UPLOAD_BYTES, startImport } from '#app/org/import-jobs.server.ts'
import { TreeUploadSchema } from '#app/org/schema.ts'
import { vnToday } from '#app/ui/dates.ts'
import { InputField } from '#app/ui/fields.tsx'
import { FormCard, FormErrors, replyErrors } from '#app/ui/form.tsx'
import { useErrorText, useT } from '#app/ui/i18n.ts'
import { UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { readUpload, uploadRefusalKey } from '#app/ui/uploads.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.importTree'))

const ROLES = ['MANAGER'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	return json({ unit: { id: unit.id, name: unit.name, code: unit.code }, today: vnToday(), maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 })
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const upload = await readUpload(request, { maxFileBytes: MAX_UPLOAD_BYTES })
	if (!upload.ok) return json({ result: null, errors: [uploadRefusalKey(upload.error, 'import.file.tooLarge')] }, { status: upload.status })
	const submission = parseWithZod(upload.form, { schema: TreeUploadSchema })
	if (submission.status !== 'success') return json({ result: submission.reply({ hideFields: ['file'] }), errors: [] as Array<string> }, { status: 400 })
	const { file, effectiveAt } = submission.value
	const jobId = await startImport({ kind: 'tree', bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || 'cay-to-chuc', scope: unit, actorId: user.id, effectiveAt, request })
	return redirect(`/org/${unit.id}/imports/${jobId}`)
}

export default function TreeImportPage() {
	const t = useT()
	const errorText = useErrorText()
	const { unit, today, maxMb } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	return (
		<>
			<UnitTrail unit={unit} page={{ path: 'tree', label: t('tree.title') }} />
			<h1 className="mb-2 text-2xl font-bold">{t('tree.import')}</h1>
			<p className="mb-2 max-w-2xl">{t('tree.import.intro', { code: unit.code })}</p>
			<p className="mb-4">
				<a href={`/org/${unit.id}/imports/tree.xlsx`} download>
					{t('tree.import.download')}
				</a>
			</p>
			<FormCard submit={t('roster.submit')} encType="multipart/form-data" className="card max-w-2xl">
				{data?.errors?.length ? (
					<div role="alert" className="alert alert-error mb-4">
						{data.errors.map((e) => (
							<p key={e}>{e === 'import.file.tooLarge' ? t('import.file.tooLarge', { max: maxMb }) : errorText(e)}</p>
						))}
					</div>
				) : null}
				<FormErrors id="tree-import-errors" errors={replyErrors(data?.result)} />
				<InputField id="tree-file" label={t('roster.file')} name="file" type="file" accept=".xlsx,.csv" className="mb-4" />
				<InputField id="tree-at" label={t('tree.validFrom')} name="effectiveAt" type="date" defaultValue={today} className="mb-4" />
			</FormCard>
		</>
	)
}

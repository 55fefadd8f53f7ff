import { parseWithZod } from '@conform-to/zod/v4'
import {
	type ActionFunctionArgs,
	type LoaderFunctionArgs,
	type MetaFunction,
	json,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { MAX_UPLOAD_BYTES } from '#app/org/import-jobs.server.ts'
import { formatImportMessage } from '#app/org/import-messages.ts'
import { AttendanceSchema, AttendanceUploadSchema } from '#app/org/schema.ts'
import { attendanceSheet, getEvent, readAttendanceFile, recordAttendance } from '#app/org/training.server.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { InputField } from '#app/ui/fields.tsx'
import { FormCard, FormErrors, Notice, replyErrors } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { readUpload, uploadRefusalKey } from '#app/ui/uploads.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.event.title ?? t('training.manage'))

const ROLES = ['MANAGER', 'TRAINER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const event = await getEvent(unit, String(params.eventId))
	if (!event) notFound()
	return json({
		unit: { id: unit.id, name: unit.name },
		event: {
			id: event.id,
			title: event.title,
			startsAt: event.startsAt.toISOString(),
			location: event.location,
			unitName: event.orgUnit.name,
			courseTitle: event.courseTitle,
			trainerName: event.trainerName,
			attendanceOnly: event.attendanceOnly,
		},
		people: await attendanceSheet(event),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const event = await getEvent(unit, String(params.eventId))
	if (!event) notFound()
	const t = translator(langFromRequest(request))
	const actor = { actorId: user.id, request }
	if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
		const upload = await readUpload(request, { maxFileBytes: MAX_UPLOAD_BYTES })
		if (!upload.ok) {
			return json({ result: null, notice: null, errors: [t(uploadRefusalKey(upload.error, 'import.file.tooLarge'), { max: MAX_UPLOAD_BYTES / 1024 / 1024 })] }, { status: upload.status })
		}
		const sheet = parseWithZod(upload.form, { schema: AttendanceUploadSchema })
		if (sheet.status !== 'success') return json({ result: sheet.reply({ hideFields: ['file'] }), notice: null, errors: [] }, { status: 400 })
		const read = await readAttendanceFile(event, new Uint8Array(await sheet.value.file.arrayBuffer()))
		if (!read.ok) return json({ result: null, notice: null, errors: read.errors.map((e) => formatImportMessage(t, e)) }, { status: 400 })
		const outcome = await recordAttendance(event, read.entries, actor)
		return json({ result: null, notice: t('training.recorded', { count: outcome.recorded, certificates: outcome.certificates }), errors: [] })
	}
	const submission = parseWithZod(await request.formData(), { schema: AttendanceSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null, errors: [] }, { status: 400 })
	const present = new Set(submission.value.present)
	const passed = new Set(submission.value.passed)
	const outcome = await recordAttendance(event, submission.value.listed.map((userId) => ({ userId, present: present.has(userId), passed: passed.has(userId) })), actor)
	return json({ result: null, notice: t('training.recorded', { count: outcome.recorded, certificates: outcome.certificates }), errors: [] })
}

export default function TrainingEventPage() {
	const t = useT()
	const { unit, event, people } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	return (
		<>
			<UnitTrail unit={unit} page={{ path: 'training', label: t('training.title') }} />
			<h1 className="mb-1 text-2xl font-bold">{event.title}</h1>
			<p className="mb-4 text-gray-700">
				{event.courseTitle} · {formatVnDateTime(event.startsAt)} ·{' '}
				{event.unitName} · {t('training.trainer')}: {event.trainerName}
				{event.location ? ` · ${event.location}` : null}
			</p>
			<p className="mb-4 max-w-2xl">{event.attendanceOnly ? t('training.rule.attendance') : t('training.rule.quiz')}</p>
			<Notice>{data?.notice}</Notice>
			{data?.errors?.length ? (
				<div role="alert" className="alert alert-error mb-4">
					<p className="font-semibold">{t('training.fileErrors')}</p>
					<ul className="list-disc pl-6">
						{data.errors.map((e) => (
							<li key={e}>{e}</li>
						))}
					</ul>
				</div>
			) : null}
			<FormErrors id="attendance-errors" errors={replyErrors(data?.result)} />
			<Section id="checklist-heading" title={t('training.checklist')} className="mb-8">
				{people.length ? (
					<Form method="post">
						<DataTable wrapperClassName="mb-4 overflow-x-auto" columns={[t('org.col.name'), t('org.col.unit'), t('training.col.present'), t('training.col.passed')]}>
							{people.map((p) => (
								<tr key={p.userId}>
									<td>
										<input type="hidden" name="listed" value={p.userId} />
										{p.fullName}
									</td>
									<td>{p.unitName}</td>
									<td>
										<input type="checkbox" name="present" value={p.userId} defaultChecked={p.present} className="h-5 w-5" aria-label={t('training.presentOf', { name: p.fullName })} />
									</td>
									<td>
										<input type="checkbox" name="passed" value={p.userId} defaultChecked={p.passed} className="h-5 w-5" aria-label={t('training.passedOf', { name: p.fullName })} />
									</td>
								</tr>
							))}
						</DataTable>
						<button type="submit" className="btn">
							{t('training.save')}
						</button>
					</Form>
				) : (
					<p>{t('org.noMembers')}</p>
				)}
			</Section>
			<Section id="file-heading" title={t('training.file')}>
				<p className="mb-2 max-w-2xl">{t('training.fileHint')}</p>
				<FormCard submit={t('training.fileSubmit')} secondary encType="multipart/form-data" className="card max-w-xl">
					<InputField id="attendance-file" label={t('roster.file')} name="file" type="file" accept=".xlsx,.csv" className="mb-4" />
				</FormCard>
			</Section>
		</>
	)
}

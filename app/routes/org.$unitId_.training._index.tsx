import { getFormProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { courseOptions } from '#app/learning/assignments.server.ts'
import { TrainingEventSchema } from '#app/org/schema.ts'
import { createEvent, listEvents, trainerOptions } from '#app/org/training.server.ts'
import { Field, FormErrors } from '#app/ui/form.tsx'
import { formatVnDateTime, vnInstant, vnToday } from '#app/ui/dates.ts'
import { langFromRequest, useErrorText, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Breadcrumbs, Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('training.manage'))

const ROLES = ['MANAGER', 'TRAINER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	return json({
		unit: { id: unit.id, name: unit.name },
		events: await listEvents(unit),
		courses: courseOptions(),
		trainers: await trainerOptions(unit, user.id),
		me: user.id,
		today: vnToday(),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: TrainingEventSchema })
	if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
	const { date, time, ...rest } = submission.value
	const startsAt = vnInstant(date, `${time}:00`)
	if (Number.isNaN(startsAt.getTime())) return json({ result: submission.reply({ fieldErrors: { date: [t('training.error.date')] } }) }, { status: 400 })
	const outcome = await createEvent(unit, { ...rest, startsAt }, { actorId: user.id, request })
	if (!outcome.ok) {
		const field = outcome.error === 'trainer' ? 'trainerId' : 'courseSlug'
		return json({ result: submission.reply({ fieldErrors: { [field]: [t(outcome.error === 'trainer' ? 'training.error.trainer' : 'assign.error.course')] } }) }, { status: 400 })
	}
	return redirect(`/org/${unit.id}/training/${outcome.eventId}`)
}

export default function TrainingListPage() {
	const t = useT()
	const errorText = useErrorText()
	const { unit, events, courses, trainers, me, today } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm<{ courseSlug: string; title: string; date: string; time: string; trainerId: string; location?: string }>({
		id: 'training-new',
		lastResult: data?.result,
		defaultValue: { date: today, time: '08:00', trainerId: me },
	})
	const when = (iso: string) => formatVnDateTime(iso)
	return (
		<>
			<Breadcrumbs crumbs={[{ to: `/org/${unit.id}`, label: unit.name }]} />
			<h1 className="mb-2 text-2xl font-bold">{t('training.title')}</h1>
			<p className="mb-4 max-w-2xl">{t('training.intro')}</p>
			<Section id="events-heading" title={t('training.list')} className="mb-8">
				{events.length ? (
					<DataTable columns={[t('training.col.title'), t('assign.course'), t('training.col.when'), t('org.col.unit'), t('training.col.present')]}>
						{events.map((e) => (
							<tr key={e.id}>
								<td>
									<Link to={`/org/${unit.id}/training/${e.id}`}>{e.title}</Link>
								</td>
								<td>{e.courseTitle}</td>
								<td>{when(e.startsAt)}</td>
								<td>{e.unit.name}</td>
								<td>{e.present}</td>
							</tr>
						))}
					</DataTable>
				) : (
					<p>{t('training.none')}</p>
				)}
			</Section>
			<Section id="new-event-heading" title={t('training.new')}>
				<Form method="post" {...getFormProps(form)} className="card max-w-xl">
					<FormErrors id={form.errorId} errors={form.errors} />
					<div className="mb-4">
						<label htmlFor={fields.courseSlug.id} className="label">
							{t('assign.course')}
						</label>
						<select {...getSelectProps(fields.courseSlug)} className="field">
							<option value="">{t('assign.chooseCourse')}</option>
							{courses.map((c) => (
								<option key={c.slug} value={c.slug}>
									{c.title}
								</option>
							))}
						</select>
						{fields.courseSlug.errors?.length ? <p className="field-error">{errorText(fields.courseSlug.errors[0])}</p> : null}
					</div>
					<Field label={t('training.col.title')} meta={fields.title} autoComplete="off" />
					<Field label={t('training.date')} meta={fields.date} type="date" />
					<Field label={t('training.time')} meta={fields.time} hint={t('training.timeHint')} />
					<div className="mb-4">
						<label htmlFor={fields.trainerId.id} className="label">
							{t('training.trainer')}
						</label>
						<select {...getSelectProps(fields.trainerId)} className="field">
							{trainers.map((p) => (
								<option key={p.id} value={p.id}>
									{p.fullName}
								</option>
							))}
						</select>
						{fields.trainerId.errors?.length ? <p className="field-error">{errorText(fields.trainerId.errors[0])}</p> : null}
					</div>
					<Field label={t('training.location')} meta={fields.location} autoComplete="off" />
					<button type="submit" className="btn">
						{t('training.create')}
					</button>
				</Form>
			</Section>
		</>
	)
}

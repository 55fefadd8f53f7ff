import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { courseOptions } from '#app/learning/assignments.server.ts'
import { TrainingEventSchema } from '#app/org/schema.ts'
import { createEvent, listEvents, trainerOptions } from '#app/org/training.server.ts'
import { SelectField } from '#app/ui/fields.tsx'
import { Field, FormCard } from '#app/ui/form.tsx'
import { formatVnDateTime, vnInstant, vnToday } from '#app/ui/dates.ts'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('training.manage'))

const ROLES = ['MANAGER', 'TRAINER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
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
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
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
			<UnitTrail unit={unit} />
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
				<FormCard conform={form} submit={t('training.create')} className="card max-w-xl">
					<SelectField label={t('assign.course')} meta={fields.courseSlug} placeholder={t('assign.chooseCourse')} options={courses.map((c) => ({ value: c.slug, label: c.title }))} />
					<Field label={t('training.col.title')} meta={fields.title} autoComplete="off" />
					<Field label={t('training.date')} meta={fields.date} type="date" />
					<Field label={t('training.time')} meta={fields.time} hint={t('training.timeHint')} />
					<SelectField label={t('training.trainer')} meta={fields.trainerId} options={trainers.map((p) => ({ value: p.id, label: p.fullName }))} />
					<Field label={t('training.location')} meta={fields.location} autoComplete="off" />
				</FormCard>
			</Section>
		</>
	)
}

import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { notFound } from '#app/auth/permissions.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import { closeAssignment, countRequiredPeople, requireAssignment, updateAssignment } from '#app/learning/assignments.server.ts'
import { AssignmentPageSchema } from '#app/learning/schema.ts'
import { TAGS } from '#app/org/tags.ts'
import { AssignmentRuleFields } from '#app/learning/assignment-form.tsx'
import { formatVnDate, vnDay } from '#app/ui/dates.ts'
import { Alert, FormErrors } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { translator } from '#app/ui/i18n.server.ts'
import { pageTitle } from '#app/ui/meta.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.assignment.courseTitle ?? t('assign.title'))

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, assignment } = await requireAssignment(request, idParam(params.unitId), params.assignmentId, ROLES)
	return json({
		unit: { id: unit.id, name: unit.name },
		assignment: {
			id: assignment.id,
			courseTitle: getCourse(assignment.course.slug)?.meta.title ?? assignment.course.slug,
			unitName: assignment.orgUnit.name,
			audienceTag: assignment.audienceTag,
			// Due dates are stored as the end of their day in Vietnam.
			due: vnDay(assignment.dueAt),
			recurrenceMonths: assignment.recurrenceMonths,
			createdAt: assignment.createdAt.toISOString(),
			closedAt: assignment.closedAt?.toISOString() ?? null,
			required: await countRequiredPeople(assignment.orgUnit.path, assignment.audienceTag),
		},
		// A tag typed in a roster (not in the fixed list) stays selectable for the rule that already uses it.
		tags: assignment.audienceTag && !(TAGS as ReadonlyArray<string>).includes(assignment.audienceTag) ? [...TAGS, assignment.audienceTag] : [...TAGS],
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, assignment } = await requireAssignment(request, idParam(params.unitId), params.assignmentId, ROLES)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: AssignmentPageSchema })
	const back = (done: 'updated' | 'unchanged' | 'closed') => redirect(`/org/${unit.id}/assignments?done=${done}`, 303)
	if (submission.status === 'success' && submission.value.intent === 'close') {
		if (await closeAssignment(assignment.id, unit, user.id, request)) return back('closed')
		return json({ result: null, preview: null, error: t('assign.alreadyClosed') }, { status: 409 })
	}
	if (submission.status !== 'success' || submission.value.intent === 'close') return json({ result: submission.reply(), preview: null, error: null }, { status: 400 })
	const { intent, ...value } = submission.value
	if (intent === 'preview') {
		return json({ result: submission.reply(), preview: await countRequiredPeople(assignment.orgUnit.path, value.audienceTag ?? null), error: null })
	}
	const outcome = await updateAssignment(
		assignment.id,
		{ audienceTag: value.audienceTag ?? null, dueAt: value.dueAt, recurrenceMonths: value.recurrenceMonths ?? null },
		unit,
		user.id,
		request,
	)
	if (outcome === 'updated' || outcome === 'unchanged') return back(outcome)
	if (outcome === 'closed') return json({ result: submission.reply({ formErrors: [t('assign.alreadyClosed')] }), preview: null, error: null }, { status: 409 })
	notFound()
}

export default function AssignmentEditPage() {
	const t = useT()
	const { unit, assignment, tags } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm<{ audienceTag?: string; dueAt: string; recurrenceMonths?: string }>({
		id: 'assign-edit',
		lastResult: data?.result,
		defaultValue: {
			audienceTag: assignment.audienceTag ?? '',
			dueAt: assignment.due,
			recurrenceMonths: assignment.recurrenceMonths == null ? '' : String(assignment.recurrenceMonths),
		},
	})
	return (
		<>
			<UnitTrail unit={unit} page={{ path: 'assignments', label: t('assign.title') }} />
			<h1 className="mb-1 text-2xl font-bold">{assignment.courseTitle}</h1>
			<p className="mb-4 text-gray-700">
				{t('org.col.unit')}: {assignment.unitName} · {t('assign.createdAt')}: {formatVnDate(assignment.createdAt)} ·{' '}
				{t('assign.nowRequired', { count: assignment.required })}
			</p>
			{data?.error ? <Alert>{data.error}</Alert> : null}
			{assignment.closedAt ? (
				<p role="status" className="alert mb-4">
					{t('assign.closedOn', { date: formatVnDate(assignment.closedAt) })}
				</p>
			) : (
				<div className="grid gap-6 lg:grid-cols-3">
					<Section id="edit-heading" title={t('assign.edit')} className="lg:col-span-2">
						<Form method="post" {...getFormProps(form)} className="card">
							<FormErrors id={form.errorId} errors={form.errors} />
							<p className="mb-4 text-sm text-gray-700">{t('assign.editHint')}</p>
							<AssignmentRuleFields fields={fields} tags={tags} preview={data?.preview} submit={{ label: t('assign.save'), intent: 'update' }} />
						</Form>
					</Section>
					<Section id="close-heading" title={t('assign.closeTitle')}>
						<Form method="post" className="card">
							<p className="mb-4 text-sm">{t('assign.closeHint')}</p>
							<button type="submit" name="intent" value="close" className="btn btn-secondary">
								{t('assign.closeSubmit')}
							</button>
						</Form>
					</Section>
				</div>
			)}
		</>
	)
}

import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { getCourse } from '#app/content/courses.server.ts'
import {
	closeAssignment,
	countRequiredPeople,
	courseGroups,
	courseOfferedTo,
	createAssignment,
	listAssignmentsForUnit,
	requireAssignment,
} from '#app/learning/assignments.server.ts'
import { AssignmentsPageSchema } from '#app/learning/schema.ts'
import { TAGS } from '#app/org/tags.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { AssignmentRuleFields } from '#app/learning/assignment-form.tsx'
import { SelectField } from '#app/ui/fields.tsx'
import { FormErrors } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { translator } from '#app/ui/i18n.server.ts'
import { tagLabel } from '#app/ui/labels.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('assign.title'))

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

// After an edit or a close (POST → redirect → GET), the list says what happened; only these words are read back.
const DONE = { updated: 'assign.updated', unchanged: 'assign.unchanged', closed: 'assign.closed' } as const
const DoneSchema = z.enum(Object.keys(DONE) as [keyof typeof DONE])

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const done = DoneSchema.safeParse(new URL(request.url).searchParams.get('done'))
	return json({
		unit: { id: unit.id, name: unit.name, tree: unit.tree },
		assignments: await listAssignmentsForUnit(unit),
		courseGroups: courseGroups(unit.tree),
		done: done.success ? DONE[done.data] : null,
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	// A preview asks how many people the course and audience reach: the due date can come after.
	const submission = parseWithZod(await request.formData(), { schema: AssignmentsPageSchema })
	if (submission.payload.intent === 'close') {
		// 403 for a rule outside the viewer's grants, 404 for one not in this page's subtree (or no id at all).
		const id = submission.status === 'success' && submission.value.intent === 'close' ? submission.value.assignmentId : undefined
		const { user, unit, assignment } = await requireAssignment(request, idParam(params.unitId), id, ROLES)
		await closeAssignment(assignment.id, unit, user.id, request)
		return redirect(`/org/${unit.id}/assignments?done=closed`, 303)
	}
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const t = translator(langFromRequest(request))
	if (submission.status !== 'success' || submission.value.intent === 'close') return json({ result: submission.reply(), preview: null, notice: null, created: null }, { status: 400 })
	const value = submission.value
	const course = getCourse(value.courseSlug)
	if (!course) {
		return json({ result: submission.reply({ fieldErrors: { courseSlug: [t('assign.error.course')] } }), preview: null, notice: null, created: null }, { status: 400 })
	}
	if (!courseOfferedTo(unit.tree, value.courseSlug)) {
		return json({ result: submission.reply({ fieldErrors: { courseSlug: [t('assign.error.audience')] } }), preview: null, notice: null, created: null }, { status: 400 })
	}
	const required = await countRequiredPeople(unit.path, value.audienceTag ?? null)
	if (value.intent === 'preview' || !value.dueAt) return json({ result: submission.reply(), preview: required, notice: null, created: null })
	const created = await createAssignment({ ...value, dueAt: value.dueAt }, unit, user.id, request)
	// The form keeps what was typed (the next assignment is often the same course for another audience or date) and
	// says exactly what was created.
	const notice = t('assign.createdDetail', {
		course: course.meta.title,
		unit: unit.name,
		audience: value.audienceTag ? tagLabel(t, value.audienceTag) : t('assign.everyone'),
		date: formatVnDate(value.dueAt),
		count: required,
	})
	return json({ result: submission.reply(), preview: null, notice, created: { id: created.id } })
}

export default function AssignmentsPage() {
	const t = useT()
	const { unit, assignments, courseGroups, done } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	// The redirect's word describes the last edit; once this page posts (preview, create) its own answer counts.
	const notice = data ? data.notice : done ? t(done) : null
	const [form, fields] = useForm<{ courseSlug: string; audienceTag?: string; dueAt: string; recurrenceMonths?: string }>({
		id: 'assign',
		lastResult: data?.result,
	})
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-4 text-2xl font-bold">{t('assign.title')}</h1>
			{notice ? (
				<p role="status" className="alert alert-success mb-4">
					{notice}
					{data?.created ? (
						<>
							{' '}
							<Link to={`/org/${unit.id}/assignments/${data.created.id}`}>{t('assign.viewCreated')}</Link>
						</>
					) : null}
				</p>
			) : null}
			<Section id="new-heading" title={t('assign.new')} className="mb-8">
				<Form method="post" {...getFormProps(form)} className="card max-w-xl">
					<FormErrors id={form.errorId} errors={form.errors} />
					<SelectField
						label={t('assign.course')}
						meta={fields.courseSlug}
						placeholder={t('assign.chooseCourse')}
						groups={courseGroups.map((g) => ({
							key: g.key,
							label: t(`youth.dash.assignGroup.${g.key}`),
							options: g.courses.map((c) => ({ value: c.slug, label: c.title })),
						}))}
						hint={unit.tree === 'YOUTH' ? t('youth.dash.assignHint') : undefined}
					/>
					<AssignmentRuleFields fields={fields} tags={TAGS} preview={data?.preview} submit={{ label: t('assign.create'), intent: 'create' }} />
				</Form>
			</Section>
			<Section id="list-heading" title={t('assign.list')}>
				{assignments.length ? (
					<DataTable
						columns={[t('assign.course'), t('org.col.unit'), t('assign.tag'), t('assign.due'), t('assign.required'), t('org.col.status')]}
					>
						{assignments.map((a) => (
							<tr key={a.id}>
								<td>{a.inherited ? a.courseTitle : <Link to={`/org/${unit.id}/assignments/${a.id}`}>{a.courseTitle}</Link>}</td>
								<td>{a.unit.name}</td>
								<td>{a.audienceTag ? tagLabel(t, a.audienceTag) : t('assign.everyone')}</td>
								<td>{formatVnDate(a.dueAt)}</td>
								<td>{a.required}</td>
								<td>
									{a.closedAt ? (
										t('assign.isClosed')
									) : a.inherited ? (
										t('assign.inherited')
									) : (
										<Form method="post">
											<input type="hidden" name="assignmentId" value={a.id} />
											<button type="submit" name="intent" value="close" className="underline text-brand-700 min-h-11">
												{t('assign.close')}
											</button>
										</Form>
									)}
								</td>
							</tr>
						))}
					</DataTable>
				) : (
					<p>{t('assign.none')}</p>
				)}
			</Section>
		</>
	)
}

import { getFormProps, getSelectProps, useForm } from '@conform-to/react'
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
import { AssignmentPreviewSchema, AssignmentSchema } from '#app/learning/schema.ts'
import { TAGS } from '#app/org/tags.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { Field, FormErrors } from '#app/ui/form.tsx'
import { langFromRequest, useErrorText, useLang, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { tagLabel } from '#app/ui/labels.ts'

export const meta: MetaFunction = () => [{ title: 'Giao khoá học | Văn Minh Số' }]

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

// After an edit or a close (POST → redirect → GET), the list says what happened; only these words are read back.
const DONE = { updated: 'assign.updated', unchanged: 'assign.unchanged', closed: 'assign.closed' } as const
const DoneSchema = z.enum(Object.keys(DONE) as [keyof typeof DONE])

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const done = DoneSchema.safeParse(new URL(request.url).searchParams.get('done'))
	return json({
		unit: { id: unit.id, name: unit.name, tree: unit.tree },
		assignments: await listAssignmentsForUnit(unit),
		courseGroups: courseGroups(unit.tree),
		done: done.success ? DONE[done.data] : null,
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const form = await request.formData()
	if (form.get('intent') === 'close') {
		// 403 for a rule outside the viewer's grants, 404 for one not in this page's subtree.
		const { user, unit, assignment } = await requireAssignment(request, Number(params.unitId), form.get('assignmentId'), ROLES)
		await closeAssignment(assignment.id, unit, user.id, request)
		return redirect(`/org/${unit.id}/assignments?done=closed`, 303)
	}
	const { user, unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const t = translator(langFromRequest(request))
	// A preview asks how many people the course and audience reach: the due date can come after.
	const submission = parseWithZod(form, { schema: form.get('intent') === 'preview' ? AssignmentPreviewSchema : AssignmentSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), preview: null, notice: null, created: null }, { status: 400 })
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
	const lang = useLang()
	const errorText = useErrorText()
	const { unit, assignments, courseGroups, done } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	// The redirect's word describes the last edit; once this page posts (preview, create) its own answer counts.
	const notice = data ? data.notice : done ? t(done) : null
	const [form, fields] = useForm<{ courseSlug: string; audienceTag?: string; dueAt: string; recurrenceMonths?: string }>({
		id: 'assign',
		lastResult: data?.result,
	})
	const date = (iso: string) => new Date(iso).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link>
			</p>
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
			<section className="mb-8" aria-labelledby="new-heading">
				<h2 id="new-heading" className="mb-2 text-xl font-semibold">
					{t('assign.new')}
				</h2>
				<Form method="post" {...getFormProps(form)} className="card max-w-xl">
					<FormErrors id={form.errorId} errors={form.errors} />
					<div className="mb-4">
						<label htmlFor={fields.courseSlug.id} className="label">
							{t('assign.course')}
						</label>
						<select {...getSelectProps(fields.courseSlug)} className="field">
							<option value="">{t('assign.chooseCourse')}</option>
							{courseGroups.map((g) => (
								<optgroup key={g.key} label={t(`youth.dash.assignGroup.${g.key}`)}>
									{g.courses.map((c) => (
										<option key={c.slug} value={c.slug}>
											{c.title}
										</option>
									))}
								</optgroup>
							))}
						</select>
						{unit.tree === 'YOUTH' ? <p className="mt-1 text-sm text-gray-700">{t('youth.dash.assignHint')}</p> : null}
						{fields.courseSlug.errors?.length ? <p className="field-error">{errorText(fields.courseSlug.errors[0])}</p> : null}
					</div>
					<div className="mb-4">
						<label htmlFor={fields.audienceTag.id} className="label">
							{t('assign.tag')}
						</label>
						<select {...getSelectProps(fields.audienceTag)} className="field">
							<option value="">{t('assign.everyone')}</option>
							{TAGS.map((tag) => (
								<option key={tag} value={tag}>
									{tagLabel(t, tag)}
								</option>
							))}
						</select>
					</div>
					<Field label={t('assign.due')} meta={fields.dueAt} type="date" />
					<Field label={t('assign.recurrence')} meta={fields.recurrenceMonths} />
					{data?.preview != null ? (
						<p role="status" className="alert alert-success mb-4">
							{t('assign.preview', { count: data.preview })}
						</p>
					) : null}
					<p className="flex flex-wrap gap-3">
						<button type="submit" name="intent" value="preview" className="btn btn-secondary">
							{t('assign.previewButton')}
						</button>
						<button type="submit" name="intent" value="create" className="btn">
							{t('assign.create')}
						</button>
					</p>
				</Form>
			</section>
			<section aria-labelledby="list-heading">
				<h2 id="list-heading" className="mb-2 text-xl font-semibold">
					{t('assign.list')}
				</h2>
				{assignments.length ? (
					<div className="overflow-x-auto">
						<table className="table bg-white">
							<thead>
								<tr>
									<th scope="col">{t('assign.course')}</th>
									<th scope="col">{t('org.col.unit')}</th>
									<th scope="col">{t('assign.tag')}</th>
									<th scope="col">{t('assign.due')}</th>
									<th scope="col">{t('assign.required')}</th>
									<th scope="col">{t('org.col.status')}</th>
								</tr>
							</thead>
							<tbody>
								{assignments.map((a) => (
									<tr key={a.id}>
										<td>{a.inherited ? a.courseTitle : <Link to={`/org/${unit.id}/assignments/${a.id}`}>{a.courseTitle}</Link>}</td>
										<td>{a.unit.name}</td>
										<td>{a.audienceTag ? tagLabel(t, a.audienceTag) : t('assign.everyone')}</td>
										<td>{date(a.dueAt)}</td>
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
							</tbody>
						</table>
					</div>
				) : (
					<p>{t('assign.none')}</p>
				)}
			</section>
		</>
	)
}

// A class for its teacher: students and their login cards (print, reset a PIN), start a session, past sessions.
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireClassTeacher } from '#app/classes/access.server.ts'
import { classStudents } from '#app/classes/classes.server.ts'
import { issuePins } from '#app/classes/pins.server.ts'
import { ClassPageSchema } from '#app/classes/schema.ts'
import { listClassSessions, openSessionOf, startClassSession, studentCourseOptions } from '#app/classes/sessions.server.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { Alert, FormErrors, replyErrors } from '#app/ui/form.tsx'
import { notFound, idParam } from '#app/ui/http.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.klass.name ?? t('kind.class'))

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { klass } = await requireClassTeacher(request, idParam(params.classId))
	const [students, sessions, open] = await Promise.all([classStudents(klass.id), listClassSessions(klass.id), openSessionOf(klass.id)])
	return json({ klass: { id: klass.id, name: klass.name, schoolName: klass.schoolName }, students, sessions, openId: open?.id ?? null, courses: studentCourseOptions() })
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, grants, klass } = await requireClassTeacher(request, idParam(params.classId))
	const submission = parseWithZod(await request.formData(), { schema: ClassPageSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), error: null, pin: null }, { status: 400 })
	const value = submission.value
	if (value.intent === 'reset-pin') {
		const pins = await issuePins(klass.id, [value.userId], { actorId: user.id, request, grants })
		const pin = pins.get(value.userId)
		if (!pin) notFound()
		const student = (await classStudents(klass.id)).find((s) => s.id === value.userId)
		return json({ result: null, error: null, pin: { name: student?.fullName ?? '', value: pin } })
	}
	const outcome = await startClassSession(klass, value.courseSlug, { actorId: user.id, request })
	if (!outcome.ok) {
		if (outcome.error === 'open' && outcome.eventId) return json({ result: null, error: 'teach.error.open' as const, pin: null }, { status: 409 })
		return json({ result: submission.reply({ fieldErrors: { courseSlug: ['teach.error.course'] } }), error: null, pin: null }, { status: 400 })
	}
	return redirect(`/teach/session/${outcome.eventId}/projector`)
}

export default function ClassPage() {
	const t = useT()
	const { klass, students, sessions, openId, courses } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to="/teach">{t('teach.title')}</Link> › {klass.schoolName}
			</p>
			<h1 className="mb-4 text-2xl font-bold">{klass.name}</h1>
			{data?.error ? <Alert>{t(data.error)}</Alert> : null}
			<FormErrors id="class-errors" errors={replyErrors(data?.result)} />
			{data?.pin ? (
				<p role="status" className="alert alert-success mb-4 text-lg">
					{t('teach.pinReset', { name: data.pin.name, pin: data.pin.value })}
				</p>
			) : null}
			<Section id="start-heading" title={t('teach.start')} className="card mb-6 max-w-2xl">
				{openId ? (
					<p className="flex flex-wrap gap-3">
						<a href={`/teach/session/${openId}/projector`} className="btn">
							{t('session.projector')}
						</a>
						<Link to={`/teach/session/${openId}`} className="btn btn-secondary">
							{t('session.control')}
						</Link>
					</p>
				) : (
					<Form method="post" reloadDocument>
						<p className="mb-3">{t('teach.startHint')}</p>
						<input type="hidden" name="intent" value="start" />
						<label htmlFor="start-course" className="label">
							{t('teach.course')}
						</label>
						<select id="start-course" name="courseSlug" className="field mb-4" required>
							<option value="">{t('teach.chooseCourse')}</option>
							{courses.map((c) => (
								<option key={c.slug} value={c.slug}>
									{c.title}
								</option>
							))}
						</select>
						<button type="submit" className="btn">
							{t('teach.start')}
						</button>
					</Form>
				)}
			</Section>
			<section className="mb-8" aria-labelledby="students-heading">
				<h2 id="students-heading" className="mb-2 text-xl font-semibold">
					{t('teach.students')} ({students.length})
				</h2>
				<Form method="post" action={`/teach/${klass.id}/cards.pdf`} reloadDocument className="mb-3">
					<p className="mb-2 max-w-2xl text-sm text-gray-700">{t('teach.cardsHint')}</p>
					<button type="submit" className="btn">
						{t('teach.cards')}
					</button>
				</Form>
				{students.length ? (
					<DataTable
						columns={[
							t('org.col.name'),
							t('teach.col.birthYear'),
							t('teach.col.username'),
							t('teach.col.card'),
							<span className="sr-only">{t('teach.resetPin')}</span>,
						]}
					>
						{students.map((s) => (
							<tr key={s.id}>
								<td>{s.fullName}</td>
								<td>{s.birthYear ?? ''}</td>
								<td>{s.username}</td>
								<td>{s.hasPin ? t('teach.cardPrinted') : t('teach.cardNone')}</td>
								<td>
									<Form method="post">
										<input type="hidden" name="intent" value="reset-pin" />
										<input type="hidden" name="userId" value={s.id} />
										<button type="submit" className="btn btn-secondary min-h-9 px-2 py-1 text-sm" aria-label={t('teach.resetPinOf', { name: s.fullName })}>
											{t('teach.resetPin')}
										</button>
									</Form>
								</td>
							</tr>
						))}
					</DataTable>
				) : (
					<p>{t('teach.noStudents')}</p>
				)}
			</section>
			<Section id="sessions-heading" title={t('teach.sessions')}>
				{sessions.length ? (
					<DataTable columns={[t('teach.col.when'), t('teach.course'), t('teach.col.present'), t('teach.col.state')]}>
						{sessions.map((s) => (
							<tr key={s.id}>
								<td>{formatVnDateTime(s.startsAt)}</td>
								<td>
									<Link to={`/teach/session/${s.id}`}>{s.title}</Link>
								</td>
								<td>{s.closed ? s.present : ''}</td>
								<td>{t(s.closed ? 'teach.state.closed' : 'teach.state.open')}</td>
							</tr>
						))}
					</DataTable>
				) : (
					<p>{t('teach.noSessions')}</p>
				)}
			</Section>
		</>
	)
}

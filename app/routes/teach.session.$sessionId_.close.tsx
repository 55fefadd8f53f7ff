// Ending a class session: the attendance checklist (students who joined are ticked; a class without devices is
// ticked by hand) and who completed the lesson. Saving closes the session and records everything at once.
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireClassSession } from '#app/classes/access.server.ts'
import { canDrive, closeChecklist, closeClassSession } from '#app/classes/sessions.server.ts'
import { CloseSessionSchema } from '#app/classes/schema.ts'
import { Alert, FormErrors, replyErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { Breadcrumbs } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('session.end'))

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, event } = await requireClassSession(request, String(params.sessionId))
	return json({
		session: { id: event.id, title: event.courseTitle, className: event.orgUnit.name, classId: event.orgUnit.id, closed: !!event.closedAt },
		driver: canDrive(event, user.id),
		trainerName: event.trainerName,
		// How far the class got: «Hoàn thành» records the whole course, so a session stopped early says so.
		progress: { step: Math.min(event.step + 1, event.steps.length), steps: event.steps.length },
		people: await closeChecklist(event),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, event } = await requireClassSession(request, String(params.sessionId))
	const submission = parseWithZod(await request.formData(), { schema: CloseSessionSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), error: null, name: '', done: null }, { status: 400 })
	const present = new Set(submission.value.present)
	const completed = new Set(submission.value.completed)
	const people = submission.value.listed.map((userId) => ({ userId, present: present.has(userId), completed: completed.has(userId) }))
	const outcome = await closeClassSession(event, people, { actorId: user.id, request })
	if (!outcome.ok) return json({ result: null, error: outcome.error === 'not-driver' ? ('session.notDriver' as const) : ('session.close.already' as const), name: event.trainerName, done: null }, { status: outcome.error === 'not-driver' ? 403 : 409 })
	return json({ result: null, error: null, name: '', done: { present: outcome.present, completions: outcome.completions } })
}

export default function CloseSessionPage() {
	const t = useT()
	const { session, driver, trainerName, progress, people } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const closed = session.closed || !!data?.done
	return (
		<>
			<Breadcrumbs
				crumbs={[
					{ to: `/teach/${session.classId}`, label: session.className },
					{ to: `/teach/session/${session.id}`, label: session.title },
				]}
			/>
			<h1 className="mb-2 text-2xl font-bold">{t('session.close.title')}</h1>
			{data?.done ? (
				<p role="status" className="alert alert-success mb-4">
					{t('session.close.done', data.done)} <Link to={`/teach/session/${session.id}/summary`}>{t('session.summary.open')}</Link>
				</p>
			) : null}
			{data?.error ? <Alert>{t(data.error, { name: data.name })}</Alert> : null}
			<FormErrors id="close-errors" errors={replyErrors(data?.result)} />
			{!driver ? (
				<p role="status" className="alert alert-info mb-4">
					{t('session.notDriver', { name: trainerName })}
				</p>
			) : null}
			{session.closed && !data ? (
				<p role="status" className="alert alert-success mb-4">
					{t('session.closedNote')} <Link to={`/teach/session/${session.id}/summary`}>{t('session.summary.open')}</Link>
				</p>
			) : null}
			<p className="mb-4 max-w-2xl">{t('session.close.intro')}</p>
			{!closed && progress.step < progress.steps ? (
				<p role="status" className="alert alert-warning mb-4 max-w-2xl">
					{t('session.close.notAtEnd', progress)}
				</p>
			) : null}
			<Form method="post">
				<DataTable wrapperClassName="mb-4 overflow-x-auto" columns={[t('org.col.name'), t('session.col.joined'), t('session.close.present'), t('session.close.completed')]}>
					{people.map((p) => (
						<tr key={p.id}>
							<td>
								<input type="hidden" name="listed" value={p.id} />
								{p.fullName}
							</td>
							<td>{p.joined ? t('session.yes') : t('session.no')}</td>
							<td>
								<input type="checkbox" name="present" value={p.id} defaultChecked={p.present} disabled={closed} className="h-6 w-6" aria-label={t('session.close.presentOf', { name: p.fullName })} />
							</td>
							<td>
								<input type="checkbox" name="completed" value={p.id} defaultChecked={p.completed} disabled={closed} className="h-6 w-6" aria-label={t('session.close.completedOf', { name: p.fullName })} />
							</td>
						</tr>
					))}
				</DataTable>
				{driver && !closed ? (
					<button type="submit" className="btn">
						{t('session.close.submit')}
					</button>
				) : null}
			</Form>
		</>
	)
}

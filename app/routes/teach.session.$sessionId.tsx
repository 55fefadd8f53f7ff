// The teacher's live view of a class session: who joined and who answered the question on screen. While the session is open
// /join/follow.js reloads it when that changes (a <noscript> refresh without JavaScript).
import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireClassSession } from '#app/classes/access.server.ts'
import { canDrive, liveState, liveStatus } from '#app/classes/sessions.server.ts'
import { Follow } from '#app/classes/follow.tsx'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'
import { Breadcrumbs, Section } from '#app/ui/layout.tsx'
import { DataTable } from '#app/ui/table.tsx'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.session.title ?? t('title.session'))

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, event } = await requireClassSession(request, String(params.sessionId))
	const live = await liveStatus(event)
	return json({
		session: { id: event.id, title: event.courseTitle, className: event.orgUnit.name, classId: event.orgUnit.id, code: event.joinCode, open: event.open, closed: !!event.closedAt, expired: event.expired, step: event.step, stepCount: event.steps.length, isQuestion: event.steps[event.step]?.kind === 'question' },
		driver: canDrive(event, user.id),
		followState: liveState(event, live),
		trainerName: event.trainerName,
		live,
	})
}

export default function SessionControlPage() {
	const t = useT()
	const { session, driver, followState, trainerName, live } = useLoaderData<typeof loader>()
	return (
		<>
			{session.open ? (
				<Follow url={`/teach/session/${session.id}/state`} state={followState} refreshSeconds={5} />
			) : null}
			<Breadcrumbs crumbs={[{ to: `/teach/${session.classId}`, label: session.className }]} />
			<h1 className="mb-2 text-2xl font-bold">{session.title}</h1>
			{!driver ? (
				<p role="status" className="alert alert-info mb-4">
					{t('session.notDriver', { name: trainerName })}
				</p>
			) : null}
			{session.closed ? (
				<p role="status" className="alert alert-success mb-4">
					{t('session.closedNote')}
				</p>
			) : session.expired ? (
				<p role="status" className="alert alert-info mb-4">
					{t('session.expiredNote', { hours: 4 })}
				</p>
			) : null}
			<p className="mb-2 text-lg">
				{t('session.joinCode')}: <strong className="tracking-widest">{session.code}</strong> · {t('session.step', { n: session.step + 1, total: session.stepCount })}
			</p>
			<p className="mb-2 text-lg" role="status">
				{t('session.joined', { count: live.joinedCount, total: live.students.length })}
				{session.isQuestion ? ` · ${t('session.answered', { count: live.answeredCount, correct: live.correctCount })}` : ''}
			</p>
			{driver && !session.closed ? (
				<p className="mb-4 flex flex-wrap gap-3">
					<a href={`/teach/session/${session.id}/projector`} className="btn">
						{t('session.projector')}
					</a>
					<a href={`/teach/session/${session.id}/close`} className="btn btn-secondary">
						{t('session.end')}
					</a>
				</p>
			) : null}
			<p className="mb-4">
				<Link to={`/teach/session/${session.id}/summary`}>{t('session.summary.open')}</Link>
			</p>
			{session.open ? <p className="mb-2 text-sm text-gray-700">{t('session.refresh')}</p> : null}
			<Section id="live-heading" title={t('session.live')}>
				<DataTable columns={[t('org.col.name'), t('session.col.joined'), t('session.col.answered'), t('session.col.answers')]}>
					{live.students.map((s) => (
						<tr key={s.id}>
							<td>{s.fullName}</td>
							<td>{s.joined ? t('session.yes') : t('session.no')}</td>
							<td>{s.answeredNow ? t('session.yes') : session.isQuestion ? t('session.no') : ''}</td>
							<td>{s.answers}</td>
						</tr>
					))}
				</DataTable>
			</Section>
		</>
	)
}

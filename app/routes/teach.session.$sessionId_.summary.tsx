// A class session's results, kept after it ends: each quick question with how many answered, how many were right and
// what they chose, then each student's answers. A plain page that prints (the site header is not printed).
import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { requireClassSession } from '#app/classes/access.server.ts'
import { sessionSummary } from '#app/classes/summary.server.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => `${t('session.summary')} ${data?.session.title ?? ''}`)

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { event } = await requireClassSession(request, String(params.sessionId))
	const summary = await sessionSummary(event)
	return json({
		session: {
			id: event.id,
			title: event.courseTitle,
			className: event.orgUnit.name,
			classId: event.orgUnit.id,
			open: event.open,
			startedAt: formatVnDateTime(event.startsAt),
			endedAt: event.closedAt ? formatVnDateTime(event.closedAt) : null,
		},
		...summary,
	})
}

const letter = (i: number) => String.fromCharCode(65 + i)

export default function SessionSummaryPage() {
	const t = useT()
	const { session, questions, students } = useLoaderData<typeof loader>()
	// Printing needs JavaScript for the button; without it the intro says Ctrl+P.
	const [canPrint, setCanPrint] = useState(false)
	useEffect(() => setCanPrint(true), [])
	return (
		<>
			<p className="no-print mb-1 text-sm">
				<Link to={`/teach/${session.classId}`}>{session.className}</Link> › <Link to={`/teach/session/${session.id}`}>{session.title}</Link>
			</p>
			<h1 className="mb-1 text-2xl font-bold">{t('session.summary')}</h1>
			<p className="mb-1 text-lg font-semibold">
				{session.className} · {session.title}
			</p>
			<p className="mb-2 text-sm text-gray-700">
				{t('session.summary.started', { at: session.startedAt })}
				{session.endedAt ? ` · ${t('session.summary.ended', { at: session.endedAt })}` : ''}
			</p>
			{session.open ? (
				<p role="status" className="alert alert-info mb-4">
					{t('session.summary.running')}
				</p>
			) : null}
			<p className="no-print mb-4 max-w-2xl">{t('session.summary.intro')}</p>
			{canPrint ? (
				<p className="no-print mb-4">
					<button type="button" className="btn btn-secondary" onClick={() => window.print()}>
						{t('session.summary.print')}
					</button>
				</p>
			) : null}

			<Section id="questions-heading" title={t('session.summary.questions')} className="mb-8">
				{questions.length ? (
					<ol className="grid gap-3">
						{questions.map((q) => (
							<li key={q.step} className="card break-inside-avoid">
								<h3 className="font-semibold">
									{t('session.summary.questionN', { n: q.number })} · <span className="font-normal text-gray-700">{q.lessonTitle}</span>
								</h3>
								<p className="mb-2">{q.prompt}</p>
								{q.asked ? (
									<p className="mb-2 font-semibold">{t('session.answered', { count: q.answered, correct: q.correct })}</p>
								) : (
									<p className="mb-2 text-gray-700">{t('session.summary.notAsked')}</p>
								)}
								<ul className="grid gap-1 text-sm">
									{q.choices.map((c, i) => (
										<li key={c} className={i === q.answer ? 'font-semibold' : undefined}>
											{letter(i)}. {c}
											{i === q.answer ? ` (${t('session.summary.rightChoice')})` : ''} — {t('session.summary.chosen', { count: q.chosen[i] ?? 0 })}
										</li>
									))}
								</ul>
							</li>
						))}
					</ol>
				) : (
					<p>{t('session.summary.noQuestions')}</p>
				)}
			</Section>

			<Section id="students-heading" title={t('session.summary.students')}>
				{students.length ? (
					// relative: the screen-reader-only words in scrolled cells stay inside the scroll box.
					<div className="relative overflow-x-auto">
						<table className="table bg-white">
							<thead>
								<tr>
									<th scope="col">{t('org.col.name')}</th>
									<th scope="col">{t('session.col.joined')}</th>
									{questions.map((q) => (
										<th key={q.step} scope="col">
											{t('session.summary.questionN', { n: q.number })}
										</th>
									))}
									<th scope="col">{t('session.summary.col.correct')}</th>
								</tr>
							</thead>
							<tbody>
								{students.map((s) => (
									<tr key={s.id}>
										<th scope="row" className="min-w-36 font-normal">
											{s.fullName}
										</th>
										<td>{s.joined ? t('session.yes') : t('session.no')}</td>
										{s.answers.map((a, i) => (
											<td key={questions[i]!.step} className="whitespace-nowrap">
												{a ? (
													`${letter(a.choice)}, ${a.correct ? t('session.summary.right') : t('session.summary.wrong')}`
												) : (
													// A dash keeps the table narrow on a phone; screen readers hear the words.
													<>
														<span aria-hidden="true">–</span>
														<span className="sr-only">{t('session.summary.none')}</span>
													</>
												)}
											</td>
										))}
										<td>
											{s.correct}/{questions.length}
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				) : (
					<p>{t('session.summary.noStudents')}</p>
				)}
			</Section>
		</>
	)
}

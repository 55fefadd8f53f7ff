import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth/session.server.ts'
import { type CourseCard } from '#app/learning/my-courses.server.ts'
import { getMyCourses } from '#app/learning/my-courses.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('learn.my.title'))

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	return json(await getMyCourses(user.id, user.kind))
}

export default function MyCoursesPage() {
	const t = useT()
	const { required, optional, completed, requiredDone } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-4 text-2xl font-bold">{t('learn.my.title')}</h1>
			<Section id="required" title={t('learn.my.required')} empty={requiredDone ? t('learn.my.requiredAllDone') : t('learn.my.noRequired')} cards={required} />
			<Section id="optional" title={t('learn.my.optional')} empty={t('learn.my.noOptional')} cards={optional} />
			<Section id="completed" title={t('learn.my.completed')} empty={t('learn.my.noCompleted')} cards={completed} />
		</>
	)
}

function Section({ id, title, empty, cards }: { id: string; title: string; empty: string; cards: Array<CourseCard> }) {
	return (
		<section className="mb-8" aria-labelledby={`${id}-heading`}>
			<h2 id={`${id}-heading`} className="mb-3 text-xl font-semibold">
				{title}
			</h2>
			{cards.length ? (
				<ul className="grid gap-3 md:grid-cols-2">
					{cards.map((c) => (
						<li key={c.slug}>
							<Card card={c} />
						</li>
					))}
				</ul>
			) : (
				<p>{empty}</p>
			)}
		</section>
	)
}

function Card({ card }: { card: CourseCard }) {
	const t = useT()
	const date = (iso: string) => formatVnDate(iso)
	const statusText = t(`learn.status.${card.status}`)
	return (
		<article className="card h-full">
			<h3 className="mb-1 text-lg font-semibold">
				<Link to={`/courses/${card.slug}`}>{card.title}</Link>
			</h3>
			<p className="mb-2 text-sm text-gray-700">
				{statusText} · {t('learn.minutes', { minutes: card.minutes })}
				{card.dueAt ? ` · ${t('learn.dueAt', { date: date(card.dueAt) })}` : ''}
			</p>
			{card.overdue ? <p className="mb-2 inline-block rounded bg-red-700 px-2 py-0.5 text-sm font-semibold text-white">{t('learn.overdue')}</p> : null}
			{card.withdrawn ? (
				<p role="status" className="alert alert-error mb-2 text-sm">
					{t('learn.withdrawn', { date: date(card.withdrawn.at), reason: card.withdrawn.reason })}
				</p>
			) : null}
			<div className="mb-3">
				{/* A native progress bar: accessible as is, and no inline style (our CSP forbids them). */}
				<progress className="progress" value={card.percent} max={100} aria-label={t('learn.progress')} />
				<p className="mt-1 text-sm">{t('learn.percentDone', { percent: card.percent })}</p>
			</div>
			{card.status === 'completed' && card.certificate ? (
				<Link to={`/certificates/${card.certificate.serial}`} className="btn btn-secondary">
					{t('learn.viewCertificate')}
				</Link>
			) : card.status === 'in-progress' ? (
				<Link to={card.resumeLesson ? `/courses/${card.slug}/lessons/${card.resumeLesson}` : `/courses/${card.slug}/quiz`} className="btn">
					{t('learn.resume')}
				</Link>
			) : (
				<Link to={`/courses/${card.slug}`} className="btn">
					{t('learn.start')}
				</Link>
			)}
		</article>
	)
}

// "Khoá học của tôi" as markup: rendered by the route (app/routes/my-courses.tsx) and, without Remix, by the personal
// pages (app/learning/personal-pages.server.ts, decision 027). Plain links: the page is a document without the app's
// scripts, and the same markup must come out of both.
import { formatVnDate } from '#app/ui/dates.ts'
import { type Translate } from '#app/ui/i18n.ts'
import type { CourseCard, MyCourses } from './my-courses.server.ts'

export function MyCoursesView({ t, courses }: { t: Translate; courses: MyCourses }) {
	const { required, optional, completed, requiredDone } = courses
	return (
		<>
			<h1 className="mb-4 text-2xl font-bold">{t('learn.my.title')}</h1>
			<Section t={t} id="required" title={t('learn.my.required')} empty={requiredDone ? t('learn.my.requiredAllDone') : t('learn.my.noRequired')} cards={required} />
			<Section t={t} id="optional" title={t('learn.my.optional')} empty={t('learn.my.noOptional')} cards={optional} />
			<Section t={t} id="completed" title={t('learn.my.completed')} empty={t('learn.my.noCompleted')} cards={completed} />
		</>
	)
}

function Section({ t, id, title, empty, cards }: { t: Translate; id: string; title: string; empty: string; cards: Array<CourseCard> }) {
	return (
		<section className="mb-8" aria-labelledby={`${id}-heading`}>
			<h2 id={`${id}-heading`} className="mb-3 text-xl font-semibold">
				{title}
			</h2>
			{cards.length ? (
				<ul className="grid gap-3 md:grid-cols-2">
					{cards.map((c) => (
						<li key={c.slug}>
							<Card t={t} card={c} />
						</li>
					))}
				</ul>
			) : (
				<p>{empty}</p>
			)}
		</section>
	)
}

function Card({ t, card }: { t: Translate; card: CourseCard }) {
	const date = (iso: string) => formatVnDate(iso)
	const statusText = t(`learn.status.${card.status}`)
	return (
		<article className="card h-full">
			<h3 className="mb-1 text-lg font-semibold">
				<a href={`/courses/${card.slug}`}>{card.title}</a>
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
				<a href={`/certificates/${card.certificate.serial}`} className="btn btn-secondary">
					{t('learn.viewCertificate')}
				</a>
			) : card.status === 'in-progress' ? (
				<a href={card.resumeLesson ? `/courses/${card.slug}/lessons/${card.resumeLesson}` : `/courses/${card.slug}/quiz`} className="btn">
					{t('learn.resume')}
				</a>
			) : (
				<a href={`/courses/${card.slug}`} className="btn">
					{t('learn.start')}
				</a>
			)}
		</article>
	)
}

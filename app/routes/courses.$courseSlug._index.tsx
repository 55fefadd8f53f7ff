import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { getUser, requireUser } from '#app/auth/session.server.ts'
import { currentCertificateSerial } from '#app/certificates/records.server.ts'
import { withdrawalOf } from '#app/learning/my-courses.server.ts'
import { describeProgress, findEnrollment, quizPassed, startEnrollment } from '#app/learning/progress.server.ts'
import { citationName } from '#app/content/components.tsx'
import { getCitedSources, getCourse } from '#app/content/courses.server.ts'
import { SlugSchema } from '#app/content/schema.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { notFound } from '#app/ui/http.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section } from '#app/ui/layout.tsx'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const slug = SlugSchema.safeParse(params.courseSlug)
	const course = slug.success ? getCourse(slug.data) : null
	if (!course) notFound()
	const { meta, lessons } = course
	const user = await getUser(request)
	const enrollment = user ? await findEnrollment(user.id, meta.slug) : null
	const passed = enrollment ? await quizPassed(enrollment.id) : false
	const progress = enrollment ? describeProgress(meta.slug, enrollment, passed) : null
	const certificate = enrollment?.status === 'COMPLETED' ? await currentCertificateSerial(user!.id, enrollment.courseVersionId) : null
	return json({
		learner: user
			? { enrolled: !!enrollment, completed: enrollment?.status === 'COMPLETED', progress, certificate, withdrawn: withdrawalOf(enrollment) }
			: null,
		course: {
			slug: meta.slug,
			title: meta.title,
			summary: meta.summary,
			audience: meta.audience,
			version: meta.version,
			minutes: meta.minutes,
			objectives: meta.objectives,
			passMark: meta.passMark,
			validityMonths: meta.validityMonths ?? null,
		},
		// The check already refuses a legal basis that is not in force; filtering again keeps the page honest
		// if a registry update lands before the course is revised.
		legalBasis: getCitedSources(meta.legalBasis).filter((s) => s.status === 'in-force'),
		lessons: lessons.map(({ slug, title, minutes }) => ({ slug, title, minutes })),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const slug = SlugSchema.safeParse(params.courseSlug)
	const enrollment = slug.success ? await startEnrollment(user.id, slug.data) : null
	if (!enrollment || !slug.success) notFound()
	const progress = describeProgress(slug.data, enrollment)
	return redirect(progress?.resumeLesson ? `/courses/${slug.data}/lessons/${progress.resumeLesson}` : `/courses/${slug.data}/quiz`)
}

export default function CoursePage() {
	const t = useT()
	const { course, legalBasis, lessons, learner } = useLoaderData<typeof loader>()
	const first = lessons[0]
	const done = new Set(learner?.progress?.completedLessons ?? [])
	return (
		<>
			<nav aria-label={t('nav.breadcrumb')} className="mb-2 text-sm">
				<Link to="/courses">{t('course.breadcrumb')}</Link>
			</nav>
			<h1 className="mb-2 text-2xl font-bold">{course.title}</h1>
			<p className="mb-2 max-w-3xl text-lg">{course.summary}</p>
			<p className="mb-4 text-sm text-gray-700">
				{t('courses.forAudience', { audience: course.audience.map((a) => t(`audience.${a}`)).join('; ') })} ·{' '}
				{t('courses.minutes', { minutes: course.minutes })} · {t('course.version', { version: course.version })}
			</p>
			{learner?.withdrawn ? (
				<p role="status" className="alert alert-error mb-4 max-w-3xl">
					{t('learn.withdrawn', { date: formatVnDate(learner.withdrawn.at), reason: learner.withdrawn.reason })}
				</p>
			) : null}
			{learner?.progress ? (
				<div className="mb-4 max-w-md">
					<progress className="progress" value={learner.progress.percent} max={100} aria-label={t('learn.progress')} />
					<p className="mt-1 text-sm">
						{t('learn.lessonsDone', { done: learner.progress.lessonsDone, total: learner.progress.lessonCount })} ·{' '}
						{t('learn.percentDone', { percent: learner.progress.percent })}
					</p>
				</div>
			) : null}
			<div className="mb-6 flex flex-wrap gap-3">
				{learner?.completed && learner.certificate ? (
					<Link to={`/certificates/${learner.certificate}`} className="btn">
						{t('learn.viewCertificate')}
					</Link>
				) : learner?.enrolled ? (
					<Link
						to={learner.progress?.resumeLesson ? `/courses/${course.slug}/lessons/${learner.progress.resumeLesson}` : `/courses/${course.slug}/quiz`}
						className="btn"
					>
						{learner.progress?.resumeLesson ? t('learn.resume') : t('learn.goQuiz')}
					</Link>
				) : learner ? (
					<Form method="post">
						<button type="submit" className="btn">
							{t('learn.start')}
						</button>
					</Form>
				) : first ? (
					<Link to={`/courses/${course.slug}/lessons/${first.slug}`} className="btn">
						{t('course.start')}
					</Link>
				) : null}
			</div>
			<div className="grid gap-6 md:grid-cols-2">
				<Section id="objectives-heading" title={t('course.objectives')}>
					<ul className="list-disc space-y-1 pl-6">
						{course.objectives.map((o) => (
							<li key={o}>{o}</li>
						))}
					</ul>
					<p className="mt-3 text-sm text-gray-700">
						{t('course.passMark', { passMark: course.passMark })}{' '}
						{course.validityMonths ? t('course.validity', { months: course.validityMonths }) : t('course.noExpiry')}
					</p>
				</Section>
				<Section id="lessons-heading" title={t('course.lessons')}>
					<ol className="list-decimal space-y-1 pl-6">
						{lessons.map((l) => (
							<li key={l.slug}>
								<Link to={`/courses/${course.slug}/lessons/${l.slug}`}>{l.title}</Link>{' '}
								{done.has(l.slug) ? <span className="text-sm font-semibold">✓ {t('learn.status.completed')}</span> : null}{' '}
								<span className="text-sm text-gray-700">({t('course.lessonMinutes', { minutes: l.minutes })})</span>
							</li>
						))}
					</ol>
				</Section>
			</div>
			<Section id="legal-heading" title={t('course.legalBasis')} className="mt-6">
				<ul className="list-disc space-y-1 pl-6">
					{legalBasis.map((s) => (
						<li key={s.id}>
							<a href={`/legal-sources#${s.id}`}>{citationName(t, s)}</a>
						</li>
					))}
				</ul>
			</Section>
		</>
	)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: `${data?.course.title ?? 'Khoá học'} | Khoá học | Văn Minh Số` },
	{ name: 'description', content: data?.course.summary ?? '' },
]

import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { type ClientLoaderFunctionArgs, Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { getCitedSources, getLesson } from '#app/content/courses.server.ts'
import { LessonContent, loadLessonModule } from '#app/content/mdx.tsx'
import { SlugSchema } from '#app/content/schema.ts'
import { getUser, requireUser } from '#app/auth/session.server.ts'
import { recordTrace, withDeviceCookie } from '#app/integrity/traces.server.ts'
import { type LessonViewer } from '#app/learning/lesson-document.server.ts'
import { finishLesson, findEnrollment, openLesson, startEnrollment } from '#app/learning/progress.server.ts'
import { notFound } from '#app/ui/http.server.ts'
import { langFromRequest, type Translate, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

// Sent without the app's JavaScript, and served from rendered documents (app/learning/lesson-document.server.ts).
export const handle = { document: true }

export async function loader({ request, params, context }: LoaderFunctionArgs) {
	const course = SlugSchema.safeParse(params.courseSlug)
	const lesson = SlugSchema.safeParse(params.lessonSlug)
	const found = course.success && lesson.success ? getLesson(course.data, lesson.data) : null
	if (!found) notFound()
	const { slug, title, minutes, objectives, headings, codeHash, sources } = found.lesson
	const { minSecondsPerLesson } = found.course.safeguards
	const learner = context.lessonViewer ? lessonViewerState(context.lessonViewer) : await visitLesson(request, found.course.slug, slug)
	// No lesson code here: the page carries the lesson as HTML; client-side navigation loads it as a module
	// (see app/content/mdx.tsx).
	return json({
		course: found.course,
		lesson: { slug, title, minutes, objectives, headings, codeHash },
		position: found.position,
		previous: found.previous,
		next: found.next,
		sources: getCitedSources(sources),
		learner,
		// The same for every learner, so the rendered document may carry it (the time left is the action's to say).
		minSecondsPerLesson,
	})
}

/** A rendered-document viewer (no session in the request) as the page sees a learner. */
function lessonViewerState(viewer: LessonViewer) {
	return viewer.signedIn ? { done: viewer.done } : null
}

/** Opening a lesson starts its clock (time spent is measured on the server) once the learner is enrolled. */
async function visitLesson(request: Request, courseSlug: string, lessonSlug: string) {
	const user = await getUser(request)
	if (!user) return null
	const enrollment = await findEnrollment(user.id, courseSlug)
	if (enrollment) await openLesson(enrollment.id, lessonSlug)
	return { done: !!enrollment?.lessons.some((l) => l.lessonSlug === lessonSlug && l.completedAt) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const course = SlugSchema.safeParse(params.courseSlug)
	const lesson = SlugSchema.safeParse(params.lessonSlug)
	const found = course.success && lesson.success ? getLesson(course.data, lesson.data) : null
	if (!found) notFound()
	// Completing a lesson without having pressed "start" starts the course: the learner clearly began it.
	const enrollment = await startEnrollment(user.id, found.course.slug)
	if (!enrollment) notFound()
	const now = new Date()
	const result = await finishLesson(enrollment, found.course.slug, found.lesson.slug, request, now)
	if (!result.done) {
		const t = translator(langFromRequest(request))
		return json({ error: t('learn.tooSoon', { time: duration(t, result.remainingSeconds) }) }, { status: 409 })
	}
	// Only the press that marked it done is a trace: pressing again on a finished lesson says nothing new.
	const setCookie = result.first
		? await recordTrace(
				request,
				{
					userId: user.id,
					kind: 'LESSON_DONE',
					enrollmentId: enrollment.id,
					courseVersionId: enrollment.courseVersionId,
					lessonSlug: found.lesson.slug,
					seconds: result.seconds,
					size: found.lesson.words,
				},
				now,
			)
		: null
	return redirect(found.next ? `/courses/${found.course.slug}/lessons/${found.next.slug}` : `/courses/${found.course.slug}/quiz`, {
		headers: withDeviceCookie(setCookie),
	})
}

/** "2 phút 5 giây", "40 giây". */
function duration(t: Translate, seconds: number) {
	const minutes = Math.floor(seconds / 60)
	const rest = seconds % 60
	if (!minutes) return t('learn.duration.seconds', { seconds: rest })
	return rest ? t('learn.duration.minutesSeconds', { minutes, seconds: rest }) : t('learn.duration.minutes', { minutes })
}

// Client-side navigation only (no `hydrate`): have the lesson module ready before the new page renders.
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
	const data = await serverLoader<typeof loader>()
	await loadLessonModule(data.lesson.codeHash).catch(() => undefined)
	return data
}

export default function LessonPage() {
	const t = useT()
	const { course, lesson, position, previous, next, sources, learner, minSecondsPerLesson } = useLoaderData<typeof loader>()
	const refused = useActionData<typeof action>()
	const base = `/courses/${course.slug}/lessons`
	return (
		<article className="lesson" aria-labelledby="lesson-title">
			<nav aria-label={t('nav.breadcrumb')} className="no-print mb-2 text-sm">
				<Link to="/courses">{t('course.breadcrumb')}</Link> › <Link to={`/courses/${course.slug}`}>{course.title}</Link>
			</nav>
			<header className="mb-4">
				<p className="text-sm text-gray-700">
					{t('lesson.position', { position, total: course.lessonCount })} · {t('lesson.minutes', { minutes: lesson.minutes })}
				</p>
				<h1 id="lesson-title" className="text-2xl font-bold sm:text-3xl">
					{lesson.title}
				</h1>
			</header>
			<div className="lesson-layout">
				<aside className="lesson-aside">
					<section aria-labelledby="objectives-heading" className="lesson-objectives">
						<h2 id="objectives-heading">{t('lesson.objectives')}</h2>
						<ul>
							{lesson.objectives.map((o) => (
								<li key={o}>{o}</li>
							))}
						</ul>
					</section>
					{lesson.headings.length ? (
						<nav aria-labelledby="toc-heading" className="lesson-toc no-print">
							<h2 id="toc-heading">{t('lesson.contents')}</h2>
							<ol>
								{lesson.headings.map((h) => (
									<li key={h.id} className={h.depth === 3 ? 'toc-sub' : undefined}>
										<a href={`#${h.id}`}>{h.text}</a>
									</li>
								))}
							</ol>
						</nav>
					) : null}
				</aside>
				<div className="lesson-body">
					<LessonContent key={lesson.codeHash} codeHash={lesson.codeHash} sources={sources} />
				</div>
			</div>
			<div className="no-print my-6">
				{!learner ? (
					<p>
						<Link to={`/login?${new URLSearchParams({ redirectTo: `${base}/${lesson.slug}` })}`}>{t('learn.loginToTrack')}</Link>
					</p>
				) : learner.done ? (
					<p role="status" className="alert alert-success">
						✓ {t('learn.lessonDone')}
					</p>
				) : (
					<Form method="post">
						{refused?.error ? (
							<p role="alert" className="alert alert-error mb-3">
								{refused.error}
							</p>
						) : null}
						<button type="submit" className="btn">
							{t('learn.completeLesson')}
						</button>
						{minSecondsPerLesson ? (
							<p className="mt-2 text-sm text-gray-700">{t('learn.minTime', { time: duration(t, minSecondsPerLesson) })}</p>
						) : null}
					</Form>
				)}
			</div>
			<nav aria-label={t('lesson.pager')} className="lesson-pager no-print">
				{previous ? (
					<Link to={`${base}/${previous.slug}`} rel="prev" className="btn btn-secondary">
						← {t('lesson.previous')}: {previous.title}
					</Link>
				) : (
					<span />
				)}
				{next ? (
					<Link to={`${base}/${next.slug}`} rel="next" className="btn">
						{t('lesson.next')}: {next.title} →
					</Link>
				) : (
					<Link to={`/courses/${course.slug}`} className="btn btn-secondary">
						{t('lesson.backToCourse')}
					</Link>
				)}
			</nav>
		</article>
	)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: data ? `${data.lesson.title} | ${data.course.title} | Văn Minh Số` : 'Bài học | Văn Minh Số' },
]

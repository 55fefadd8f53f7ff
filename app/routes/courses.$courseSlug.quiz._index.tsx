import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth/session.server.ts'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { describeProgress, findEnrollment, recentAttempts } from '#app/learning/progress.server.ts'
import { attemptGate, startAttempt } from '#app/learning/quiz.server.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { notFound } from '#app/ui/http.server.ts'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Breadcrumbs, Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.course.title ?? t('quiz.title'))

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const slug = params.courseSlug ?? ''
	const course = getCourse(slug)
	const quiz = getQuiz(slug)
	if (!course || !quiz) notFound()
	const enrollment = await findEnrollment(user.id, slug)
	const attempts = enrollment ? await recentAttempts(enrollment.id) : []
	const progress = describeProgress(slug, enrollment)
	const lessonsDone = !!progress && progress.resumeLesson === null
	const open = attempts.find((a) => !a.submittedAt)
	const gate = enrollment ? await attemptGate(enrollment.id, quiz, lessonsDone) : null
	return json({
		course: { slug, title: course.meta.title, passMark: enrollment?.courseVersion.passMark ?? course.meta.passMark },
		draw: quiz.draw,
		// Stated before the first attempt; the cool-down default is the one attemptGate applies.
		rules: quiz.maxAttempts ? { maxAttempts: quiz.maxAttempts, cooldownMinutes: quiz.cooldownMinutes ?? 60 } : null,
		enrolled: !!enrollment,
		completed: enrollment?.status === 'COMPLETED',
		openAttemptId: open?.id ?? null,
		gate,
		resumeLesson: progress?.resumeLesson ?? null,
		history: attempts
			.filter((a) => a.submittedAt)
			.map((a) => ({ id: a.id, submittedAt: a.submittedAt!.toISOString(), score: a.score, passed: a.passed })),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const slug = params.courseSlug ?? ''
	const t = translator(langFromRequest(request))
	const result = await startAttempt(user.id, slug)
	if (result.ok) return redirect(`/courses/${slug}/quiz/${result.attempt.id}`)
	const message =
		result.reason === 'not-enrolled'
			? t('quiz.notEnrolled')
			: result.reason === 'lessons-unfinished'
				? t('quiz.lessonsFirst')
				: t('quiz.cooldownShort')
	return json({ error: message }, { status: 409 })
}

export default function QuizStartPage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const when = (iso: string) => formatVnDateTime(iso)
	return (
		<div className="max-w-3xl">
			<Breadcrumbs crumbs={[{ to: `/courses/${data.course.slug}`, label: data.course.title }]} />
			<h1 className="mb-3 text-2xl font-bold">{t('quiz.title')}</h1>
			<p className="mb-2">{t('quiz.intro', { count: data.draw, passMark: data.course.passMark })}</p>
			<p className="mb-4" id="quiz-rules">
				{data.rules ? t('quiz.rules.limit', { max: data.rules.maxAttempts, minutes: data.rules.cooldownMinutes }) : t('quiz.rules.unlimited')}
			</p>
			{actionData?.error ? (
				<p role="alert" className="alert alert-error mb-4">
					{actionData.error}
				</p>
			) : null}
			{!data.enrolled ? (
				<p className="mb-4">
					{t('quiz.notEnrolled')} <Link to={`/courses/${data.course.slug}`}>{t('quiz.backToCourse')}</Link>
				</p>
			) : data.openAttemptId ? (
				<p className="mb-6">
					<Link to={`/courses/${data.course.slug}/quiz/${data.openAttemptId}`} className="btn">
						{t('quiz.continue')}
					</Link>
				</p>
			) : data.gate && !data.gate.allowed ? (
				<p className="alert alert-error mb-6" role="status">
					{data.gate.reason === 'lessons-unfinished' ? (
						<>
							{t('quiz.lessonsFirst')}{' '}
							{data.resumeLesson ? <Link to={`/courses/${data.course.slug}/lessons/${data.resumeLesson}`}>{t('learn.resume')}</Link> : null}
						</>
					) : (
						t('quiz.cooldown', { time: when(data.gate.until) })
					)}
				</p>
			) : (
				<Form method="post" className="mb-6">
					<button type="submit" className="btn">
						{data.history.length ? t('quiz.retry') : t('quiz.start')}
					</button>
				</Form>
			)}
			{data.history.length ? (
				<Section id="history-heading" title={t('quiz.history')}>
					<DataTable columns={[t('quiz.col.date'), t('quiz.col.score'), t('quiz.col.result')]}>
						{data.history.map((a) => (
							<tr key={a.id}>
								<td>
									<Link to={`/courses/${data.course.slug}/quiz/${a.id}`}>{when(a.submittedAt)}</Link>
								</td>
								<td>{a.score}%</td>
								<td>{a.passed ? t('quiz.passed') : t('quiz.failed')}</td>
							</tr>
						))}
					</DataTable>
				</Section>
			) : null}
		</div>
	)
}

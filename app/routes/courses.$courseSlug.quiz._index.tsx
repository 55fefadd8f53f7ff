import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth/session.server.ts'
import { getCourse, getQuiz } from '#app/content/courses.server.ts'
import { describeProgress, findEnrollment, recentAttempts } from '#app/learning/progress.server.ts'
import { attemptGate, beginGradedAttempt, lessonsAllowQuiz, reauthRequired } from '#app/learning/quiz.server.ts'
import { QuizStartSchema } from '#app/learning/schema.ts'
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
	const gate = enrollment ? await attemptGate(enrollment.id, quiz, lessonsAllowQuiz(slug, lessonsDone)) : null
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
		// The quiz opened before the lessons (safeguards.quizAfterAllLessons: false): passing alone does not complete.
		lessonsStillNeeded: !!enrollment && !lessonsDone,
		reauth: await reauthRequired(user.id, slug),
		history: attempts
			.filter((a) => a.submittedAt)
			.map((a) => ({ id: a.id, submittedAt: a.submittedAt!.toISOString(), score: a.score, passed: a.passed, voided: !!a.voidedAt })),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const slug = params.courseSlug ?? ''
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: QuizStartSchema })
	if (submission.status !== 'success') {
		// A post the form cannot send (a forged tick, an overlong password): say which field is wrong, the tick first.
		const error = submission.error?.committed?.length ? t('quiz.commit.required') : t('quiz.reauth.invalid')
		return json({ error }, { status: 400 })
	}
	const { committed, password } = submission.value
	const result = await beginGradedAttempt({ userId: user.id, slug, committed: committed === 'on', password })
	if (result.ok) return redirect(`/courses/${slug}/quiz/${result.attempt.id}`)
	switch (result.reason) {
		case 'not-committed':
			return json({ error: t('quiz.commit.required') }, { status: 400 })
		case 'reauth-missing':
			return json({ error: t('quiz.reauth.missing') }, { status: 400 })
		case 'reauth-invalid':
			return json({ error: t('quiz.reauth.invalid') }, { status: 401 })
		case 'reauth-rate-limited':
			return json(
				{ error: t('login.rateLimited', { minutes: Math.ceil(result.retryAfterSeconds / 60) }) },
				{ status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
			)
		case 'not-enrolled':
			return json({ error: t('quiz.notEnrolled') }, { status: 409 })
		case 'lessons-unfinished':
			return json({ error: t('quiz.lessonsFirst') }, { status: 409 })
		default:
			return json({ error: t('quiz.cooldownShort') }, { status: 409 })
	}
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
					<Link to={`/courses/${data.course.slug}/quiz/${data.openAttemptId}`} reloadDocument className="btn">
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
				// A full page load after starting: the attempt page is a document with its own small script (decision 027).
				<Form method="post" reloadDocument className="card mb-6">
					{data.lessonsStillNeeded ? (
						<p className="mb-3" id="quiz-lessons-needed">
							{t('quiz.lessonsStillNeeded')}
						</p>
					) : null}
					{/* Required here and refused by the server when missing: the form works without JavaScript. */}
					<label className="mb-4 flex min-h-11 items-start gap-3">
						<input type="checkbox" name="committed" value="on" required className="mt-1 h-5 w-5 shrink-0" />
						<span className="font-semibold">{t('quiz.commit.label')}</span>
					</label>
					{data.reauth ? (
						<div className="mb-4">
							<label htmlFor="quiz-password" className="label">
								{t('quiz.reauth.label')}
							</label>
							<input id="quiz-password" name="password" type="password" autoComplete="current-password" required aria-describedby="quiz-password-hint" className="field" />
							<p id="quiz-password-hint" className="mt-1 text-sm text-gray-700">
								{t('quiz.reauth.hint')}
							</p>
						</div>
					) : null}
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
									<Link to={`/courses/${data.course.slug}/quiz/${a.id}`} reloadDocument>
										{when(a.submittedAt)}
									</Link>
								</td>
								<td>{a.score}%</td>
								<td>{a.voided ? t('quiz.voided') : a.passed ? t('quiz.passed') : t('quiz.failed')}</td>
							</tr>
						))}
					</DataTable>
				</Section>
			) : null}
		</div>
	)
}

import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { getUser, requireUser } from '#app/auth/session.server.ts'
import { currentCertificateSerial } from '#app/certificates/records.server.ts'
import { Cite, CitedSourcesContext } from '#app/content/components.tsx'
import { type CitedSource } from '#app/content/schema.ts'
import { getCitedSources, getCourse, getQuiz } from '#app/content/courses.server.ts'
import { recordTrace, withDeviceCookie } from '#app/integrity/traces.server.ts'
import { AttemptForm } from '#app/learning/quiz-attempt-view.tsx'
import { QuizPostSchema } from '#app/learning/schema.ts'
import { asDrawn, getAttempt, getAttemptToSubmit, saveAnswers, savedAnswers, submitAttempt } from '#app/learning/quiz.server.ts'
import { grade, presentAttempt, readAnswers } from '#app/learning/quiz.ts'
import { notFound } from '#app/ui/http.server.ts'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Breadcrumbs } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { PageSlot } from '#app/ui/page-slot.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('quiz.title'))

const NONE: Array<string> = []

async function load(request: Request, params: { courseSlug?: string; attemptId?: string }, submitting = false) {
	const user = await requireUser(request)
	const slug = params.courseSlug ?? ''
	const attempt = await (submitting ? getAttemptToSubmit : getAttempt)(user.id, slug, params.attemptId ?? '')
	const quiz = getQuiz(slug)
	const course = getCourse(slug)
	if (!attempt || !quiz || !course) notFound()
	return { user, slug, attempt, quiz, course }
}

// Sent without the app's scripts (a plain form; answers saved by public/quiz-autosave.js), and an open attempt is
// usually served without a Remix render (decision 027).
export const handle = { document: true, scripts: ['/quiz-autosave.js'] }

export async function loader({ request, params, context }: LoaderFunctionArgs) {
	// The shell of the page for a kind of viewer (app/learning/page-shell.server.ts): no session, nobody's attempt.
	if (context.pageShell) return json({ shell: true as const })
	const { slug, attempt, quiz, course } = await load(request, params)
	const drawn = asDrawn(attempt)
	const questions = presentAttempt(quiz.bank, drawn)
	const header = { slug, title: course.meta.title, passMark: attempt.passMark }
	if (!attempt.submittedAt) {
		return json({ shell: false as const, course: header, questions, saved: savedAnswers(attempt), submitKey: attempt.idempotencyKey, result: null, sources: [] as Array<CitedSource> })
	}
	// The result: only now do answers, explanations and citations leave the server.
	const graded = grade(quiz.bank, drawn, savedAnswers(attempt), header.passMark)
	const review = graded.questions.map((g) => {
		const q = quiz.bank.find((b) => b.id === g.id)!
		return { ...g, explanation: q.explanation, cite: q.cite ?? null }
	})
	const certificate = attempt.passed && !attempt.voided ? await currentCertificateSerial(attempt.userId, attempt.courseVersionId) : null
	return json({
		shell: false as const,
		course: header,
		questions,
		saved: savedAnswers(attempt),
		submitKey: null,
		result: { score: graded.score, correct: graded.correct, total: graded.total, passed: graded.passed, voided: attempt.voided, review, certificate },
		sources: getCitedSources([...new Set(review.flatMap((r) => (r.cite ? [r.cite.source] : [])))]),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const submission = parseWithZod(await request.formData(), { schema: QuizPostSchema })
	const here = new URL(request.url).pathname
	// A session that expired mid-quiz: keep the answers in the way back, so nothing typed is lost.
	if (!(await getUser(request))) {
		const kept = Object.entries(submission.status === 'success' ? submission.value.answer : {})
			.map(([id, choice]) => `${id}.${choice}`)
			.join(',')
		throw redirect(`/login?${new URLSearchParams({ redirectTo: kept ? `${here}?a=${kept}` : here })}`)
	}
	// A submission reads the attempt with what grading needs, in one statement; saving an answer needs only the attempt.
	const submitting = submission.status === 'success' && submission.value.intent !== 'save'
	const { user, slug, attempt } = await load(request, params, submitting)
	const t = translator(langFromRequest(request))
	if (submission.status !== 'success') return json({ result: submission.reply(), error: t('quiz.tampered'), answers: {}, missing: NONE }, { status: 400 })
	const { intent, submitKey, answer } = submission.value
	const { answers, problems } = readAnswers(
		asDrawn(attempt),
		Object.entries(answer).map(([id, choice]) => [`answer.${id}`, choice]),
	)
	if (problems.length) return json({ result: null, error: t('quiz.tampered'), answers: {}, missing: NONE }, { status: 400 })
	if (attempt.submittedAt) return redirect(here)
	if (intent === 'save') {
		await saveAnswers(attempt.id, answers)
		return json({ result: null, error: null, answers, missing: NONE })
	}
	if (submitKey !== attempt.idempotencyKey) return json({ result: null, error: t('quiz.tampered'), answers: {}, missing: NONE }, { status: 400 })
	const all = { ...savedAnswers(attempt), ...answers }
	const missing = attempt.questionIds.filter((id) => all[id] === undefined)
	if (missing.length) {
		// Not graded, but what was answered is kept (saved here; submitAttempt stores the answers when it grades). The
		// page comes back with the unanswered questions marked and the first one focused (autofocus: no JS needed).
		await saveAnswers(attempt.id, answers)
		return json({ result: null, error: t('quiz.unanswered', { count: missing.length }), answers: all, missing }, { status: 400 })
	}
	const now = new Date()
	const outcome = await submitAttempt(attempt, slug, answers, user.id, request, now)
	// Only the submission that graded is a trace; a replay or the loser of a double click did nothing.
	const setCookie = outcome.graded
		? await recordTrace(
				request,
				{
					userId: user.id,
					kind: 'QUIZ_SUBMIT',
					enrollmentId: attempt.enrollmentId,
					courseVersionId: attempt.courseVersionId,
					quizAttemptId: attempt.id,
					seconds: Math.max(0, Math.round((now.getTime() - attempt.startedAt.getTime()) / 1000)),
					size: attempt.questionIds.length,
				},
				now,
			)
		: null
	return redirect(here, { headers: withDeviceCookie(setCookie) })
}

export default function AttemptPage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const [params] = useSearchParams()
	if (data.shell) return <PageSlot />
	if (data.result) return <Result />
	// Answers: what the server saved, then what came back with a validation error, then what survived a re-login.
	const restored = Object.fromEntries(
		(params.get('a') ?? '')
			.split(',')
			.map((pair) => pair.split('.'))
			.filter((p) => p.length === 2)
			.map(([id, v]) => [id!, Number(v)]),
	)
	const attempt = { course: data.course, questions: data.questions, submitKey: data.submitKey ?? '', chosen: { ...data.saved, ...restored, ...actionData?.answers } }
	return <AttemptForm t={t} attempt={attempt} refusal={actionData?.error ? { error: actionData.error, missing: actionData.missing } : null} />
}

function Result() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	if (data.shell || !data.result) return null
	const result = data.result
	const sources = new Map(data.sources.map((s) => [s.id, s as CitedSource]))
	return (
		<div className="max-w-3xl">
			<Breadcrumbs crumbs={[{ to: `/courses/${data.course.slug}`, label: data.course.title }]} />
			<h1 className="mb-4 text-2xl font-bold">{t('quiz.resultTitle')}</h1>
			<p role="status" className={`alert mb-4 ${result.passed ? 'alert-success' : 'alert-error'}`}>
				{result.passed
					? t('quiz.result.passed', { score: result.score, correct: result.correct, total: result.total })
					: t('quiz.result.failed', { score: result.score, correct: result.correct, total: result.total, passMark: data.course.passMark })}
			</p>
			{result.voided ? (
				<p role="status" className="alert alert-error mb-4">
					{t('quiz.result.voided')}
				</p>
			) : null}
			<p className="mb-6 flex flex-wrap gap-3">
				{result.certificate ? (
					<Link to={`/certificates/${result.certificate}`} className="btn">
						{t('learn.viewCertificate')}
					</Link>
				) : null}
				{!result.passed || result.voided ? (
					<Link to={`/courses/${data.course.slug}/quiz`} className="btn">
						{t('quiz.retry')}
					</Link>
				) : null}
				<Link to="/my-courses" className="btn btn-secondary">
					{t('learn.my.title')}
				</Link>
			</p>
			<CitedSourcesContext.Provider value={sources}>
				<ol className="space-y-4">
					{result.review.map((r, i) => {
						const q = data.questions.find((x) => x.id === r.id)!
						const text = (value: number | null) => (value === null ? t('quiz.noAnswer') : (q.choices.find((c) => c.value === value)?.text ?? ''))
						return (
							<li key={r.id} className="card">
								<p className="mb-2 font-semibold">
									{t('quiz.question', { n: i + 1 })}. {q.prompt}
								</p>
								<p>
									<strong>{r.isCorrect ? `✓ ${t('quiz.correct')}` : `✗ ${t('quiz.incorrect')}`}</strong> — {t('quiz.yourAnswer')}: {text(r.chosen)}
								</p>
								{!r.isCorrect ? (
									<p>
										{t('quiz.correctAnswer')}: {text(r.correct)}
									</p>
								) : null}
								<p className="mt-2">
									<span className="font-semibold">{t('quiz.explanation')}:</span> {r.explanation}
								</p>
								{/* Craft advice may cite nothing (docs/content-authoring.md): then no "Căn cứ" line at all. */}
								{r.cite ? (
									<p className="mt-1 text-sm">
										{t('quiz.source')}: <Cite source={r.cite.source} article={r.cite.article} />
									</p>
								) : null}
							</li>
						)
					})}
				</ol>
			</CitedSourcesContext.Provider>
		</div>
	)
}

// Projector mode: large type, one lesson section (or quick question) per screen, the class code and its QR code in
// the top right corner; the teacher moves on with the buttons. No site header: on a 1366×768 projector a question,
// its four answers and the buttons fit on one screen. A plain document (no app scripts) like the lesson pages: forms post and
// the page comes back with the new step. While it is open, /join/follow.js reloads it when a student joins or answers.
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { requireClassSession } from '#app/classes/access.server.ts'
import { SessionSection } from '#app/classes/sections.tsx'
import { StepSchema } from '#app/classes/schema.ts'
import { canDrive, liveState, liveStatus, moveToStep } from '#app/classes/sessions.server.ts'
import { stepSources } from '#app/classes/steps.server.ts'
import { Follow } from '#app/classes/follow.tsx'
import { FormErrors, replyErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const handle = { document: true, bare: true }

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.session.title ?? t('title.session'))

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, event } = await requireClassSession(request, String(params.sessionId))
	const origin = new URL(request.url).origin
	const joinUrl = `${origin}/join/${event.joinCode}`
	const live = await liveStatus(event)
	const step = event.steps[Math.min(event.step, event.steps.length - 1)]!
	return json({
		session: { id: event.id, title: event.courseTitle, className: event.orgUnit.name, classId: event.orgUnit.id, code: event.joinCode, open: event.open, stepIndex: event.step, stepCount: event.steps.length },
		driver: canDrive(event, user.id),
		followState: liveState(event, live),
		trainerName: event.trainerName,
		joinHost: `${origin.replace(/^https?:\/\//, '')}/join`,
		qr: await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
		counts: { joined: live.joinedCount, total: live.students.length, answered: live.answeredCount, correct: live.correctCount },
		step:
			step.kind === 'section'
				? { kind: 'section' as const, lessonTitle: step.lessonTitle, title: step.title, codeHash: step.codeHash, section: step.section }
				: step.kind === 'question'
					? { kind: 'question' as const, lessonTitle: step.lessonTitle, prompt: step.prompt, choices: step.choices, answer: step.answer, explanation: step.explanation }
					: { kind: 'end' as const },
		sources: stepSources(step),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, event } = await requireClassSession(request, String(params.sessionId))
	const submission = parseWithZod(await request.formData(), { schema: StepSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), error: null }, { status: 400 })
	const { intent, step } = submission.value
	const to = intent === 'next' ? event.step + 1 : intent === 'prev' ? event.step - 1 : (step ?? event.step)
	const moved = await moveToStep(event, user.id, to)
	if (!moved.ok) return json({ result: null, error: moved.error === 'not-driver' ? ('session.notDriver' as const) : ('session.closedNote' as const) }, { status: moved.error === 'not-driver' ? 403 : 409 })
	return redirect(`/teach/session/${event.id}/projector`, 303)
}

export default function ProjectorPage() {
	const t = useT()
	const { session, driver, followState, trainerName, joinHost, qr, counts, step, sources } = useLoaderData<typeof loader>()
	const failed = useActionData<typeof action>()
	// A long question (up to ≈ 470 characters with its answers in the pupils' courses) steps down one size so that all
	// four answers and the buttons stay on the screen.
	const long = step.kind === 'question' && step.prompt.length + step.choices.join('').length > 260
	return (
		<div className="flex min-h-screen flex-col gap-3 px-4 py-3 text-2xl md:px-8">
			{session.open ? <Follow url={`/teach/session/${session.id}/state`} state={followState} refreshSeconds={5} /> : null}
			<div className="flex flex-wrap items-start justify-between gap-4 border-b border-gray-300 pb-2">
				<div className="min-w-0 flex-1">
					<p className="text-lg text-gray-700">
						{session.className} · {session.title} · {t('session.step', { n: session.stepIndex + 1, total: session.stepCount })}
					</p>
					<p className="text-xl font-semibold" role="status">
						{t('session.joined', { count: counts.joined, total: counts.total })}
						{step.kind === 'question' ? ` · ${t('session.answered', { count: counts.answered, correct: counts.correct })}` : ''}
					</p>
				</div>
				{session.open ? (
					<div className="flex min-w-0 items-center gap-3">
						<div className="min-w-0 text-right">
							<p className="text-base break-words">{t('session.joinAt', { url: joinHost })}</p>
							<p className="text-3xl font-bold tracking-[0.2em] sm:text-5xl" aria-label={`${t('session.joinCode')}: ${[...(session.code ?? '')].join(' ')}`}>
								{session.code}
							</p>
						</div>
						<div className="h-20 w-20 shrink-0 bg-white sm:h-28 sm:w-28" role="img" aria-label={t('session.joinCode')} dangerouslySetInnerHTML={{ __html: qr }} />
					</div>
				) : (
					<p role="status" className="alert alert-success text-xl">
						{t('session.closedNote')} <a href={`/teach/session/${session.id}/summary`}>{t('session.summary.open')}</a>
					</p>
				)}
			</div>
			{failed?.error ? (
				<p role="alert" className="alert alert-error">
					{t(failed.error, { name: trainerName })}
				</p>
			) : null}
			<FormErrors id="projector-errors" errors={replyErrors(failed?.result)} />
			{!driver ? (
				<p role="status" className="alert alert-info text-lg">
					{t('session.notDriver', { name: trainerName })}
				</p>
			) : null}
			<div className="flex-1">
				{step.kind === 'section' ? (
					<article aria-labelledby="projector-title">
						<h1 id="projector-title" className="text-xl text-gray-700">
							{step.lessonTitle}
						</h1>
						<SessionSection codeHash={step.codeHash} index={step.section} sources={sources} className="lesson-body text-3xl leading-relaxed" />
					</article>
				) : step.kind === 'question' ? (
					<section aria-labelledby="projector-question">
						<p className="text-lg text-gray-700">
							{t('session.question')} · {step.lessonTitle}
						</p>
						<h1 id="projector-question" className={`mb-4 font-bold ${long ? 'text-3xl leading-snug' : 'text-4xl leading-tight'}`}>
							{step.prompt}
						</h1>
						<ol className={`grid gap-3 md:grid-cols-2 ${long ? 'text-2xl' : 'text-3xl'}`}>
							{step.choices.map((c, i) => (
								<li key={c} className="card py-3">
									<span className="font-bold">{String.fromCharCode(65 + i)}.</span> {c}
								</li>
							))}
						</ol>
						<details className="mt-3 text-xl">
							<summary className="cursor-pointer">{t('session.answerIs', { answer: String.fromCharCode(65 + step.answer) })}</summary>
							<p className="mt-2">{step.explanation}</p>
						</details>
					</section>
				) : (
					<section>
						<h1 className="mb-4 text-5xl font-bold">{t('session.finished')}</h1>
						<p>{t('session.finishedHint')}</p>
					</section>
				)}
			</div>
			{driver && session.open ? (
				<nav aria-label={t('session.projector')} className="flex flex-wrap gap-3 border-t border-gray-300 pt-3">
					<Form method="post">
						<input type="hidden" name="intent" value="prev" />
						<button type="submit" className="btn btn-secondary min-h-14 px-6 text-2xl" disabled={session.stepIndex === 0}>
							{t('session.prev')}
						</button>
					</Form>
					<Form method="post">
						<input type="hidden" name="intent" value="next" />
						<button type="submit" className="btn min-h-14 px-8 text-2xl" disabled={session.stepIndex >= session.stepCount - 1}>
							{t('session.next')}
						</button>
					</Form>
					<a href={`/teach/session/${session.id}`} className="btn btn-secondary min-h-14 px-6 text-2xl md:ml-auto">
						{t('session.control')}
					</a>
					<a href={`/teach/session/${session.id}/close`} className="btn btn-secondary min-h-14 px-6 text-2xl">
						{t('session.end')}
					</a>
				</nav>
			) : (
				<p className="border-t border-gray-300 pt-3 text-xl">
					<a href={`/teach/${session.classId}`}>{session.className}</a>
				</p>
			)}
		</div>
	)
}

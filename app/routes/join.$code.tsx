// A student in a class session: join with the code (the QR code on the projector opens this page), then follow the
// section on screen and answer the quick questions with one tap. A plain document (no app scripts): the lesson is
// server-rendered section by section, and /join/follow.js reloads the page when the teacher moves on.
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { requireStudent } from '#app/classes/access.server.ts'
import { JOIN_ERRORS, joinRefusal } from '#app/classes/join-errors.ts'
import { SessionSection } from '#app/classes/sections.tsx'
import { StudentActionSchema } from '#app/classes/schema.ts'
import { answerQuestion, joinClassSession, studentView } from '#app/classes/sessions.server.ts'
import { stepSources } from '#app/classes/steps.server.ts'
import { Follow } from '#app/classes/follow.tsx'
import { FormErrors, replyErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.session'))
export const handle = { document: true }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireStudent(request)
	const code = String(params.code)
	const view = await studentView(code, user.id)
	if (!view) return json({ state: 'error' as const, error: JOIN_ERRORS.unknown }, { status: 404 })
	if (!view.joined) {
		if (!view.open) return json({ state: 'error' as const, error: view.closed ? JOIN_ERRORS.closed : JOIN_ERRORS.expired }, { status: 410 })
		// The class is not said here: a student of another class learns nothing about it.
		return json({ state: 'join' as const, code: view.code })
	}
	const step = view.step
	return json({
		state: 'follow' as const,
		code: view.code,
		open: view.open,
		closed: view.closed,
		className: view.className,
		stepIndex: view.stepIndex,
		stepCount: view.stepCount,
		myChoice: view.myChoice,
		step:
			step.kind === 'section'
				? { kind: 'section' as const, lessonTitle: step.lessonTitle, title: step.title, codeHash: step.codeHash, section: step.section }
				: step.kind === 'question'
					? { kind: 'question' as const, lessonTitle: step.lessonTitle, prompt: step.prompt, choices: step.choices, answer: view.myChoice === null ? null : step.answer, explanation: view.myChoice === null ? null : step.explanation }
					: { kind: 'end' as const },
		sources: stepSources(step),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireStudent(request)
	const code = String(params.code)
	const submission = parseWithZod(await request.formData(), { schema: StudentActionSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), error: null, minutes: 0 }, { status: 400 })
	const value = submission.value
	if (value.intent === 'join') {
		const outcome = await joinClassSession(code, user.id)
		if (!outcome.ok) return json(joinRefusal(outcome), { status: 400 })
		return redirect(`/join/${outcome.code}`, 303)
	}
	const outcome = await answerQuestion(code, user.id, value.step, value.choice)
	if (!outcome.ok && outcome.error !== 'already') {
		const error = outcome.error === 'moved-on' || outcome.error === 'not-question' ? 'join.answer.movedOn' : outcome.error === 'closed' ? 'join.answer.closed' : outcome.error === 'not-joined' ? 'join.answer.notJoined' : 'join.error.unknown'
		return json({ error, minutes: 0 } as const, { status: 409 })
	}
	return redirect(`/join/${code.toUpperCase()}`, 303)
}

export default function StudentSessionPage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	const failed = useActionData<typeof action>()
	const alert = failed?.error ? (
		<p role="alert" className="alert alert-error mb-4 text-lg">
			{t(failed.error, { minutes: failed.minutes })}
		</p>
	) : failed && 'result' in failed ? (
		<FormErrors id="join-errors" errors={replyErrors(failed.result)} />
	) : null
	if (data.state === 'error') {
		return (
			<div className="mx-auto max-w-md">
				<h1 className="mb-4 text-3xl font-bold">{t('join.title')}</h1>
				<p role="alert" className="alert alert-error mb-4 text-lg">
					{t(data.error)}
				</p>
				<a href="/join" className="btn min-h-14 w-full text-xl">
					{t('join.go')}
				</a>
			</div>
		)
	}
	if (data.state === 'join') {
		return (
			<div className="mx-auto max-w-md">
				<h1 className="mb-4 text-3xl font-bold">{t('join.title')}</h1>
				{alert}
				<p className="mb-4 text-2xl tracking-[0.3em]">{data.code}</p>
				<Form method="post">
					<input type="hidden" name="intent" value="join" />
					<button type="submit" className="btn min-h-16 w-full text-2xl">
						{t('join.joinButton')}
					</button>
				</Form>
			</div>
		)
	}
	const { step } = data
	return (
		<div className="mx-auto max-w-2xl">
			{data.open ? <Follow url={`/join/${data.code}/state`} state={`${data.stepIndex}:${data.closed}`} refreshSeconds={8} /> : null}
			<p className="mb-2 text-gray-700">
				{data.className} · {t('join.step', { n: data.stepIndex + 1, total: data.stepCount })}
			</p>
			{alert}
			{!data.open ? (
				<p role="status" className="alert alert-success mb-4 text-xl">
					{step.kind === 'end' ? t('join.done') : t('join.ended')}
				</p>
			) : null}
			{step.kind === 'section' ? (
				<article aria-labelledby="section-title">
					<h1 id="section-title" className="text-lg text-gray-700">
						{step.lessonTitle}
					</h1>
					<SessionSection codeHash={step.codeHash} index={step.section} sources={data.sources} className="lesson-body text-xl leading-relaxed" />
				</article>
			) : step.kind === 'question' ? (
				<section aria-labelledby="question-title">
					<p className="text-gray-700">{t('join.question')}</p>
					<h1 id="question-title" className="mb-4 text-2xl font-bold">
						{step.prompt}
					</h1>
					{data.myChoice === null && data.open ? (
						<Form method="post" className="grid gap-3">
							<input type="hidden" name="intent" value="answer" />
							<input type="hidden" name="step" value={data.stepIndex} />
							{step.choices.map((c, i) => (
								<button key={c} type="submit" name="choice" value={i} className="btn btn-secondary min-h-16 justify-start text-left text-xl">
									{String.fromCharCode(65 + i)}. {c}
								</button>
							))}
						</Form>
					) : data.myChoice !== null ? (
						<div role="status">
							<p className={`alert mb-3 text-xl ${data.myChoice === step.answer ? 'alert-success' : 'alert-info'}`}>{data.myChoice === step.answer ? t('join.right') : t('join.wrong')}</p>
							<p className="mb-2 text-lg">
								{t('join.answered')} {String.fromCharCode(65 + data.myChoice)}. {step.choices[data.myChoice]}
							</p>
							{step.explanation ? <p className="text-lg">{t('join.explain', { text: step.explanation })}</p> : null}
						</div>
					) : null}
				</section>
			) : data.open ? (
				<p className="text-2xl">{t('join.done')}</p>
			) : null}
			{data.open ? <p className="mt-6 text-sm text-gray-700">{t('join.follow')}</p> : null}
		</div>
	)
}

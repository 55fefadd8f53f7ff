// An open quiz attempt as markup: rendered by the route (app/routes/courses.$courseSlug.quiz.$attemptId.tsx) and,
// without Remix, by the personal pages (personal-pages.server.ts, decision 027). A plain form: the page is a document
// without the app's scripts; public/quiz-autosave.js saves each answer as it is chosen (`data-autosave`), and
// without it every answer is sent with the submission.
import { type Translate } from '#app/ui/i18n.ts'
import { Breadcrumbs } from '#app/ui/layout.tsx'
import { type Answers, type PresentedQuestion } from './quiz.ts'

const LETTERS = ['A', 'B', 'C', 'D']

export type OpenAttempt = {
	course: { slug: string; title: string }
	questions: Array<PresentedQuestion>
	submitKey: string
	/** The answers to show chosen: saved ones, then any the learner sent back or kept through a new login. */
	chosen: Answers
}

/** A refused submission: what to say, and the questions left unanswered (the first one gets the focus). */
export type AttemptRefusal = { error: string; missing: ReadonlyArray<string> }

export function AttemptForm({ t, attempt, refusal }: { t: Translate; attempt: OpenAttempt; refusal?: AttemptRefusal | null }) {
	const missing = new Set(refusal?.missing ?? [])
	const firstMissing = attempt.questions.find((q) => missing.has(q.id))?.id ?? null
	const numberOf = new Map(attempt.questions.map((q, i) => [q.id, i + 1]))
	return (
		<div className="max-w-3xl">
			<Breadcrumbs plain crumbs={[{ to: `/courses/${attempt.course.slug}`, label: attempt.course.title }]} />
			<h1 className="mb-4 text-2xl font-bold">{t('quiz.title')}</h1>
			{refusal?.error ? (
				<div role="alert" className="alert alert-error mb-4">
					<p>{refusal.error}</p>
					{missing.size ? (
						<p>
							{t('quiz.unansweredList')}{' '}
							{attempt.questions
								.filter((q) => missing.has(q.id))
								.map((q, i) => (
									<span key={q.id}>
										{i ? ', ' : ''}
										<a href={`#q-${q.id}`}>{t('quiz.question', { n: numberOf.get(q.id)! })}</a>
									</span>
								))}
						</p>
					) : null}
				</div>
			) : null}
			<form method="post" data-autosave="">
				<input type="hidden" name="submitKey" value={attempt.submitKey} />
				<ol className="space-y-6">
					{attempt.questions.map((q, i) => (
						<li key={q.id} id={`q-${q.id}`} className={`card scroll-mt-4 ${missing.has(q.id) ? 'border-2 border-red-700 bg-red-50' : ''}`}>
							<fieldset aria-invalid={missing.has(q.id) || undefined} aria-describedby={missing.has(q.id) ? `q-${q.id}-missing` : undefined}>
								<legend className="mb-2 font-semibold">
									{t('quiz.question', { n: i + 1 })}. {q.prompt}
								</legend>
								{missing.has(q.id) ? (
									<p id={`q-${q.id}-missing`} className="mb-2 font-semibold text-red-800">
										{t('quiz.unansweredMark')}
									</p>
								) : null}
								{q.choices.map((c, j) => (
									<label key={c.value} className="flex min-h-11 items-start gap-3 py-1">
										<input
											type="radio"
											name={`answer.${q.id}`}
											value={c.value}
											defaultChecked={attempt.chosen[q.id] === c.value}
											autoFocus={q.id === firstMissing && j === 0}
											className="mt-1 h-5 w-5 shrink-0"
										/>
										<span>
											<span className="font-semibold">{LETTERS[j]}.</span> {c.text}
										</span>
									</label>
								))}
							</fieldset>
						</li>
					))}
				</ol>
				<p className="mt-6">
					<button type="submit" name="intent" value="submit" className="btn">
						{t('quiz.submit')}
					</button>
				</p>
			</form>
		</div>
	)
}

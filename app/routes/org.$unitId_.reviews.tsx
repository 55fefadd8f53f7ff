// "Hoàn thành cần xem lại" (issue 22): a unit's completions flagged by the signals of proxy completion, with their
// evidence and a decision form per row. Works without JavaScript: the filter is a GET form, each decision a POST, and
// "yêu cầu học lại" is posted twice (the page first says what it will do), as revoking a certificate is.
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { wholeTreeAdmin } from '#app/auth/permissions.ts'
import { decideReview, lastScan, listReviews, requestScan, REVIEW_ROLES } from '#app/integrity/reviews.server.ts'
import { DecideReviewSchema, type EvidenceItem, REASON_MAX, REVIEW_FILTERS } from '#app/integrity/reviews.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { SelectField } from '#app/ui/fields.tsx'
import { Alert, ConfirmCard, FieldErrors, FormErrors, Notice, replyErrors } from '#app/ui/form.tsx'
import { isMessageKey, type Lang, langFromRequest, type MessageKey, type Translate, useErrorText, useLang, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.reviews'))

const Show = z.enum(REVIEW_FILTERS).catch('OPEN')
/** The page's two forms: a decision on one review, or (a whole tree's administrator) a scan now. */
const IntentSchema = z.object({ intent: z.enum(['decide', 'scan']).default('decide') })

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), REVIEW_ROLES)
	const show = Show.parse(new URL(request.url).searchParams.get('show') ?? undefined)
	const [{ total, reviews }, scannedTo] = await Promise.all([listReviews(unit, show), lastScan()])
	return json({
		unit: { id: unit.id, name: unit.name },
		show,
		total,
		scannedTo: scannedTo ? formatVnDateTime(scannedTo) : null,
		canScan: wholeTreeAdmin(grants),
		reviews: reviews.map((r) => ({
			id: r.id,
			fullName: r.fullName,
			courseTitle: r.courseTitle,
			courseSlug: r.courseSlug,
			unitName: r.unitName,
			completedAt: formatVnDateTime(r.completedAt),
			signals: r.signals,
			evidence: r.evidence,
			status: r.status,
			decidedAt: r.decidedAt ? formatVnDateTime(r.decidedAt) : null,
			decidedBy: r.decidedBy,
			decisionNote: r.decisionNote,
			// Nobody decides on their own completion (decideReview refuses it): theirs is shown without a form.
			own: r.userId === user.id,
		})),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), REVIEW_ROLES)
	const t = translator(langFromRequest(request))
	const form = await request.formData()
	const intent = parseWithZod(form, { schema: IntentSchema })
	if (intent.status !== 'success') return json({ reviewId: null, result: intent.reply(), notice: null, confirm: null }, { status: 400 })
	if (intent.value.intent === 'scan') {
		// A scan reads the whole installation's completions: the province's administrators decide when to run it early.
		if (!wholeTreeAdmin(grants)) return json({ reviewId: null, result: intent.reply({ formErrors: [t('integrity.review.scanRefused')] }), notice: null, confirm: null }, { status: 403 })
		await requestScan()
		return json({ reviewId: null, result: null, notice: t('integrity.review.scanRequested'), confirm: null })
	}
	const submission = parseWithZod(form, { schema: DecideReviewSchema })
	const posted = submission.payload.reviewId
	const reviewId = typeof posted === 'string' ? posted : null
	if (submission.status !== 'success') return json({ reviewId, result: submission.reply(), notice: null, confirm: null }, { status: 400 })
	const { decision, note, confirm } = submission.value
	if (decision === 'REDO' && confirm !== 'yes') {
		return json({ reviewId, result: submission.reply(), notice: null, confirm: { reviewId: submission.value.reviewId, reason: note } })
	}
	const outcome = await decideReview(unit, submission.value, { userId: user.id, grants, request })
	if (!outcome.ok) {
		const status = outcome.error === 'not-found' ? 404 : outcome.error.startsWith('person-') ? 403 : 409
		return json({ reviewId, result: submission.reply({ formErrors: [t(`integrity.review.outcome.${outcome.error}`)] }), notice: null, confirm: null }, { status })
	}
	const name = outcome.name
	const notice =
		outcome.decision === 'VERIFIED'
			? t('integrity.review.verified', { name })
			: `${t('integrity.review.withdrawn', { name, count: outcome.revoked.length })} ${t(outcome.mailed ? 'integrity.review.mailed' : 'integrity.review.notMailed')}`
	return json({ reviewId: null, result: null, notice, confirm: null })
}

/** A signal's name in the reader's language; a signal this page does not know yet by its own name. */
function signalLabel(t: Translate, signal: string) {
	const key = `integrity.review.signal.${signal}`
	const text = isMessageKey(key) ? t(key) : key
	return text === key ? t('integrity.review.signal.other', { signal }) : text
}

const byName = new Intl.Collator('vi')

/**
 * One piece of evidence from its catalogue key, a list of names (course titles) quoted and listed in the reader's
 * language; a key the catalogue lacks, or evidence written before its message named something more (a placeholder
 * left unfilled), shows the signal and its numbers.
 */
function evidenceText(t: Translate, lang: Lang, item: EvidenceItem) {
	const list = new Intl.ListFormat(lang, { type: 'conjunction' })
	const shown = (v: string | number | Array<string>) =>
		typeof v === 'number' ? v.toLocaleString('vi-VN') : Array.isArray(v) ? list.format([...v].sort(byName.compare).map((name) => `«${name}»`)) : v
	const vars = Object.fromEntries(Object.entries(item.vars).map(([k, v]) => [k, shown(v)]))
	const text = isMessageKey(item.key) ? t(item.key as MessageKey, vars) : item.key
	if (text !== item.key && !/\{\w+\}/.test(text)) return text
	const numbers = Object.entries(vars)
		.map(([k, v]) => `${k}: ${v}`)
		.join(', ')
	return numbers ? `${signalLabel(t, item.signal)} (${numbers})` : signalLabel(t, item.signal)
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['reviews'][number]

export default function ReviewsPage() {
	const t = useT()
	const { unit, show, total, reviews, scannedTo, canScan } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const confirming = data?.confirm ? reviews.find((r) => r.id === data.confirm!.reviewId) : undefined
	// A refusal is said beside its review's decision form; when that form is not on the page (decided by someone else
	// meanwhile, outside the filter, a forged id) it is said above the list, with the reason typed so it is not lost.
	const inRow = !!data?.reviewId && reviews.some((r) => r.id === data.reviewId && r.status === 'OPEN' && !r.own)
	const typed = data?.confirm?.reason ?? (typeof data?.result?.initialValue?.note === 'string' ? data.result.initialValue.note.trim() : '')
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-2 text-2xl font-bold">{t('integrity.review.title')}</h1>
			<p className="mb-4 max-w-3xl">{t('integrity.review.intro')}</p>
			<Notice>{data?.notice}</Notice>
			{data?.result && !data.reviewId ? <FormErrors id="review-errors" errors={data.result.error?.[''] ?? undefined} /> : null}
			{data?.result && data.reviewId && !inRow && !confirming ? <Refusal errors={replyErrors(data.result)} typed={typed} /> : null}
			{data?.confirm && confirming ? <ConfirmRedo unitId={unit.id} review={confirming} reason={data.confirm.reason} /> : null}
			<p className="mb-4 text-sm text-gray-700">{scannedTo ? t('integrity.review.scannedTo', { date: scannedTo }) : t('integrity.review.neverScanned')}</p>
			{canScan ? (
				<Form method="post" className="mb-4">
					<input type="hidden" name="intent" value="scan" />
					<button type="submit" className="btn btn-secondary">
						{t('integrity.review.scan')}
					</button>
				</Form>
			) : null}
			<Form method="get" className="card mb-4 flex flex-wrap items-end gap-3" aria-label={t('integrity.review.filter')}>
				<SelectField
					className=""
					label={t('integrity.review.filter')}
					plain={{ id: 'show', name: 'show', defaultValue: show }}
					options={REVIEW_FILTERS.map((f) => ({ value: f, label: t(`integrity.review.filter.${f}`) }))}
				/>
				<button type="submit" className="btn">
					{t('integrity.review.show')}
				</button>
			</Form>
			{reviews.length ? (
				<>
					<p className="mb-2 text-sm text-gray-700">{t('integrity.review.count', { shown: reviews.length, total })}</p>
					{/* Below lg each review is a card (the header row hidden, each cell saying what it is): six columns in a
					    phone's width left the evidence a few letters a line. */}
					<DataTable
						caption={t('integrity.review.caption')}
						className="table bg-white max-lg:block max-lg:bg-transparent max-lg:[&>tbody]:block max-lg:[&>thead]:sr-only"
						columns={[
							t('integrity.review.col.person'),
							t('integrity.review.col.course'),
							t('integrity.review.col.unit'),
							t('integrity.review.col.completedAt'),
							t('integrity.review.col.evidence'),
							t('integrity.review.col.decision'),
						]}
					>
						{reviews.map((r) => (
							<tr
								key={r.id}
								id={`review-${r.id}`}
								className="max-lg:mb-4 max-lg:block max-lg:rounded-md max-lg:border max-lg:border-gray-300 max-lg:bg-white max-lg:p-3 max-lg:[&>td]:block max-lg:[&>td]:border-0 max-lg:[&>td]:px-0 max-lg:[&>td]:py-1 max-lg:[&>th]:block max-lg:[&>th]:p-0 max-lg:[&>th]:pb-1"
							>
								<th scope="row" className="text-left font-normal max-lg:text-lg max-lg:font-semibold">
									{r.fullName}
								</th>
								<td>
									<CellLabel>{t('integrity.review.col.course')}</CellLabel>
									<Link to={`/courses/${r.courseSlug}`}>{r.courseTitle}</Link>
								</td>
								<td>
									<CellLabel>{t('integrity.review.col.unit')}</CellLabel>
									{r.unitName}
								</td>
								<td>
									<CellLabel>{t('integrity.review.col.completedAt')}</CellLabel>
									{r.completedAt}
								</td>
								<td>
									<CellLabel block>{t('integrity.review.col.evidence')}</CellLabel>
									<Evidence review={r} />
								</td>
								<td>
									<CellLabel block>{t('integrity.review.col.decision')}</CellLabel>
									{r.status !== 'OPEN' ? <Decided review={r} /> : r.own ? <p className="text-sm">{t('integrity.review.own')}</p> : <DecisionForm review={r} />}
								</td>
							</tr>
						))}
					</DataTable>
				</>
			) : (
				<p>{show === 'OPEN' ? t('integrity.review.none.OPEN') : t('integrity.review.none')}</p>
			)}
		</>
	)
}

/** What a cell is, said in the card of a narrow screen; the column's header says it on a wide one. */
function CellLabel({ children, block = false }: { children: string; block?: boolean }) {
	return block ? <span className="block text-sm font-semibold text-gray-700 lg:hidden">{children}</span> : <span className="font-semibold lg:hidden">{children}: </span>
}

function Evidence({ review }: { review: Row }) {
	const t = useT()
	const lang = useLang()
	const described = new Set(review.evidence.map((e) => e.signal))
	// Signals whose details were cleared (retention) or never written still say what fired.
	const bare = review.signals.filter((s) => !described.has(s))
	return (
		<ul className="list-disc pl-5 text-sm">
			{review.evidence.map((e, i) => (
				<li key={`${e.signal}-${i}`}>
					<span className="font-semibold">{signalLabel(t, e.signal)}:</span> {evidenceText(t, lang, e)}
				</li>
			))}
			{bare.map((s) => (
				<li key={s}>
					<span className="font-semibold">{signalLabel(t, s)}</span>
				</li>
			))}
			{review.evidence.length === 0 && review.status !== 'OPEN' ? <li>{t('integrity.review.noEvidence')}</li> : null}
		</ul>
	)
}

/**
 * A refusal whose review has no form on the page: what was refused (without a reason, a redo to confirm whose review
 * is no longer waiting here), and the reason the manager had typed.
 */
function Refusal({ errors, typed }: { errors: Array<string> | undefined; typed: string }) {
	const t = useT()
	const errorText = useErrorText()
	return (
		<Alert>
			{(errors ?? ['integrity.review.notShown']).map((e) => (
				<span key={e} className="block">
					{errorText(e)}
				</span>
			))}
			{typed ? <span className="mt-1 block">{t('integrity.review.typedNote', { note: typed })}</span> : null}
		</Alert>
	)
}

function DecisionForm({ review }: { review: Row }) {
	const t = useT()
	const data = useActionData<typeof action>()
	const mine = data?.reviewId === review.id ? data.result : null
	const noteId = `note-${review.id}`
	// The buttons and the hidden id have no place for a message of their own (a forged or stale post).
	const formErrors = [...(mine?.error?.[''] ?? []), ...(mine?.error?.decision ?? []), ...(mine?.error?.reviewId ?? [])]
	const noteErrors = mine?.error?.note ?? undefined
	return (
		<Form method="post" className="min-w-64" aria-label={t('integrity.review.decide', { name: review.fullName })}>
			<input type="hidden" name="reviewId" value={review.id} />
			<FormErrors id={`review-${review.id}-errors`} errors={formErrors.length ? formErrors : undefined} />
			<label htmlFor={noteId} className="label text-sm">
				{t('integrity.review.note')}
			</label>
			<textarea
				id={noteId}
				name="note"
				rows={2}
				maxLength={REASON_MAX}
				className="field mb-2"
				aria-describedby={noteErrors?.length ? `${noteId}-error` : `${noteId}-hint`}
				defaultValue={typeof mine?.initialValue?.note === 'string' ? mine.initialValue.note : ''}
			/>
			<FieldErrors id={`${noteId}-error`} errors={noteErrors} />
			<div className="flex flex-wrap gap-2">
				<button type="submit" name="decision" value="VERIFIED" className="btn">
					{t('integrity.review.verify')}
				</button>
				<button type="submit" name="decision" value="REDO" className="btn btn-secondary">
					{t('integrity.review.redo')}
				</button>
			</div>
			<p id={`${noteId}-hint`} className="mt-1 text-sm text-gray-700">
				{t('integrity.review.redoHint')}
			</p>
		</Form>
	)
}

function Decided({ review }: { review: Row }) {
	const t = useT()
	return (
		<>
			<span className="block font-semibold">{t(review.status === 'REDO' ? 'integrity.review.status.REDO' : 'integrity.review.status.VERIFIED')}</span>
			{review.decidedAt ? <span className="block text-sm">{t('integrity.review.decidedBy', { name: review.decidedBy ?? '—', date: review.decidedAt })}</span> : null}
			{review.decisionNote ? <span className="block text-sm">{review.decisionNote}</span> : null}
		</>
	)
}

function ConfirmRedo({ unitId, review, reason }: { unitId: number; review: Row; reason: string }) {
	const t = useT()
	return (
		<ConfirmCard
			className="mb-6 max-w-2xl"
			title={t('integrity.review.confirmTitle')}
			text={t('integrity.review.confirmText', { name: review.fullName, course: review.courseTitle, reason })}
			effect={t('integrity.review.confirmEffect')}
			fields={{ reviewId: review.id, decision: 'REDO', note: reason }}
			submit={t('integrity.review.confirmSubmit')}
			cancel={{ to: `/org/${unitId}/reviews`, label: t('integrity.review.cancel') }}
		/>
	)
}

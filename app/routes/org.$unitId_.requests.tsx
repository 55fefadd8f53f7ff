// The chi đoàn secretary's join requests (decision 016): tick one or many, approve or reject them with one form
// (two submit buttons), which works without JavaScript.
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { formatVnDate, formatVnTime } from '#app/ui/dates.ts'
import { langFromRequest, useErrorText, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { YOUTH_ROLES } from '#app/youth/invites.server.ts'
import { decideRequests, listDecidedRequests, listPendingRequests } from '#app/youth/requests.server.ts'
import { DecideSchema } from '#app/youth/schema.ts'
import { Notice } from '#app/ui/form.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.requests'))

/** "14:05 23/11/2026" in Vietnam: when a request came or was decided. */
function vnDateTime(d: Date) {
	return `${formatVnTime(d)} ${formatVnDate(d)}`
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), YOUTH_ROLES)
	const [pending, decided] = await Promise.all([listPendingRequests(unit), listDecidedRequests(unit)])
	return json({
		unit: { id: unit.id, name: unit.name },
		pending: pending.map((r) => ({ ...r, createdAt: vnDateTime(r.createdAt) })),
		decided: decided.map((r) => ({ ...r, decidedAt: r.decidedAt ? vnDateTime(r.decidedAt) : '' })),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), YOUTH_ROLES)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: DecideSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null }, { status: 400 })
	const { decision, ids, reason } = submission.value
	const outcome = await decideRequests(unit, { ids, decision, reason }, { actorId: user.id, grants, request })
	if (!outcome.ok) {
		return json({ result: submission.reply({ formErrors: [t(`youth.requests.outcome.${outcome.error}`)] }), notice: null }, { status: outcome.error === 'not-found' ? 404 : 409 })
	}
	const done = t(decision === 'approve' ? 'youth.requests.approved' : 'youth.requests.rejected', { count: outcome.decided })
	return json({ result: null, notice: outcome.skipped ? `${done} ${t('youth.requests.skipped', { count: outcome.skipped })}` : done })
}

export default function JoinRequestsPage() {
	const t = useT()
	const errorText = useErrorText()
	const { unit, pending, decided } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const result = data?.result
	const errors = result && 'error' in result && result.error ? Object.values(result.error).flat() : []
	return (
		<>
			<UnitTrail unit={unit} page={{ path: 'invites', label: t('youth.invite.back') }} />
			<h1 className="mb-2 text-2xl font-bold">{t('youth.requests.title')}</h1>
			<p className="mb-4">{t('youth.requests.intro')}</p>
			<Notice>{data?.notice}</Notice>
			{errors.length ? (
				<div role="alert" className="alert alert-error mb-4">
					{errors.map((e) => (
						<p key={String(e)}>{errorText(String(e))}</p>
					))}
				</div>
			) : null}
			{pending.length ? (
				<Form method="post" className="mb-8">
					<DataTable
						wrapperClassName="mb-4 overflow-x-auto"
						columns={[
							t('youth.requests.col.select'),
							t('youth.requests.col.name'),
							t('youth.requests.col.birthYear'),
							t('youth.requests.col.contact'),
							t('youth.requests.col.unit'),
							t('youth.requests.col.at'),
						]}
					>
						{pending.map((r) => (
							<tr key={r.id}>
								<td>
									<input type="checkbox" name="ids" value={r.id} id={`req-${r.id}`} aria-label={t('youth.requests.select', { name: r.fullName })} className="h-5 w-5" />
								</td>
								<td>
									<label htmlFor={`req-${r.id}`}>{r.fullName}</label>
									{r.existingAccount ? <span className="block text-sm text-gray-700">{t('youth.requests.existing')}</span> : null}
								</td>
								<td>{r.birthYear ?? ''}</td>
								<td>{[r.phone, r.email].filter(Boolean).join(' · ')}</td>
								<td>{r.unit.name}</td>
								<td>{r.createdAt}</td>
							</tr>
						))}
					</DataTable>
					<div className="card max-w-xl">
						<label htmlFor="reject-reason" className="label">
							{t('youth.requests.reason')}
						</label>
						<input id="reject-reason" name="reason" maxLength={500} className="field mb-4" autoComplete="off" />
						<div className="flex flex-wrap gap-3">
							<button type="submit" name="decision" value="approve" className="btn">
								{t('youth.requests.approve')}
							</button>
							<button type="submit" name="decision" value="reject" className="btn btn-secondary">
								{t('youth.requests.reject')}
							</button>
						</div>
					</div>
				</Form>
			) : (
				<p className="mb-8">{t('youth.requests.none')}</p>
			)}
			{decided.length ? (
				<Section id="decided-heading" title={t('youth.requests.decided')}>
					<DataTable
						columns={[
							t('youth.requests.col.name'),
							t('youth.requests.col.unit'),
							t('youth.requests.col.decision'),
							t('youth.requests.col.reason'),
							t('youth.requests.col.at'),
						]}
					>
						{decided.map((r) => (
							<tr key={r.id}>
								<td>{r.fullName}</td>
								<td>{r.unitName}</td>
								<td>{r.status === 'APPROVED' ? t('youth.requests.status.APPROVED') : t('youth.requests.status.REJECTED')}</td>
								<td>{r.reason ?? ''}</td>
								<td>{r.decidedAt}</td>
							</tr>
						))}
					</DataTable>
				</Section>
			) : null}
		</>
	)
}

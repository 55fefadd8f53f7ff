// Invite links of the chi đoàn and community teams of a youth subtree (decision 016): create, list, revoke.
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { formatIsoDay, vnDay } from '#app/ui/dates.ts'
import { SelectField } from '#app/ui/fields.tsx'
import { Field, FormErrors, Notice } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { createInvite, invitableUnits, inviteUrl, listInvites, revokeInvite, YOUTH_ROLES } from '#app/youth/invites.server.ts'
import { countPendingRequests } from '#app/youth/requests.server.ts'
import { InviteActionSchema, INVITE_MAX_USES } from '#app/youth/schema.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('youth.invite.manage'))

const DAY_MS = 24 * 3600 * 1000

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), YOUTH_ROLES)
	const [units, invites, pending] = await Promise.all([invitableUnits(unit), listInvites(unit), countPendingRequests(unit)])
	const now = Date.now()
	return json({
		unit: { id: unit.id, name: unit.name },
		units: units.map((u) => ({ id: u.id, name: u.parent ? `${u.name} (${u.parent.name})` : u.name })),
		invites: invites.map((i) => ({ ...i, url: inviteUrl(request, i.token), expiresOn: vnDay(new Date(i.expiresAt.getTime() - 1)) })),
		pending,
		dates: { min: vnDay(new Date(now)), max: vnDay(new Date(now + 365 * DAY_MS)), suggested: vnDay(new Date(now + 30 * DAY_MS)) },
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), YOUTH_ROLES)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: InviteActionSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null }, { status: 400 })
	const actor = { actorId: user.id, grants, request }
	const v = submission.value
	if (v.intent === 'revoke') {
		const outcome = await revokeInvite(unit, v.inviteId, actor)
		if (!outcome.ok) return json({ result: submission.reply({ formErrors: [t(`youth.invite.outcome.${outcome.error}`)] }), notice: null }, { status: outcome.error === 'not-found' ? 404 : 409 })
		return json({ result: null, notice: t('youth.invite.revoked') })
	}
	const outcome = await createInvite({ orgUnitId: v.orgUnitId, expiresAt: v.expiresOn, maxUses: v.maxUses, within: unit }, actor)
	if (!outcome.ok) {
		return json(
			{ result: submission.reply({ fieldErrors: { orgUnitId: [t(`youth.invite.outcome.${outcome.error}`)] } }), notice: null },
			{ status: outcome.error === 'forbidden' ? 403 : outcome.error === 'not-found' ? 404 : 400 },
		)
	}
	return json({ result: submission.reply({ resetForm: true }), notice: t('youth.invite.created', { unit: outcome.unitName }) })
}

export default function InvitesPage() {
	const t = useT()
	const { unit, units, invites, pending, dates } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm<{ orgUnitId: string; expiresOn: string; maxUses: string }>({
		id: 'invite-create',
		lastResult: data?.result,
		defaultValue: { expiresOn: dates.suggested, maxUses: '50', orgUnitId: units.length === 1 ? String(units[0]!.id) : '' },
	})
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-2 text-2xl font-bold">{t('youth.invite.title')}</h1>
			<p className="mb-2">{t('youth.invite.intro')}</p>
			<p className="mb-4">
				<Link to={`/org/${unit.id}/requests`} className="btn btn-secondary">
					{t('youth.requests.manage', { count: pending })}
				</Link>
			</p>
			<Notice>{data?.notice}</Notice>
			{units.length ? (
				<Section id="new-invite-heading" title={t('youth.invite.new')} className="mb-8">
					<Form method="post" {...getFormProps(form)} className="card max-w-xl">
						<FormErrors id={form.errorId} errors={form.errors} />
						<input type="hidden" name="intent" value="create" />
						<SelectField
							label={t('youth.invite.unit')}
							meta={fields.orgUnitId}
							placeholder={t('youth.invite.chooseUnit')}
							options={units.map((u) => ({ value: u.id, label: u.name }))}
						/>
						<Field label={t('youth.invite.expiresOn')} meta={fields.expiresOn} type="date" min={dates.min} max={dates.max} />
						<Field label={t('youth.invite.maxUses')} meta={fields.maxUses} type="number" min={1} max={INVITE_MAX_USES} />
						<button type="submit" className="btn">
							{t('youth.invite.create')}
						</button>
					</Form>
				</Section>
			) : (
				<p role="alert" className="alert alert-error mb-8">
					{t('youth.invite.notInvitable')}
				</p>
			)}
			<Section id="invites-heading" title={t('youth.invite.list')}>
				{invites.length ? (
					<DataTable
						columns={[
							t('youth.invite.col.unit'),
							t('youth.invite.col.link'),
							t('youth.invite.col.uses'),
							t('youth.invite.col.expires'),
							t('youth.invite.col.status'),
							t('youth.invite.col.actions'),
						]}
					>
						{invites.map((i) => (
							<tr key={i.id}>
								<td>{i.unit.name}</td>
								<td>
									<code className="break-all text-sm">{i.url}</code>
									<br />
									<Link to={`/org/${unit.id}/invites/${i.id}`}>{t('youth.invite.print')}</Link>
								</td>
								<td>
									{i.uses}/{i.maxUses}
									{i.pending ? <span className="block text-sm">{t('youth.invite.pending', { count: i.pending })}</span> : null}
								</td>
								<td>{formatIsoDay(i.expiresOn)}</td>
								<td>{t(`youth.invite.state.${i.state}`)}</td>
								<td>
									{i.state === 'revoked' ? null : (
										<Form method="post">
											<input type="hidden" name="intent" value="revoke" />
											<input type="hidden" name="inviteId" value={i.id} />
											<button type="submit" className="btn btn-secondary" aria-label={t('youth.invite.revokeLabel', { unit: i.unit.name })}>
												{t('youth.invite.revoke')}
											</button>
										</Form>
									)}
								</td>
							</tr>
						))}
					</DataTable>
				) : (
					<p>{t('youth.invite.none')}</p>
				)}
			</Section>
		</>
	)
}

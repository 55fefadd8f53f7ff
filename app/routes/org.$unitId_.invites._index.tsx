// Invite links of the chi đoàn and community teams of a youth subtree (decision 016): create, list, revoke.
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { FormErrors } from '#app/ui/form.tsx'
import { langFromRequest, useErrorText, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { createInvite, invitableUnits, inviteUrl, listInvites, revokeInvite, YOUTH_ROLES } from '#app/youth/invites.server.ts'
import { countPendingRequests } from '#app/youth/requests.server.ts'
import { InviteActionSchema, INVITE_MAX_USES } from '#app/youth/schema.ts'

export const meta: MetaFunction = () => [{ title: 'Liên kết mời | Văn Minh Số' }]

const DAY_MS = 24 * 3600 * 1000

/** yyyy-mm-dd of the instant in Vietnam. */
function vnDay(d: Date) {
	return new Date(d.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, Number(params.unitId), YOUTH_ROLES)
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
	const { user, unit, grants } = await requireOrgRole(request, Number(params.unitId), YOUTH_ROLES)
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
	const errorText = useErrorText()
	const { unit, units, invites, pending, dates } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm<{ orgUnitId: string; expiresOn: string; maxUses: string }>({
		id: 'invite-create',
		lastResult: data?.result,
		defaultValue: { expiresOn: dates.suggested, maxUses: '50', orgUnitId: units.length === 1 ? String(units[0]!.id) : '' },
	})
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link>
			</p>
			<h1 className="mb-2 text-2xl font-bold">{t('youth.invite.title')}</h1>
			<p className="mb-2">{t('youth.invite.intro')}</p>
			<p className="mb-4">
				<Link to={`/org/${unit.id}/requests`} className="btn btn-secondary">
					{t('youth.requests.manage', { count: pending })}
				</Link>
			</p>
			{data?.notice ? (
				<p role="status" className="alert alert-success mb-4">
					{data.notice}
				</p>
			) : null}
			{units.length ? (
				<section aria-labelledby="new-invite-heading" className="mb-8">
					<h2 id="new-invite-heading" className="mb-2 text-xl font-semibold">
						{t('youth.invite.new')}
					</h2>
					<Form method="post" {...getFormProps(form)} className="card max-w-xl">
						<FormErrors id={form.errorId} errors={form.errors} />
						<input type="hidden" name="intent" value="create" />
						<div className="mb-4">
							<label htmlFor={fields.orgUnitId.id} className="label">
								{t('youth.invite.unit')}
							</label>
							<select {...getSelectProps(fields.orgUnitId)} className="field" aria-describedby={fields.orgUnitId.errors?.length ? fields.orgUnitId.errorId : undefined}>
								<option value="">{t('youth.invite.chooseUnit')}</option>
								{units.map((u) => (
									<option key={u.id} value={u.id}>
										{u.name}
									</option>
								))}
							</select>
							{fields.orgUnitId.errors?.length ? (
								<p id={fields.orgUnitId.errorId} className="field-error">
									{errorText(fields.orgUnitId.errors[0])}
								</p>
							) : null}
						</div>
						<div className="mb-4">
							<label htmlFor={fields.expiresOn.id} className="label">
								{t('youth.invite.expiresOn')}
							</label>
							<input {...getInputProps(fields.expiresOn, { type: 'date' })} min={dates.min} max={dates.max} className="field" />
							{fields.expiresOn.errors?.length ? (
								<p id={fields.expiresOn.errorId} className="field-error">
									{errorText(fields.expiresOn.errors[0])}
								</p>
							) : null}
						</div>
						<div className="mb-4">
							<label htmlFor={fields.maxUses.id} className="label">
								{t('youth.invite.maxUses')}
							</label>
							<input {...getInputProps(fields.maxUses, { type: 'number' })} min={1} max={INVITE_MAX_USES} className="field" />
							{fields.maxUses.errors?.length ? (
								<p id={fields.maxUses.errorId} className="field-error">
									{errorText(fields.maxUses.errors[0])}
								</p>
							) : null}
						</div>
						<button type="submit" className="btn">
							{t('youth.invite.create')}
						</button>
					</Form>
				</section>
			) : (
				<p role="alert" className="alert alert-error mb-8">
					{t('youth.invite.notInvitable')}
				</p>
			)}
			<section aria-labelledby="invites-heading">
				<h2 id="invites-heading" className="mb-2 text-xl font-semibold">
					{t('youth.invite.list')}
				</h2>
				{invites.length ? (
					<div className="overflow-x-auto">
						<table className="table bg-white">
							<thead>
								<tr>
									<th scope="col">{t('youth.invite.col.unit')}</th>
									<th scope="col">{t('youth.invite.col.link')}</th>
									<th scope="col">{t('youth.invite.col.uses')}</th>
									<th scope="col">{t('youth.invite.col.expires')}</th>
									<th scope="col">{t('youth.invite.col.status')}</th>
									<th scope="col">{t('youth.invite.col.actions')}</th>
								</tr>
							</thead>
							<tbody>
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
										<td>{i.expiresOn.split('-').reverse().join('/')}</td>
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
							</tbody>
						</table>
					</div>
				) : (
					<p>{t('youth.invite.none')}</p>
				)}
			</section>
		</>
	)
}

import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { endMember, getMember, MEMBER_ROLES, moveMember, subtreeUnits, updateMember } from '#app/org/members.server.ts'
import { parseTags } from '#app/org/roster-rows.server.ts'
import { MemberActionSchema } from '#app/org/schema.ts'
import { TAGS } from '#app/org/tags.ts'
import { langFromRequest, useErrorText, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { tagLabel } from '#app/ui/labels.ts'
import { formatVnDate, vnToday } from '#app/ui/dates.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { FormCard, Notice } from '#app/ui/form.tsx'
import { CheckboxGroup, InputField, SelectField } from '#app/ui/fields.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.member.user.fullName ?? t('members.title'))

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), MEMBER_ROLES)
	const found = await getMember(unit, String(params.membershipId))
	if (!found) notFound()
	const units = await subtreeUnits(unit)
	const { membership } = found
	return json({
		unit: { id: unit.id, name: unit.name },
		member: {
			id: membership.id,
			title: membership.title,
			tags: membership.tags,
			countsInTarget: membership.countsInTarget,
			validFrom: membership.validFrom.toISOString(),
			validTo: membership.validTo?.toISOString() ?? null,
			orgUnit: membership.orgUnit,
			user: { ...membership.user, birthDate: membership.user.birthDate?.toISOString() ?? null },
		},
		history: found.history.map((h) => ({ ...h, validFrom: h.validFrom.toISOString(), validTo: h.validTo?.toISOString() ?? null })),
		units: units.map((u) => ({ id: u.id, name: u.name })),
		today: vnToday(),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), MEMBER_ROLES)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: MemberActionSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null }, { status: 400 })
	const value = submission.value
	const actor = { actorId: user.id, request, grants }
	const membershipId = String(params.membershipId)
	if (value.intent === 'update') {
		const other = parseTags(value.otherTags ?? '')
		if ('error' in other) return json({ result: submission.reply({ fieldErrors: { otherTags: [t('import.tags.invalid', { value: other.error })] } }), notice: null }, { status: 400 })
		const tags = [...new Set([...value.tags, ...other.tags])]
		const ok = await updateMember(unit, membershipId, { title: value.title ?? null, tags, countsInTarget: value.countsInTarget }, actor)
		if (!ok) notFound()
		return json({ result: submission.reply(), notice: t('members.saved') })
	}
	if (value.intent === 'move') {
		const outcome = await moveMember(unit, membershipId, { toUnitId: value.toUnitId, at: value.at }, actor)
		if (outcome === 'not-found') notFound()
		if (outcome !== 'moved') return json({ result: submission.reply({ formErrors: [t(`members.move.${outcome}`)] }), notice: null }, { status: 400 })
		return json({ result: submission.reply(), notice: t('members.moved') })
	}
	const outcome = await endMember(unit, membershipId, value.at, actor)
	if (!outcome.ended && outcome.reason === 'not-found') notFound()
	if (!outcome.ended) {
		const key = outcome.reason === 'not-active' ? 'members.move.not-active' : outcome.reason === 'self' ? 'members.end.self' : 'members.move.protected'
		return json({ result: submission.reply({ formErrors: [t(key)] }), notice: null }, { status: outcome.reason === 'not-active' ? 400 : 403 })
	}
	return json({ result: submission.reply(), notice: outcome.disabled ? t('members.endedDisabled') : t('members.ended') })
}

export default function MemberPage() {
	const t = useT()
	const errorText = useErrorText()
	const { unit, member, history, units, today } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const date = (iso: string) => formatVnDate(iso)
	const active = !member.validTo || new Date(member.validTo) > new Date()
	const errors = data?.result && 'error' in data.result ? (data.result.error ?? {}) : {}
	const fieldErrors = (name: string) => (errors as Record<string, Array<string> | null>)[name] ?? undefined
	const fieldError = (name: string) => {
		const list = fieldErrors(name)
		return list?.length ? <p className="field-error">{errorText(list[0])}</p> : null
	}
	const customTags = member.tags.filter((tag) => !(TAGS as ReadonlyArray<string>).includes(tag))
	return (
		<>
			<UnitTrail unit={unit} page={{ path: 'members', label: t('members.title') }} />
			<h1 className="mb-1 text-2xl font-bold">{member.user.fullName}</h1>
			<p className="mb-4 text-gray-700">
				{[member.user.username, member.user.email, member.user.phone, member.user.birthDate ? date(member.user.birthDate) : member.user.birthYear].filter(Boolean).join(' · ')}
				{' · '}
				{t(`status.${member.user.status}`)}
			</p>
			<Notice>{data?.notice}</Notice>
			{errors[''] ? (
				<div role="alert" className="alert alert-error mb-4">
					{errors['']!.map((e) => (
						<p key={e}>{errorText(e)}</p>
					))}
				</div>
			) : null}
			<p className="mb-4">
				{member.orgUnit.name} · {t('members.since', { date: date(member.validFrom) })}
				{member.validTo ? ` · ${t('members.endedOn', { date: date(member.validTo) })}` : null}
			</p>
			{active ? (
				<div className="grid gap-6 lg:grid-cols-2">
					<FormCard title={t('members.edit')} intent="update" submit={t('members.save')}>
						<div className="mb-4">
							<label htmlFor="title" className="label">
								{t('org.col.title')}
							</label>
							<input id="title" name="title" defaultValue={member.title ?? ''} className="field" maxLength={120} />
							{fieldError('title')}
						</div>
						<CheckboxGroup legend={t('org.col.tags')} name="tags" options={TAGS.map((tag) => ({ value: tag, label: tagLabel(t, tag) }))} checked={(tag) => member.tags.includes(tag)} />
						<div className="mb-4">
							<label htmlFor="otherTags" className="label">
								{t('members.otherTags')}
							</label>
							<input id="otherTags" name="otherTags" defaultValue={customTags.join('; ')} className="field" />
							{fieldError('otherTags')}
						</div>
						<label className="mb-4 flex min-h-11 items-center gap-2">
							<input type="checkbox" name="countsInTarget" defaultChecked={member.countsInTarget} className="h-5 w-5" />
							{t('members.inTargetLong')}
						</label>
					</FormCard>
					<div className="grid gap-6">
						<FormCard title={t('members.move')} intent="move" submit={t('members.moveSubmit')} secondary>
							<SelectField
								label={t('members.moveTo')}
								plain={{ id: 'toUnitId', name: 'toUnitId', defaultValue: '' }}
								placeholder={t('members.chooseUnit')}
								options={units.filter((u) => u.id !== member.orgUnit.id).map((u) => ({ value: u.id, label: u.name }))}
								errors={fieldErrors('toUnitId')}
							/>
							<InputField id="move-at" label={t('roster.effectiveAt')} name="at" type="date" defaultValue={today} className="mb-4" />
						</FormCard>
						<FormCard title={t('members.end')} intent="end" submit={t('members.endSubmit')} secondary>
							<p className="mb-3 text-sm">{t('members.endHint')}</p>
							<InputField id="end-at" label={t('members.endAt')} name="at" type="date" defaultValue={today} className="mb-4" />
						</FormCard>
					</div>
				</div>
			) : null}
			<Section id="history-heading" title={t('members.history')} className="mt-8">
				<ul className="grid gap-1">
					{history.map((h) => (
						<li key={h.id}>
							{h.orgUnit.name}
							{h.title ? ` — ${h.title}` : ''}: {date(h.validFrom)} → {h.validTo ? date(h.validTo) : t('members.now')}
						</li>
					))}
				</ul>
			</Section>
		</>
	)
}

import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { forbidden, notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { UnitAsOfSchema, UnitPageSchema } from '#app/org/schema.ts'
import { canAdminister, closeUnit, getTree, getUnit, isInSubtree, moveUnit, PARENT_KINDS, renameUnit } from '#app/org/tree.server.ts'
import { unitAsOf, unitHistory } from '#app/org/unit-history.server.ts'
import { InputField, SelectField } from '#app/ui/fields.tsx'
import { formatIsoDay, vnDay } from '#app/ui/dates.ts'
import { langFromRequest, useErrorText, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { grassrootsTypes, setGrassrootsType } from '#app/youth/profile.server.ts'
import { GRASSROOTS_TYPES } from '#app/youth/schema.ts'
import { FormCard, Notice } from '#app/ui/form.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.target.name ?? t('org.col.unit'))

const ROLES = ['MANAGER'] as const

const DAY_MS = 24 * 3600 * 1000
const CHANGE_LABEL = { create: 'tree.change.create', rename: 'tree.change.rename', move: 'tree.change.move', 'rename+move': 'tree.change.renameMove' } as const

async function requireTarget(request: Request, params: LoaderFunctionArgs['params']) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const targetId = idParam(params.targetId)
	if (!(await isInSubtree(unit, targetId))) notFound()
	const target = await getUnit(targetId)
	if (!canAdminister(grants, target.path)) forbidden()
	return { user, unit, grants, target }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, target } = await requireTarget(request, params)
	// Possible new parents: open units of this page's subtree of a fitting kind, outside the unit's own subtree.
	const parents = (await getTree(unit))
		.filter((n) => PARENT_KINDS[target.kind].includes(n.kind) && !n.path.startsWith(target.path) && n.id !== target.parentId)
		.map((n) => ({ id: n.id, name: n.name }))
	// "What was this unit on date D": a GET form, so it works without JavaScript and can be bookmarked.
	const asked = new URL(request.url).searchParams.get('at')
	const at = asked ? UnitAsOfSchema.safeParse(asked) : null
	const asOf = at?.success ? await unitAsOf(target.id, at.data) : null
	const now = Date.now()
	const grassroots = target.tree === 'YOUTH' && target.kind === 'youth_grassroots' ? { type: (await grassrootsTypes([target.id])).get(target.id) ?? null } : null
	return json({
		grassroots,
		unit: { id: unit.id, name: unit.name },
		target: { id: target.id, name: target.name, code: target.code, kind: target.kind, closedFrom: target.validTo ? vnDay(target.validTo) : null },
		parents,
		history: (await unitHistory(target.id)).map((p) => ({
			from: vnDay(p.validFrom),
			to: p.validTo ? vnDay(p.validTo) : null,
			name: p.name,
			parentName: p.parentName,
			change: p.change in CHANGE_LABEL ? p.change : 'create',
		})),
		lookup: asked ? { date: asked, valid: Boolean(at?.success), result: asOf && serialiseAsOf(asOf) } : null,
		// Bounds of the date inputs; the server checks them again (UnitDateSchema, tree.server.ts).
		dates: { today: vnDay(new Date(now)), min: vnDay(new Date(now - 5 * 365 * DAY_MS)), maxClose: vnDay(new Date(now + 365 * DAY_MS)) },
	})
}

function serialiseAsOf(asOf: NonNullable<Awaited<ReturnType<typeof unitAsOf>>>) {
	if (asOf.state === 'not-yet') return { state: asOf.state, founded: vnDay(asOf.foundedAt) }
	if (asOf.state === 'closed') return { state: asOf.state, name: asOf.name, closed: vnDay(asOf.closedAt) }
	return { state: asOf.state, name: asOf.name, path: asOf.ancestors.map((a) => a.name) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, grants, target } = await requireTarget(request, params)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: UnitPageSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null }, { status: 400 })
	const v = submission.value
	if (v.intent === 'youth-profile') {
		// The type of a đoàn cơ sở (decision 016), kept apart from the dated name and place changes.
		const done = await setGrassrootsType(target, v.grassrootsType, { actorId: user.id, request })
		if (!done.ok) return json({ result: submission.reply({ formErrors: [t('tree.outcome.bad-kind')] }), notice: null }, { status: 400 })
		return json({ result: submission.reply(), notice: t('youth.invite.grassroots.saved') })
	}
	const actor = { actorId: user.id, grants, request }
	const outcome =
		v.intent === 'rename'
			? await renameUnit(target.id, { name: v.name, at: v.at }, actor)
			: v.intent === 'move'
				? await moveUnit(target.id, { parentId: v.parentId, at: v.at }, actor)
				: await closeUnit(target.id, { at: v.at }, actor)
	if (!outcome.ok) {
		const message = t(`tree.outcome.${outcome.error}`, outcome.since ? { date: formatIsoDay(vnDay(outcome.since)) } : undefined)
		return json({ result: submission.reply({ formErrors: [message] }), notice: null }, { status: outcome.error === 'forbidden' ? 403 : 400 })
	}
	return json({ result: submission.reply(), notice: t(`tree.done.${v.intent}`) })
}

export default function UnitEditPage() {
	const t = useT()
	const errorText = useErrorText()
	const { unit, target, parents, history, lookup, dates, grassroots } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const errors = data?.result && 'error' in data.result ? (data.result.error ?? {}) : {}
	return (
		<>
			<UnitTrail unit={unit} page={{ path: 'tree', label: t('tree.title') }} />
			<h1 className="mb-1 text-2xl font-bold">{target.name}</h1>
			<p className="mb-4 text-gray-700">
				{t('org.col.code')}: {target.code} · {t(`kind.${target.kind}`)}
				{target.closedFrom ? ` · ${t('tree.closingOn', { date: formatIsoDay(target.closedFrom) })}` : null}
			</p>
			<Notice>{data?.notice}</Notice>
			{Object.entries(errors).length ? (
				<div role="alert" className="alert alert-error mb-4">
					{Object.values(errors)
						.flat()
						.map((e) => (
							<p key={String(e)}>{errorText(String(e))}</p>
						))}
				</div>
			) : null}
			{grassroots && !target.closedFrom ? (
				<FormCard title={t('youth.invite.grassroots.label')} intent="youth-profile" submit={t('youth.invite.grassroots.save')} secondary className="card mb-6 max-w-xl">
					<SelectField
						label={t('youth.invite.grassroots.label')}
						plain={{ id: 'grassrootsType', name: 'grassrootsType', defaultValue: grassroots.type ?? '', required: true }}
						placeholder={t('youth.invite.grassroots.none')}
						options={GRASSROOTS_TYPES.map((g) => ({ value: g, label: t(`youth.invite.grassroots.${g}`) }))}
					/>
				</FormCard>
			) : null}
			{target.closedFrom ? null : (
				<div className="grid gap-6 lg:grid-cols-3">
					<FormCard title={t('tree.rename')} intent="rename" submit={t('tree.renameSubmit')}>
						<InputField id="name" label={t('tree.name')} defaultValue={target.name} className="mb-4" required />
						<ChangeDate id="rename-at" label={t('roster.effectiveAt')} hint={t('tree.changeAtHint')} today={dates.today} min={dates.min} max={dates.today} />
					</FormCard>
					<FormCard title={t('tree.move')} intent="move" submit={t('tree.moveSubmit')} secondary>
						<SelectField
							label={t('tree.newParent')}
							plain={{ id: 'parentId', name: 'parentId', defaultValue: '' }}
							placeholder={t('members.chooseUnit')}
							options={parents.map((p) => ({ value: p.id, label: p.name }))}
						/>
						<ChangeDate id="move-at" label={t('roster.effectiveAt')} hint={t('tree.changeAtHint')} today={dates.today} min={dates.min} max={dates.today} />
					</FormCard>
					<FormCard title={t('tree.close')} intent="close" submit={t('tree.closeSubmit')} secondary>
						<p className="mb-3 text-sm">{t('tree.closeHint')}</p>
						<ChangeDate id="close-at" label={t('tree.closeAt')} hint={t('tree.closeAtHint')} today={dates.today} min={dates.min} max={dates.maxClose} />
					</FormCard>
				</div>
			)}
			<Section id="history-heading" title={t('tree.history')} className="mt-8">
				<DataTable
					wrapperClassName="mb-4 overflow-x-auto"
					columns={[t('tree.history.from'), t('tree.history.to'), t('tree.history.name'), t('tree.history.parent'), t('tree.history.change')]}
				>
					{history.map((p) => (
						<tr key={`${p.from}-${p.name}-${p.parentName}`}>
							<td>{formatIsoDay(p.from)}</td>
							<td>{p.to ? formatIsoDay(p.to) : t('tree.history.now')}</td>
							<td>{p.name}</td>
							<td>{p.parentName ?? '—'}</td>
							<td>{t(CHANGE_LABEL[p.change as keyof typeof CHANGE_LABEL])}</td>
						</tr>
					))}
				</DataTable>
				<FormCard
					method="get"
					title={t('tree.asOf')}
					level={3}
					headingClassName="mb-3 text-lg font-semibold"
					className="card max-w-xl"
					submit={t('tree.asOf.submit')}
					secondary
					after={
						lookup ? (
							<p role="status" className={`mt-4 ${lookup.valid ? 'alert' : 'alert alert-error'}`}>
								{!lookup.valid || !lookup.result
									? t('tree.error.asOf')
									: lookup.result.state === 'not-yet'
										? t('tree.asOf.notYet', { date: formatIsoDay(lookup.date), founded: formatIsoDay(lookup.result.founded) })
										: lookup.result.state === 'closed'
											? t('tree.asOf.closed', { date: formatIsoDay(lookup.date), name: lookup.result.name, closed: formatIsoDay(lookup.result.closed) })
											: lookup.result.path.length
												? t('tree.asOf.open', { date: formatIsoDay(lookup.date), name: lookup.result.name, path: lookup.result.path.join(' › ') })
												: t('tree.asOf.openRoot', { date: formatIsoDay(lookup.date), name: lookup.result.name })}
							</p>
						) : null
					}
				>
					<InputField id="as-of" label={t('tree.asOf.date')} name="at" type="date" defaultValue={lookup?.date ?? dates.today} required className="mb-4" />
				</FormCard>
			</Section>
		</>
	)
}

/** The day a change takes effect: today by default, within the range the history allows. */
function ChangeDate({ id, label, hint, today, min, max }: { id: string; label: string; hint: string; today: string; min: string; max: string }) {
	return (
		<>
			<label htmlFor={id} className="label">
				{label}
			</label>
			<input id={id} name="at" type="date" defaultValue={today} min={min} max={max} required className="field" aria-describedby={`${id}-hint`} />
			<p id={`${id}-hint`} className="mb-4 mt-1 text-sm text-gray-700">
				{hint}
			</p>
		</>
	)
}

import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { UnitCreateFormSchema } from '#app/org/schema.ts'
import { canAdminister, childKinds, createUnit, getTree, isInSubtree } from '#app/org/tree.server.ts'
import { SelectField } from '#app/ui/fields.tsx'
import { Field, FormCard, Notice } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { grassrootsTypes } from '#app/youth/profile.server.ts'
import { GRASSROOTS_TYPES } from '#app/youth/schema.ts'
import { vnToday } from '#app/ui/dates.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('tree.title'))

const ROLES = ['MANAGER'] as const

// Indentation by depth as whole class names (the CSP forbids style attributes; Tailwind only sees literal names).
const INDENT = ['pl-0', 'pl-5', 'pl-10', 'pl-15', 'pl-20', 'pl-25', 'pl-30', 'pl-35', 'pl-40'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, grants } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const includeClosed = new URL(request.url).searchParams.get('closed') === '1'
	const nodes = await getTree(unit, { includeClosed })
	const types = await grassrootsTypes(nodes.filter((n) => n.kind === 'youth_grassroots').map((n) => n.id))
	return json({
		youthTree: unit.tree === 'YOUTH',
		unit: { id: unit.id, name: unit.name },
		nodes: nodes.map((n) => ({
			id: n.id,
			code: n.code,
			name: n.name,
			kind: n.kind,
			depth: n.depth - unit.depth,
			closed: n.validTo !== null && n.validTo <= new Date(),
			memberCount: n.memberCount,
			grassrootsType: types.get(n.id) ?? null,
			editable: canAdminister(grants, n.path),
			childKinds: n.validTo ? [] : childKinds({ tree: unit.tree, kind: n.kind }),
		})),
		today: vnToday(),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const t = translator(langFromRequest(request))
	// The type of a đoàn cơ sở (decision 016) is part of the schema: optional, ignored for other kinds.
	const submission = parseWithZod(await request.formData(), { schema: UnitCreateFormSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null }, { status: 400 })
	const { parentId, ...input } = submission.value
	// The parent must be inside this page's subtree as well as inside the actor's grants (checked by createUnit).
	const parentInPage = await isInSubtree(unit, parentId)
	const outcome = parentInPage ? await createUnit(parentId, input, { actorId: user.id, grants, request }) : ({ ok: false, error: 'forbidden' } as const)
	if (!outcome.ok) {
		const field = outcome.error === 'code-taken' ? 'code' : outcome.error === 'bad-kind' ? 'kind' : 'parentId'
		return json({ result: submission.reply({ fieldErrors: { [field]: [t(`tree.outcome.${outcome.error}`)] } }), notice: null }, { status: outcome.error === 'forbidden' ? 403 : 400 })
	}
	return json({ result: submission.reply({ resetForm: true }), notice: t('tree.created', { name: input.name }) })
}

export default function TreePage() {
	const t = useT()
	const { unit, nodes, today, youthTree } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [params] = useSearchParams()
	const [form, fields] = useForm<{ parentId: string; code: string; name: string; kind: string; validFrom: string; grassrootsType: string }>({
		id: 'unit-create',
		lastResult: data?.result,
		defaultValue: { validFrom: today },
	})
	const parents = nodes.filter((n) => !n.closed && n.childKinds.length)
	const kinds = [...new Set(parents.flatMap((n) => n.childKinds))]
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-2 text-2xl font-bold">{t('tree.title')}</h1>
			<p className="mb-4 flex flex-wrap gap-3">
				<Link to={`/org/${unit.id}/imports/tree`} className="btn btn-secondary">
					{t('tree.import')}
				</Link>
				<Link to={params.get('closed') === '1' ? '?' : '?closed=1'}>{params.get('closed') === '1' ? t('tree.hideClosed') : t('tree.showClosed')}</Link>
			</p>
			<Notice>{data?.notice}</Notice>
			<DataTable
				wrapperClassName="mb-8 overflow-x-auto"
				columns={[
					t('org.col.unit'),
					t('org.col.code'),
					t('tree.kind'),
					t('tree.members'),
					<span className="sr-only">{t('tree.actions')}</span>,
				]}
			>
				{nodes.map((n) => (
					<tr key={n.id}>
						<td>
							<span className={`inline-block ${INDENT[Math.min(n.depth, INDENT.length - 1)]}`}>
								<Link to={`/org/${n.id}`}>{n.name}</Link>
								{n.closed ? ` (${t('tree.closed')})` : null}
							</span>
						</td>
						<td>{n.code}</td>
						<td>
							{t(`kind.${n.kind}`)}
							{n.grassrootsType ? ` · ${t(`youth.invite.grassroots.${n.grassrootsType}`)}` : null}
						</td>
						<td>{n.memberCount}</td>
						<td>{n.editable ? <Link to={`/org/${unit.id}/tree/${n.id}`}>{t('tree.edit')}</Link> : null}</td>
					</tr>
				))}
			</DataTable>
			{parents.length ? (
				<Section id="create-heading" title={t('tree.create')}>
					<FormCard conform={form} intent="create" submit={t('tree.createSubmit')} className="card max-w-xl">
						<SelectField
							label={t('tree.parent')}
							meta={fields.parentId}
							placeholder={t('members.chooseUnit')}
							options={parents.map((n) => ({ value: n.id, label: `${'\u00a0\u00a0'.repeat(n.depth)}${n.name}` }))}
						/>
						<Field label={t('tree.code')} meta={fields.code} hint={t('tree.codeHint')} autoComplete="off" />
						<Field label={t('tree.name')} meta={fields.name} autoComplete="off" />
						<SelectField label={t('tree.kind')} meta={fields.kind} placeholder={t('tree.chooseKind')} options={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
						{youthTree ? (
							<SelectField
								label={t('youth.invite.grassroots.label')}
								meta={fields.grassrootsType}
								placeholder={t('youth.invite.grassroots.none')}
								options={GRASSROOTS_TYPES.map((g) => ({ value: g, label: t(`youth.invite.grassroots.${g}`) }))}
								hint={t('youth.invite.grassroots.hint')}
							/>
						) : null}
						<Field label={t('tree.validFrom')} meta={fields.validFrom} type="date" />
					</FormCard>
				</Section>
			) : null}
		</>
	)
}

import { getFormProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { UnitCreateFormSchema } from '#app/org/schema.ts'
import { canAdminister, childKinds, createUnit, getTree, isInSubtree } from '#app/org/tree.server.ts'
import { Field, FormErrors, Notice } from '#app/ui/form.tsx'
import { langFromRequest, useErrorText, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Breadcrumbs, Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { grassrootsTypes } from '#app/youth/profile.server.ts'
import { GRASSROOTS_TYPES } from '#app/youth/schema.ts'
import { vnToday } from '#app/ui/dates.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('tree.title'))

const ROLES = ['MANAGER'] as const

// Indentation by depth as whole class names (the CSP forbids style attributes; Tailwind only sees literal names).
const INDENT = ['pl-0', 'pl-5', 'pl-10', 'pl-15', 'pl-20', 'pl-25', 'pl-30', 'pl-35', 'pl-40'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, grants } = await requireOrgRole(request, Number(params.unitId), ROLES)
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
	const { user, unit, grants } = await requireOrgRole(request, Number(params.unitId), ROLES)
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
	const errorText = useErrorText()
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
			<Breadcrumbs crumbs={[{ to: `/org/${unit.id}`, label: unit.name }]} />
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
					<Form method="post" {...getFormProps(form)} className="card max-w-xl">
						<FormErrors id={form.errorId} errors={form.errors} />
						<input type="hidden" name="intent" value="create" />
						<div className="mb-4">
							<label htmlFor={fields.parentId.id} className="label">
								{t('tree.parent')}
							</label>
							<select {...getSelectProps(fields.parentId)} className="field">
								<option value="">{t('members.chooseUnit')}</option>
								{parents.map((n) => (
									<option key={n.id} value={n.id}>
										{'\u00a0\u00a0'.repeat(n.depth)}
										{n.name}
									</option>
								))}
							</select>
							{fields.parentId.errors?.length ? <p className="field-error">{errorText(fields.parentId.errors[0])}</p> : null}
						</div>
						<Field label={t('tree.code')} meta={fields.code} hint={t('tree.codeHint')} autoComplete="off" />
						<Field label={t('tree.name')} meta={fields.name} autoComplete="off" />
						<div className="mb-4">
							<label htmlFor={fields.kind.id} className="label">
								{t('tree.kind')}
							</label>
							<select {...getSelectProps(fields.kind)} className="field">
								<option value="">{t('tree.chooseKind')}</option>
								{kinds.map((k) => (
									<option key={k} value={k}>
										{t(`kind.${k}`)}
									</option>
								))}
							</select>
							{fields.kind.errors?.length ? <p className="field-error">{errorText(fields.kind.errors[0])}</p> : null}
						</div>
						{youthTree ? (
							<div className="mb-4">
								<label htmlFor={fields.grassrootsType.id} className="label">
									{t('youth.invite.grassroots.label')}
								</label>
								<select {...getSelectProps(fields.grassrootsType)} className="field" aria-describedby={`${fields.grassrootsType.id}-hint`}>
									<option value="">{t('youth.invite.grassroots.none')}</option>
									{GRASSROOTS_TYPES.map((g) => (
										<option key={g} value={g}>
											{t(`youth.invite.grassroots.${g}`)}
										</option>
									))}
								</select>
								<p id={`${fields.grassrootsType.id}-hint`} className="mt-1 text-sm text-gray-700">
									{t('youth.invite.grassroots.hint')}
								</p>
								{fields.grassrootsType.errors?.length ? <p className="field-error">{errorText(fields.grassrootsType.errors[0])}</p> : null}
							</div>
						) : null}
						<Field label={t('tree.validFrom')} meta={fields.validFrom} type="date" />
						<button type="submit" className="btn">
							{t('tree.createSubmit')}
						</button>
					</Form>
				</Section>
			) : null}
		</>
	)
}

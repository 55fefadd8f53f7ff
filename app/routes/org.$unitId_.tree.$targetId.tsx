import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { forbidden, notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { db } from '#app/db.server.ts'
import { UnitEditSchema } from '#app/org/schema.ts'
import { canAdminister, closeUnit, getTree, isInSubtree, moveUnit, PARENT_KINDS, renameUnit } from '#app/org/tree.server.ts'
import { langFromRequest, useErrorText, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.target.name ?? 'Đơn vị'} | Văn Minh Số` }]

const ROLES = ['MANAGER'] as const

function todayInVietnam() {
	return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10)
}

async function requireTarget(request: Request, params: LoaderFunctionArgs['params']) {
	const { user, unit, grants } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const targetId = Number(params.targetId)
	if (!Number.isSafeInteger(targetId) || !(await isInSubtree(unit, targetId))) notFound()
	const target = await db.orgUnit.findUniqueOrThrow({ where: { id: targetId } })
	if (!canAdminister(grants, target.path)) forbidden()
	return { user, unit, grants, target }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, target } = await requireTarget(request, params)
	// Possible new parents: open units of this page's subtree of a fitting kind, outside the unit's own subtree.
	const parents = (await getTree(unit))
		.filter((n) => PARENT_KINDS[target.kind].includes(n.kind) && !n.path.startsWith(target.path) && n.id !== target.parentId)
		.map((n) => ({ id: n.id, name: n.name }))
	return json({
		unit: { id: unit.id, name: unit.name },
		target: { id: target.id, name: target.name, code: target.code, kind: target.kind, closed: target.validTo !== null },
		parents,
		today: todayInVietnam(),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, grants, target } = await requireTarget(request, params)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: UnitEditSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null }, { status: 400 })
	const actor = { actorId: user.id, grants, request }
	const v = submission.value
	const outcome =
		v.intent === 'rename'
			? await renameUnit(target.id, { name: v.name, at: v.at }, actor)
			: v.intent === 'move'
				? await moveUnit(target.id, { parentId: v.parentId, at: v.at }, actor)
				: await closeUnit(target.id, { at: v.at }, actor)
	if (!outcome.ok) return json({ result: submission.reply({ formErrors: [t(`tree.outcome.${outcome.error}`)] }), notice: null }, { status: outcome.error === 'forbidden' ? 403 : 400 })
	return json({ result: submission.reply(), notice: t(`tree.done.${v.intent}`) })
}

export default function UnitEditPage() {
	const t = useT()
	const errorText = useErrorText()
	const { unit, target, parents, today } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const errors = data?.result && 'error' in data.result ? (data.result.error ?? {}) : {}
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link> › <Link to={`/org/${unit.id}/tree`}>{t('tree.title')}</Link>
			</p>
			<h1 className="mb-1 text-2xl font-bold">{target.name}</h1>
			<p className="mb-4 text-gray-700">
				{t('org.col.code')}: {target.code} · {t(`kind.${target.kind}`)}
				{target.closed ? ` · ${t('tree.closed')}` : null}
			</p>
			{data?.notice ? (
				<p role="status" className="alert alert-success mb-4">
					{data.notice}
				</p>
			) : null}
			{Object.entries(errors).length ? (
				<div role="alert" className="alert alert-error mb-4">
					{Object.values(errors)
						.flat()
						.map((e) => (
							<p key={String(e)}>{errorText(String(e))}</p>
						))}
				</div>
			) : null}
			{target.closed ? null : (
				<div className="grid gap-6 lg:grid-cols-3">
					<Form method="post" className="card">
						<h2 className="mb-3 text-xl font-semibold">{t('tree.rename')}</h2>
						<input type="hidden" name="intent" value="rename" />
						<label htmlFor="name" className="label">
							{t('tree.name')}
						</label>
						<input id="name" name="name" defaultValue={target.name} className="field mb-4" required />
						<label htmlFor="rename-at" className="label">
							{t('roster.effectiveAt')}
						</label>
						<input id="rename-at" name="at" type="date" defaultValue={today} className="field mb-4" />
						<button type="submit" className="btn">
							{t('tree.renameSubmit')}
						</button>
					</Form>
					<Form method="post" className="card">
						<h2 className="mb-3 text-xl font-semibold">{t('tree.move')}</h2>
						<input type="hidden" name="intent" value="move" />
						<label htmlFor="parentId" className="label">
							{t('tree.newParent')}
						</label>
						<select id="parentId" name="parentId" className="field mb-4" defaultValue="">
							<option value="">{t('members.chooseUnit')}</option>
							{parents.map((p) => (
								<option key={p.id} value={p.id}>
									{p.name}
								</option>
							))}
						</select>
						<label htmlFor="move-at" className="label">
							{t('roster.effectiveAt')}
						</label>
						<input id="move-at" name="at" type="date" defaultValue={today} className="field mb-4" />
						<button type="submit" className="btn btn-secondary">
							{t('tree.moveSubmit')}
						</button>
					</Form>
					<Form method="post" className="card">
						<h2 className="mb-3 text-xl font-semibold">{t('tree.close')}</h2>
						<p className="mb-3 text-sm">{t('tree.closeHint')}</p>
						<input type="hidden" name="intent" value="close" />
						<label htmlFor="close-at" className="label">
							{t('tree.closeAt')}
						</label>
						<input id="close-at" name="at" type="date" defaultValue={today} className="field mb-4" />
						<button type="submit" className="btn btn-secondary">
							{t('tree.closeSubmit')}
						</button>
					</Form>
				</div>
			)}
		</>
	)
}

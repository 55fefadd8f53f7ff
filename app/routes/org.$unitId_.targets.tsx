import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { listAssignmentsForUnit } from '#app/learning/assignments.server.ts'
import { tagsInUse } from '#app/org/members.server.ts'
import { TAGS } from '#app/org/tags.ts'
import { setTargetTags, targetSummary } from '#app/org/targets.server.ts'
import { langFromRequest, useLang, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { tagLabel } from '#app/ui/labels.ts'

export const meta: MetaFunction = () => [{ title: 'Chỉ tiêu | Văn Minh Số' }]

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

const TargetsSchema = z.object({
	tags: z.array(z.string().regex(/^[a-z0-9-]{1,40}$/)).max(20),
	subtree: z.boolean(),
})

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const [summary, inUse, assignments] = await Promise.all([targetSummary(unit), tagsInUse(unit), listAssignmentsForUnit(unit)])
	return json({
		unit: { id: unit.id, name: unit.name, targetTags: unit.targetTags },
		summary,
		tags: [...new Set([...TAGS, ...inUse, ...unit.targetTags])],
		assignments: assignments.filter((a) => !a.closedAt),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const form = await request.formData()
	const parsed = TargetsSchema.safeParse({ tags: form.getAll('tags').map(String), subtree: form.get('subtree') === 'on' })
	const t = translator(langFromRequest(request))
	if (!parsed.success) return json({ notice: null, error: t('members.error.tag') }, { status: 400 })
	const outcome = await setTargetTags(unit, parsed.data, { actorId: user.id, request })
	return json({ notice: t('targets.saved', { units: outcome.units }), error: null })
}

export default function TargetsPage() {
	const t = useT()
	const lang = useLang()
	const { unit, summary, tags, assignments } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link>
			</p>
			<h1 className="mb-2 text-2xl font-bold">{t('targets.title')}</h1>
			<p role="status" className="mb-4">
				{data?.notice ? `${data.notice} ` : null}
				{t('targets.summary', { counted: summary.counted, members: summary.members })}
			</p>
			{data?.error ? (
				<p role="alert" className="alert alert-error mb-4">
					{data.error}
				</p>
			) : null}
			<Form method="post" className="card mb-8 max-w-xl">
				<fieldset className="mb-4">
					<legend className="label">{t('targets.rule')}</legend>
					<p className="mb-2 text-sm text-gray-700">{t('targets.ruleHint')}</p>
					{tags.map((tag) => (
						<label key={tag} className="flex min-h-11 items-center gap-2">
							<input type="checkbox" name="tags" value={tag} defaultChecked={unit.targetTags.includes(tag)} className="h-5 w-5" />
							{tagLabel(t, tag)}
						</label>
					))}
				</fieldset>
				<label className="mb-4 flex min-h-11 items-center gap-2">
					<input type="checkbox" name="subtree" className="h-5 w-5" />
					{t('targets.subtree')}
				</label>
				<button type="submit" className="btn">
					{t('targets.save')}
				</button>
			</Form>
			<section aria-labelledby="denominators-heading">
				<h2 id="denominators-heading" className="mb-2 text-xl font-semibold">
					{t('targets.courses')}
				</h2>
				{assignments.length ? (
					<div className="overflow-x-auto">
						<table className="table bg-white">
							<thead>
								<tr>
									<th scope="col">{t('assign.course')}</th>
									<th scope="col">{t('assign.tag')}</th>
									<th scope="col">{t('assign.due')}</th>
									<th scope="col">{t('targets.denominator')}</th>
								</tr>
							</thead>
							<tbody>
								{assignments.map((a) => (
									<tr key={a.id}>
										<td>{a.courseTitle}</td>
										<td>{a.audienceTag ? tagLabel(t, a.audienceTag) : t('assign.everyone')}</td>
										<td>{new Date(a.dueAt).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })}</td>
										<td>{a.required}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				) : (
					<p>{t('assign.none')}</p>
				)}
			</section>
		</>
	)
}

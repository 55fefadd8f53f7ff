import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { listAssignmentsForUnit } from '#app/learning/assignments.server.ts'
import { tagsInUse } from '#app/org/members.server.ts'
import { TargetsSchema } from '#app/org/schema.ts'
import { TAGS } from '#app/org/tags.ts'
import { setTargetTags, targetSummary } from '#app/org/targets.server.ts'
import { CheckboxGroup } from '#app/ui/fields.tsx'
import { FormErrors, replyErrors } from '#app/ui/form.tsx'
import { formatVnDate } from '#app/ui/dates.ts'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { tagLabel } from '#app/ui/labels.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('targets.manage'))

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const [summary, inUse, assignments] = await Promise.all([targetSummary(unit), tagsInUse(unit), listAssignmentsForUnit(unit)])
	return json({
		unit: { id: unit.id, name: unit.name, targetTags: unit.targetTags },
		summary,
		tags: [...new Set([...TAGS, ...inUse, ...unit.targetTags])],
		assignments: assignments.filter((a) => !a.closedAt),
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const submission = parseWithZod(await request.formData(), { schema: TargetsSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), notice: null }, { status: 400 })
	const t = translator(langFromRequest(request))
	const outcome = await setTargetTags(unit, submission.value, { actorId: user.id, request })
	return json({ result: submission.reply(), notice: t('targets.saved', { units: outcome.units }) })
}

export default function TargetsPage() {
	const t = useT()
	const { unit, summary, tags, assignments } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-2 text-2xl font-bold">{t('targets.title')}</h1>
			<p role="status" className="mb-4">
				{data?.notice ? `${data.notice} ` : null}
				{t('targets.summary', { counted: summary.counted, members: summary.members })}
			</p>
			<FormErrors id="targets-errors" errors={replyErrors(data?.result)} />
			<Form method="post" className="card mb-8 max-w-xl">
				<CheckboxGroup
					legend={t('targets.rule')}
					hint={t('targets.ruleHint')}
					name="tags"
					options={tags.map((tag) => ({ value: tag, label: tagLabel(t, tag) }))}
					checked={(tag) => unit.targetTags.includes(tag)}
				/>
				<label className="mb-4 flex min-h-11 items-center gap-2">
					<input type="checkbox" name="subtree" className="h-5 w-5" />
					{t('targets.subtree')}
				</label>
				<button type="submit" className="btn">
					{t('targets.save')}
				</button>
			</Form>
			<Section id="denominators-heading" title={t('targets.courses')}>
				{assignments.length ? (
					<DataTable columns={[t('assign.course'), t('assign.tag'), t('assign.due'), t('targets.denominator')]}>
						{assignments.map((a) => (
							<tr key={a.id}>
								<td>{a.courseTitle}</td>
								<td>{a.audienceTag ? tagLabel(t, a.audienceTag) : t('assign.everyone')}</td>
								<td>{formatVnDate(a.dueAt)}</td>
								<td>{a.required}</td>
							</tr>
						))}
					</DataTable>
				) : (
					<p>{t('assign.none')}</p>
				)}
			</Section>
		</>
	)
}

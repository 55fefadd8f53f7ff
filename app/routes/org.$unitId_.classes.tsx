// The education tree for its managers: an education office's schools by level, a school's classes by school year.
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { createClass, createSchool, currentSchoolYear, listClasses, listSchools, SCHOOL_LEVELS } from '#app/classes/classes.server.ts'
import { EduCreateSchema } from '#app/classes/schema.ts'
import { normalizeName } from '#app/ui/collation.ts'
import { InputField, SelectField } from '#app/ui/fields.tsx'
import { FormCard, FormErrors, replyErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('edu.title'))

const ROLES = ['MANAGER'] as const

// The two create forms sit under their lists, with a smaller heading than the page's sections.
const NEW_FORM = { className: 'card max-w-xl', level: 3, headingClassName: 'mb-2 font-semibold' } as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	if (unit.tree !== 'EDU') notFound()
	if (unit.kind === 'class') throw redirect(`/teach/${unit.id}`)
	const year = currentSchoolYear()
	return json({
		unit: { id: unit.id, name: unit.name, kind: unit.kind },
		schools: unit.kind === 'school' ? [] : await listSchools(unit),
		classes: unit.kind === 'school' ? await listClasses(unit) : [],
		years: [year - 1, year, year + 1],
		levels: SCHOOL_LEVELS,
		year,
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	if (unit.tree !== 'EDU') notFound()
	const submission = parseWithZod(await request.formData(), { schema: EduCreateSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), ok: false }, { status: 400 })
	const value = submission.value
	const actor = { actorId: user.id, request }
	const outcome =
		value.intent === 'school'
			? await createSchool(unit, { code: value.code, name: normalizeName(value.name), level: value.level }, actor)
			: await createClass(unit, { name: value.name.toUpperCase(), schoolYear: value.schoolYear }, actor)
	if (!outcome.ok) {
		const reply = outcome.error === 'code-taken' ? submission.reply({ fieldErrors: { code: ['edu.error.codeTaken'] } }) : submission.reply({ formErrors: ['edu.error.parent'] })
		return json({ result: reply, ok: false }, { status: 400 })
	}
	return json({ result: submission.reply({ resetForm: true }), ok: true })
}

export default function EduUnitPage() {
	const t = useT()
	const { unit, schools, classes, years, year, levels } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-2 text-2xl font-bold">{t('edu.title')}</h1>
			<p className="mb-4 max-w-2xl">{t('edu.intro')}</p>
			<p className="mb-6 flex flex-wrap gap-3">
				<Link to={`/org/${unit.id}/classes/import`} className="btn">
					{t('edu.import')}
				</Link>
				<Link to={`/org/${unit.id}/school-results`} className="btn btn-secondary">
					{t('edu.results')}
				</Link>
			</p>
			{data && !data.ok ? (
				<FormErrors id="edu-errors" errors={replyErrors(data.result)} />
			) : data?.ok ? (
				<p role="status" className="alert alert-success mb-4">
					{t('edu.created')}
				</p>
			) : null}
			{unit.kind === 'school' ? (
				<Section id="classes-heading" title={t('edu.classes')} className="mb-8">
					{classes.length ? (
						<DataTable className="table mb-4 bg-white" columns={[t('edu.col.name'), t('edu.col.year'), t('edu.col.students')]}>
							{classes.map((c) => (
								<tr key={c.id}>
									<td>
										<Link to={`/teach/${c.id}`}>{c.name}</Link>
									</td>
									<td>{c.schoolYear ? `${c.schoolYear}–${c.schoolYear + 1}` : ''}</td>
									<td>{c.students}</td>
								</tr>
							))}
						</DataTable>
					) : (
						<p className="mb-4">{t('edu.noClasses')}</p>
					)}
					<FormCard title={t('edu.newClass')} intent="class" submit={t('edu.create')} {...NEW_FORM}>
						<InputField id="class-name" label={t('edu.className')} name="name" required maxLength={12} className="mb-3" />
						<SelectField
							label={t('edu.schoolYear')}
							plain={{ id: 'class-year', name: 'schoolYear', defaultValue: year }}
							options={years.map((y) => ({ value: y, label: `${y}–${y + 1}` }))}
						/>
					</FormCard>
				</Section>
			) : (
				<Section id="schools-heading" title={t('edu.schools')} className="mb-8">
					{schools.length ? (
						<DataTable className="table mb-4 bg-white" columns={[t('edu.col.name'), t('edu.col.code'), t('edu.col.level'), t('edu.col.classes'), t('edu.col.students')]}>
							{schools.map((s) => (
								<tr key={s.id}>
									<td>
										<Link to={`/org/${s.id}/classes`}>{s.name}</Link>
									</td>
									<td>{s.code}</td>
									<td>{t(s.level ? `edu.level.${s.level}` : 'edu.level.none')}</td>
									<td>{s.classes}</td>
									<td>{s.students}</td>
								</tr>
							))}
						</DataTable>
					) : (
						<p className="mb-4">{t('edu.noSchools')}</p>
					)}
					{unit.kind === 'education_office' ? (
						<FormCard title={t('edu.newSchool')} intent="school" submit={t('edu.create')} {...NEW_FORM}>
							<InputField id="school-code" label={t('edu.schoolCode')} name="code" required maxLength={30} className="mb-3" />
							<InputField id="school-name" label={t('edu.schoolName')} name="name" required maxLength={200} className="mb-3" />
							<SelectField label={t('edu.level')} plain={{ id: 'school-level', name: 'level' }} options={levels.map((l) => ({ value: l, label: t(`edu.level.${l}`) }))} />
						</FormCard>
					) : null}
				</Section>
			)}
		</>
	)
}

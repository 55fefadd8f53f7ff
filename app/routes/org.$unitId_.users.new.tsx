import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { NewUserSchema } from '#app/org/schema.ts'
import { TAGS } from '#app/org/tags.ts'
import { createUserInUnit } from '#app/org/users.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { Field, FormErrors } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { tagLabel } from '#app/ui/labels.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.newUser'))

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	return json({ unit: { id: unit.id, name: unit.name } })
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const submission = parseWithZod(await request.formData(), { schema: NewUserSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), created: null }, { status: 400 })
	const t = translator(langFromRequest(request))
	const clash = (field: 'username' | 'email') =>
		json(
			{
				result: submission.reply({
					fieldErrors: { [field]: [t(field === 'username' ? 'org.newUser.usernameTaken' : 'org.newUser.emailTaken')] },
				}),
				created: null,
			},
			{ status: 409 },
		)
	const outcome = await createUserInUnit(submission.value, unit.id, user.id, request)
	if (!outcome.ok) return clash(outcome.field)
	return json({
		result: submission.reply({ resetForm: true }),
		created: { fullName: outcome.fullName, username: submission.value.username, code: outcome.code, expiresAt: outcome.expiresAt.toISOString() },
	})
}

export default function NewUserPage() {
	const t = useT()
	const { unit } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm<{ fullName: string; username: string; email?: string; title?: string; tags?: Array<string> }>({ id: 'new-user', lastResult: data?.result, shouldRevalidate: 'onInput' })
	const created = data?.created
	return (
		<div className="max-w-xl">
			<p className="no-print mb-1 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link>
			</p>
			<h1 className="mb-2 text-2xl font-bold">{t('org.newUser')}</h1>
			{created ? (
				<section className="card mb-6 border-2 border-brand-700" aria-live="polite">
					<p className="mb-2 font-semibold">{t('org.newUser.created', { name: created.fullName })}</p>
					<p>
						{t('account.username')}: <strong>{created.username}</strong>
					</p>
					<p>
						{t('org.newUser.codeLabel', { date: formatVnDate(created.expiresAt) })}:{' '}
						<strong className="font-mono text-xl" data-testid="activation-code">
							{created.code}
						</strong>
					</p>
					<p className="mt-2 text-sm">{t('activate.intro')}</p>
				</section>
			) : null}
			<p className="no-print mb-4">{t('org.newUser.intro')}</p>
			<Form method="post" {...getFormProps(form)} className="card no-print">
				<FormErrors id={form.errorId} errors={form.errors} />
				<Field label={t('org.newUser.fullName')} meta={fields.fullName} autoComplete="off" />
				<Field label={t('org.newUser.username')} meta={fields.username} autoComplete="off" />
				<Field label={t('org.newUser.email')} meta={fields.email} type="email" autoComplete="off" />
				<Field label={t('org.newUser.title')} meta={fields.title} autoComplete="off" />
				<fieldset className="mb-4">
					<legend className="label">{t('org.newUser.tags')}</legend>
					{TAGS.map((tag) => (
						<label key={tag} className="flex min-h-11 items-center gap-2">
							<input {...getInputProps(fields.tags, { type: 'checkbox', value: tag })} key={tag} className="h-5 w-5" />
							{tagLabel(t, tag)}
						</label>
					))}
				</fieldset>
				<button type="submit" className="btn">
					{t('org.newUser.submit')}
				</button>
			</Form>
		</div>
	)
}

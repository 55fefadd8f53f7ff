import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { NewUserSchema } from '#app/org/schema.ts'
import { TAGS } from '#app/org/tags.ts'
import { createUserInUnit } from '#app/org/users.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { CheckboxGroup } from '#app/ui/fields.tsx'
import { Field, FormCard } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { tagLabel } from '#app/ui/labels.ts'
import { pageTitle } from '#app/ui/meta.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.newUser'))

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	return json({ unit: { id: unit.id, name: unit.name } })
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
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
			<FormCard conform={form} submit={t('org.newUser.submit')} className="card no-print">
				<Field label={t('org.newUser.fullName')} meta={fields.fullName} autoComplete="off" />
				<Field label={t('org.newUser.username')} meta={fields.username} autoComplete="off" />
				<Field label={t('org.newUser.email')} meta={fields.email} type="email" autoComplete="off" />
				<Field label={t('org.newUser.title')} meta={fields.title} autoComplete="off" />
				<CheckboxGroup legend={t('org.newUser.tags')} meta={fields.tags} options={TAGS.map((tag) => ({ value: tag, label: tagLabel(t, tag) }))} />
			</FormCard>
		</div>
	)
}

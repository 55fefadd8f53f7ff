import { type z } from 'zod'
import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { changePassword, getProfile } from '#app/auth/account.server.ts'
import { ChangePasswordSchema } from '#app/auth/schema.ts'
import { getSession, requireUser } from '#app/auth/session.server.ts'
import { Field, FormCard } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Facts, Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('account.title'))

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const profile = await getProfile(user.id)
	return json({ profile })
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const submission = parseWithZod(await request.formData(), { schema: ChangePasswordSchema })
	const hide = { hideFields: ['current', 'password', 'confirm'] }
	if (submission.status !== 'success') return json({ result: submission.reply(hide), changed: false }, { status: 400 })
	const t = translator(langFromRequest(request))
	const session = await getSession(request)
	const { current, password } = submission.value
	if (!(await changePassword({ userId: user.id, current, password, keepSessionId: session?.sessionId ?? null, request }))) {
		return json(
			{ result: submission.reply({ ...hide, fieldErrors: { current: [t('account.wrongCurrent')] } }), changed: false },
			{ status: 400 },
		)
	}
	return json({ result: submission.reply({ resetForm: true }), changed: true })
}

export default function AccountPage() {
	const t = useT()
	const { profile } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof ChangePasswordSchema>>({ id: 'change-password', lastResult: data?.result, shouldRevalidate: 'onInput' })
	return (
		<div className="max-w-xl">
			<h1 className="mb-4 text-2xl font-bold">{t('account.title')}</h1>
			<Section id="profile-heading" title={t('account.profile')} className="card mb-6" headingClassName="mb-2 text-lg font-semibold">
				<Facts
					facts={[
						{ term: t('account.fullName'), value: profile.fullName },
						{ term: t('account.username'), value: profile.username },
						{ term: t('account.email'), value: profile.email },
					]}
				/>
			</Section>
			<Section id="password-heading" title={t('account.changePassword')} headingClassName="mb-2 text-lg font-semibold">
				{data?.changed ? (
					<p role="status" className="alert alert-success mb-4">
						{t('account.changed')}
					</p>
				) : null}
				<FormCard conform={form} submit={t('account.submit')}>
					<Field label={t('account.current')} meta={fields.current} type="password" autoComplete="current-password" />
					<Field label={t('account.new')} meta={fields.password} type="password" autoComplete="new-password" />
					<Field label={t('account.confirm')} meta={fields.confirm} type="password" autoComplete="new-password" />
				</FormCard>
			</Section>
		</div>
	)
}

import { type z } from 'zod'
import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { useActionData } from '@remix-run/react'
import { activateAccount } from '#app/auth/activation.server.ts'
import { clientIp, hit, LOGIN_LIMITS } from '#app/auth/rate-limit.server.ts'
import { ActivateSchema } from '#app/auth/schema.ts'
import { requireAnonymous, startSession } from '#app/auth/session.server.ts'
import { recordTrace, withDeviceCookie } from '#app/integrity/traces.server.ts'
import { Field, FormCard } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('activate.title'))

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return json({})
}

export async function action({ request }: ActionFunctionArgs) {
	const submission = parseWithZod(await request.formData(), { schema: ActivateSchema })
	if (submission.status !== 'success') {
		return json(submission.reply({ hideFields: ['password', 'confirm'] }), { status: 400 })
	}
	const t = translator(langFromRequest(request))
	// Codes are guessable only by brute force: every attempt counts against the address.
	const limit = await hit(LOGIN_LIMITS.activationPerIp(clientIp(request)))
	if (limit.blocked) {
		return json(
			submission.reply({
				formErrors: [t('login.rateLimited', { minutes: Math.ceil(limit.retryAfterSeconds / 60) })],
				hideFields: ['password', 'confirm'],
			}),
			{ status: 429 },
		)
	}
	const { identifier, code, password } = submission.value
	const userId = await activateAccount(identifier, code, password)
	if (!userId) {
		return json(submission.reply({ formErrors: [t('activate.invalid')], hideFields: ['password', 'confirm'] }), {
			status: 400,
		})
	}
	// Activating signs the person in: a login for the signals of proxy completion, like the login page's (decision 025).
	const device = await recordTrace(request, { userId, kind: 'LOGIN' })
	return redirect('/?welcome=1', { headers: withDeviceCookie(device, { 'Set-Cookie': await startSession(userId) }) })
}

export default function ActivatePage() {
	const t = useT()
	const lastResult = useActionData<typeof action>()
	const [form, fields] = useForm<z.input<typeof ActivateSchema>>({ id: 'activate', lastResult, shouldRevalidate: 'onInput' })
	return (
		<div className="mx-auto max-w-md">
			<h1 className="mb-2 text-2xl font-bold">{t('activate.title')}</h1>
			<p className="mb-4">{t('activate.intro')}</p>
			<FormCard conform={form} submit={t('activate.submit')} buttonClassName="btn w-full">
				<Field label={t('login.identifier')} meta={fields.identifier} autoComplete="username" />
				<Field label={t('activate.code')} meta={fields.code} autoComplete="one-time-code" />
				<Field label={t('activate.password')} meta={fields.password} type="password" autoComplete="new-password" />
				<Field label={t('activate.confirm')} meta={fields.confirm} type="password" autoComplete="new-password" />
			</FormCard>
		</div>
	)
}

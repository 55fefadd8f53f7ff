import { type z } from 'zod'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { authenticate } from '#app/auth/login.server.ts'
import { LoginSchema, safeRedirect } from '#app/auth/schema.ts'
import { requireAnonymous } from '#app/auth/session.server.ts'
import { recordTrace, withDeviceCookie } from '#app/integrity/traces.server.ts'
import { pageTitle } from '#app/ui/meta.ts'
import { joinStatusOf } from '#app/youth/join.server.ts'
import { Field, FormErrors } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('login.title'))

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return json({})
}

export async function action({ request }: ActionFunctionArgs) {
	const submission = parseWithZod(await request.formData(), { schema: LoginSchema })
	if (submission.status !== 'success') {
		return json(submission.reply({ hideFields: ['password'] }), { status: 400 })
	}
	const t = translator(langFromRequest(request))
	const result = await authenticate(request, submission.value.identifier, submission.value.password, joinStatusOf)
	if (!result.ok) {
		const message =
			result.reason === 'rate-limited'
				? t('login.rateLimited', { minutes: Math.ceil(result.retryAfterSeconds / 60) })
				: t(
						result.reason === 'disabled'
							? 'login.disabled'
							: result.reason === 'pending-approval'
								? 'youth.join.login.pending'
								: result.reason === 'join-rejected'
									? 'youth.join.login.rejected'
									: 'login.invalid',
					)
		return json(submission.reply({ formErrors: [message], hideFields: ['password'] }), {
			status: result.reason === 'rate-limited' ? 429 : result.reason === 'pending-approval' || result.reason === 'join-rejected' ? 403 : 401,
			headers: result.reason === 'rate-limited' ? { 'Retry-After': String(result.retryAfterSeconds) } : undefined,
		})
	}
	const device = await recordTrace(request, { userId: result.userId, kind: 'LOGIN' })
	return redirect(safeRedirect(submission.value.redirectTo), { headers: withDeviceCookie(device, { 'Set-Cookie': result.setCookie }) })
}

export default function LoginPage() {
	const t = useT()
	const lastResult = useActionData<typeof action>()
	const [searchParams] = useSearchParams()
	const [form, fields] = useForm<z.input<typeof LoginSchema>>({ id: 'login', lastResult, shouldRevalidate: 'onInput' })
	return (
		<div className="mx-auto max-w-md">
			<h1 className="mb-4 text-2xl font-bold">{t('login.title')}</h1>
			{searchParams.get('loggedOut') ? (
				<p role="status" className="alert alert-success mb-4">
					{t('login.loggedOut')}
				</p>
			) : null}
			<Form method="post" {...getFormProps(form)} className="card">
				<FormErrors id={form.errorId} errors={form.errors} />
				<input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
				<Field label={t('login.identifier')} meta={fields.identifier} autoComplete="username" />
				<Field label={t('login.password')} meta={fields.password} type="password" autoComplete="current-password" />
				<button type="submit" className="btn w-full">
					{t('login.submit')}
				</button>
			</Form>
			<p className="mt-4">
				<Link to="/activate">{t('login.activateLink')}</Link>
			</p>
		</div>
	)
}

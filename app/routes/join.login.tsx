// Students log in with the username and PIN on their login card (the card's QR code opens this page with the
// username filled in). Large fields and buttons: children type on phones.
import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { safeRedirect } from '#app/auth/schema.ts'
import { getUser } from '#app/auth/session.server.ts'
import { recordTrace, withDeviceCookie } from '#app/integrity/traces.server.ts'
import { pinLogin } from '#app/classes/pins.server.ts'
import { PinLoginSchema } from '#app/classes/schema.ts'
import { FieldErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('pin.title'))

export async function loader({ request }: LoaderFunctionArgs) {
	const url = new URL(request.url)
	const redirectTo = safeRedirect(url.searchParams.get('redirectTo'), '/join')
	if (await getUser(request)) throw redirect(redirectTo)
	return json({ username: (url.searchParams.get('u') ?? '').slice(0, 80), redirectTo })
}

export async function action({ request }: ActionFunctionArgs) {
	const submission = parseWithZod(await request.formData(), { schema: PinLoginSchema })
	const hide = { hideFields: ['pin'] }
	if (submission.status !== 'success') return json({ result: submission.reply(hide), error: null, minutes: 0 }, { status: 400 })
	const { username, pin, redirectTo } = submission.value
	const result = await pinLogin(request, username, pin)
	if (!result.ok) {
		if (result.reason === 'rate-limited') return json({ result: submission.reply(hide), error: 'pin.error.rateLimited' as const, minutes: Math.ceil(result.retryAfterSeconds / 60) }, { status: 429 })
		return json({ result: submission.reply(hide), error: 'pin.error.invalid' as const, minutes: 0 }, { status: 401 })
	}
	const device = await recordTrace(request, { userId: result.userId, kind: 'LOGIN' })
	return redirect(safeRedirect(redirectTo, '/join'), { headers: withDeviceCookie(device, { 'Set-Cookie': result.setCookie }) })
}

export default function PinLoginPage() {
	const t = useT()
	const { username, redirectTo } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm({ id: 'pin-login', lastResult: data?.result })
	return (
		<div className="mx-auto max-w-md">
			<h1 className="mb-2 text-3xl font-bold">{t('pin.title')}</h1>
			<p className="mb-4 text-lg">{t('pin.intro')}</p>
			{data?.error ? (
				<p role="alert" className="alert alert-error mb-4 text-lg">
					{t(data.error, { minutes: data.minutes })}
				</p>
			) : null}
			<Form method="post" id={form.id} noValidate={form.noValidate} className="card" reloadDocument>
				<input type="hidden" name="redirectTo" value={redirectTo} />
				<label htmlFor="pin-username" className="label text-lg">
					{t('pin.username')}
				</label>
				<input id="pin-username" name="username" defaultValue={username} autoComplete="username" autoCapitalize="none" spellCheck={false} required aria-invalid={fields.username.errors ? true : undefined} aria-describedby={fields.username.errors ? fields.username.errorId : undefined} className="field mb-4 min-h-14 text-xl" />
				<FieldErrors id={fields.username.errorId} errors={fields.username.errors} />
				<label htmlFor="pin-pin" className="label text-lg">
					{t('pin.pin')}
				</label>
				<input id="pin-pin" name="pin" type="password" inputMode="numeric" autoComplete="current-password" required autoFocus={!!username} aria-invalid={fields.pin.errors ? true : undefined} aria-describedby={fields.pin.errors ? fields.pin.errorId : undefined} className="field mb-6 min-h-14 text-2xl tracking-widest" />
				<FieldErrors id={fields.pin.errorId} errors={fields.pin.errors} />
				<button type="submit" className="btn min-h-14 w-full text-xl">
					{t('pin.submit')}
				</button>
			</Form>
			<p className="mt-6 text-sm">
				<Link to="/login">{t('pin.staff')}</Link>
			</p>
		</div>
	)
}

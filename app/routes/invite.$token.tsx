// The public page behind a youth invite link or QR code (decision 016): register a new account, or, signed in, ask to
// join with the account one has. Made for phones; works without JavaScript.
import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react'
import { getUser } from '#app/auth/session.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { Field, FormCard } from '#app/ui/form.tsx'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { publicInvite } from '#app/youth/invites.server.ts'
import { linkWithInvite, registerWithInvite, type JoinError } from '#app/youth/join.server.ts'
import { InviteJoinSchema } from '#app/youth/schema.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: `${data?.invite ? `Tham gia ${data.invite.unit.name}` : 'Liên kết mời'} | Văn Minh Số` },
	// The token is a secret of the unit: kept out of search engines. (Other sites get only our origin as referrer,
	// by the site-wide policy; `no-referrer` here would make form posts send `Origin: null`, refused as CSRF.)
	{ name: 'robots', content: 'noindex' },
]

/** dd/mm/yyyy of the instant in Vietnam. */
function vnDate(d: Date) {
	return formatVnDate(d)
}

// Both forms of the page: a heading as the page's sections have, a tall full-width button for a phone.
const JOIN_FORM = { headingClassName: 'mb-2 text-xl font-semibold', buttonClassName: 'btn min-h-12 w-full' }

const KNOWN_CONTACT = new Set<JoinError>(['account-exists', 'already-member', 'already-pending', 'rejected'])

function statusOf(error: JoinError) {
	if (error === 'unknown') return 404
	if (error === 'rate-limited') return 429
	if (error === 'expired' || error === 'exhausted' || error === 'revoked' || error === 'unit-closed') return 410
	return 409
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const [invite, user] = await Promise.all([publicInvite(String(params.token)), getUser(request)])
	const headers = { 'Cache-Control': 'no-store' }
	if (!invite) return json({ invite: null, state: 'unknown' as const, signedIn: null }, { status: 404, headers })
	return json(
		{
			invite: { unit: invite.unit, expiresOn: vnDate(invite.expiresAt) },
			state: invite.state,
			signedIn: user ? { name: user.fullName } : null,
		},
		{ status: invite.state === 'ok' ? 200 : 410, headers },
	)
}

export async function action({ request, params }: ActionFunctionArgs) {
	const token = String(params.token)
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: InviteJoinSchema })
	const invite = await publicInvite(token)
	const unit = invite?.unit.name ?? ''
	if (submission.payload.intent === 'link') {
		const user = await getUser(request)
		if (!user || submission.status !== 'success') return json({ sent: null, result: submission.reply({ formErrors: [t('youth.join.signInToLink')] }) }, { status: 401 })
		const outcome = await linkWithInvite(request, token, user.id)
		if (!outcome.ok) return json({ sent: null, result: submission.reply({ formErrors: [t(`youth.join.error.${outcome.error}`, { unit, minutes: 15 })] }) }, { status: statusOf(outcome.error) })
		return json({ sent: { kind: 'linked' as const, identifier: '', unit }, result: null })
	}
	if (submission.status !== 'success' || submission.value.intent !== 'register') return json({ sent: null, result: submission.reply({ hideFields: ['password', 'confirm'] }) }, { status: 400 })
	const outcome = await registerWithInvite(request, token, submission.value)
	const sent = { sent: { kind: 'new' as const, identifier: submission.value.phone ?? submission.value.email ?? '', unit }, result: null }
	// A phone or e-mail that already has an account gets the very answer a new one gets (issue 16): the form must not
	// tell a stranger who is registered. Nothing was written and no use of the invite was taken; the page says what
	// an existing account holder should do.
	if (!outcome.ok && KNOWN_CONTACT.has(outcome.error)) return json(sent)
	if (!outcome.ok) {
		const minutes = Math.ceil((outcome.retryAfterSeconds ?? 60) / 60)
		return json(
			{ sent: null, result: submission.reply({ formErrors: [t(`youth.join.error.${outcome.error}`, { unit, minutes })], hideFields: ['password', 'confirm'] }) },
			{ status: statusOf(outcome.error), headers: outcome.retryAfterSeconds ? { 'Retry-After': String(outcome.retryAfterSeconds) } : undefined },
		)
	}
	return json(sent)
}

export default function InvitePage() {
	const t = useT()
	const { invite, state, signedIn } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const params = useParams()
	const [form, fields] = useForm<{ fullName: string; birthYear: string; phone: string; email: string; password: string; confirm: string }>({
		id: 'youth-register',
		lastResult: data?.result,
		shouldRevalidate: 'onBlur',
	})
	if (data?.sent) {
		return (
			<div className="mx-auto max-w-md">
				<h1 className="mb-4 text-2xl font-bold">{t('youth.join.sent.title')}</h1>
				<p role="status" className="alert alert-success mb-4">
					{data.sent.kind === 'new' ? t('youth.join.sent.new', { identifier: data.sent.identifier }) : t('youth.join.sent.linked', { unit: data.sent.unit })}
				</p>
				<p>
					<Link to={data.sent.kind === 'new' ? '/login' : '/'} className="btn">
						{data.sent.kind === 'new' ? t('youth.join.toLogin') : t('youth.join.toHome')}
					</Link>
				</p>
			</div>
		)
	}
	if (!invite || state !== 'ok') {
		return (
			<div className="mx-auto max-w-md">
				<h1 className="mb-4 text-2xl font-bold">{invite ? t('youth.join.title', { unit: invite.unit.name }) : t('youth.join.invalidTitle')}</h1>
				<p role="alert" className="alert alert-error">
					{t(`youth.join.error.${state === 'ok' ? 'unknown' : state}`)}
				</p>
			</div>
		)
	}
	const loginBack = `/login?${new URLSearchParams({ redirectTo: `/invite/${encodeURIComponent(params.token ?? '')}` })}`
	return (
		<div className="mx-auto max-w-md">
			<h1 className="mb-2 text-2xl font-bold">{t('youth.join.title', { unit: invite.unit.name })}</h1>
			<p className="mb-1">{t('youth.join.lead', { unit: invite.unit.name, parent: invite.unit.parentName ?? '' })}</p>
			<p className="mb-4 text-sm text-gray-700">{t('youth.join.expiresOn', { date: invite.expiresOn })}</p>
			{signedIn ? (
				<FormCard conform={form} title={t('youth.join.link.title')} {...JOIN_FORM} intent="link" submit={t('youth.join.link.submit')}>
					<p className="mb-4">{t('youth.join.link.text', { name: signedIn.name, unit: invite.unit.name })}</p>
				</FormCard>
			) : (
				<>
					<FormCard conform={form} title={t('youth.join.register.title')} {...JOIN_FORM} intent="register" submit={t('youth.join.submit')}>
						<Field label={t('youth.join.fullName')} meta={fields.fullName} autoComplete="name" />
						<Field label={t('youth.join.birthYear')} meta={fields.birthYear} type="number" autoComplete="bday-year" />
						<p id="contact-hint" className="mb-3 text-sm text-gray-700">
							{t('youth.join.register.hint')}
						</p>
						<Field label={t('youth.join.phone')} meta={fields.phone} type="tel" autoComplete="tel" />
						<Field label={t('youth.join.email')} meta={fields.email} type="email" autoComplete="email" />
						<Field label={t('youth.join.password')} meta={fields.password} type="password" autoComplete="new-password" />
						<Field label={t('youth.join.confirm')} meta={fields.confirm} type="password" autoComplete="new-password" />
					</FormCard>
					<p className="mt-4">
						{t('youth.join.haveAccount')} <Link to={loginBack}>{t('youth.join.signInToLink')}</Link>
					</p>
				</>
			)}
		</div>
	)
}


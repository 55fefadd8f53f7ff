import { type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { clientIp, hit } from '#app/auth/rate-limit.server.ts'
import { SerialForm } from '#app/certificates/serial-form.tsx'
import { VERIFY_LIMIT, verifyCertificate } from '#app/certificates/verify.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { Facts } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('verify.title'), { name: 'robots', content: 'noindex' })

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders

const STATUS_CODE = { valid: 200, expired: 200, revoked: 200, invalid: 200, 'not-found': 404, malformed: 400 } as const

// Public: no login. Each address may check a limited number of serials per window (RateLimit table, shared by
// every app process), so that the random part of the serials cannot be guessed by brute force.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const limit = await hit(VERIFY_LIMIT(clientIp(request)))
	const noStore = { 'Cache-Control': 'no-store' }
	if (limit.count > VERIFY_LIMIT('').max) {
		return json(
			{ result: { status: 'limited' as const, minutes: Math.ceil(limit.retryAfterSeconds / 60) } },
			{ status: 429, headers: { ...noStore, 'Retry-After': String(limit.retryAfterSeconds) } },
		)
	}
	const result = await verifyCertificate(params.serial ?? '')
	return json({ result }, { status: STATUS_CODE[result.status], headers: noStore })
}

export default function VerifyPage() {
	const t = useT()
	const { result } = useLoaderData<typeof loader>()
	const date = (iso: string) => formatVnDate(iso)
	const tone = result.status === 'valid' ? 'alert-success' : 'alert-error'
	return (
		<>
			<h1 className="mb-4 text-2xl font-bold">{t('verify.title')}</h1>
			{result.status === 'limited' ? (
				<div role="alert" className="alert alert-error mb-6 max-w-2xl">
					<h2 className="text-lg font-bold">{t('verify.limited.title')}</h2>
					<p>{t('verify.limited', { minutes: result.minutes })}</p>
				</div>
			) : (
				<section aria-labelledby="verdict" className={`alert ${tone} mb-6 max-w-2xl`}>
					<h2 id="verdict" className="text-xl font-bold">
						{t(`verify.status.${result.status}`)}
					</h2>
					{result.status === 'valid' ? <p>{t('verify.text.valid')}</p> : null}
					{result.status === 'expired' && result.expiresAt ? <p>{t('verify.text.expired', { date: date(result.expiresAt) })}</p> : null}
					{result.status === 'revoked' && result.revokedAt ? (
						<>
							<p>{t('verify.text.revoked', { date: date(result.revokedAt) })}</p>
							{result.replacedBy ? (
								<p>
									<Link to={`/verify/${result.replacedBy}`}>{t('verify.text.replaced', { serial: result.replacedBy })}</Link>
								</p>
							) : null}
						</>
					) : null}
					{result.status === 'invalid' ? <p>{t('verify.text.invalid')}</p> : null}
					{result.status === 'not-found' ? <p>{t('verify.text.notFound', { serial: result.serial })}</p> : null}
					{result.status === 'malformed' ? <p>{t('verify.text.malformed')}</p> : null}
				</section>
			)}
			{result.status === 'valid' || result.status === 'expired' || result.status === 'revoked' ? (
				<section aria-labelledby="details-heading" className="card mb-6 max-w-2xl">
					<h2 id="details-heading" className="mb-3 text-lg font-semibold">
						{t('verify.details')}
					</h2>
					<Facts
						facts={[
							{ term: t('verify.field.serial'), value: result.serial, className: 'font-mono' },
							{ term: t('verify.field.holder'), value: result.maskedName },
							{ term: t('verify.field.course'), value: result.courseTitle },
							{ term: t('verify.field.unit'), value: result.orgName },
							{ term: t('verify.field.issuer'), value: result.issuer },
							{ term: t('verify.field.issuedAt'), value: date(result.issuedAt) },
							{ term: t('verify.field.expiresAt'), value: result.expiresAt ? date(result.expiresAt) : t('cert.noExpiry') },
						]}
					/>
					<p className="mt-3 text-sm text-gray-700">{t('verify.privacy')}</p>
				</section>
			) : null}
			<h2 className="mb-2 text-lg font-semibold">{t('verify.again')}</h2>
			<SerialForm defaultValue="" />
		</>
	)
}

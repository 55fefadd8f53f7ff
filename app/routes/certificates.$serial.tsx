import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getGrants } from '#app/auth/permissions.server.ts'
import { can } from '#app/auth/permissions.ts'
import { requireUser } from '#app/auth/session.server.ts'
import { db } from '#app/db.server.ts'
import { useLang, useT } from '#app/ui/i18n.ts'

export const meta: MetaFunction = () => [{ title: 'Chứng nhận hoàn thành | Văn Minh Số' }]

// The holder's own view of a certificate (the public verification page and the PDF come with the certificates
// issue). Managers whose subtree holds one of the person's units may see it too.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const certificate = await db.certificate.findUnique({
		where: { serial: params.serial ?? '' },
		include: { user: { select: { memberships: { select: { orgUnit: { select: { path: true } } } } } } },
	})
	if (!certificate) throw new Response('Not Found', { status: 404 })
	if (certificate.userId !== user.id) {
		const grants = await getGrants(request, user.id)
		const inScope = certificate.user.memberships.some((m) => can(grants, m.orgUnit.path, ['MANAGER', 'AUDITOR']))
		if (!inScope) throw new Response('Forbidden', { status: 403 })
	}
	return json({
		serial: certificate.serial,
		holderName: certificate.holderName,
		orgName: certificate.orgName,
		courseTitle: certificate.courseTitle,
		issuedAt: certificate.issuedAt.toISOString(),
		expiresAt: certificate.expiresAt?.toISOString() ?? null,
		revokedAt: certificate.revokedAt?.toISOString() ?? null,
	})
}

export default function CertificatePage() {
	const t = useT()
	const lang = useLang()
	const c = useLoaderData<typeof loader>()
	const date = (iso: string) => new Date(iso).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })
	return (
		<article className="card mx-auto max-w-2xl border-2 border-brand-700 p-8 text-center">
			<p className="text-sm font-semibold uppercase">{t('cert.nation')}</p>
			<p className="mb-6 text-sm">{t('cert.motto')}</p>
			<h1 className="mb-4 text-3xl font-bold text-brand-800">{t('cert.title')}</h1>
			<p>{t('cert.certifies')}</p>
			<p className="my-3 text-2xl font-bold">{c.holderName}</p>
			{c.orgName ? <p className="mb-3">{c.orgName}</p> : null}
			<p>{t('cert.completed')}</p>
			<p className="my-3 text-xl font-semibold">{c.courseTitle}</p>
			<dl className="mx-auto mt-6 grid max-w-md grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-left">
				<dt className="font-semibold">{t('cert.issuedAt')}</dt>
				<dd>{date(c.issuedAt)}</dd>
				<dt className="font-semibold">{t('cert.expiresAt')}</dt>
				<dd>{c.expiresAt ? date(c.expiresAt) : t('cert.noExpiry')}</dd>
				<dt className="font-semibold">{t('cert.serial')}</dt>
				<dd className="font-mono">{c.serial}</dd>
			</dl>
			{c.revokedAt ? (
				<p role="status" className="alert alert-error mt-4">
					{t('cert.revoked', { date: date(c.revokedAt) })}
				</p>
			) : null}
			<p className="no-print mt-6">
				<Link to="/my-courses">{t('learn.my.title')}</Link>
			</p>
		</article>
	)
}

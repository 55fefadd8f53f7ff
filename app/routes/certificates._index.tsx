import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getGrants } from '#app/auth/permissions.server.ts'
import { requireUser } from '#app/auth/session.server.ts'
import { certificateUnitsOf, myCertificates } from '#app/certificates/access.server.ts'
import { CertificateTable } from '#app/certificates/certificate-table.tsx'
import { certificateState } from '#app/certificates/validity.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('nav.certificates'))

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const [mine, units] = await Promise.all([myCertificates(user.id), getGrants(request, user.id).then(certificateUnitsOf)])
	return json({
		mine: mine.map((c) => ({
			serial: c.serial,
			courseTitle: c.courseTitle,
			issuedAt: c.issuedAt.toISOString(),
			expiresAt: c.expiresAt?.toISOString() ?? null,
			state: certificateState(c),
		})),
		units,
	})
}

export default function CertificatesPage() {
	const t = useT()
	const { mine, units } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-4 text-2xl font-bold">{t('cert.my.title')}</h1>
			{mine.length ? (
				<CertificateTable rows={mine} wrapperClassName="mb-8 overflow-x-auto" />
			) : (
				<p className="mb-8">{t('cert.my.none')}</p>
			)}
			{units.length ? (
				<Section id="units-heading" title={t('cert.units.title')}>
					<p className="mb-3">{t('cert.units.intro')}</p>
					<ul className="grid gap-2 sm:grid-cols-2">
						{units.map((u) => (
							<li key={u.id} className="card py-2">
								<Link to={`/certificates/unit/${u.id}`}>{u.name}</Link>
							</li>
						))}
					</ul>
				</Section>
			) : null}
			<p className="mt-8">
				<Link to="/verify">{t('verify.title')}</Link>
			</p>
		</>
	)
}

import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getGrants } from '#app/auth/permissions.server.ts'
import { requireUser } from '#app/auth/session.server.ts'
import { certificateUnitsOf, myCertificates } from '#app/certificates/access.server.ts'
import { certificateState } from '#app/certificates/validity.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'

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
	const date = (iso: string) => formatVnDate(iso)
	return (
		<>
			<h1 className="mb-4 text-2xl font-bold">{t('cert.my.title')}</h1>
			{mine.length ? (
				<DataTable
					wrapperClassName="mb-8 overflow-x-auto"
					columns={[
						t('cert.col.course'),
						t('cert.col.issuedAt'),
						t('cert.col.expiresAt'),
						t('cert.col.status'),
						t('cert.col.serial'),
						t('cert.col.file'),
					]}
				>
					{mine.map((c) => (
						<tr key={c.serial}>
							<td>{c.courseTitle}</td>
							<td>{date(c.issuedAt)}</td>
							<td>{c.expiresAt ? date(c.expiresAt) : t('cert.noExpiry')}</td>
							<td>{t(`cert.state.${c.state}`)}</td>
							<td className="font-mono text-sm">
								<Link to={`/certificates/${c.serial}`}>{c.serial}</Link>
							</td>
							<td>
								{c.state === 'revoked' ? (
									'—'
								) : (
									<a href={`/certificates/${c.serial}/pdf`} download aria-label={t('cert.downloadLabel', { name: c.courseTitle })}>
										{t('cert.download')}
									</a>
								)}
							</td>
						</tr>
					))}
				</DataTable>
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

import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { expiringSoon, listUnitCertificates, subUnits, VIEW_ROLES } from '#app/certificates/access.server.ts'
import { certificateJson, CertificateTable } from '#app/certificates/certificate-table.tsx'
import { AVERAGE_PDF_BYTES, EXPIRING_DAYS, LIST_LIMIT, MAX_ZIP_ENTRIES } from '#app/certificates/limits.ts'
import { CERT_STATUSES, filterQuery, parseUnitFilter } from '#app/certificates/schema.ts'
import { type SignerOverview, signerOverview } from '#app/org/signers.server.ts'
import { ZipDownload } from '#app/certificates/zip-download.tsx'
import { courseOptions } from '#app/learning/assignments.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { InputField, SelectField } from '#app/ui/fields.tsx'
import { useErrorText, useLang, useT } from '#app/ui/i18n.ts'
import { Alert } from '#app/ui/form.tsx'
import { Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => `${t('nav.certificates')} — ${data?.unit.name ?? t('org.col.unit')}`)

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), VIEW_ROLES)
	const url = new URL(request.url)
	const { filter, error } = parseUnitFilter(url.searchParams)
	const [list, expiring, children, signer] = await Promise.all([
		listUnitCertificates(unit, filter),
		expiringSoon(unit, filter),
		subUnits(unit),
		signerOverview(unit),
	])
	const row = (c: (typeof list.rows)[number]) => ({
		...certificateJson(c),
		state: c.state,
		replacedBy: c.replacedBy,
	})
	const zip = url.searchParams.get('zip')
	return json({
		unit: { id: unit.id, name: unit.name },
		children,
		filter,
		query: filterQuery(filter),
		error: error ?? (zip === 'invalid' ? 'cert.error.date' : null),
		zipNotice: zip === 'empty' || zip === 'too-many' ? zip : null,
		count: list.count,
		// What the ZIP of this filter would hold: revoked and replaced certificates are listed but never sent.
		zipCount: list.zipCount,
		rows: list.rows.map(row),
		expiring: expiring.map(row),
		courses: courseOptions(),
		estimateBytes: list.zipCount * AVERAGE_PDF_BYTES,
		signer,
	})
}

export default function UnitCertificatesPage() {
	const t = useT()
	const lang = useLang()
	const errorText = useErrorText()
	const data = useLoaderData<typeof loader>()
	const { unit, filter, count, zipCount, rows, expiring } = data
	const date = (iso: string) => formatVnDate(iso)
	const number = (n: number) => n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')
	const zipHref = `/certificates/unit/${unit.id}/zip${data.query ? `?${data.query}` : ''}`
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to="/certificates">{t('nav.certificates')}</Link>
			</p>
			<h1 className="mb-4 text-2xl font-bold">{t('cert.unit.title', { unit: unit.name })}</h1>

			{data.zipNotice ? <Alert>{data.zipNotice === 'empty' ? t('cert.zip.empty') : t('cert.zip.tooMany', { count: number(zipCount), max: number(MAX_ZIP_ENTRIES) })}</Alert> : null}
			{data.error ? <Alert>{errorText(data.error)}</Alert> : null}

			{data.children.length ? (
				<nav aria-labelledby="subunits-heading" className="mb-4">
					<h2 id="subunits-heading" className="mb-1 text-sm font-semibold">
						{t('cert.unit.subunits')}
					</h2>
					<ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
						{data.children.map((c) => (
							<li key={c.id}>
								<Link to={`/certificates/unit/${c.id}${data.query ? `?${data.query}` : ''}`}>{c.name}</Link>
							</li>
						))}
					</ul>
				</nav>
			) : null}
			<Form method="get" className="card mb-6 grid gap-4 md:grid-cols-5 md:items-end">
				<SelectField
					className=""
					label={t('cert.filter.course')}
					plain={{ id: 'filter-course', name: 'course', defaultValue: filter.course ?? '' }}
					placeholder={t('cert.filter.allCourses')}
					options={data.courses.map((c) => ({ value: c.slug, label: c.title }))}
				/>
				<InputField id="filter-from" label={t('cert.filter.from')} name="from" type="date" defaultValue={filter.from ?? ''} />
				<InputField id="filter-to" label={t('cert.filter.to')} name="to" type="date" defaultValue={filter.to ?? ''} />
				<SelectField
					className=""
					label={t('cert.filter.status')}
					plain={{ id: 'filter-status', name: 'status', defaultValue: filter.status }}
					options={CERT_STATUSES.map((s) => ({ value: s, label: t(`cert.filter.status.${s}`) }))}
				/>
				<div>
					<button type="submit" className="btn btn-secondary w-full">
						{t('cert.filter.submit')}
					</button>
				</div>
			</Form>

			<Section id="list-heading" title={t('cert.unit.list')} className="mb-8">
				<p className="mb-3">{t('cert.unit.count', { count: number(count) })}</p>
				{zipCount > 0 && zipCount <= MAX_ZIP_ENTRIES ? (
					<div className="mb-4">
						<ZipDownload
							href={zipHref}
							estimateBytes={data.estimateBytes}
							label={t('cert.zip.button', {
								count: number(zipCount),
								size: Math.max(0.1, Math.round(data.estimateBytes / 100_000) / 10).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB'),
							})}
						/>
						{zipCount < count ? <p className="mt-2 text-sm text-gray-700">{t('cert.zip.onlyPrintable', { count: number(zipCount) })}</p> : null}
						<p className="mt-2 text-sm text-gray-700">{t('cert.zip.hint')}</p>
					</div>
				) : zipCount > MAX_ZIP_ENTRIES ? (
					<p className="alert alert-error mb-4">{t('cert.zip.tooMany', { count: number(zipCount), max: number(MAX_ZIP_ENTRIES) })}</p>
				) : count > 0 ? (
					<p className="mb-4 text-sm text-gray-700">{t('cert.zip.noneRevoked')}</p>
				) : null}
				{rows.length ? (
					<>
						{count > rows.length ? <p className="mb-2 text-sm text-gray-700">{t('cert.unit.showing', { shown: LIST_LIMIT })}</p> : null}
						<CertificateTable rows={rows} holders />
					</>
				) : (
					<p>{t('cert.unit.none')}</p>
				)}
			</Section>

			<Section id="expiring-heading" title={t('cert.expiring.title', { days: EXPIRING_DAYS })}>
				<p className="mb-3 text-gray-700">{t('cert.expiring.intro')}</p>
				{expiring.length ? <CertificateTable rows={expiring} holders /> : <p>{t('cert.expiring.none')}</p>}
			</Section>

			<Signers signer={data.signer} date={date} />
		</>
	)
}

/** Who signs this tree's certificates, from the issuer configuration, checked against the signing unit's roster. */
function Signers({ signer, date }: { signer: SignerOverview; date: (iso: string) => string }) {
	const t = useT()
	const title = (text: string) => text.replace(/\n/g, ' ')
	return (
		<Section id="signer-heading" title={t('cert.signer.title')} className="mt-8">
			<p className="mb-2">
				{t('cert.signer.issuer', { root: signer.rootName ?? '—', organisation: signer.organisation })}
				{signer.isDefault ? ` ${t('cert.signer.default')}` : ''}
			</p>
			<p className="mb-2 font-semibold">{t('cert.signer.current', { title: title(signer.current.title), name: signer.current.name, date: date(signer.current.from) })}</p>
			{signer.signingUnit === null || signer.roster === null ? (
				<p className="alert alert-error mb-2">{t('cert.signer.noUnit')}</p>
			) : signer.roster.found ? (
				<p className="alert alert-success mb-2">
					{t('cert.signer.onRoster', { unit: signer.signingUnit.name, name: signer.current.name, title: signer.roster.title ?? '—' })}
				</p>
			) : (
				<p role="alert" className="alert alert-error mb-2">
					{t('cert.signer.notOnRoster', { unit: signer.signingUnit.name, name: signer.current.name })}
				</p>
			)}
			{signer.signers.length > 1 ? (
				<DataTable
					wrapperClassName="mb-2 overflow-x-auto"
					caption={t('cert.signer.history')}
					columns={[
						t('cert.signer.col.from'),
						t('cert.signer.col.title'),
						t('cert.signer.col.name'),
					]}
				>
					{signer.signers.map((s) => (
						<tr key={s.from}>
							<td>{date(s.from)}</td>
							<td>{title(s.title)}</td>
							<td>{s.name}</td>
						</tr>
					))}
				</DataTable>
			) : null}
			<p className="text-sm text-gray-700">{t('cert.signer.source')}</p>
		</Section>
	)
}

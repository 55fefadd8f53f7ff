import { type MetaFunction, json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { citationName } from '#app/content/components.tsx'
import { listLegalSources } from '#app/content/courses.server.ts'
import { formatIsoDay } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'

export async function loader() {
	const sources = listLegalSources()
	const names = new Map(sources.map((s) => [s.id, s]))
	return json({
		sources: sources.map(({ id, kind, number, title, issuer, issued, effective, status, replacedBy, note }) => {
			const replacement = replacedBy ? names.get(replacedBy) : undefined
			return {
				id,
				kind,
				number,
				title,
				issuer,
				issued,
				effective,
				status,
				note,
				replacedBy: replacement ? { id: replacement.id, kind: replacement.kind, number: replacement.number, title: replacement.title } : null,
			}
		}),
	})
}



export default function LegalSourcesPage() {
	const t = useT()
	const { sources } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-2 text-2xl font-bold">{t('legal.title')}</h1>
			<p className="mb-4 max-w-3xl">{t('legal.lead')}</p>
			<DataTable className="table legal-table bg-white" columns={[t('legal.col.document'), t('legal.col.issuer'), t('legal.col.dates'), t('legal.col.status')]}>
				{sources.map((s) => (
					<tr key={s.id} id={s.id} className={s.status === 'in-force' ? undefined : 'legal-stale'}>
						<th scope="row" className="font-normal">
							<span className="block font-semibold">{s.title}</span>
							<span className="block text-sm text-gray-700">
								{s.number ? `${t(`legal.kind.${s.kind}`)} · ${s.number}` : t(`legal.kind.${s.kind}`)}
							</span>
							{s.note ? <span className="mt-1 block text-sm">{s.note}</span> : null}
						</th>
						<td>{s.issuer}</td>
						<td className="text-sm">
							{s.issued ? <span className="block">{t('legal.issued', { date: formatIsoDay(s.issued) })}</span> : null}
							{s.effective ? <span className="block">{t('legal.effective', { date: formatIsoDay(s.effective) })}</span> : null}
						</td>
						<td>
							<span className={`status-badge status-${s.status}`}>{t(`legal.status.${s.status}`)}</span>
							{s.replacedBy ? (
								<span className="mt-1 block text-sm">
									{t('legal.replacedBy')}{' '}
									<a href={`#${s.replacedBy.id}`}>{citationName(t, s.replacedBy)}</a>
								</span>
							) : null}
						</td>
					</tr>
				))}
			</DataTable>
		</>
	)
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('legal.title'))

// The one list of certificates: a person's own (/certificates) and a unit's (/certificates/unit/:id), which adds
// who holds each one and where. Dates arrive as ISO text from the loaders.
import { Link } from '@remix-run/react'
// A type only: erased, so the browser bundle never loads the server module.
import type { ListedCertificateState } from './access.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { DataTable } from '#app/ui/table.tsx'

export type CertificateRow = {
	serial: string
	courseTitle: string
	issuedAt: string
	expiresAt: string | null
	state: ListedCertificateState
	/** Given on a unit's list, where a revoked row says since when. */
	revokedAt?: string | null
	replacedBy?: string | null
	holderName?: string
	orgName?: string
}

type Certificate = { serial: string; holderName: string; orgName: string; courseTitle: string; issuedAt: Date; expiresAt: Date | null; revokedAt: Date | null }

/** What a loader sends of a certificate (the list rows and the certificate's own page): its names, dates as ISO text. */
export function certificateJson(c: Certificate) {
	return {
		serial: c.serial,
		holderName: c.holderName,
		orgName: c.orgName,
		courseTitle: c.courseTitle,
		issuedAt: c.issuedAt.toISOString(),
		expiresAt: c.expiresAt?.toISOString() ?? null,
		revokedAt: c.revokedAt?.toISOString() ?? null,
	}
}

/**
 * `holders`: the unit's list, with the holder's name and unit first. There a PDF is offered only for a valid or
 * expired certificate, as the unit's ZIP holds them; one's own list offers it for any certificate not revoked.
 */
export function CertificateTable({ rows, holders = false, wrapperClassName }: { rows: ReadonlyArray<CertificateRow>; holders?: boolean; wrapperClassName?: string }) {
	const t = useT()
	const columns = [t('cert.col.course'), t('cert.col.issuedAt'), t('cert.col.expiresAt'), t('cert.col.status'), t('cert.col.serial'), t('cert.col.file')]
	return (
		<DataTable wrapperClassName={wrapperClassName} columns={holders ? [t('cert.col.name'), t('cert.col.unit'), ...columns] : columns}>
			{rows.map((c) => {
				const offersPdf = holders ? c.state === 'valid' || c.state === 'expired' : c.state !== 'revoked'
				return (
					<tr key={c.serial}>
						{holders ? (
							<>
								<td>{c.holderName}</td>
								<td>{c.orgName}</td>
							</>
						) : null}
						<td>{c.courseTitle}</td>
						<td>{formatVnDate(c.issuedAt)}</td>
						<td>{c.expiresAt ? formatVnDate(c.expiresAt) : t('cert.noExpiry')}</td>
						<td>
							<StateCell row={c} />
						</td>
						<td className="font-mono text-sm">
							<Link to={`/certificates/${c.serial}`}>{c.serial}</Link>
						</td>
						<td>
							{offersPdf ? (
								<a href={`/certificates/${c.serial}/pdf`} download aria-label={t('cert.downloadLabel', { name: holders ? (c.holderName ?? '') : c.courseTitle })}>
									{t('cert.download')}
								</a>
							) : (
								'—'
							)}
						</td>
					</tr>
				)
			})}
		</DataTable>
	)
}

function StateCell({ row }: { row: CertificateRow }) {
	const t = useT()
	if (row.state === 'replaced') {
		return (
			<>
				{t('cert.state.replaced')}
				{row.replacedBy ? (
					<>
						{' '}
						<Link to={`/certificates/${row.replacedBy}`} className="font-mono text-sm">
							{row.replacedBy}
						</Link>
					</>
				) : null}
			</>
		)
	}
	if (row.state === 'revoked' && row.revokedAt) return <>{t('cert.state.revokedOn', { date: formatVnDate(row.revokedAt) })}</>
	return <>{t(`cert.state.${row.state}`)}</>
}

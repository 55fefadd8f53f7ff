// One invite's printable page: the chi đoàn's name, a large QR code and the link, to put up or hand out.
import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'
import { getInvite, inviteQrSvg, inviteUrl, YOUTH_ROLES } from '#app/youth/invites.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, (t) => data?.invite.unitName ?? t('youth.invite.manage'))

/** The last day the link works: it expires at the midnight that ends that day in Vietnam. */
function vnDate(d: Date) {
	return formatVnDate(d.getTime() - 1)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), YOUTH_ROLES)
	const invite = await getInvite(unit, String(params.inviteId))
	if (!invite) notFound()
	const url = inviteUrl(request, invite.token)
	return json({
		unit: { id: unit.id, name: unit.name },
		invite: { id: invite.id, unitName: invite.orgUnit.name, parentName: invite.orgUnit.parent?.name ?? null, url, expiresOn: vnDate(invite.expiresAt), maxUses: invite.maxUses, uses: invite.uses, state: invite.state },
		qr: await inviteQrSvg(url),
	})
}

export default function InvitePrintPage() {
	const t = useT()
	const { unit, invite, qr } = useLoaderData<typeof loader>()
	return (
		<>
			<p className="no-print mb-4 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link> › <Link to={`/org/${unit.id}/invites`}>{t('youth.invite.back')}</Link>
			</p>
			<article className="mx-auto max-w-xl text-center">
				<h1 className="mb-1 text-3xl font-bold">{t('youth.invite.printTitle', { unit: invite.unitName })}</h1>
				{invite.parentName ? <p className="mb-4 text-lg">{invite.parentName}</p> : null}
				{invite.state === 'ok' ? null : (
					<p role="alert" className="alert alert-error no-print mb-4">
						{t(`youth.invite.state.${invite.state}`)}
					</p>
				)}
				<p className="mb-4 text-lg">{t('youth.invite.printScan')}</p>
				<div className="mx-auto mb-4 h-72 w-72 bg-white" role="img" aria-label={t('youth.invite.qrAlt', { unit: invite.unitName })} dangerouslySetInnerHTML={{ __html: qr }} />
				<p className="mb-2 break-all font-mono text-lg">{invite.url}</p>
				<p className="mb-6">{t('youth.invite.printValid', { date: invite.expiresOn, max: invite.maxUses, uses: invite.uses })}</p>
				<p className="no-print flex flex-wrap justify-center gap-3">
					<a href={`/org/${unit.id}/invites/${invite.id}/qr.svg`} download className="btn btn-secondary">
						{t('youth.invite.downloadQr')}
					</a>
				</p>
				<p className="no-print mt-4 text-sm text-gray-700">{t('youth.invite.printHint')}</p>
			</article>
		</>
	)
}

// The QR code of an invite as an SVG file, for posters and group chats.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { getInvite, inviteQrSvg, inviteUrl, YOUTH_ROLES } from '#app/youth/invites.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), YOUTH_ROLES)
	const invite = await getInvite(unit, String(params.inviteId))
	if (!invite) notFound()
	const svg = await inviteQrSvg(inviteUrl(request, invite.token))
	return new Response(svg, {
		headers: {
			'Content-Type': 'image/svg+xml; charset=utf-8',
			'Content-Disposition': `attachment; filename="ma-qr-${invite.orgUnit.id}.svg"`,
			'Cache-Control': 'private, no-store',
		},
	})
}

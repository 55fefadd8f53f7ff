import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { attachment, rosterTemplate, XLSX_TYPE } from '#app/org/roster-files.server.ts'
import { openUnitCodes } from '#app/org/units.server.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ['MANAGER', 'YOUTH_ADMIN'])
	// The template lists the codes the manager may use: the open units of their subtree.
	const units = await openUnitCodes(unit)
	const body = await rosterTemplate(translator(langFromRequest(request)), units)
	return new Response(body, {
		headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': attachment('mau-danh-sach-can-bo.xlsx'), 'Cache-Control': 'no-store' },
	})
}

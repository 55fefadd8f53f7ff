import { type LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { educationResults, resultsWorkbook } from '#app/classes/results.server.ts'
import { attachment, XLSX_TYPE } from '#app/org/roster-files.server.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ['MANAGER', 'AUDITOR', 'TRAINER'])
	if (unit.tree !== 'EDU') notFound()
	const workbook = await resultsWorkbook(translator(langFromRequest(request)), unit.name, await educationResults(unit))
	return new Response(new Uint8Array(workbook), { headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': attachment(`ket-qua-hoc-sinh-${unit.code}.xlsx`), 'Cache-Control': 'no-store' } })
}

import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { db } from '#app/db.server.ts'
import { attachment, rosterTemplate, XLSX_TYPE } from '#app/org/roster-files.server.ts'
import { compareVi } from '#app/ui/collation.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, Number(params.unitId), ['MANAGER', 'YOUTH_ADMIN'])
	// The template lists the codes the manager may use: the open units of their subtree.
	const units = await db.orgUnit.findMany({
		where: { tree: unit.tree, path: { startsWith: unit.path }, validTo: null },
		select: { code: true, name: true, depth: true },
	})
	units.sort((a, b) => a.depth - b.depth || compareVi(a.name, b.name))
	const body = await rosterTemplate(translator(langFromRequest(request)), units)
	return new Response(body, {
		headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': attachment('mau-danh-sach-can-bo.xlsx'), 'Cache-Control': 'no-store' },
	})
}

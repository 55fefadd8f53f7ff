import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { attachment, treeWorkbook, XLSX_TYPE } from '#app/org/roster-files.server.ts'
import { getTree } from '#app/org/tree.server.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ['MANAGER'])
	const t = translator(langFromRequest(request))
	const nodes = await getTree(unit)
	const codeOf = new Map(nodes.map((n) => [n.id, n.code]))
	const rows = nodes
		.filter((n) => n.id !== unit.id)
		.map((n) => ({ code: n.code, name: n.name, parentCode: n.parentId === unit.id ? unit.code : (codeOf.get(n.parentId!) ?? null), kind: t(`kind.${n.kind}`) }))
	return new Response(await treeWorkbook(t, rows), {
		headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': attachment(`cay-to-chuc-${unit.code}.xlsx`), 'Cache-Control': 'no-store' },
	})
}

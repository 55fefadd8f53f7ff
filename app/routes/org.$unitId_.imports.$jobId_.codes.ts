// POST only: printing cards issues new activation codes, which is a write (and must not happen on a prefetch).
import { type ActionFunctionArgs } from '@remix-run/node'
import { actorFor } from '#app/auth/people.server.ts'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { issueImportCodes } from '#app/org/import-jobs.server.ts'
import { publicUrl } from '#app/public-url.server.ts'
import { attachment, codesPdf, codesWorkbook, XLSX_TYPE } from '#app/org/roster-files.server.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const format = (await request.formData()).get('format') === 'xlsx' ? 'xlsx' : 'pdf'
	const actor = actorFor(user.id, grants, ROLES, unit.path)
	const issued = await issueImportCodes({ jobId: String(params.jobId), unitId: unit.id, actor, request })
	if (!issued) notFound()
	const t = translator(langFromRequest(request))
	const activateUrl = publicUrl('/activate', request)
	const headers = { 'Cache-Control': 'no-store' }
	if (format === 'xlsx') {
		return new Response(codesWorkbook(t, issued.cards, issued.expiresAt, activateUrl), {
			headers: { ...headers, 'Content-Type': XLSX_TYPE, 'Content-Disposition': attachment('ma-kich-hoat.xlsx') },
		})
	}
	return new Response(codesPdf(t, issued.cards, issued.expiresAt, activateUrl), {
		headers: { ...headers, 'Content-Type': 'application/pdf', 'Content-Disposition': attachment('phieu-kich-hoat.pdf') },
	})
}

export async function loader() {
	throw new Response('Method Not Allowed', { status: 405 })
}

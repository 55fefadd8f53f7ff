// POST only: printing cards issues new activation codes, which is a write (and must not happen on a prefetch).
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs } from '@remix-run/node'
import { actorFor } from '#app/auth/people.server.ts'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { issueImportCodes } from '#app/org/import-jobs.server.ts'
import { publicUrl } from '#app/public-url.server.ts'
import { attachment, codesPdf, codesWorkbook, XLSX_TYPE } from '#app/org/roster-files.server.ts'
import { ImportCodesSchema } from '#app/org/schema.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { idParam } from '#app/ui/http.server.ts'

const ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, unit, grants } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	const t = translator(langFromRequest(request))
	// A download, not a page: a post the buttons cannot send is told in plain text, as the other downloads do.
	const submission = parseWithZod(await request.formData(), { schema: ImportCodesSchema })
	if (submission.status !== 'success') return new Response(t('codes.format'), { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
	const { format } = submission.value
	const actor = actorFor(user.id, grants, ROLES, unit.path)
	const issued = await issueImportCodes({ jobId: String(params.jobId), unitId: unit.id, actor, request })
	if (!issued) notFound()
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

import { type LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { getImportJob } from '#app/org/import-jobs.server.ts'
import { attachment, errorWorkbook, XLSX_TYPE } from '#app/org/roster-files.server.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ['MANAGER', 'YOUTH_ADMIN'])
	const job = await getImportJob(String(params.jobId), unit.id)
	if (!job) notFound()
	const body = await errorWorkbook(translator(langFromRequest(request)), {
		fileName: job.fileName,
		errors: job.errors.items,
		errorTotal: job.errors.total,
		warnings: job.warnings.items,
	})
	const base = job.fileName.replace(/\.[^.]+$/, '')
	return new Response(body, {
		headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': attachment(`loi-${base}.xlsx`), 'Cache-Control': 'no-store' },
	})
}

// The report as a file: XLSX, PDF or CSV, streamed, for the unit's subtree only, and audited.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { auditedDownload } from '#app/auth/audited-download.server.ts'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { DASHBOARD_ROLES } from '#app/reports/dashboard.server.ts'
import { readReportRequest } from '#app/reports/report-request.server.ts'
import { buildReport, isReport, reportCsv, reportPdf, reportXlsx } from '#app/reports/report.server.ts'
import { asciiName } from '#app/certificates/names.ts'
import { notFound, idParam } from '#app/ui/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, user } = await requireOrgRole(request, idParam(params.unitId), DASHBOARD_ROLES)
	const format = params.format
	if (format !== 'xlsx' && format !== 'pdf' && format !== 'csv') notFound()
	const url = new URL(request.url)
	const chosen = await readReportRequest(url)
	// Bad input or no snapshot yet: back to the page, which says what is wrong (and offers to take the snapshot).
	const page = `/org/${unit.id}/reports${url.search}`
	if ('error' in chosen) return Response.redirect(new URL(page, url), 303)
	const report = await buildReport(unit.id, chosen.period, chosen.course)
	if (!report) notFound()
	if (!isReport(report)) return Response.redirect(new URL(page, url), 303)
	const name = `Bao-cao_${asciiName(unit.name)}_${chosen.value}${chosen.course ? `_${chosen.course.slug}` : ''}.${format}`
	return auditedDownload(
		{ request, actorId: user.id, action: 'report.export', unitId: unit.id, details: { format, period: chosen.value, course: chosen.course?.slug ?? null, month: report.last.period } },
		{ name, type: format, body: () => (format === 'csv' ? reportCsv(report) : format === 'xlsx' ? reportXlsx(report) : reportPdf(report)) },
	)
}

// The audit log as XLSX with the page's filters: the same visibility (listAuditEvents), the same sentences, one row
// an event. Downloading it is itself an audited action.
import { type LoaderFunctionArgs } from '@remix-run/node'
import ExcelJS from 'exceljs'
import { AUDIT_ROLES, AUDIT_XLSX_MAX, auditFilterQuery, describeAuditEvents, readAuditFilters } from '#app/auth/audit-view.server.ts'
import { listAuditEvents } from '#app/auth/audit.server.ts'
import { auditedDownload } from '#app/auth/audited-download.server.ts'
import { requireAnyRole } from '#app/auth/permissions.server.ts'
import { formatVnDateTime, vnToday } from '#app/ui/dates.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
	const { user, grants } = await requireAnyRole(request, AUDIT_ROLES)
	const t = translator(langFromRequest(request))
	const url = new URL(request.url)
	const { filters, query, errors } = await readAuditFilters(url, grants)
	// Bad filters: back to the page, which says what is wrong.
	if (errors.length) return Response.redirect(new URL(`/admin/audit${url.search}`, url), 303)
	const rows = await listAuditEvents(grants, { ...query, take: AUDIT_XLSX_MAX + 1 })
	if (rows.length > AUDIT_XLSX_MAX) {
		throw new Response(t('audit.xlsx.tooMany', { count: rows[0]!.total.toLocaleString('vi-VN'), max: AUDIT_XLSX_MAX.toLocaleString('vi-VN') }), {
			status: 413,
			headers: { 'Content-Type': 'text/plain; charset=utf-8' },
		})
	}
	const events = await describeAuditEvents(rows, t)
	// The export is recorded against the unit it was narrowed to, else the viewer's own top unit.
	const top = grants.find((g) => !grants.some((o) => o !== g && g.path.startsWith(o.path) && o.path !== g.path))
	const book = new ExcelJS.Workbook()
	const sheet = book.addWorksheet(t('audit.xlsx.sheet'))
	sheet.columns = [
		{ header: t('audit.col.at'), key: 'at', width: 18 },
		{ header: t('audit.col.event'), key: 'event', width: 90 },
		{ header: t('audit.col.action'), key: 'action', width: 30 },
		{ header: t('audit.col.ip'), key: 'ip', width: 16 },
	]
	sheet.getRow(1).font = { bold: true }
	sheet.views = [{ state: 'frozen', ySplit: 1 }]
	for (const e of events) sheet.addRow({ at: formatVnDateTime(e.at), event: e.sentence.map((s) => s.text).join(''), action: e.actionLabel, ip: e.ip ?? '' })
	const body = new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer)
	return auditedDownload(
		{ request, actorId: user.id, action: 'audit.export', unitId: filters.unit ?? top?.orgUnitId ?? null, details: { filters: auditFilterQuery(filters), rows: events.length } },
		{ name: `nhat-ky-quan-tri_${vnToday()}.xlsx`, type: 'xlsx', body },
	)
}

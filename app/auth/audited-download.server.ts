// A download of people's data is itself an audited action (who took which figures, of which unit, when): the audit
// row is written before the first byte leaves, so a file that was sent always has its row.
import { fileResponse, type FileDownload } from '#app/ui/download.server.ts'
import { audit, type AuditInput } from './audit.server.ts'

export type ExportAudit = {
	request: Request
	actorId: string
	/** report.export, audit.export, certificate.zip … */
	action: string
	/** The unit the file is about (null: not tied to one unit). */
	unitId: number | null
	details: AuditInput['details']
}

export async function auditedDownload(event: ExportAudit, file: FileDownload): Promise<Response> {
	await audit({
		actorId: event.actorId,
		action: event.action,
		targetType: 'OrgUnit',
		targetId: event.unitId,
		orgUnitId: event.unitId,
		request: event.request,
		details: event.details,
	})
	return fileResponse(file)
}

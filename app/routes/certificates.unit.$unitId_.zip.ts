import { type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { auditedDownload } from '#app/auth/audited-download.server.ts'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { VIEW_ROLES } from '#app/certificates/access.server.ts'
import { filterQuery, parseUnitFilter } from '#app/certificates/schema.ts'
import { unitZip, zipFileName } from '#app/certificates/zip.server.ts'
import { idParam } from '#app/ui/http.server.ts'

// GET /certificates/unit/:unitId/zip?course=&from=&to=&expired= — every matching certificate of the subtree as one
// streamed ZIP. Nothing to download (or too much) sends the manager back to the list with a message instead.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, idParam(params.unitId), VIEW_ROLES)
	const { filter, error } = parseUnitFilter(new URL(request.url).searchParams)
	const query = filterQuery(filter)
	const back = (reason: string) => redirect(`/certificates/unit/${unit.id}?${query ? `${query}&` : ''}zip=${reason}`, 303)
	if (error) return back('invalid')
	const result = await unitZip(unit, filter, new Date(), request)
	if (result.status !== 'ok') return back(result.status)
	const { job } = result
	return auditedDownload(
		{ request, actorId: user.id, action: 'certificate.zip', unitId: unit.id, details: { count: job.count, skipped: job.skipped, filter: query } },
		{ name: zipFileName(unit.code), type: 'zip', body: job.stream, headers: { 'X-Certificate-Count': String(job.count) } },
	)
}

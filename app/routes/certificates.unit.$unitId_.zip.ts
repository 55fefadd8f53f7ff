import { createReadableStreamFromReadable, type LoaderFunctionArgs, redirect } from '@remix-run/node'
import { audit } from '#app/auth/audit.server.ts'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { VIEW_ROLES } from '#app/certificates/access.server.ts'
import { filterQuery, parseUnitFilter } from '#app/certificates/schema.ts'
import { unitZip, zipFileName } from '#app/certificates/zip.server.ts'

// GET /certificates/unit/:unitId/zip?course=&from=&to=&expired= — every matching certificate of the subtree as one
// streamed ZIP. Nothing to download (or too much) sends the manager back to the list with a message instead.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, unit } = await requireOrgRole(request, Number(params.unitId), VIEW_ROLES)
	const { filter, error } = parseUnitFilter(new URL(request.url).searchParams)
	const query = filterQuery(filter)
	const back = (reason: string) => redirect(`/certificates/unit/${unit.id}?${query ? `${query}&` : ''}zip=${reason}`, 303)
	if (error) return back('invalid')
	const result = await unitZip(unit, filter, new Date(), request)
	if (result.status !== 'ok') return back(result.status)
	const { job } = result
	await audit({
		actorId: user.id,
		action: 'certificate.zip',
		targetType: 'OrgUnit',
		targetId: unit.id,
		orgUnitId: unit.id,
		request,
		details: { count: job.count, skipped: job.skipped, filter: query },
	})
	return new Response(createReadableStreamFromReadable(job.stream), {
		headers: {
			'Content-Type': 'application/zip',
			'Content-Disposition': `attachment; filename="${zipFileName(unit.code)}"`,
			'Cache-Control': 'private, no-store',
			'X-Certificate-Count': String(job.count),
		},
	})
}

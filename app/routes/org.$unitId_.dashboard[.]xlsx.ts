// The dashboard's figures as they are now (or at its "as of" date) as XLSX, with the same filters as the page: for a
// unit that must send numbers before the month's snapshot exists. Scoped like the page, streamed, audited.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { auditedDownload } from '#app/auth/audited-download.server.ts'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { courseTitles } from '#app/reports/completion.server.ts'
import { DASHBOARD_ROLES, dashboardFigures, readFilters } from '#app/reports/dashboard.server.ts'
import { vnDay } from '#app/ui/dates.ts'
import { currentFiguresXlsx } from '#app/reports/report.server.ts'
import { notFound, idParam } from '#app/ui/http.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, user } = await requireOrgRole(request, idParam(params.unitId), DASHBOARD_ROLES)
	const url = new URL(request.url)
	const { filters, courseId, at, problems } = await readFilters(url)
	// Bad filters: back to the page, which says what is wrong.
	if (problems.length) return Response.redirect(new URL(`/org/${unit.id}/dashboard${url.search}`, url), 303)
	const [{ level, ranking, breakdown, teams }, titles] = await Promise.all([dashboardFigures(unit, filters, courseId, at), courseTitles(courseId ? [courseId] : [])])
	if (!ranking) notFound()
	const course = courseId ? (titles.get(courseId) ?? null) : null
	const details = { format: 'xlsx', figures: 'current', asOf: ranking.asOf.toISOString(), course: course?.slug ?? null, level }
	const body = () =>
		currentFiguresXlsx({
			unit: ranking.unit,
			course,
			asOf: ranking.asOf,
			level,
			total: ranking.total,
			rows: ranking.rows,
			courses: breakdown?.courses ?? null,
			communityTeams: teams,
		})
	const name = `So-lieu_${unit.code}_${vnDay(ranking.asOf)}${course ? `_${course.slug}` : ''}.xlsx`
	return auditedDownload({ request, actorId: user.id, action: 'report.export', unitId: unit.id, details }, { name, type: 'xlsx', body })
}

// The report a request asks for (?period=&course=), checked the same way by the page and by the downloads.
import { db } from '#app/db.server.ts'
import { courseTitles } from './completion.server.ts'
import { parseReportPeriod, type ReportPeriod } from './report.server.ts'

export type ReportRequest = { value: string; period: ReportPeriod; course: { id: string; slug: string; title: string } | null }

export async function readReportRequest(url: URL): Promise<ReportRequest | { error: 'report.badPeriod' | 'report.badCourse' }> {
	const value = url.searchParams.get('period') ?? ''
	const period = value.length <= 40 ? parseReportPeriod(value) : null
	if (!period) return { error: 'report.badPeriod' }
	const slug = url.searchParams.get('course') ?? ''
	if (!slug) return { value, period, course: null }
	const found = /^[a-z0-9-]{1,80}$/.test(slug) ? await db.course.findUnique({ where: { slug }, select: { id: true } }) : null
	if (!found) return { error: 'report.badCourse' }
	const title = (await courseTitles([found.id])).get(found.id)?.title ?? slug
	return { value, period, course: { id: found.id, slug, title } }
}

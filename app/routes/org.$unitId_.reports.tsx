import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { audit } from '#app/auth/audit.server.ts'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { wholeTreeAdmin } from '#app/auth/permissions.ts'
import { periodOf } from '#app/reports/completion.ts'
import { courseOptions, DASHBOARD_ROLES } from '#app/reports/dashboard.server.ts'
import { buildReport, isReport, summaryText } from '#app/reports/report.server.ts'
import { readReportRequest } from '#app/reports/report-request.server.ts'
import { SnapshotSchema } from '#app/reports/schema.ts'
import { snapshotRange, takeMonthSnapshot } from '#app/reports/snapshots.server.ts'
import { CourseSelect } from '#app/reports/filters.tsx'
import { SelectField } from '#app/ui/fields.tsx'
import { formatMonth } from '#app/ui/dates.ts'
import { FormErrors, replyErrors } from '#app/ui/form.tsx'
import { notFound, idParam } from '#app/ui/http.server.ts'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { Breadcrumbs, Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { CountsTable } from '#app/ui/table.tsx'
import { translator } from '#app/ui/i18n.server.ts'

const monthVi = (period: string) => `${period.slice(5)}/${period.slice(0, 4)}`

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('report.link'))

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, grants } = await requireOrgRole(request, idParam(params.unitId), DASHBOARD_ROLES)
	const url = new URL(request.url)
	const courses = await courseOptions(unit)
	const year = Number(periodOf(new Date()).slice(0, 4))
	// The labels in the viewer's language (parseReportPeriod's label is the Vietnamese one printed in the report).
	const tr = translator(langFromRequest(request))
	const presets = [year, year - 1].flatMap((y) => [
		{ value: `year-${y}`, label: tr('report.preset.year', { year: y, previous: y - 1 }) },
		{ value: `h1-${y}`, label: tr('report.preset.h1', { year: y }) },
	])
	const base = { unit: { id: unit.id, name: unit.name, tree: unit.tree }, courses, presets, canSnapshot: wholeTreeAdmin(grants) }
	if (!url.searchParams.has('period')) return json({ ...base, chosen: null, problem: null, preview: null })
	const chosen = await readReportRequest(url)
	if ('error' in chosen) return json({ ...base, chosen: null, problem: { error: chosen.error, missing: [] as Array<string>, notEnded: [] as Array<string> }, preview: null })
	const report = await buildReport(unit.id, chosen.period, chosen.course)
	if (!report) notFound()
	const query = `?${new URLSearchParams({ period: chosen.value, ...(chosen.course ? { course: chosen.course.slug } : {}) })}`
	if (!isReport(report)) return json({ ...base, chosen: { ...chosen, query }, problem: { error: 'report.noSnapshot' as const, missing: report.missing, notEnded: report.notEnded }, preview: null })
	return json({
		...base,
		chosen: { ...chosen, query },
		problem: report.missing.length ? { error: 'report.someMissing' as const, missing: report.missing, notEnded: report.notEnded } : null,
		preview: {
			lastPeriod: report.last.period,
			summary: summaryText(report),
			rows: (report.levels[0]?.rows ?? []).map((r) => ({ id: r.unit.id, name: r.direct ? `${r.unit.name} (trực thuộc trực tiếp)` : r.unit.name, target: r.target, completed: r.completed, rate: r.rate, overdue: r.overdue })),
			total: report.last.total,
			levels: report.levels.length,
			teams: report.communityTeams
				? { teams: report.communityTeams.teams.length, full: report.communityTeams.full, completed: report.communityTeams.members.completed, target: report.communityTeams.members.target }
				: null,
		},
	})
}

/**
 * An administrator of a whole tree may take the missing month-end snapshots from here (the queue normally does it on
 * the 1st). Snapshots are permanent and cover the whole province, so an administrator of a smaller subtree may not,
 * and only ended months of the last SNAPSHOT_MONTHS_BACK months are accepted (issue 16).
 */
export async function action({ request, params }: ActionFunctionArgs) {
	const { unit, user, grants } = await requireOrgRole(request, idParam(params.unitId), DASHBOARD_ROLES)
	if (!wholeTreeAdmin(grants)) throw json({ reason: 'forbidden' }, { status: 403 })
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: SnapshotSchema })
	if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
	const { month: months, back } = submission.value
	// Which months may be taken moves with the clock, so it is checked here rather than in the schema.
	const range = snapshotRange()
	const wrong = months.find((m) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(m) || m < range.from || m > range.to)
	if (wrong !== undefined) {
		return json({ result: submission.reply({ formErrors: [t('report.snapshot.badMonth', { month: wrong, from: monthVi(range.from), to: monthVi(range.to) })] }) }, { status: 400 })
	}
	for (const month of months) {
		const outcome = await takeMonthSnapshot(month)
		if (outcome.taken) await audit({ actorId: user.id, action: 'snapshot.take', targetType: 'CompletionSnapshotPeriod', targetId: month, request, details: { rows: outcome.rows } })
	}
	return redirect(back?.startsWith('?') ? `/org/${unit.id}/reports${back}` : `/org/${unit.id}/reports`)
}

export default function ReportsPage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	const taken = useActionData<typeof action>()
	return (
		<>
			<Breadcrumbs crumbs={[{ to: `/org/${data.unit.id}/dashboard`, label: t(data.unit.tree === 'YOUTH' ? 'youth.dash.title' : 'dash.title', { unit: data.unit.name }) }]} />
			<h1 className="mb-2 text-2xl font-bold">{t(data.unit.tree === 'YOUTH' ? 'youth.report.title' : 'report.title')}</h1>
			<p className="mb-4 text-sm text-gray-700">{t('report.intro')}</p>
			<FormErrors id="snapshot-errors" errors={replyErrors(taken?.result)} />
			<Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-3" aria-label={t('report.choose')}>
				<SelectField
					className=""
					label={t('report.period')}
					plain={{ id: 'period', name: 'period', defaultValue: data.chosen?.value ?? data.presets[0]?.value }}
					options={data.presets}
				/>
				<CourseSelect courses={data.courses} value={data.chosen?.course?.slug} />
				<div className="flex items-end">
					<button type="submit" className="btn">
						{t('report.show')}
					</button>
				</div>
			</Form>
			{data.problem ? (
				<div role="alert" className={`alert mb-4 ${data.preview ? 'alert-info' : 'alert-error'}`}>
					<p>{t(data.problem.error)}</p>
					{data.problem.missing.length ? <p>{t('report.missing', { months: data.problem.missing.map(formatMonth).join(', ') })}</p> : null}
					{data.problem.notEnded.length ? <p>{t('report.notEnded', { months: data.problem.notEnded.map(formatMonth).join(', ') })}</p> : null}
					{data.problem.missing.length && data.canSnapshot ? (
						<Form method="post" className="mt-2">
							{data.problem.missing.map((m) => (
								<input key={m} type="hidden" name="month" value={m} />
							))}
							<input type="hidden" name="back" value={data.chosen?.query ?? ''} />
							<button type="submit" className="btn">
								{t('report.takeSnapshots')}
							</button>
						</Form>
					) : data.problem.missing.length ? (
						<p>{t('report.askAdmin')}</p>
					) : null}
				</div>
			) : null}
			{data.preview && data.chosen ? (
				<Section id="preview-heading" title={t('report.preview', { month: formatMonth(data.preview.lastPeriod) })}>
					<p className="mb-3 max-w-3xl">{data.preview.summary}</p>
					{data.preview.teams ? (
						<p className="mb-3 max-w-3xl">
							{t('youth.report.teams', {
								teams: data.preview.teams.teams,
								full: data.preview.teams.full,
								completed: data.preview.teams.completed.toLocaleString('vi-VN'),
								target: data.preview.teams.target.toLocaleString('vi-VN'),
							})}
						</p>
					) : null}
					<p className="mb-4 flex flex-wrap gap-3">
						<a className="btn" href={`/org/${data.unit.id}/reports/xlsx${data.chosen.query}`}>
							{t('report.download.xlsx')}
						</a>
						<a className="btn btn-secondary" href={`/org/${data.unit.id}/reports/pdf${data.chosen.query}`}>
							{t('report.download.pdf')}
						</a>
						<a className="btn btn-secondary" href={`/org/${data.unit.id}/reports/csv${data.chosen.query}`}>
							{t('report.download.csv')}
						</a>
					</p>
					<CountsTable
						className="table bg-white"
						first={t('dash.col.unit')}
						columns={['target', 'completed', 'rate', 'overdue']}
						rows={data.preview.rows.map((r) => ({ key: `${r.id}-${r.name}`, name: r.name, counts: r }))}
					/>
				</Section>
			) : null}
		</>
	)
}

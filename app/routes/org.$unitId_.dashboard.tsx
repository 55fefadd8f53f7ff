import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { can } from '#app/auth/permissions.ts'
import { countOpenReviewsOfRequired, REVIEW_ROLES } from '#app/integrity/reviews.server.ts'
import { RateBars, RateLine, StatusStack } from '#app/reports/charts.tsx'
import { getPeopleSummary, PEOPLE_SUMMARY_LIMIT } from '#app/reports/completion.server.ts'
import { type CompletionCounts } from '#app/reports/completion.ts'
import { courseOptions, DASHBOARD_ROLES, dashboardFigures, EARLIEST_DAY, readFilters, visibleAncestors } from '#app/reports/dashboard.server.ts'
import { CourseSelect, FilterProblems } from '#app/reports/filters.tsx'
import { lastEndedPeriod, readSnapshots } from '#app/reports/snapshots.server.ts'
import { InputField, SelectField } from '#app/ui/fields.tsx'
import { formatPercent, formatVnDateTime, vnToday } from '#app/ui/dates.ts'
import { notFound, idParam } from '#app/ui/http.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { Breadcrumbs, Section } from '#app/ui/layout.tsx'
import { CountsTable } from '#app/ui/table.tsx'

/** The twelve months up to the last one that has ended, as YYYY-MM. */
function lastTwelveMonths(now = new Date()) {
	const to = lastEndedPeriod(now)
	const [year, month] = to.split('-').map(Number) as [number, number]
	const start = new Date(Date.UTC(year, month - 12, 1))
	return { from: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`, to }
}

export const meta: MetaFunction = () => [{ title: 'Tiến độ hoàn thành | Văn Minh Số' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, grants } = await requireOrgRole(request, idParam(params.unitId), DASHBOARD_ROLES)
	const url = new URL(request.url)
	const { filters, courseId, at, problems } = await readFilters(url)
	const [{ levels, level, ranking: children, breakdown, teams }, courses, ancestors, history, people, underReview] = await Promise.all([
		dashboardFigures(unit, filters, courseId, at),
		courseOptions(unit),
		visibleAncestors(unit, grants),
		readSnapshots(unit.id, lastTwelveMonths(), { courseId }),
		// People by status, as the people list counts them: the headline's course places are not people.
		getPeopleSummary(unit.id, { courseId, at }),
		// Completions flagged as possibly done by someone else and not yet decided (issue 22): a fact of now, so not
		// shown beside the figures of a past date.
		at ? null : countOpenReviewsOfRequired(unit, courseId),
	])
	if (!children) notFound()
	return json({
		unit: { id: unit.id, name: unit.name, tree: unit.tree },
		ancestors,
		filters: { ...filters, level },
		levels,
		problems,
		courses,
		asOf: children.asOf.toISOString(),
		source: children.source,
		pending: children.pending,
		total: children.total,
		people,
		peopleLimit: PEOPLE_SUMMARY_LIMIT,
		underReview,
		canReview: can(grants, unit.path, REVIEW_ROLES),
		rows: children.rows.map((r) => ({ id: r.unit.id, name: r.unit.name, kind: r.unit.kind, direct: r.direct, counts: countsOf(r) })),
		teams: teams
			? { full: teams.full, members: countsOf(teams.members), rows: teams.teams.map((r) => ({ id: r.unit.id, name: r.unit.name, counts: countsOf(r) })) }
			: null,
		months: history?.periods.map((p) => ({ period: p.period, rate: p.total.rate })) ?? [],
		byCourse: breakdown?.courses.map((c) => ({ slug: c.slug, title: c.title, counts: countsOf(c) })) ?? null,
		today: vnToday(),
		earliest: EARLIEST_DAY,
		query: url.search,
	})
}

function countsOf(c: CompletionCounts): CompletionCounts {
	return { target: c.target, completed: c.completed, inProgress: c.inProgress, notStarted: c.notStarted, overdue: c.overdue, rate: c.rate }
}

/** The ranking's heading on a youth unit: đoàn cơ sở or chi đoàn when the ranked units are all of one kind. */
function youthRankingKey(rows: ReadonlyArray<{ kind: string; direct: boolean }>) {
	const kinds = new Set(rows.filter((r) => !r.direct).map((r) => r.kind))
	const only = kinds.size === 1 ? [...kinds][0] : null
	return only === 'youth_grassroots' || only === 'youth_branch' ? (`youth.dash.ranking.${only}` as const) : ('youth.dash.ranking.mixed' as const)
}

export default function DashboardPage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	const { unit, total, filters } = data
	const keep = (extra: Record<string, string>) => {
		const params = new URLSearchParams(data.query)
		for (const [k, v] of Object.entries(extra)) params.set(k, v)
		return `?${params}`
	}
	// Drilling into a unit of the ranking keeps the course and date, not the level (it counts from the unit shown).
	const drillParams = new URLSearchParams(data.query)
	drillParams.delete('level')
	const drill = drillParams.size ? `?${drillParams}` : ''
	const asOf = formatVnDateTime(data.asOf)
	const courseTitle = data.courses.find((c) => c.slug === filters.course)?.title
	// The youth tree's words where the government's would be wrong (đoàn viên, not cán bộ).
	const youth = unit.tree === 'YOUTH'
	return (
		<>
			<Breadcrumbs
				label={t('nav.breadcrumb')}
				crumbs={[...data.ancestors.map((a) => ({ to: `/org/${a.id}/dashboard${data.query}`, label: a.name })), { to: `/org/${unit.id}`, label: unit.name }]}
			/>
			<h1 className="mb-1 text-2xl font-bold">{t(youth ? 'youth.dash.title' : 'dash.title', { unit: unit.name })}</h1>
			<p className="mb-4 text-sm text-gray-700">
				{courseTitle ?? t('dash.allCourses')} · {t(data.source === 'rollup' ? 'dash.asOfRollup' : data.source === 'snapshot' ? 'dash.asOfSnapshot' : 'dash.asOf', { date: asOf })}
			</p>
			{data.pending ? (
				<p role="status" className="mb-4 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
					{t('dash.pendingChanges')}
				</p>
			) : null}
			<FilterProblems problems={data.problems} />
			<Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-3" aria-label={t('dash.filters')}>
				<CourseSelect courses={data.courses} value={filters.course} />
				<InputField id="asOf" label={t('dash.asOfDate')} type="date" min={data.earliest} max={data.today} defaultValue={filters.asOf ?? ''} />
				{data.levels > 1 ? (
					<SelectField
						className=""
						label={t('dash.level')}
						plain={{ id: 'level', name: 'level', defaultValue: String(filters.level) }}
						options={Array.from({ length: data.levels }, (_, i) => i + 1).map((n) => ({ value: n, label: n === 1 ? t('dash.level.1') : t('dash.level.n', { n }) }))}
					/>
				) : null}
				<div className="flex items-end">
					<button type="submit" className="btn">
						{t('dash.apply')}
					</button>
				</div>
			</Form>

			<Section id="summary-heading" title={t('dash.summary')} className="mb-6">
				<p className="mb-2 text-3xl font-bold">
					{formatPercent(total.rate)}{' '}
					<span className="text-base font-normal">
						{t(youth ? 'youth.dash.summaryText' : 'dash.summaryText', { completed: total.completed.toLocaleString('vi-VN'), target: total.target.toLocaleString('vi-VN') })}
					</span>
				</p>
				{data.underReview ? (
					<p className="mb-2 text-sm">
						{t('integrity.review.dashboardLine', { count: data.underReview.toLocaleString('vi-VN') })}
						{data.canReview ? (
							<>
								{' '}
								<Link to={`/org/${unit.id}/reviews`}>{t('integrity.review.dashboardLink')}</Link>
							</>
						) : null}
					</p>
				) : null}
				{data.people ? (
					<>
						<p className="mb-1 font-semibold">
							{t('dash.peopleLine', { people: data.people.people.toLocaleString('vi-VN'), target: total.target.toLocaleString('vi-VN') })}
						</p>
						<p className="mb-3 text-sm">
							{t('dash.peopleStatus', {
								completed: data.people.completed.toLocaleString('vi-VN'),
								inProgress: data.people.inProgress.toLocaleString('vi-VN'),
								notStarted: data.people.notStarted.toLocaleString('vi-VN'),
								overdue: data.people.overdue.toLocaleString('vi-VN'),
							})}
						</p>
					</>
				) : (
					<p className="mb-3 text-sm">{t('dash.peopleTooMany', { limit: data.peopleLimit.toLocaleString('vi-VN') })}</p>
				)}
				<StatusStack
					title={t('dash.statusChart')}
					parts={[
						{ label: t('dash.places.completed'), value: total.completed, className: 'status-completed' },
						{ label: t('dash.places.inProgress'), value: total.inProgress, className: 'status-progress' },
						{ label: t('dash.places.notStarted'), value: total.notStarted, className: 'status-none' },
					]}
				/>
				<p className="text-sm">
					{t('dash.overdueText', { count: total.overdue.toLocaleString('vi-VN') })}{' '}
					<Link to={`/org/${unit.id}/dashboard/people${keep({ people: 'overdue' })}`}>{t('dash.seeOverdue')}</Link> ·{' '}
					<Link to={`/org/${unit.id}/dashboard/people${keep({ people: 'all' })}`}>{t('dash.seePeople')}</Link> ·{' '}
					<a href={`/org/${unit.id}/dashboard.xlsx${data.query}`} download>
						{t('dash.downloadXlsx')}
					</a>
				</p>
			</Section>

			{data.rows.length ? (
				<Section id="ranking-heading" title={youth ? t(youthRankingKey(data.rows)) : t('dash.ranking')} className="mb-6">
					<RateBars
						title={t(youth ? 'youth.dash.rankingChart' : 'dash.rankingChart', { unit: unit.name })}
						description={t('dash.rankingChartDesc')}
						bars={data.rows.map((r) => ({ label: r.direct ? t(youth ? 'youth.dash.directMembers' : 'dash.directMembers') : r.name, value: r.counts.rate }))}
					/>
					<CountsTable
						className="table mt-3"
						caption={t('dash.rankingTable')}
						first={t(youth ? 'youth.dash.col.unit' : 'dash.col.unit')}
						rows={data.rows.map((r, i) => ({
							key: `${r.id}-${r.direct}`,
							counts: r.counts,
							name: (
								<>
									{i + 1}.{' '}
									{r.direct ? (
										<Link to={`/org/${unit.id}/dashboard/people${data.query}`}>{t(youth ? 'youth.dash.directMembers' : 'dash.directMembers')}</Link>
									) : (
										<Link to={`/org/${r.id}/dashboard${drill}`}>{r.name}</Link>
									)}
									{youth && !r.direct && r.kind === 'community_team' ? <span className="text-sm text-gray-700"> ({t('kind.community_team')})</span> : null}
								</>
							),
						}))}
					/>
					<p className="mt-1 text-sm text-gray-700">
						{t(youth ? 'youth.dash.rankingNote' : 'dash.rankingNote')} {filters.level > 1 ? t('dash.levelNote') : null}
					</p>
					<p className="mt-1 text-sm text-gray-700">{t('dash.rankingRule')}</p>
				</Section>
			) : null}

			{data.teams ? (
				<Section id="teams-heading" title={t('youth.dash.teams')} className="mb-6">
					<p className="mb-1">{t('youth.dash.teamsSummary', { teams: data.teams.rows.length, full: data.teams.full })}</p>
					<p className="mb-2">
						{t(filters.course ? 'youth.dash.teamsMembers' : 'youth.dash.teamsMembersAll', {
							completed: data.teams.members.completed.toLocaleString('vi-VN'),
							target: data.teams.members.target.toLocaleString('vi-VN'),
							rate: formatPercent(data.teams.members.rate),
						})}
					</p>
					{data.teams.rows.length ? (
						<>
							<RateBars
								title={t('youth.dash.teamsChart', { unit: unit.name })}
								description={t('youth.dash.teamsChartDesc')}
								bars={data.teams.rows.map((r) => ({ label: r.name, value: r.counts.rate }))}
							/>
							<CountsTable
								className="table mt-3"
								caption={t('youth.dash.teamsTable')}
								first={t('youth.dash.col.team')}
								rows={data.teams.rows.map((r) => ({ key: String(r.id), counts: r.counts, name: <Link to={`/org/${r.id}/dashboard${drill}`}>{r.name}</Link> }))}
							/>
						</>
					) : null}
					<p className="mt-1 text-sm text-gray-700">{t('youth.dash.teamsNote')}</p>
				</Section>
			) : null}

			<Section id="months-heading" title={t('dash.byMonth')} className="mb-6">
				{data.months.length ? (
					<>
						<RateLine
							title={t('dash.byMonthChart', { unit: unit.name })}
							description={data.months.map((m) => `${m.period.slice(5)}/${m.period.slice(0, 4)}: ${m.rate === null ? '–' : `${Math.round(m.rate * 100)}%`}`).join('; ')}
							points={data.months.map((m) => ({ label: `${m.period.slice(5)}/${m.period.slice(2, 4)}`, value: m.rate }))}
						/>
						<p className="mt-1 text-sm text-gray-700">
							{t('dash.byMonthNote')} <Link to={`/org/${unit.id}/reports`}>{t('report.link')}</Link>
						</p>
					</>
				) : (
					<p>
						{t('dash.noSnapshots')} <Link to={`/org/${unit.id}/reports`}>{t('report.link')}</Link>
					</p>
				)}
			</Section>

			{data.byCourse ? (
				<Section id="courses-heading" title={t('dash.byCourse')} className="mb-6">
					{data.byCourse.length ? (
						<CountsTable
							first={t('dash.course')}
							rows={data.byCourse.map((c) => ({ key: c.slug, counts: c.counts, name: <Link to={keep({ course: c.slug })}>{c.title}</Link> }))}
						/>
					) : (
						<p>{t('dash.noAssignments')}</p>
					)}
				</Section>
			) : null}
		</>
	)
}

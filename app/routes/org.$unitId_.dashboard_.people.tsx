import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { can } from '#app/auth/permissions.ts'
import { getUnitPeople } from '#app/reports/completion.server.ts'
import { courseOptions, DASHBOARD_ROLES, readFilters } from '#app/reports/dashboard.server.ts'
import { remindOverdue } from '#app/reports/reminders.server.ts'
import { REMIND_PAGE_SIZE, RemindSchema } from '#app/reports/schema.ts'
import { CourseSelect, FilterProblems } from '#app/reports/filters.tsx'
import { formatVnDate } from '#app/ui/dates.ts'
import { FormErrors, replyErrors } from '#app/ui/form.tsx'
import { notFound, idParam } from '#app/ui/http.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { Breadcrumbs } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.dashboardPeople'))

// A province-level list can hold 100,000 people: a page shows this many, in name order.
const PAGE_SIZE = REMIND_PAGE_SIZE
// Auditors look; managers also remind.
const REMIND_ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const


export async function action({ request, params }: ActionFunctionArgs) {
	const { unit, user } = await requireOrgRole(request, idParam(params.unitId), REMIND_ROLES)
	const url = new URL(request.url)
	const { courseId, filters } = await readFilters(url)
	const submission = parseWithZod(await request.formData(), { schema: RemindSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), reminded: null }, { status: 400 })
	const { scope, userId } = submission.value
	const courses = filters.course ? await courseOptions(unit) : []
	const result = await remindOverdue({
		unitId: unit.id,
		courseId,
		courseTitle: courses.find((c) => c.slug === filters.course)?.title ?? null,
		userIds: scope === 'all' ? 'all' : userId,
		actorId: user.id,
		request,
	})
	return json({ result: submission.reply(), reminded: result })
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, grants } = await requireOrgRole(request, idParam(params.unitId), DASHBOARD_ROLES)
	const url = new URL(request.url)
	const { filters, courseId, at, problems } = await readFilters(url)
	const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get('page')) || 1))
	const [result, courses] = await Promise.all([
		getUnitPeople(unit.id, { courseId, at, filter: filters.people, page: { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE } }),
		courseOptions(unit),
	])
	if (!result) notFound()
	const people = result.people.map((p) => ({
		id: p.userId,
		name: p.fullName,
		units: p.units.map((u) => u.name),
		status: p.status,
		overdue: p.overdue,
		dueAt: p.dueAt?.toISOString() ?? null,
		lastActivityAt: p.lastActivityAt?.toISOString() ?? null,
		required: p.required,
		completed: p.completed,
		lapse: p.lapse,
	}))
	return json({
		unit: { id: unit.id, name: unit.name },
		filters,
		problems,
		courses,
		people,
		count: result.total,
		page,
		pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
		asOf: result.asOf.toISOString(),
		query: url.search,
		// Reminders are about today: not offered when looking at a past date.
		canRemind: can(grants, unit.path, REMIND_ROLES) && !filters.asOf,
	})
}

export default function DashboardPeoplePage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { unit, filters } = data
	const anyOverdue = data.people.some((p) => p.overdue)
	const date = (iso: string | null) => (iso ? formatVnDate(iso) : '–')
	const pageLink = (page: number) => {
		const params = new URLSearchParams(data.query)
		params.set('page', String(page))
		return `?${params}`
	}
	const back = new URLSearchParams(data.query)
	back.delete('people')
	back.delete('page')
	return (
		<>
			<Breadcrumbs crumbs={[{ to: `/org/${unit.id}/dashboard${back.size ? `?${back}` : ''}`, label: t('dash.title', { unit: unit.name }) }]} />
			<h1 className="mb-4 text-2xl font-bold">{t('dash.people.title', { unit: unit.name })}</h1>
			<FilterProblems problems={data.problems} />
			<Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-3" aria-label={t('dash.filters')}>
				<CourseSelect courses={data.courses} value={filters.course} />
				<div>
					<label htmlFor="people" className="label">
						{t('dash.people.status')}
					</label>
					<select id="people" name="people" defaultValue={filters.people} className="field">
						{(['all', 'overdue', 'not_started', 'in_progress', 'completed'] as const).map((f) => (
							<option key={f} value={f}>
								{t(`dash.people.filter.${f}`)}
							</option>
						))}
					</select>
				</div>
				{filters.asOf ? <input type="hidden" name="asOf" value={filters.asOf} /> : null}
				<div className="flex items-end">
					<button type="submit" className="btn">
						{t('dash.apply')}
					</button>
				</div>
			</Form>
			<p className="mb-2" role="status">
				{t('dash.people.count', { count: data.count.toLocaleString('vi-VN') })}
			</p>
			<FormErrors id="remind-errors" errors={replyErrors(actionData?.result)} />
			{actionData?.reminded ? (
				<p role="status" className="alert alert-success mb-4">
					{t('dash.remind.done', {
						queued: actionData.reminded.queued,
						withoutEmail: actionData.reminded.withoutEmail,
						alreadyToday: actionData.reminded.alreadyToday,
					})}
				</p>
			) : null}
			{data.people.length ? (
				<Form method="post" className="overflow-x-auto">
					<table className="table">
						<thead>
							<tr>
								{data.canRemind ? <th scope="col">{t('dash.remind.select')}</th> : null}
								<th scope="col">{t('dash.people.name')}</th>
								<th scope="col">{t('dash.col.unit')}</th>
								<th scope="col">{t('dash.people.status')}</th>
								<th scope="col">{t('dash.people.due')}</th>
								<th scope="col">{t('dash.people.lastActivity')}</th>
							</tr>
						</thead>
						<tbody>
							{data.people.map((p) => (
								<tr key={p.id}>
									{data.canRemind ? (
										<td>
											{p.overdue ? (
												<input type="checkbox" name="userId" value={p.id} aria-label={t('dash.remind.selectPerson', { name: p.name })} className="h-5 w-5" />
											) : null}
										</td>
									) : null}
									<th scope="row" className="text-left font-normal">
										{p.name}
									</th>
									<td>{p.units.join('; ')}</td>
									<td>
										{t(`dash.people.filter.${p.status}`)}
										{filters.course ? '' : ` (${p.completed}/${p.required})`}
										{p.overdue ? <span className="ml-1 inline-block rounded bg-red-700 px-2 py-0.5 text-sm font-semibold text-white">{t('dash.people.overdue')}</span> : null}
										{p.lapse ? <span className="block text-sm text-gray-700">{t(`dash.lapse.${p.lapse}`)}</span> : null}
									</td>
									<td>{date(p.dueAt)}</td>
									<td>{date(p.lastActivityAt)}</td>
								</tr>
							))}
						</tbody>
					</table>
					{data.canRemind && anyOverdue ? (
						<div className="mt-3 flex flex-wrap gap-3">
							<button type="submit" name="scope" value="selected" className="btn">
								{t('dash.remind.selected')}
							</button>
							<button type="submit" name="scope" value="all" className="btn btn-secondary">
								{t('dash.remind.all')}
							</button>
						</div>
					) : null}
				</Form>
			) : (
				<p>{t('dash.people.none')}</p>
			)}
			{data.pages > 1 ? (
				<nav aria-label={t('dash.people.pages')} className="mt-4 flex gap-3">
					{data.page > 1 ? <Link to={pageLink(data.page - 1)}>← {t('dash.people.previous')}</Link> : null}
					<span>{t('dash.people.page', { page: data.page, pages: data.pages })}</span>
					{data.page < data.pages ? <Link to={pageLink(data.page + 1)}>{t('dash.people.next')} →</Link> : null}
				</nav>
			) : null}
		</>
	)
}

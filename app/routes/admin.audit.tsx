import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AUDIT_ACTIONS, AUDIT_PAGE_SIZE, AUDIT_ROLES, auditFilterQuery, auditUnitOptions, describeAuditEvents, readAuditFilters, type Segment } from '#app/auth/audit-view.server.ts'
import { listAuditEvents } from '#app/auth/audit.server.ts'
import { requireAnyRole } from '#app/auth/permissions.server.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { langFromRequest, type MessageKey, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

export const meta: MetaFunction = () => [{ title: 'Nhật ký quản trị | Văn Minh Số' }]

export async function loader({ request }: LoaderFunctionArgs) {
	const { grants } = await requireAnyRole(request, AUDIT_ROLES)
	const t = translator(langFromRequest(request))
	const { filters, query, errors } = await readAuditFilters(new URL(request.url), grants)
	const skip = (filters.page - 1) * AUDIT_PAGE_SIZE
	const [rows, units] = await Promise.all([listAuditEvents(grants, { ...query, take: AUDIT_PAGE_SIZE, skip }), auditUnitOptions(grants)])
	const total = rows[0]?.total ?? 0
	return json({
		events: await describeAuditEvents(rows, t),
		total,
		page: filters.page,
		pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
		first: total ? skip + 1 : 0,
		filters,
		query: auditFilterQuery(filters),
		errors,
		actions: AUDIT_ACTIONS.map((value) => ({ value, label: t(`audit.action.${value}` as MessageKey) })),
		units,
	})
}

function Sentence({ segments }: { segments: Array<Segment> }) {
	return (
		<>
			{segments.map((s, i) =>
				s.href ? (
					<Link key={i} to={s.href}>
						{s.text}
					</Link>
				) : (
					<span key={i}>{s.text}</span>
				),
			)}
		</>
	)
}

export default function AuditPage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	const { events, filters } = data
	const pageHref = (page: number) => `?${[data.query, page > 1 ? `page=${page}` : ''].filter(Boolean).join('&')}`
	return (
		<>
			<h1 className="mb-2 text-2xl font-bold">{t('audit.title')}</h1>
			<p className="mb-4">{t('audit.intro')}</p>
			<Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label={t('audit.filter.title')}>
				<div>
					<label htmlFor="actor" className="label">
						{t('audit.filter.actor')}
					</label>
					<input id="actor" name="actor" type="search" defaultValue={filters.actor} maxLength={100} className="field" />
				</div>
				<div>
					<label htmlFor="action" className="label">
						{t('audit.filter.action')}
					</label>
					<select id="action" name="action" defaultValue={filters.action} className="field">
						<option value="">{t('audit.filter.anyAction')}</option>
						{data.actions.map((a) => (
							<option key={a.value} value={a.value}>
								{a.label}
							</option>
						))}
					</select>
				</div>
				<div>
					<label htmlFor="unit" className="label">
						{t('audit.filter.unit')}
					</label>
					<select id="unit" name="unit" defaultValue={filters.unit ?? ''} className="field">
						<option value="">{t('audit.filter.anyUnit')}</option>
						{data.units.map((u) => (
							<option key={u.id} value={u.id}>
								{u.depth ? `— ${u.name}` : u.name}
							</option>
						))}
					</select>
				</div>
				<div>
					<label htmlFor="from" className="label">
						{t('audit.filter.from')}
					</label>
					<input id="from" name="from" type="date" defaultValue={filters.from} className="field" />
				</div>
				<div>
					<label htmlFor="to" className="label">
						{t('audit.filter.to')}
					</label>
					<input id="to" name="to" type="date" defaultValue={filters.to} className="field" />
				</div>
				<div className="flex flex-wrap items-end gap-3">
					<button type="submit" className="btn">
						{t('audit.filter.submit')}
					</button>
					<Link to="/admin/audit">{t('audit.filter.clear')}</Link>
				</div>
			</Form>
			{data.errors.length ? (
				<div role="alert" className="alert alert-error mb-4">
					{data.errors.map((e) => (
						<p key={e}>{t(e)}</p>
					))}
				</div>
			) : null}
			<p className="mb-4 flex flex-wrap items-center gap-3">
				<span>{t('audit.count', { count: data.total.toLocaleString('vi-VN'), first: data.first, last: data.first ? data.first + events.length - 1 : 0 })}</span>
				{data.total ? (
					<a className="btn btn-secondary" href={`/admin/audit.xlsx${data.query ? `?${data.query}` : ''}`}>
						{t('audit.xlsx')}
					</a>
				) : null}
			</p>
			{events.length ? (
				<div className="overflow-x-auto">
					<table className="table bg-white">
						<thead>
							<tr>
								<th scope="col">{t('audit.col.at')}</th>
								<th scope="col">{t('audit.col.event')}</th>
								<th scope="col">{t('audit.col.action')}</th>
								<th scope="col">{t('audit.col.ip')}</th>
							</tr>
						</thead>
						<tbody>
							{events.map((e) => (
								<tr key={e.id}>
									<td className="whitespace-nowrap">{formatVnDateTime(e.at)}</td>
									<td>
										<Sentence segments={e.sentence} />
									</td>
									<td>{e.actionLabel}</td>
									<td>{e.ip}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : (
				<p>{t('audit.empty')}</p>
			)}
			{data.pages > 1 ? (
				<nav aria-label={t('audit.page.label', { page: data.page, pages: data.pages })} className="mt-4 flex flex-wrap items-center gap-4">
					{data.page > 1 ? <Link to={pageHref(data.page - 1)}>{t('audit.page.prev')}</Link> : null}
					<span>{t('audit.page.label', { page: data.page, pages: data.pages })}</span>
					{data.page < data.pages ? <Link to={pageHref(data.page + 1)}>{t('audit.page.next')}</Link> : null}
				</nav>
			) : null}
		</>
	)
}

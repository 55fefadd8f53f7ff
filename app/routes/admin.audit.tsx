import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AUDIT_ACTIONS, AUDIT_PAGE_SIZE, AUDIT_ROLES, auditFilterQuery, auditUnitOptions, describeAuditEvents, readAuditFilters, type Segment } from '#app/auth/audit-view.server.ts'
import { listAuditEvents } from '#app/auth/audit.server.ts'
import { requireAnyRole } from '#app/auth/permissions.server.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { InputField, SelectField } from '#app/ui/fields.tsx'
import { langFromRequest, type MessageKey, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Pager } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('audit.title'))

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
				<InputField id="actor" label={t('audit.filter.actor')} type="search" defaultValue={filters.actor} maxLength={100} />
				<SelectField
					className=""
					label={t('audit.filter.action')}
					plain={{ id: 'action', name: 'action', defaultValue: filters.action }}
					placeholder={t('audit.filter.anyAction')}
					options={data.actions}
				/>
				<SelectField
					className=""
					label={t('audit.filter.unit')}
					plain={{ id: 'unit', name: 'unit', defaultValue: filters.unit ?? '' }}
					placeholder={t('audit.filter.anyUnit')}
					options={data.units.map((u) => ({ value: u.id, label: u.depth ? `— ${u.name}` : u.name }))}
				/>
				<InputField id="from" label={t('audit.filter.from')} type="date" defaultValue={filters.from} />
				<InputField id="to" label={t('audit.filter.to')} type="date" defaultValue={filters.to} />
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
				<DataTable columns={[t('audit.col.at'), t('audit.col.event'), t('audit.col.action'), t('audit.col.ip')]}>
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
				</DataTable>
			) : (
				<p>{t('audit.empty')}</p>
			)}
			{data.pages > 1 ? (
				<Pager
					label={t('audit.page.label', { page: data.page, pages: data.pages })}
					status={t('audit.page.label', { page: data.page, pages: data.pages })}
					prev={data.page > 1 ? { to: pageHref(data.page - 1), label: t('audit.page.prev') } : null}
					next={data.page < data.pages ? { to: pageHref(data.page + 1), label: t('audit.page.next') } : null}
				/>
			) : null}
		</>
	)
}

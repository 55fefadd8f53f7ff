import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { listMembers, subtreeUnits, tagsInUse } from '#app/org/members.server.ts'
import { MEMBER_STATUSES } from '#app/org/schema.ts'
import { useLang, useT } from '#app/ui/i18n.ts'
import { tagLabel } from '#app/ui/labels.ts'

export const meta: MetaFunction = () => [{ title: 'Thành viên | Văn Minh Số' }]

const ROLES = ['MANAGER', 'YOUTH_ADMIN', 'AUDITOR'] as const

// Filters come from the query string; anything malformed is ignored rather than an error page.
const FilterSchema = z.object({
	q: z.string().trim().max(100).optional().catch(undefined),
	unit: z.coerce.number().int().positive().optional().catch(undefined),
	tag: z.string().regex(/^[a-z0-9-]{1,40}$/).optional().catch(undefined),
	status: z.enum(MEMBER_STATUSES).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
})

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit } = await requireOrgRole(request, Number(params.unitId), ROLES)
	const url = new URL(request.url)
	const filter = FilterSchema.parse(Object.fromEntries(url.searchParams))
	const [result, units, tags] = await Promise.all([
		listMembers(unit, { q: filter.q, unitId: filter.unit, tag: filter.tag, status: filter.status, page: filter.page }),
		subtreeUnits(unit),
		tagsInUse(unit),
	])
	return json({
		unit: { id: unit.id, name: unit.name },
		filter: { q: filter.q ?? '', unit: filter.unit ?? '', tag: filter.tag ?? '', status: filter.status ?? 'active' },
		result,
		units: units.map((u) => ({ id: u.id, name: u.name, depth: u.depth })),
		tags,
		query: url.search,
	})
}

export default function MembersPage() {
	const t = useT()
	const lang = useLang()
	const { unit, filter, result, units, tags, query } = useLoaderData<typeof loader>()
	const minDepth = Math.min(...units.map((u) => u.depth))
	const pageLink = (page: number) => {
		const params = new URLSearchParams(query)
		params.set('page', String(page))
		return `?${params}`
	}
	const date = (iso: string) => new Date(iso).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })
	return (
		<>
			<p className="mb-1 text-sm">
				<Link to={`/org/${unit.id}`}>{unit.name}</Link>
			</p>
			<h1 className="mb-4 text-2xl font-bold">{t('members.title')}</h1>
			<Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="search">
				<div>
					<label htmlFor="q" className="label">
						{t('members.search')}
					</label>
					<input id="q" name="q" type="search" defaultValue={filter.q} className="field" />
				</div>
				<div>
					<label htmlFor="unit" className="label">
						{t('org.col.unit')}
					</label>
					<select id="unit" name="unit" defaultValue={filter.unit} className="field">
						<option value="">{t('members.allUnits')}</option>
						{units.map((u) => (
							<option key={u.id} value={u.id}>
								{'\u00a0\u00a0'.repeat(u.depth - minDepth)}
								{u.name}
							</option>
						))}
					</select>
				</div>
				<div>
					<label htmlFor="tag" className="label">
						{t('org.col.tags')}
					</label>
					<select id="tag" name="tag" defaultValue={filter.tag} className="field">
						<option value="">{t('members.allTags')}</option>
						{tags.map((tag) => (
							<option key={tag} value={tag}>
								{tagLabel(t, tag)}
							</option>
						))}
					</select>
				</div>
				<div>
					<label htmlFor="status" className="label">
						{t('org.col.status')}
					</label>
					<select id="status" name="status" defaultValue={filter.status} className="field">
						{MEMBER_STATUSES.map((s) => (
							<option key={s} value={s}>
								{t(`members.status.${s}`)}
							</option>
						))}
					</select>
				</div>
				<p className="sm:col-span-2 lg:col-span-4">
					<button type="submit" className="btn">
						{t('members.filter')}
					</button>
				</p>
			</Form>
			<p role="status" className="mb-2 text-sm text-gray-700">
				{t('members.count', { count: result.total })}
			</p>
			{result.members.length ? (
				<div className="overflow-x-auto">
					<table className="table bg-white">
						<thead>
							<tr>
								<th scope="col">{t('org.col.name')}</th>
								<th scope="col">{t('org.col.unit')}</th>
								<th scope="col">{t('org.col.title')}</th>
								<th scope="col">{t('org.col.tags')}</th>
								<th scope="col">{t('members.inTarget')}</th>
								<th scope="col">{t('org.col.status')}</th>
							</tr>
						</thead>
						<tbody>
							{result.members.map((m) => (
								<tr key={m.id}>
									<td>
										<Link to={`/org/${unit.id}/members/${m.id}`}>{m.fullName}</Link>
										{m.username || m.email ? <span className="block text-sm text-gray-700">{m.username ?? m.email}</span> : null}
									</td>
									<td>{m.unitName}</td>
									<td>{m.title}</td>
									<td>{m.tags.map((tag) => tagLabel(t, tag)).join(', ')}</td>
									<td>{m.countsInTarget ? t('members.yes') : t('members.no')}</td>
									<td>{m.validTo && new Date(m.validTo) <= new Date() ? t('members.endedOn', { date: date(m.validTo) }) : t(`status.${m.status as 'ACTIVE'}`)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : (
				<p>{t('members.none')}</p>
			)}
			{result.pages > 1 ? (
				<nav aria-label={t('members.pages')} className="mt-4 flex flex-wrap items-center gap-3">
					{result.page > 1 ? <Link to={pageLink(result.page - 1)}>{t('members.prev')}</Link> : null}
					<span>{t('members.pageOf', { page: result.page, pages: result.pages })}</span>
					{result.page < result.pages ? <Link to={pageLink(result.page + 1)}>{t('members.next')}</Link> : null}
				</nav>
			) : null}
		</>
	)
}

import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { listMembers, subtreeUnits, tagsInUse } from '#app/org/members.server.ts'
import { MEMBER_STATUSES } from '#app/org/schema.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { InputField, SelectField } from '#app/ui/fields.tsx'
import { useT } from '#app/ui/i18n.ts'
import { tagLabel } from '#app/ui/labels.ts'
import { Pager, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('members.title'))

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
	const { unit } = await requireOrgRole(request, idParam(params.unitId), ROLES)
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
	const { unit, filter, result, units, tags, query } = useLoaderData<typeof loader>()
	const minDepth = Math.min(...units.map((u) => u.depth))
	const pageLink = (page: number) => {
		const params = new URLSearchParams(query)
		params.set('page', String(page))
		return `?${params}`
	}
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-4 text-2xl font-bold">{t('members.title')}</h1>
			<Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="search">
				<InputField id="q" label={t('members.search')} type="search" defaultValue={filter.q} />
				<SelectField
					className=""
					label={t('org.col.unit')}
					plain={{ id: 'unit', name: 'unit', defaultValue: filter.unit }}
					placeholder={t('members.allUnits')}
					options={units.map((u) => ({ value: u.id, label: `${'\u00a0\u00a0'.repeat(u.depth - minDepth)}${u.name}` }))}
				/>
				<SelectField
					className=""
					label={t('org.col.tags')}
					plain={{ id: 'tag', name: 'tag', defaultValue: filter.tag }}
					placeholder={t('members.allTags')}
					options={tags.map((tag) => ({ value: tag, label: tagLabel(t, tag) }))}
				/>
				<SelectField
					className=""
					label={t('org.col.status')}
					plain={{ id: 'status', name: 'status', defaultValue: filter.status }}
					options={MEMBER_STATUSES.map((s) => ({ value: s, label: t(`members.status.${s}`) }))}
				/>
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
				<DataTable columns={[t('org.col.name'), t('org.col.unit'), t('org.col.title'), t('org.col.tags'), t('members.inTarget'), t('org.col.status')]}>
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
							<td>{m.validTo && new Date(m.validTo) <= new Date() ? t('members.endedOn', { date: formatVnDate(m.validTo) }) : t(`status.${m.status as 'ACTIVE'}`)}</td>
						</tr>
					))}
				</DataTable>
			) : (
				<p>{t('members.none')}</p>
			)}
			{result.pages > 1 ? (
				<Pager
					label={t('members.pages')}
					status={t('members.pageOf', { page: result.page, pages: result.pages })}
					prev={result.page > 1 ? { to: pageLink(result.page - 1), label: t('members.prev') } : null}
					next={result.page < result.pages ? { to: pageLink(result.page + 1), label: t('members.next') } : null}
				/>
			) : null}
		</>
	)
}

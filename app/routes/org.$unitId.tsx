import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireOrgRole } from '#app/auth/permissions.server.ts'
import { can } from '#app/auth/permissions.ts'
import { countOpenReviews, REVIEW_ROLES } from '#app/integrity/reviews.server.ts'
import { getUnitOverview } from '#app/org/units.server.ts'
import { notFound, idParam } from '#app/ui/http.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { ActionLinks, Section } from '#app/ui/layout.tsx'
import { DataTable } from '#app/ui/table.tsx'
import { countPendingRequests } from '#app/youth/requests.server.ts'
import { tagLabel } from '#app/ui/labels.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
	{ title: `${data?.overview.unit.name ?? 'Đơn vị'} | Văn Minh Số` },
]

const VIEW_ROLES = ['MANAGER', 'AUDITOR', 'TRAINER', 'YOUTH_ADMIN'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { grants, unit } = await requireOrgRole(request, idParam(params.unitId), VIEW_ROLES)
	const overview = await getUnitOverview(unit.id)
	if (!overview) notFound()
	// Youth officers manage joining here: invite links and the join requests waiting for them (decision 016).
	const youthOfficer = unit.tree === 'YOUTH' && can(grants, unit.path, ['YOUTH_ADMIN'])
	// Managers decide on completions flagged as possibly done by someone else (issue 22); the count is of those waiting.
	const reviewer = can(grants, unit.path, REVIEW_ROLES)
	return json({
		overview,
		youth: youthOfficer ? { pendingRequests: await countPendingRequests(unit) } : null,
		openReviews: reviewer ? await countOpenReviews(unit) : null,
		canCreateUser: can(grants, unit.path, ['MANAGER', 'YOUTH_ADMIN']),
		canSeeMembers: can(grants, unit.path, ['MANAGER', 'YOUTH_ADMIN', 'AUDITOR']),
		canEditTree: can(grants, unit.path, ['MANAGER']),
		canTrain: can(grants, unit.path, ['MANAGER', 'TRAINER', 'YOUTH_ADMIN']),
		// The parent is linked only when it is inside the viewer's scope too.
		parentVisible: overview.unit.parent ? can(grants, unit.path.replace(/\d+\/$/, ''), VIEW_ROLES) : false,
	})
}

export default function UnitPage() {
	const t = useT()
	const { overview, canCreateUser, canSeeMembers, canEditTree, canTrain, parentVisible, youth, openReviews } = useLoaderData<typeof loader>()
	const { unit, children, members, memberCount, postCount } = overview
	return (
		<>
			{unit.parent && parentVisible ? (
				<p className="mb-1 text-sm">
					{t('org.parent')}: <Link to={`/org/${unit.parent.id}`}>{unit.parent.name}</Link>
				</p>
			) : null}
			<h1 className="mb-1 text-2xl font-bold">{unit.name}</h1>
			<p className="mb-4 text-gray-700">
				{t('org.col.code')}: {unit.code} · {t('org.memberCount', { count: memberCount })}
			</p>
			<ActionLinks
				label={t('org.actions')}
				links={
					canCreateUser || canSeeMembers || canTrain
						? [
								{ to: `/org/${unit.id}/imports`, label: t('roster.manage'), main: true, show: canCreateUser },
								{ to: `/org/${unit.id}/users/new`, label: t('org.newUser'), show: canCreateUser },
								{ to: `/org/${unit.id}/assignments`, label: t('assign.manage'), show: canCreateUser },
								{ to: `/org/${unit.id}/dashboard`, label: t('dash.link'), main: true, show: canSeeMembers },
								{ to: `/org/${unit.id}/reports`, label: t('report.link'), show: canSeeMembers },
								{ to: `/org/${unit.id}/reviews`, label: t('integrity.review.link', { count: (openReviews ?? 0).toLocaleString('vi-VN') }), show: openReviews !== null },
								{ to: `/org/${unit.id}/members`, label: t('members.manage'), show: canSeeMembers },
								{ to: `/org/${unit.id}/targets`, label: t('targets.manage'), show: canCreateUser },
								{ to: `/org/${unit.id}/tree`, label: t('tree.manage'), show: canEditTree },
								{ to: `/org/${unit.id}/training`, label: t('training.manage'), show: canTrain },
								{ to: `/org/${unit.id}/invites`, label: t('youth.invite.manage'), show: !!youth },
								{ to: `/org/${unit.id}/requests`, label: t('youth.requests.manage', { count: youth?.pendingRequests ?? 0 }), show: !!youth },
								{ to: `/org/${unit.id}/classes`, label: t('edu.title'), show: unit.tree === 'EDU' && canEditTree },
								{ to: `/org/${unit.id}/school-results`, label: t('edu.results'), show: unit.tree === 'EDU' && (canSeeMembers || canTrain) },
								{ to: `/teach/${unit.id}`, label: t('teach.title'), show: unit.tree === 'EDU' && unit.kind === 'class' && canTrain },
							]
						: []
				}
			/>
			<Section id="subunits-heading" title={t('org.subunits')} className="mb-8">
				{children.length ? (
					<ul className="grid gap-2 sm:grid-cols-2">
						{children.map((c) => (
							<li key={c.id} className="card py-2">
								<Link to={`/org/${c.id}`}>{c.name}</Link>
								<span className="block text-sm text-gray-700">{t('org.memberCount', { count: c.memberCount })}</span>
							</li>
						))}
					</ul>
				) : (
					<p>{t('org.noSubunits')}</p>
				)}
			</Section>
			<Section id="members-heading" title={t('org.members')}>
				{members.length ? (
					<>
						<p className="mb-2 text-sm text-gray-700">{t('org.showing', { shown: members.length, total: postCount, people: memberCount })}</p>
						<DataTable columns={[t('org.col.name'), t('org.col.title'), t('org.col.unit'), t('org.col.tags'), t('org.col.status')]}>
							{members.map((m) => (
								<tr key={m.id}>
									<td>{m.user.fullName}</td>
									<td>{m.title}</td>
									<td>{m.orgUnit.name}</td>
									<td>{m.tags.map((tag) => tagLabel(t, tag)).join(', ')}</td>
									<td>{t(`status.${m.user.status}`)}</td>
								</tr>
							))}
						</DataTable>
					</>
				) : (
					<p>{t('org.noMembers')}</p>
				)}
			</Section>
		</>
	)
}

import { type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireAnyRole } from '#app/auth/permissions.server.ts'
import { unitNames } from '#app/org/units.server.ts'
import { DASHBOARD_ROLES } from '#app/reports/dashboard.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('dash.link'))

/** "Tiến độ" in the header: the dashboard of the viewer's highest unit, or a choice when they hold several. */
export async function loader({ request }: LoaderFunctionArgs) {
	const { grants } = await requireAnyRole(request, DASHBOARD_ROLES)
	// Only the tops of the viewer's scopes: a grant inside another grant's subtree adds nothing.
	const tops = grants.filter((g) => !grants.some((o) => o !== g && g.path.startsWith(o.path) && o.path !== g.path))
	const ids = [...new Set(tops.map((g) => g.orgUnitId))]
	if (ids.length === 1) throw redirect(`/org/${ids[0]}/dashboard`)
	return json({ units: await unitNames(ids) })
}

export default function ReportsIndex() {
	const t = useT()
	const { units } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-4 text-2xl font-bold">{t('dash.link')}</h1>
			<ul className="list-disc pl-6">
				{units.map((u) => (
					<li key={u.id}>
						<Link to={`/org/${u.id}/dashboard`}>{u.name}</Link>
					</li>
				))}
			</ul>
		</>
	)
}

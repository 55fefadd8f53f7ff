import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { managedSchoolUnits, requireTeacherScope } from '#app/classes/access.server.ts'
import { teacherClasses } from '#app/classes/classes.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('teach.title'))

export async function loader({ request }: LoaderFunctionArgs) {
	const { grants } = await requireTeacherScope(request)
	return json({ classes: await teacherClasses(grants), units: await managedSchoolUnits(grants) })
}

export default function TeachPage() {
	const t = useT()
	const { classes, units } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-2 text-2xl font-bold">{t('teach.title')}</h1>
			<p className="mb-4 max-w-2xl">{t('teach.intro')}</p>
			{classes.length ? (
				<ul className="mb-8 grid gap-3 sm:grid-cols-2">
					{classes.map((c) => (
						<li key={c.id} className="card">
							<Link to={`/teach/${c.id}`} className="text-lg font-semibold">
								{c.name}
							</Link>
							<span className="block text-sm text-gray-700">{c.schoolName}</span>
						</li>
					))}
				</ul>
			) : (
				<p className="mb-8">{t('teach.none')}</p>
			)}
			{units.length ? (
				<Section id="units-heading" title={t('teach.manageUnits')}>
					<ul className="grid gap-2">
						{units.map((u) => (
							<li key={u.id} className="flex flex-wrap gap-3">
								<span className="font-semibold">{u.name}:</span>
								<Link to={`/org/${u.id}/classes`}>{t('edu.title')}</Link>
								<Link to={`/org/${u.id}/school-results`}>{t('edu.results')}</Link>
							</li>
						))}
					</ul>
				</Section>
			) : null}
		</>
	)
}

import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { educationResults, treeComparison } from '#app/classes/results.server.ts'
import { formatPercent } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section, UnitTrail } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'
import { DataTable } from '#app/ui/table.tsx'
import { idParam } from '#app/ui/http.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('edu.results'))

const ROLES = ['MANAGER', 'AUDITOR', 'TRAINER'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { unit, grants } = await requireOrgRole(request, idParam(params.unitId), ROLES)
	if (unit.tree !== 'EDU') notFound()
	const [results, trees] = await Promise.all([educationResults(unit), unit.parentId === null ? treeComparison(grants) : Promise.resolve([])])
	return json({ unit: { id: unit.id, name: unit.name }, results, trees })
}

export default function SchoolResultsPage() {
	const t = useT()
	const { unit, results, trees } = useLoaderData<typeof loader>()
	const rate = (reached: number, students: number) => (students ? formatPercent(reached / students, 'vi', 0) : '—')
	const head = (first: Array<string>) => (
		<thead>
			<tr>
				{first.map((f) => (
					<th key={f} scope="col">
						{f}
					</th>
				))}
				<th scope="col">{t('results.col.students')}</th>
				<th scope="col">{t('results.col.reached')}</th>
				<th scope="col">{t('results.col.rate')}</th>
				<th scope="col">{t('results.col.sessions')}</th>
				<th scope="col">{t('results.col.completed')}</th>
			</tr>
		</thead>
	)
	const cells = (c: { students: number; reached: number; sessions: number; completed: number }) => (
		<>
			<td>{c.students}</td>
			<td>{c.reached}</td>
			<td>{rate(c.reached, c.students)}</td>
			<td>{c.sessions}</td>
			<td>{c.completed}</td>
		</>
	)
	return (
		<>
			<UnitTrail unit={unit} />
			<h1 className="mb-2 text-2xl font-bold">{t('results.title')}</h1>
			<p className="mb-4 max-w-2xl">{t('results.intro')}</p>
			<p className="mb-6">
				<a href={`/org/${unit.id}/school-results.xlsx`} className="btn btn-secondary" download>
					{t('results.xlsx')}
				</a>
			</p>
			{trees.length ? (
				<Section id="trees-heading" title={t('results.trees')} className="mb-8">
					<DataTable columns={[t('results.col.tree'), t('results.col.people'), t('results.col.peopleDone'), t('results.col.rate')]}>
						{trees.map((r) => (
							<tr key={r.tree}>
								<td>{t(`results.tree.${r.tree}`)}</td>
								<td>{r.people}</td>
								<td>{r.done}</td>
								<td>{rate(r.done, r.people)}</td>
							</tr>
						))}
					</DataTable>
				</Section>
			) : null}
			{results.classes.length ? (
				<>
					<Section id="school-heading" title={t('results.bySchool')} className="mb-8">
						<table className="table bg-white">
							{head([t('results.col.school')])}
							<tbody>
								{results.schools.map((s) => (
									<tr key={s.id}>
										<td>{s.name}</td>
										{cells(s)}
									</tr>
								))}
								<tr className="font-semibold">
									<td>{t('results.total')}</td>
									{cells(results.total)}
								</tr>
							</tbody>
						</table>
					</Section>
					<Section id="grade-heading" title={t('results.byGrade')} className="mb-8">
						<table className="table bg-white">
							{head([t('results.col.grade')])}
							<tbody>
								{results.grades.map((g) => (
									<tr key={g.grade}>
										<td>{g.grade ? t('results.grade', { grade: g.grade }) : '—'}</td>
										{cells(g)}
									</tr>
								))}
							</tbody>
						</table>
					</Section>
					<Section id="class-heading" title={t('results.byClass')}>
						<table className="table bg-white">
							{head([t('results.col.school'), t('results.col.class')])}
							<tbody>
								{results.classes.map((c) => (
									<tr key={c.id}>
										<td>{c.schoolName}</td>
										<td>{c.name}</td>
										{cells(c)}
									</tr>
								))}
							</tbody>
						</table>
					</Section>
				</>
			) : (
				<p>{t('results.none')}</p>
			)}
		</>
	)
}

// Results of class sessions for a class, a school or an education department: students on the class lists, students
// reached (present at a closed class session at least once), sessions held, completions (student × course marked
// completed at a session), by school, grade and class. Counts are per class: a student moved between classes during
// the year counts in each.
import ExcelJS from 'exceljs'
import { type Grant } from '#app/auth/permissions.ts'
import { db, runSql } from '#app/db.server.ts'
import { CLASS_RESULTS, TREE_COMPLETION } from './results.sql.ts'
import { type OrgTree } from '#app/db-types.ts'
import { type Translate } from '#app/ui/i18n.ts'
import { compareVi } from '#app/ui/collation.ts'
import { classInfo, schoolLevel } from './classes.server.ts'

type Counts = { students: number; reached: number; sessions: number; completed: number }
const zero = (): Counts => ({ students: 0, reached: 0, sessions: 0, completed: 0 })
const add = (a: Counts, b: Counts) => {
	a.students += b.students
	a.reached += b.reached
	a.sessions += b.sessions
	a.completed += b.completed
}

export async function educationResults(scope: { path: string }) {
	const rows = await runSql(CLASS_RESULTS, { pathPrefix: scope.path + '%' })
	const profiles = new Map((await db.eduUnitProfile.findMany({ where: { orgUnitId: { in: [...rows.map((r) => r.id), ...rows.map((r) => r.schoolId)] } } })).map((p) => [p.orgUnitId, p]))
	const classes = rows
		.map((r) => ({ ...r, ...classInfo(r, profiles.get(r.id) ?? null), level: schoolLevel(r.schoolName, profiles.get(r.schoolId) ?? null) }))
		.sort((a, b) => compareVi(a.schoolName, b.schoolName) || (a.grade ?? 99) - (b.grade ?? 99) || compareVi(a.shortName, b.shortName))
	const schools = new Map<number, Counts & { name: string; level: string | null }>()
	const grades = new Map<number, Counts>()
	const total = zero()
	for (const c of classes) {
		const counts = { students: c.students, reached: c.reached, sessions: c.sessions, completed: c.completed }
		const s = schools.get(c.schoolId) ?? { ...zero(), name: c.schoolName, level: c.level }
		add(s, counts)
		schools.set(c.schoolId, s)
		const g = grades.get(c.grade ?? 0) ?? zero()
		add(g, counts)
		grades.set(c.grade ?? 0, g)
		add(total, counts)
	}
	return {
		classes: classes.map((c) => ({ id: c.id, name: c.shortName, schoolName: c.schoolName, grade: c.grade, schoolYear: c.schoolYear, students: c.students, reached: c.reached, sessions: c.sessions, completed: c.completed })),
		schools: [...schools.entries()].map(([id, s]) => ({ id, ...s })).sort((a, b) => compareVi(a.name, b.name)),
		grades: [...grades.entries()].sort((a, b) => a[0] - b[0]).map(([grade, g]) => ({ grade, ...g })),
		total,
	}
}

export type EducationResults = Awaited<ReturnType<typeof educationResults>>

/** For a provincial administrator: each tree they administer, people on its roster and how many completed a course. */
export async function treeComparison(grants: ReadonlyArray<Grant>) {
	const roots = await db.orgUnit.findMany({ where: { id: { in: grants.filter((g) => g.role === 'ADMIN').map((g) => g.orgUnitId) }, parentId: null }, select: { id: true, tree: true, path: true } })
	if (roots.length < 2) return []
	const out: Array<{ tree: OrgTree; people: number; done: number }> = []
	for (const root of roots) {
		const [row] = await runSql(TREE_COMPLETION, { pathPrefix: root.path + '%' })
		out.push({ tree: root.tree, people: row?.people ?? 0, done: row?.done ?? 0 })
	}
	const order: Array<OrgTree> = ['GOV', 'EDU', 'YOUTH']
	return out.sort((a, b) => order.indexOf(a.tree) - order.indexOf(b.tree))
}

export async function resultsWorkbook(t: Translate, unitName: string, results: EducationResults) {
	const workbook = new ExcelJS.Workbook()
	workbook.creator = 'Văn Minh Số'
	const cols = [t('results.col.students'), t('results.col.reached'), t('results.col.sessions'), t('results.col.completed')]
	const sheet = (name: string, first: Array<string>, rows: Array<Array<string | number>>) => {
		const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] })
		ws.addRow([`${t('results.title')} — ${unitName}`]).font = { bold: true }
		ws.addRow([...first, ...cols]).font = { bold: true }
		for (const r of rows) ws.addRow(r)
		ws.columns.forEach((c, i) => (c.width = i < first.length ? 36 : 16))
	}
	const nums = (c: Counts) => [c.students, c.reached, c.sessions, c.completed]
	sheet(t('results.bySchool'), [t('results.col.school')], [...results.schools.map((s) => [s.name, ...nums(s)]), [t('results.total'), ...nums(results.total)]])
	sheet(t('results.byGrade'), [t('results.col.grade')], results.grades.map((g) => [g.grade ? t('results.grade', { grade: g.grade }) : '—', ...nums(g)]))
	sheet(t('results.byClass'), [t('results.col.school'), t('results.col.class')], results.classes.map((c) => [c.schoolName, c.name, ...nums(c)]))
	return Buffer.from(await workbook.xlsx.writeBuffer())
}

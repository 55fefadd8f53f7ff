// Who may do what on the classes pages: teachers (TRAINER) and managers over a class's subtree run its sessions
// and print its cards; students only ever reach their own class's session, by its code.
import { redirect } from '@remix-run/node'
import { getGrants, notFound, requireOrgRole } from '#app/auth/permissions.server.ts'
import { type Grant } from '#app/auth/permissions.ts'
import { getUser, requireUser } from '#app/auth/session.server.ts'
import { db } from '#app/db.server.ts'
import { compareVi } from '#app/ui/collation.ts'
import { getClass } from './classes.server.ts'
import { getClassSession } from './sessions.server.ts'

export const TEACH_ROLES = ['TRAINER', 'MANAGER'] as const

/** The education offices and schools the viewer manages (ADMIN or MANAGER grant on the unit itself), by name:
 * where the teacher's page offers the student import. */
export async function managedSchoolUnits(grants: ReadonlyArray<Grant>) {
	const managed = grants.filter((g) => g.role === 'ADMIN' || g.role === 'MANAGER').map((g) => g.orgUnitId)
	if (!managed.length) return []
	const units = await db.orgUnit.findMany({ where: { id: { in: managed }, tree: 'EDU', kind: { in: ['education_office', 'school'] } }, select: { id: true, name: true } })
	return units.sort((x, y) => compareVi(x.name, y.name))
}

/** The class (a class unit of the education tree) and the teacher; 403/404 otherwise. */
export async function requireClassTeacher(request: Request, classId: number) {
	const { user, grants, unit } = await requireOrgRole(request, classId, TEACH_ROLES)
	const klass = await getClass(unit.id)
	if (!klass) notFound()
	return { user, grants, klass }
}

/** Subtrees where the user teaches or manages: the scope of the session pages. */
export async function requireTeacherScope(request: Request) {
	const user = await requireUser(request)
	const grants = await getGrants(request, user.id)
	const paths = grants.filter((g) => g.role === 'ADMIN' || (TEACH_ROLES as ReadonlyArray<string>).includes(g.role)).map((g) => g.path)
	return { user, grants, paths }
}

/** A class session inside the teacher's scope, or 404: the first step of every session page. */
export async function requireClassSession(request: Request, sessionId: string) {
	const { user, paths } = await requireTeacherScope(request)
	const event = await getClassSession(paths, sessionId)
	if (!event) notFound()
	return { user, event }
}

/** Students log in with their card: anyone not signed in goes to the card login page and comes back here. */
export async function requireStudent(request: Request) {
	const user = await getUser(request)
	if (user) return user
	const url = new URL(request.url)
	throw redirect(`/join/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`)
}

// POST only: printing login cards issues new PINs for the whole class (a write that must not happen on a prefetch).
import { type ActionFunctionArgs } from '@remix-run/node'
import { requireClassTeacher } from '#app/classes/access.server.ts'
import { loginCardsPdf } from '#app/classes/cards.server.ts'
import { classStudents } from '#app/classes/classes.server.ts'
import { issuePins } from '#app/classes/pins.server.ts'
import { attachment } from '#app/org/roster-files.server.ts'
import { idParam } from '#app/ui/http.server.ts'

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, grants, klass } = await requireClassTeacher(request, idParam(params.classId))
	const students = (await classStudents(klass.id)).filter((s) => s.username)
	const pins = await issuePins(klass.id, students.map((s) => s.id), { actorId: user.id, request, grants })
	const cards = students.filter((s) => pins.has(s.id)).map((s) => ({ fullName: s.fullName, className: klass.name, username: s.username!, pin: pins.get(s.id)! }))
	const pdf = await loginCardsPdf(cards, { origin: new URL(request.url).origin, schoolName: klass.schoolName, title: `Thẻ đăng nhập — ${klass.name}` })
	return new Response(new Uint8Array(pdf), {
		headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': attachment(`the-dang-nhap-${klass.code}.pdf`), 'Cache-Control': 'no-store' },
	})
}

export async function loader() {
	throw new Response('Method Not Allowed', { status: 405 })
}

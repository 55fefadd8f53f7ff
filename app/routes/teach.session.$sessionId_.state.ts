// What the teacher's live pages show, as one string: the page reloads when it changes (/join/follow.js).
import { type LoaderFunctionArgs, json } from '@remix-run/node'
import { notFound } from '#app/auth/permissions.server.ts'
import { requireTeacherScope } from '#app/classes/access.server.ts'
import { getClassSession, liveState, liveStatus } from '#app/classes/sessions.server.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { paths } = await requireTeacherScope(request)
	const event = await getClassSession(paths, String(params.sessionId))
	if (!event) notFound()
	const live = await liveStatus(event)
	return json({ state: liveState(event, live) }, { headers: { 'Cache-Control': 'no-store' } })
}


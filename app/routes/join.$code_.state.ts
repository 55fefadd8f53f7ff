// The step a session is on, for the students' pages to follow the teacher (polled by /join/follow.js). Only a
// student who joined learns anything of a session, even that its code exists: codes cannot be probed here.
import { type LoaderFunctionArgs, json } from '@remix-run/node'
import { getUser } from '#app/auth/session.server.ts'
import { studentView } from '#app/classes/sessions.server.ts'

const headers = { 'Cache-Control': 'no-store' }

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await getUser(request)
	const view = user ? await studentView(String(params.code), user.id) : null
	if (!view?.joined) return json({ reason: 'not-found' }, { status: 404, headers })
	return json({ state: `${view.stepIndex}:${view.closed}` }, { headers })
}

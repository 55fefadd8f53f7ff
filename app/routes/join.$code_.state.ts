// The step a session is on, for the students' pages to follow the teacher (polled by /join/follow.js).
import { type LoaderFunctionArgs, json } from '@remix-run/node'
import { sessionState } from '#app/classes/sessions.server.ts'

export async function loader({ params }: LoaderFunctionArgs) {
	const state = await sessionState(String(params.code))
	if (!state) return json({ reason: 'not-found' }, { status: 404, headers: { 'Cache-Control': 'no-store' } })
	return json({ state: `${state.step}:${state.closed}` }, { headers: { 'Cache-Control': 'no-store' } })
}

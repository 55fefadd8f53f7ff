import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { endSession } from '#app/auth/session.server.ts'

// Logging out is a POST (a GET could be triggered by any page that embeds a link).
export async function action({ request }: ActionFunctionArgs) {
	return redirect('/login?loggedOut=1', { headers: { 'Set-Cookie': await endSession(request) } })
}

export function loader() {
	return redirect('/')
}

// The responses a loader or action throws to stop: the route's error boundary shows the page for their status
// (app/ui/error-boundary.tsx). The body is a reason a script can read (fetchers, the session poll).
import { json } from '@remix-run/node'

/** Nothing here for this viewer: an unknown id, or one outside the viewer's scope (never say which). */
export function notFound(): never {
	throw json({ reason: 'not-found' }, { status: 404 })
}

/** Known, but this viewer may not act on it. */
export function forbidden(): never {
	throw json({ reason: 'forbidden' }, { status: 403 })
}

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

/** The largest id of a SERIAL column (PostgreSQL int4): a larger one is no row, and the database refuses to compare it. */
export const MAX_INT_ID = 2_147_483_647

/**
 * A numeric id from the URL, as its decimal digits only: "0x14", "1e1", " 20" or "20.0" name no unit (Number() would
 * read them as 20 or 10), and an id past int4 would make the database raise an error (a 500) instead of finding
 * nothing. Anything else is a 404.
 */
export function idParam(raw: string | undefined): number {
	if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) notFound()
	const id = Number(raw)
	if (id > MAX_INT_ID) notFound()
	return id
}

/** The encoding of an answer sent as stored, compressed ahead: brotli, else gzip, else none, as the client accepts. */
export function pickEncoding(acceptEncoding: string | null | undefined): 'br' | 'gzip' | null {
	const accepts = acceptEncoding ?? ''
	return /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null
}

// A route module's loader or action called in a test as Remix calls it: its arguments, and the HTTP status it
// answered with, whether it returned its response or threw it.
import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requestAs } from '#tests/factories/org.ts'

/** What Remix passes a loader or an action; the routes read nothing from the load context in these tests. */
export const routeArgs = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs

/**
 * The status of a loader's or action's answer: a returned Response's, a thrown Response's or a thrown `data()`'s
 * (it carries its status in `init`), else 200 for returned data. Anything else thrown fails the test, thrown again.
 */
export async function status(call: Promise<unknown> | (() => Promise<unknown>)) {
	try {
		const result = await (typeof call === 'function' ? call() : call)
		return result instanceof Response ? result.status : 200
	} catch (thrown) {
		if (thrown instanceof Response) return thrown.status
		if (thrown && typeof thrown === 'object' && 'init' in thrown) return (thrown as { init: { status: number } }).init.status
		throw thrown
	}
}

/** A form post as a browser sends it (multipart), signed in as `userId` (or no one). */
export function postAs(userId: string | null, fields: Record<string, string | Blob>, url = 'http://localhost/') {
	const body = new FormData()
	for (const [name, value] of Object.entries(fields)) body.set(name, value)
	return requestAs(userId, url, { method: 'POST', body })
}

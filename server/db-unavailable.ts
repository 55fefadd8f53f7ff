// Issue 17 item 6: what a request gets when the database connection drops under it and the driver's own retry of a
// plain read (app/db-retry.server.ts) could not save it.
//
//   - A GET or HEAD whose loaders have only read (their reads may have run inside a transaction, which died with its
//     connection and was rolled back) is run once more: nothing it did can have changed anything.
//   - Anything else (an action, a GET that wrote) is not redone here: a write may or may not have been applied
//     before the connection went. It ends in a 503 that says the change was not saved (a statement or a transaction
//     cut by a lost connection is rolled back by the server) and offers "Thử lại": the same form posted again,
//     which is how the app's writes are meant to be repeated (quiz submits, lesson completion and imports are
//     idempotent), or a link back to the page.
//
// The wrapper sits around each route's loader and action in the build, so that Remix itself turns the 503 into the
// root ErrorBoundary's page (app/ui/database-unavailable.tsx) for a document, into the same error for a client-side
// navigation (single fetch), and returns it as is from a resource route.
import { type ServerBuild } from '@remix-run/node'
import { databaseWatch } from '../app/db-retry.server.ts'
import { type DatabaseUnavailable } from '../app/ui/database-unavailable.tsx'

/** Seconds a client is asked to wait before trying again: a pool reconnects, a failover settles. */
export const RETRY_AFTER_SECONDS = 5

/** For resource routes (no page to show it in) and scripts. */
export const DATABASE_UNAVAILABLE_TEXT = 'Máy chủ cơ sở dữ liệu vừa ngắt kết nối; thao tác của bạn chưa được lưu, vui lòng thử lại.'

/** Long enough for the pool to drop the other connections the server ended (app/db-retry.server.ts). */
const RERUN_PAUSE_MS = 50

/** Fields that are not put back into a page (the app's password, PIN and confirmation fields): typed again. */
const SECRET_FIELD = /pass|^pin$|^confirm$|^current$|otp|secret|token/i

/** Forms larger than this are not repeated in the page (imports send files, which cannot be repeated anyway). */
const REPOST_MAX_BYTES = 64 * 1024

type Args = { request: Request; params: unknown; context: unknown }
type DataFunction = (args: Args) => unknown

const guarded = new WeakMap<ServerBuild, ServerBuild>()

/** The build with every route's loader and action guarded (the same object for the same build). */
export function guardDatabase(build: ServerBuild): ServerBuild {
	let copy = guarded.get(build)
	if (!copy) {
		const routes = Object.fromEntries(
			Object.entries(build.routes).map(([id, route]) => {
				if (!route) return [id, route]
				const module = route.module as unknown as Record<string, unknown>
				const resource = !module.default
				const wrapped = { ...module }
				if (typeof module.loader === 'function') wrapped.loader = guardLoader(module.loader as DataFunction, resource)
				if (typeof module.action === 'function') wrapped.action = guardAction(module.action as DataFunction, resource, !!route.index)
				return [id, { ...route, module: wrapped }]
			}),
		)
		copy = { ...build, routes: routes as unknown as ServerBuild['routes'] }
		guarded.set(build, copy)
	}
	return copy
}

function guardLoader(loader: DataFunction, resource: boolean): DataFunction {
	return async (args) => {
		const watch = databaseWatch()
		if (!watch) return loader(args)
		const before = watch.lost
		try {
			return await loader(args)
		} catch (error) {
			if (watch.lost === before) throw error
			const method = args.request.method
			if ((method !== 'GET' && method !== 'HEAD') || watch.wrote) throw unavailable(args.request, resource, null)
			await new Promise((resolve) => setTimeout(resolve, RERUN_PAUSE_MS))
			const again = watch.lost
			try {
				// A copy of the request: what was read for it (the session) is cached per request object, failure included.
				return await loader({ ...args, request: args.request.clone() })
			} catch (second) {
				if (watch.lost === again) throw second
				throw unavailable(args.request, resource, null)
			}
		}
	}
}

function guardAction(action: DataFunction, resource: boolean, index: boolean): DataFunction {
	return async (args) => {
		const watch = databaseWatch()
		if (!watch) return action(args)
		// The form as sent, kept aside in case it has to be offered again (the action consumes the body).
		const kept = repostable(args.request) ? args.request.clone() : null
		const before = watch.lost
		try {
			return await action(args)
		} catch (error) {
			if (watch.lost === before) throw error
			const fields = kept ? await formFields(kept) : null
			throw unavailable(args.request, resource, fields && { action: actionUrl(args.request, index), fields })
		}
	}
}

function repostable(request: Request) {
	const type = request.headers.get('content-type') ?? ''
	const length = Number(request.headers.get('content-length') ?? NaN)
	return type.startsWith('application/x-www-form-urlencoded') && !(length > REPOST_MAX_BYTES)
}

/** The form's fields, or null when it cannot be put back into the page as it was (a secret, too large). */
async function formFields(request: Request): Promise<Array<[string, string]> | null> {
	try {
		const text = await request.text()
		if (text.length > REPOST_MAX_BYTES) return null
		const fields = [...new URLSearchParams(text)]
		return fields.some(([name]) => SECRET_FIELD.test(name)) ? null : fields
	} catch {
		return null
	}
}

/** The address the form was posted to; an index route's action is only reached with `?index`. */
function actionUrl(request: Request, index: boolean) {
	const url = new URL(request.url)
	if (index) url.searchParams.set('index', '')
	const search = url.search.replace(/([?&]index)=(?=&|$)/, '$1')
	return `${url.pathname}${search}`
}

/** "Thử lại" without the form: the page the form was on (same origin), else the address itself. */
function backTo(request: Request) {
	const url = new URL(request.url)
	const referer = request.headers.get('referer')
	if (request.method !== 'GET' && request.method !== 'HEAD' && referer) {
		try {
			const from = new URL(referer)
			if (from.origin === url.origin) return `${from.pathname}${from.search}`
		} catch {
			// Not a URL: fall back to the address.
		}
	}
	return `${url.pathname}${url.search}`
}

function unavailable(request: Request, resource: boolean, repost: DatabaseUnavailable['repost']) {
	const headers = { 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' }
	if (resource) return new Response(DATABASE_UNAVAILABLE_TEXT, { status: 503, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } })
	const method = request.method === 'GET' || request.method === 'HEAD' ? 'GET' : 'POST'
	const data: DatabaseUnavailable = { reason: 'database-connection', method, href: backTo(request), repost }
	return Response.json(data, { status: 503, headers })
}

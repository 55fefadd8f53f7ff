import { Transform } from 'node:stream'
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { startupChecks } from './startup.server.ts'
import { checkPublicUrlConfig } from './public-url.server.ts'
import { NonceContext } from './ui/nonce.ts'

// server.ts serves lesson pages and the personal pages (decisions 009 and 027) through these before Remix.
export { serveLessonDocument } from './learning/lesson-document.server.ts'
export { servePersonalPage } from './learning/personal-pages.server.ts'
export { startJobServer } from './jobs/start.server.ts'
// Report URLs read from the replica (REPLICA_DATABASE_URL), writes mark their sender, /healthz asks the database.
export { recentWriteCookie, withReportReader } from './db-replica.server.ts'
export { healthCheck } from './health.server.ts'

// A server without its public address (APP_URL), which every printed link and QR code carries, stops here…
checkPublicUrlConfig()
// …and server.ts runs startupChecks before it listens (a top-level await here is refused by the SSR build target):
// a production server without its certificate signing key, a second server on the same embedded data directory,
// or a database whose certificates were signed by keys this server does not hold stops there with one clear line.
export { startupChecks }

// React 18.3's Node renderer encodes into 2,048-byte buffers and, when a multi-byte character (most Vietnamese
// letters) does not fit at the end of one, still flushes the whole buffer: 1–3 NUL bytes land in the HTML, even
// inside the inline loader-data scripts, where the browser turns them into U+FFFD. Fixed upstream only in
// React 19 (facebook/react#26228). Our markup never contains NUL, so dropping it at the end of a chunk is safe.
function withoutTrailingNul() {
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			let end = chunk.length
			while (end > 0 && chunk[end - 1] === 0) end--
			callback(null, end === chunk.length ? chunk : chunk.subarray(0, end))
		},
	})
}

// With v3_singleFetch Remix reads streamTimeout (abortDelay is ignored).
export const streamTimeout = 5_000

export default function handleRequest(
	request: Request,
	responseStatusCode: number,
	responseHeaders: Headers,
	remixContext: EntryContext,
	loadContext: AppLoadContext,
) {
	const nonce = loadContext.cspNonce
	// Crawlers and no-JS clients get the whole document at once; browsers get the shell streamed.
	const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
	return new Promise<Response>((resolve, reject) => {
		let shellRendered = false
		const { pipe, abort } = renderToPipeableStream(
			<NonceContext.Provider value={nonce}>
				<RemixServer context={remixContext} url={request.url} nonce={nonce} />
			</NonceContext.Provider>,
			{
				nonce,
				[readyEvent]() {
					shellRendered = true
					const body = withoutTrailingNul()
					responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
					resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
					pipe(body)
				},
				onShellError: reject,
				onError(error: unknown) {
					responseStatusCode = 500
					if (shellRendered) console.error(error)
				},
			},
		)
		setTimeout(abort, streamTimeout + 1000)
	})
}

export function handleError(error: unknown, { request }: { request: Request }) {
	if (request.signal.aborted) return
	console.error(error)
}

// HTTP server: Express in front of the Remix request handler, and in front of Express the lesson documents
// (decision 009). Production runs the esbuild bundle (dist/server.js); development (`npm run dev`) runs this file
// with Vite in middleware mode.
import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler as createFetchHandler, type ServerBuild } from '@remix-run/node'
import { createApp } from './server/app.ts'
import { accessLog } from './server/access-log.ts'
import { bodyLimitFor } from './server/body-limit.ts'
import { createRequestHandler } from './server/send-response.ts'
import { scriptlessDocumentHeaders } from './server/security-headers.ts'

// Development (Vite middleware, HMR) only when asked for; `npm start` always serves the production build.
const isDev = process.env.VMS_DEV === '1'
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

const viteDevServer = !isDev
	? undefined
	: await import('vite').then((vite) => vite.createServer({ server: { middlewareMode: true, hmr: { host: '127.0.0.1' } } }))

const build = viteDevServer
	? () => viteDevServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
	: ((await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild)

const logRequest = accessLog({ trustProxy: !!process.env.TRUST_PROXY })
const app = createApp({
	handler: createRequestHandler({
		build,
		getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
		// Bodies are counted as they arrive (a chunked body has no Content-Length to check) and refused past this.
		bodyLimit: bodyLimitFor,
	}),
	clientDir: 'build/client',
	vite: viteDevServer?.middlewares as Parameters<typeof createApp>[0]['vite'],
	dev: isDev,
	trustProxy: process.env.TRUST_PROXY,
	hsts: process.env.SECURE_COOKIES === 'true',
	logRequest,
})

// Lesson pages come from rendered documents (app/learning/lesson-document.server.ts, decision 009), answered here
// before Express: its per-request work cost more than the page. Only plain GETs in production; anything the
// documents do not take (and development, where the build changes under us) goes to Express and Remix.
type ServeLessonDocument = typeof import('./app/learning/lesson-document.server.ts').serveLessonDocument
const LESSON_PATH = /^\/courses\/([^/?]+)\/lessons\/([^/?]+)$/
const serveLessonDocument =
	typeof build === 'function' ? undefined : (build.entry.module as unknown as { serveLessonDocument?: ServeLessonDocument }).serveLessonDocument
const renderRemix = typeof build === 'function' ? undefined : createFetchHandler(build, 'production')

const documentHeaders = scriptlessDocumentHeaders({ dev: isDev, hsts: process.env.SECURE_COOKIES === 'true' })
// The complete header list of each cached page variant, keyed by its body buffer (one per page and encoding).
const pageHeaders = new WeakMap<Buffer, Array<string>>()
function headersOf(page: { headers: Record<string, string>; body: Buffer }) {
	let list = pageHeaders.get(page.body)
	if (!list) {
		list = [...documentHeaders, ...Object.entries(page.headers).flat(), 'Content-Length', String(page.body.length)]
		pageHeaders.set(page.body, list)
	}
	return list
}

function handle(req: http.IncomingMessage, res: http.ServerResponse) {
	const lesson = req.method === 'GET' || req.method === 'HEAD' ? LESSON_PATH.exec(req.url ?? '') : null
	if (!lesson || !serveLessonDocument || !renderRemix) return app(req, res)
	const origin = `http://${req.headers.host ?? host}`
	serveLessonDocument({
		cookie: req.headers.cookie,
		courseSlug: lesson[1]!,
		lessonSlug: lesson[2]!,
		acceptEncoding: req.headers['accept-encoding'],
		// Not the visitor's cookies: the render must not know who is asking; the viewer says what the page shows.
		render: (cookie, viewer) => renderRemix(new Request(`${origin}${req.url}`, { headers: { Cookie: cookie } }), { lessonViewer: viewer }),
	}).then(
		(page) => {
			if (!page) return app(req, res)
			logRequest(req, res)
			res.writeHead(page.status, headersOf(page))
			res.end(req.method === 'HEAD' ? undefined : page.body)
		},
		(error: unknown) => {
			console.error(error)
			app(req, res)
		},
	)
}

// The job queue (app/jobs, decision 020): imports, rollup refresh, mail delivery, snapshots, reminders, retention.
// Through the build's entry module, so that the routes that send jobs and the workers share one queue.
type EntryJobs = { startJobServer?: () => Promise<void>; startupChecks?: () => Promise<void> }
const entry = (typeof build === 'function' ? (await build()).entry.module : build.entry.module) as unknown as EntryJobs
// Refuse to start with one clear line (no key, a locked data directory, certificates signed by unknown keys).
try {
	await entry.startupChecks?.()
} catch (error) {
	console.error(error instanceof Error ? error.message : error)
	process.exit(1)
}
await entry.startJobServer?.()

const server = http.createServer(handle)
// Longer than a load balancer's idle timeout (60 s is common): with Node's default of 5 s the server closes idle
// keep-alive connections that the balancer or a browser is about to reuse, and that request fails (a reset or a 502).
server.keepAliveTimeout = 65_000
server.headersTimeout = 66_000
server.listen(port, host, () => {
	const address = server.address()
	const actualPort = typeof address === 'object' && address ? address.port : port
	console.log(`Văn Minh Số đang chạy tại http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		server.close(() => process.exit(0))
		setTimeout(() => process.exit(0), 3000).unref()
	})
}

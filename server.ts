// HTTP server: Express in front of the Remix request handler, and in front of Express the lesson documents
// (decision 009). Production runs the esbuild bundle (dist/server.js); development (`npm run dev`) runs this file
// with Vite in middleware mode.
//
// WEB_CONCURRENCY=N (default 1) runs N server processes on this machine sharing the port (node:cluster), one per
// core: one Node process uses one core. Several machines, or several processes each on its own port, go behind a
// load balancer that asks GET /healthz (docs/operations.md). Everything a process shares with the others is in
// PostgreSQL: sessions, rate limits, job queue and import progress; each process renders its own lesson documents.
import cluster from 'node:cluster'
import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler as createFetchHandler, type ServerBuild } from '@remix-run/node'
import { z } from 'zod'
import { parseDatabaseUrl } from './app/db-url.server.ts'
import { createApp } from './server/app.ts'
import { accessLog } from './server/access-log.ts'
import { bodyLimitFor } from './server/body-limit.ts'
import { createRequestHandler } from './server/send-response.ts'
import { scriptlessDocumentHeaders } from './server/security-headers.ts'

// Development (Vite middleware, HMR) only when asked for; `npm start` always serves the production build.
const isDev = process.env.VMS_DEV === '1'
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

const webConcurrency = z.coerce.number().int().min(1).max(64).default(1).safeParse(process.env.WEB_CONCURRENCY || undefined)
if (!webConcurrency.success) {
	console.error('WEB_CONCURRENCY phải là số tiến trình từ 1 đến 64 (WEB_CONCURRENCY must be a number of processes, 1–64)')
	process.exit(1)
}
const processes = webConcurrency.data

if (cluster.isPrimary && processes > 1 && !isDev) superviseWorkers(processes)
else await serve()

/**
 * The parent of WEB_CONCURRENCY server processes: it serves nothing itself, starts them, starts a new one when one
 * dies (after a pause if they keep dying at once, e.g. the database is gone), and stops them on SIGTERM/SIGINT.
 */
function superviseWorkers(count: number) {
	if (parseDatabaseUrl(process.env.DATABASE_URL).kind !== 'postgres') {
		console.error('WEB_CONCURRENCY > 1 cần PostgreSQL: cơ sở dữ liệu nhúng chỉ mở được bởi một tiến trình (WEB_CONCURRENCY > 1 needs PostgreSQL)')
		process.exit(1)
	}
	let stopping = false
	let recentDeaths: Array<number> = []
	for (let i = 0; i < count; i++) cluster.fork()
	cluster.on('exit', (worker, code, signal) => {
		if (stopping) {
			if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
			return
		}
		const now = Date.now()
		recentDeaths = [...recentDeaths.filter((t) => t > now - 10_000), now]
		console.error(`Tiến trình máy chủ ${worker.process.pid} dừng (${signal ?? `mã ${code}`}); khởi động tiến trình mới`)
		setTimeout(() => cluster.fork(), recentDeaths.length > count ? 5_000 : 0)
	})
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			stopping = true
			for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM')
			setTimeout(() => process.exit(0), 5000).unref()
		})
	}
}

async function serve() {
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
	type ServePersonalPage = typeof import('./app/learning/personal-pages.server.ts').servePersonalPage
	const servePersonalPage =
		typeof build === 'function' ? undefined : (build.entry.module as unknown as { servePersonalPage?: ServePersonalPage }).servePersonalPage
	// "Khoá học của tôi" and an open quiz attempt (decision 027): their shells rendered by Remix, their content here.
	const PERSONAL_PATH = /^\/(?:my-courses|courses\/[^/?]+\/quiz\/[^/?]+)$/
	const renderRemix = typeof build === 'function' ? undefined : createFetchHandler(build, 'production')

	// Dashboards, report exports and people lists (pages and their Remix `.data` requests): read from the read replica
	// when one is configured (app/db-replica.server.ts). Only GET: their forms' actions write, to the primary.
	const REPORT_PATH =
		/^\/(?:org\/\d+\/(?:dashboard(?:\.xlsx|\/people)?|reports(?:\/[a-z]+)?|school-results(?:\.xlsx)?|members)|reports)(?:\.data|\/_index\.data)?(?:\?|$)/

	// For the load balancer: 200 while this process can reach its database, 503 otherwise; not in the access log
	// (one check every 2 s per balancer).
	function answerHealth(req: http.IncomingMessage, res: http.ServerResponse) {
		const check = entry.healthCheck ?? (async (): Promise<{ ok: boolean; reason?: string }> => ({ ok: true }))
		void check().then(({ ok, reason }) => {
			const body = ok ? 'ok\n' : `database: ${reason ?? 'unavailable'}\n`
			res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) })
			res.end(req.method === 'HEAD' ? undefined : body)
		})
	}

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
		const reading = req.method === 'GET' || req.method === 'HEAD'
		if (reading && req.url === '/healthz') return answerHealth(req, res)
		if (!reading) {
			// Marks the sender as having just written: their report pages read from the primary for a while.
			const mark = entry.recentWriteCookie?.()
			if (mark) res.setHeader('Set-Cookie', mark)
		} else if (entry.withReportReader && REPORT_PATH.test(req.url ?? '')) {
			return entry.withReportReader(req.headers.cookie, () => app(req, res))
		}
		if (!reading || !renderRemix) return app(req, res)
		const origin = `http://${req.headers.host ?? host}`
		const lesson = LESSON_PATH.exec(req.url ?? '')
		const page =
			lesson && serveLessonDocument
				? serveLessonDocument({
						cookie: req.headers.cookie,
						courseSlug: lesson[1]!,
						lessonSlug: lesson[2]!,
						acceptEncoding: req.headers['accept-encoding'],
						// Not the visitor's cookies: the render must not know who is asking; the viewer says what the page shows.
						render: (cookie, viewer) => renderRemix(new Request(`${origin}${req.url}`, { headers: { Cookie: cookie } }), { lessonViewer: viewer }),
					})
				: servePersonalPage && PERSONAL_PATH.test(req.url ?? '')
					? servePersonalPage({
							path: req.url!,
							cookie: req.headers.cookie,
							acceptEncoding: req.headers['accept-encoding'],
							// The same: a request with the language alone, and the kind of viewer as load context.
							render: (path, cookie, viewer) => renderRemix(new Request(`${origin}${path}`, { headers: { Cookie: cookie } }), { pageShell: viewer }),
						})
					: null
		if (!page) return app(req, res)
		page.then(
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
	type EntryJobs = {
		startJobServer?: () => Promise<void>
		startupChecks?: () => Promise<void>
		healthCheck?: () => Promise<{ ok: boolean; reason?: string }>
		recentWriteCookie?: () => string | null
		withReportReader?: <T>(cookieHeader: string | undefined, work: () => T) => T
	}
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
}

// HTTP server: Express in front of the Remix request handler, and in front of Express the lesson documents
// (decision 009). Production runs the esbuild bundle (dist/server.js); development (`npm run dev`) runs this file
// with Vite in middleware mode.
import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler as createFetchHandler, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { accessLog } from './server/access-log.ts'
import { createRequestHandler } from './server/send-response.ts'
import { scriptlessDocumentHeaders, securityHeaders } from './server/security-headers.ts'

// Development (Vite middleware, HMR) only when asked for; `npm start` always serves the production build.
const isDev = process.env.VMS_DEV === '1'
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
// Bodies larger than this are refused before Remix parses them (uploads get their own limit when they exist).
const MAX_BODY_BYTES = 1024 * 1024
// Uploads (roster, org tree and attendance files) get their own limit; the routes cap each file again.
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
const UPLOAD_PATH = /^\/org\/\d+\/(?:imports(?:\/tree)?|training\/[\w-]+|classes\/import)(?:\.data)?$/

const viteDevServer = !isDev
	? undefined
	: await import('vite').then((vite) => vite.createServer({ server: { middlewareMode: true, hmr: { host: '127.0.0.1' } } }))

const app = express()
app.disable('x-powered-by')
if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY)

// Fingerprinted assets were compressed once at build time (scripts/compress-assets.ts, brotli quality 11):
// send those bytes instead of compressing on each request. Mounted before compression() so it is not redone.
const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }
if (!isDev) {
	app.use('/assets', (req, res, next) => {
		const type = ASSET_TYPES[path.extname(req.path)]
		if (!type || (req.method !== 'GET' && req.method !== 'HEAD') || req.path.includes('..')) return next()
		const accepts = req.get('accept-encoding') ?? ''
		const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null
		if (!encoding) return next()
		const file = path.resolve('build/client/assets', `.${req.path}.${encoding === 'br' ? 'br' : 'gz'}`)
		res.sendFile(file, { headers: { 'Content-Type': type, 'Content-Encoding': encoding, Vary: 'Accept-Encoding' }, immutable: true, maxAge: '1y' }, (error) => {
			if (error) next()
		})
	})
}
const logRequest = accessLog({ trustProxy: !!process.env.TRUST_PROXY })
const setSecurityHeaders = securityHeaders({ dev: isDev, hsts: process.env.SECURE_COOKIES === 'true' })

app.use((req, res, next) => {
	if (!req.path.startsWith('/assets/')) logRequest(req, res)
	res.locals.cspNonce = setSecurityHeaders(res)
	// The only way app code learns the client address: always overwritten, so a client cannot forge it.
	req.headers['x-vms-client-ip'] = req.ip ?? req.socket.remoteAddress ?? 'unknown'
	next()
})

function refuse(res: express.Response, status: number, title: string, text: string) {
	res
		.status(status)
		.type('html')
		.send(
			`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><main><h1>${title}</h1><p>${text}</p><p><a href="/">Về trang chủ</a></p></main></body></html>`,
		)
}

// CSRF: the session cookie is SameSite=Lax, and every state-changing request must come from our own origin.
// Browsers send Origin on POST; Sec-Fetch-Site covers old browsers that omit it on same-origin forms.
app.use((req, res, next) => {
	if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next()
	const origin = req.get('origin')
	const site = req.get('sec-fetch-site')
	const expected = `${req.protocol}://${req.get('host')}`
	const crossOrigin = origin ? origin !== expected : site === 'cross-site'
	if (crossOrigin) {
		return refuse(res, 403, 'Yêu cầu bị từ chối', 'Biểu mẫu được gửi từ một trang khác. Vì an toàn, yêu cầu này không được thực hiện.')
	}
	const length = Number(req.get('content-length') ?? 0)
	const limit = req.method === 'POST' && UPLOAD_PATH.test(req.path) ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES
	if (length > limit) {
		return refuse(
			res,
			413,
			'Dữ liệu gửi lên quá lớn',
			`Nội dung gửi lên vượt quá giới hạn cho phép (${limit / 1024 / 1024} MB). Không có dữ liệu nào bị thay đổi.`,
		)
	}
	next()
})

const build = viteDevServer
	? () => viteDevServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
	: ((await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild)

app.use(compression())

if (viteDevServer) {
	app.use(viteDevServer.middlewares)
} else {
	app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y', fallthrough: false }))
	app.use(express.static('build/client', { maxAge: '1h' }))
}

app.all(
	'*',
	createRequestHandler({
		build,
		getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
	}),
)

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

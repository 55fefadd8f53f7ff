// HTTP server: Express in front of the Remix request handler. Production runs the esbuild bundle
// (dist/server.js); development (`npm run dev`) runs this file with Vite in middleware mode.
import crypto from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import { type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import morgan from 'morgan'

// Development (Vite middleware, HMR) only when asked for; `npm start` always serves the production build.
const isDev = process.env.VMS_DEV === '1'
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
// Bodies larger than this are refused before Remix parses them (uploads get their own limit when they exist).
const MAX_BODY_BYTES = 1024 * 1024
// Uploads (roster, org tree and attendance files) get their own limit; the routes cap each file again.
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
const UPLOAD_PATH = /^\/org\/\d+\/(?:imports(?:\/tree)?|training\/[\w-]+)(?:\.data)?$/

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
app.use(compression())
app.use(morgan(isDev ? 'dev' : 'combined', { skip: (req) => req.path.startsWith('/assets/') }))

app.use((req, res, next) => {
	res.locals.cspNonce = crypto.randomBytes(16).toString('base64')
	// The only way app code learns the client address: always overwritten, so a client cannot forge it.
	req.headers['x-vms-client-ip'] = req.ip ?? req.socket.remoteAddress ?? 'unknown'
	next()
})

app.use(
	helmet({
		contentSecurityPolicy: {
			directives: {
				'script-src': ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
				'img-src': ["'self'", 'data:'],
				'font-src': ["'self'"],
				'form-action': ["'self'"],
				'frame-ancestors': ["'none'"],
				...(isDev ? { 'connect-src': ["'self'", 'ws:'], 'style-src': ["'self'", "'unsafe-inline'"] } : { 'style-src': ["'self'"] }),
				'upgrade-insecure-requests': null,
			},
		},
		// helmet's default no-referrer makes browsers send `Origin: null` on form posts, which fails our CSRF check.
		referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
		strictTransportSecurity: process.env.SECURE_COOKIES === 'true',
	}),
)

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

if (viteDevServer) {
	app.use(viteDevServer.middlewares)
} else {
	app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y', fallthrough: false }))
	app.use(express.static('build/client', { maxAge: '1h' }))
}

const build = viteDevServer
	? () => viteDevServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
	: ((await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild)

app.all(
	'*',
	createRequestHandler({
		build,
		getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
	}),
)

const server = app.listen(port, host, () => {
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

// The Express application in front of Remix, built here rather than in server.ts so that tests run the same
// middleware, in the same order, over real sockets (tests/http/edge.test.ts). server.ts adds Vite in development,
// the lesson documents in front of Express and the listening socket.
import path from 'node:path'
import compression from 'compression'
import express from 'express'
import { accessLog } from './access-log.ts'
import { checkRequestEdge } from './body-limit.ts'
import { errorHandler, refuse } from './refuse.ts'
import { securityHeaders } from './security-headers.ts'

export type AppOptions = {
	/** The Remix request handler (server/send-response.ts), or anything that answers what is left. */
	handler: express.RequestHandler
	/** build/client; unused with `vite`. */
	clientDir: string
	/** Vite's dev middlewares: they serve the assets instead of `clientDir`. */
	vite?: express.RequestHandler
	dev: boolean
	trustProxy?: string
	hsts: boolean
	logRequest?: ReturnType<typeof accessLog>
}

// Fingerprinted assets were compressed once at build time (scripts/compress-assets.ts, brotli quality 11).
const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }

export function createApp({ handler, clientDir, vite, dev, trustProxy, hsts, logRequest = accessLog({ trustProxy: !!trustProxy }) }: AppOptions) {
	const app = express()
	app.disable('x-powered-by')
	if (trustProxy) app.set('trust proxy', trustProxy)
	const assetsDir = path.resolve(clientDir, 'assets')

	// Send the precompressed bytes instead of compressing on each request; mounted before compression() so it is
	// not redone.
	if (!vite) {
		app.use('/assets', (req, res, next) => {
			const type = ASSET_TYPES[path.extname(req.path)]
			if (!type || (req.method !== 'GET' && req.method !== 'HEAD') || req.path.includes('..')) return next()
			const accepts = req.get('accept-encoding') ?? ''
			const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null
			if (!encoding) return next()
			const file = path.resolve(assetsDir, `.${req.path}.${encoding === 'br' ? 'br' : 'gz'}`)
			res.sendFile(file, { headers: { 'Content-Type': type, 'Content-Encoding': encoding, Vary: 'Accept-Encoding' }, immutable: true, maxAge: '1y' }, (error) => {
				if (error) next()
			})
		})
	}
	const setSecurityHeaders = securityHeaders({ dev, hsts })

	app.use((req, res, next) => {
		if (!req.path.startsWith('/assets/')) logRequest(req, res)
		res.locals.cspNonce = setSecurityHeaders(res)
		// The only way app code learns the client address: always overwritten, so a client cannot forge it.
		req.headers['x-vms-client-ip'] = req.ip ?? req.socket.remoteAddress ?? 'unknown'
		next()
	})

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
		next()
	})
	// The body's declared size; the body itself is counted as Remix reads it.
	app.use(checkRequestEdge)

	app.use(compression())

	if (vite) {
		app.use(vite)
	} else {
		// A path that is not a file here (a directory, `..`, anything encoded) is a plain 404: Express's own error
		// would name the absolute path and, without NODE_ENV=production, print the stack.
		app.use('/assets', express.static(assetsDir, { immutable: true, maxAge: '1y', fallthrough: false, redirect: false }), ((_error, _req, res, _next) => {
			refuse(res, 404, 'Không tìm thấy trang', 'Địa chỉ này không tồn tại hoặc đã bị chuyển đi.')
		}) as express.ErrorRequestHandler)
		app.use(express.static(clientDir, { maxAge: '1h', redirect: false }))
	}

	app.all('*', handler)
	// Whatever reaches Express as an error (the Remix handler's own failures included) gets a page without a stack.
	app.use(errorHandler)
	return app
}

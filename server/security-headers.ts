// The security headers of every response, set in one place for Express and for the lesson documents that are
// served in front of it (server.ts). They were helmet 8's defaults with our CSP; written out here because helmet's
// eleven middlewares cost more than the whole lesson page (scripts/bench/learning.ts, decision 009).
import crypto from 'node:crypto'
import { type ServerResponse } from 'node:http'

type Options = { dev: boolean; hsts: boolean }

function contentSecurityPolicy(nonce: string, { dev }: Options) {
	const directives: Array<[string, string]> = [
		['default-src', "'self'"],
		['base-uri', "'self'"],
		['font-src', "'self'"],
		['form-action', "'self'"],
		['frame-ancestors', "'none'"],
		['img-src', "'self' data:"],
		['object-src', "'none'"],
		['script-src', `'self' 'nonce-${nonce}'`],
		['script-src-attr', "'none'"],
		// Vite's dev server injects styles and talks to its HMR socket.
		['style-src', dev ? "'self' 'unsafe-inline'" : "'self'"],
		...(dev ? [['connect-src', "'self' ws:"] as [string, string]] : []),
	]
	return directives.map(([name, value]) => `${name} ${value}`).join(';')
}

/** Headers that never change for a process. */
function fixedHeaders({ hsts }: Options): Array<[string, string]> {
	return [
		['Cross-Origin-Opener-Policy', 'same-origin'],
		['Cross-Origin-Resource-Policy', 'same-origin'],
		['Origin-Agent-Cluster', '?1'],
		// no-referrer (helmet's default) makes browsers send `Origin: null` on form posts, which fails our CSRF check.
		['Referrer-Policy', 'strict-origin-when-cross-origin'],
		['X-Content-Type-Options', 'nosniff'],
		['X-DNS-Prefetch-Control', 'off'],
		['X-Download-Options', 'noopen'],
		['X-Frame-Options', 'SAMEORIGIN'],
		['X-Permitted-Cross-Domain-Policies', 'none'],
		['X-XSS-Protection', '0'],
		...(hsts ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as [string, string]] : []),
	]
}

/** Returns a function that sets the headers on a response and returns the response's CSP nonce. */
export function securityHeaders(options: Options) {
	const fixed = fixedHeaders(options)
	return (res: ServerResponse) => {
		const nonce = crypto.randomBytes(16).toString('base64')
		res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, options))
		for (const [name, value] of fixed) res.setHeader(name, value)
		return nonce
	}
}

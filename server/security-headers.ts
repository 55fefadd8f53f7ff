// The security headers of every response, set in one place for Express and for the lesson documents that are
// served in front of it (server.ts). They were helmet 8's defaults with our CSP; written out here because helmet's
// eleven middlewares cost more than the whole lesson page (scripts/bench/learning.ts, decision 009).
import crypto from 'node:crypto'
import { type ServerResponse } from 'node:http'

type Options = { dev: boolean; hsts: boolean }

function contentSecurityPolicy(nonce: string | null, { dev }: Options) {
	const directives: Array<[string, string]> = [
		['default-src', "'self'"],
		['base-uri', "'self'"],
		['font-src', "'self'"],
		['form-action', "'self'"],
		['frame-ancestors', "'none'"],
		['img-src', "'self' data:"],
		['object-src', "'none'"],
		['script-src', nonce === null ? "'self'" : `'self' 'nonce-${nonce}'`],
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

// Nonces come from a block of random bytes drawn 256 nonces at a time: each randomBytes() call is a trip into
// OpenSSL that cost about a tenth of the CPU of serving a cached lesson page. Every nonce is still 16 fresh
// bytes from the CSPRNG, used once.
const NONCE_BYTES = 16
let pool = Buffer.alloc(0)
let offset = 0

export function nextNonce() {
	if (offset + NONCE_BYTES > pool.length) {
		pool = crypto.randomBytes(NONCE_BYTES * 256)
		offset = 0
	}
	const nonce = pool.toString('base64', offset, offset + NONCE_BYTES)
	offset += NONCE_BYTES
	return nonce
}

/** Returns a function that sets the headers on a response and returns the response's CSP nonce. */
export function securityHeaders(options: Options) {
	const fixed = fixedHeaders(options)
	return (res: ServerResponse) => {
		const nonce = nextNonce()
		res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, options))
		for (const [name, value] of fixed) res.setHeader(name, value)
		return nonce
	}
}

/**
 * The same headers for a document without inline scripts (the lesson documents, decision 009): no nonce is needed,
 * so the whole set is fixed and goes out as one flat [name, value, …] array, as `writeHead` takes it fastest.
 */
export function scriptlessDocumentHeaders(options: Options): Array<string> {
	return [['Content-Security-Policy', contentSecurityPolicy(null, options)], ...fixedHeaders(options)].flat()
}

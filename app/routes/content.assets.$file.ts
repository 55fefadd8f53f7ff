// Images of lessons, copied to build/content/assets/ by the content build and named by content hash.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type LoaderFunctionArgs } from '@remix-run/node'
import { getAssetPath } from '#app/content/courses.server.ts'
import { IMAGE_TYPES } from '#app/content/schema.ts'
import { notFound, pickEncoding } from '#app/ui/http.server.ts'

/**
 * An SVG opened on its own is a document: this policy (enforced together with the app's own) lets it run no script,
 * load nothing and behave as a sandboxed page. content:check already refuses SVGs with scripts, handlers, outside
 * references or embedded HTML (app/content/images.server.ts); this is the second lock.
 */
const SVG_CSP = "default-src 'none'; script-src 'none'; sandbox"

const CACHE_FOREVER = 'public, max-age=31536000, immutable'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const file = getAssetPath(params.file ?? '')
	if (!file) notFound()
	const ext = path.extname(file)
	const type = IMAGE_TYPES[ext] ?? 'application/octet-stream'
	if (ext === '.svg') {
		// Sent as compressed by the build (brotli 11), not compressed again per request.
		const encoding = pickEncoding(request.headers.get('Accept-Encoding'))
		const body = await readFile(encoding === 'br' ? `${file}.br` : encoding === 'gzip' ? `${file}.gz` : file).catch(() => null)
		if (!body) notFound()
		return new Response(body, {
			headers: {
				'Content-Type': type,
				...(encoding ? { 'Content-Encoding': encoding } : {}),
				Vary: 'Accept-Encoding',
				'Cache-Control': CACHE_FOREVER,
				'Content-Security-Policy': SVG_CSP,
			},
		})
	}
	const body = await readFile(file).catch(() => null)
	if (!body) notFound()
	return new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': CACHE_FOREVER } })
}

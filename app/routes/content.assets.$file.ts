// Images of lessons, copied to build/content/assets/ by the content build and named by content hash.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type LoaderFunctionArgs } from '@remix-run/node'
import { getAssetPath } from '#app/content/courses.server.ts'
import { IMAGE_TYPES } from '#app/content/schema.ts'

export async function loader({ params }: LoaderFunctionArgs) {
	const file = getAssetPath(params.file ?? '')
	const body = file ? await readFile(file).catch(() => null) : null
	if (!file || !body) throw new Response('Not Found', { status: 404 })
	return new Response(body, {
		headers: {
			'Content-Type': IMAGE_TYPES[path.extname(file)] ?? 'application/octet-stream',
			'Cache-Control': 'public, max-age=31536000, immutable',
		},
	})
}

// A lesson's compiled MDX as an ES module (see app/content/mdx.tsx): named by content hash, so cached for ever.
import { type LoaderFunctionArgs } from '@remix-run/node'
import { getLessonModule } from '#app/content/courses.server.ts'
import { notFound } from '#app/ui/http.server.ts'

export async function loader({ params }: LoaderFunctionArgs) {
	const hash = /^([a-f0-9]{16})\.js$/.exec(params.file ?? '')?.[1]
	const code = hash ? getLessonModule(hash) : null
	if (!code) notFound()
	return new Response(code, {
		headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable' },
	})
}

// The lesson page, served from rendered documents. See docs/decisions/009-lesson-pages-are-documents.md.
//
// A lesson page is the same for every learner in the same situation: the lesson text, and around it only whether
// someone is signed in, whether they see the audit link, and whether they already finished the lesson. So the page is
// rendered once per situation (by the Remix route itself, through `render`) and kept, compressed, in memory; a view
// then costs one SQL statement that reads the session, roles and progress, instead of a whole Remix render.
//
// Anything unusual (no such lesson, a session to extend or to end, a render that is not a plain 200) returns null and
// the request goes to Remix as usual, which handles it with the same loaders.
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import { isSteadySession, readSessionCookie } from '#app/auth/session.server.ts'
import { contentStamp, getLesson } from '#app/content/courses.server.ts'
import { SlugSchema } from '#app/content/schema.ts'
import { runSql } from '#app/db.server.ts'
import { pickEncoding } from '#app/ui/http.server.ts'
import { type Lang, LANG_COOKIE, langFromCookie } from '#app/ui/i18n.ts'
import { headerLinks, renderedCache } from './page-shell.server.ts'
import { LESSON_VISIT } from './lesson-document.sql.ts'
import { openLesson } from './progress.server.ts'

/** Who the page is for, as far as the page shows it. Also the load context of a template render (see root.tsx). */
export type LessonViewer = { signedIn: boolean; canAudit: boolean; canTeach: boolean; done: boolean }

declare module '@remix-run/node' {
	interface AppLoadContext {
		/** Set only when serveLessonDocument renders a lesson page for a kind of viewer; the request has no session. */
		lessonViewer?: LessonViewer
	}
}

type Rendered = { identity: Buffer; br: Buffer; gzip: Buffer; contentType: string }
/** Renders the lesson route for `viewer`, with `cookie` (only the language) as the request's Cookie header. */
type Render = (cookie: string, viewer: LessonViewer) => Promise<Response>
export type LessonDocument = { status: 200; headers: Record<string, string>; body: Buffer }

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

// Lessons × 2 languages × 6 situations: a few hundred documents of ~20 KB (plus their compressed forms).
const documents = renderedCache<Rendered>(2000)

async function readVisit(sessionId: string, courseSlug: string, lessonSlug: string) {
	const rows = await runSql(LESSON_VISIT, { sessionId, courseSlug, lessonSlug })
	return rows[0] ?? null
}

async function renderDocument(render: Render, lang: Lang, viewer: LessonViewer): Promise<Rendered | null> {
	const response = await render(`${LANG_COOKIE}=${lang}`, viewer)
	const contentType = response.headers.get('Content-Type') ?? ''
	if (response.status !== 200 || !contentType.startsWith('text/html')) {
		await response.body?.cancel()
		return null
	}
	const identity = Buffer.from(await response.arrayBuffer())
	const [br, gz] = await Promise.all([
		brotli(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
		gzipAsync(identity, { level: 9 }),
	])
	return { identity, br, gzip: gz, contentType }
}

/**
 * The lesson page for a GET without query string, or null when Remix should answer. `render` is the Remix handler
 * for this URL with the viewer as load context (server.ts).
 */
export async function serveLessonDocument(input: {
	cookie: string | undefined
	courseSlug: string
	lessonSlug: string
	acceptEncoding: string | undefined
	render: Render
}): Promise<LessonDocument | null> {
	const courseSlug = SlugSchema.safeParse(input.courseSlug)
	const lessonSlug = SlugSchema.safeParse(input.lessonSlug)
	if (!courseSlug.success || !lessonSlug.success) return null
	const found = getLesson(courseSlug.data, lessonSlug.data)
	if (!found) return null
	const lang = langFromCookie(input.cookie)

	let viewer: LessonViewer = { signedIn: false, canAudit: false, canTeach: false, done: false }
	const sessionId = readSessionCookie(input.cookie)
	if (sessionId) {
		const visit = await readVisit(sessionId, found.course.slug, found.lesson.slug)
		if (!visit || !isSteadySession({ status: visit.status, expiresAt: new Date(visit.expiresAtMs) })) return null
		viewer = { signedIn: true, ...headerLinks(visit.roles.map((role) => ({ role }))), done: visit.done }
		if (visit.enrollmentId) {
			const lastActivityAt = visit.lastActivityAtMs === null ? null : new Date(visit.lastActivityAtMs)
			await openLesson(visit.enrollmentId, found.lesson.slug, { opened: visit.opened, lastActivityAt })
		}
	}

	const key = [contentStamp(), found.course.slug, found.lesson.slug, lang, +viewer.signedIn, +viewer.canAudit, +viewer.canTeach, +viewer.done].join('|')
	const rendered = await documents.get(key, () => renderDocument(input.render, lang, viewer))
	if (!rendered) return null
	const encoding = pickEncoding(input.acceptEncoding)
	const headers: Record<string, string> = { 'Content-Type': rendered.contentType, Vary: 'Accept-Encoding, Cookie' }
	if (encoding) headers['Content-Encoding'] = encoding
	const body = encoding === 'br' ? rendered.br : encoding === 'gzip' ? rendered.gzip : rendered.identity
	return { status: 200, headers, body }
}

/** Tests: forget the rendered documents. */
export function clearLessonDocuments() {
	documents.clear()
}

// Personal pages served without a Remix render (decision 027): "Khoá học của tôi" and an open quiz attempt.
//
// Such a page is two parts: the site around it (head, header, footer), the same for every learner who sees the same
// header, and the main content, which is the learner's own. The site around is rendered once per kind of viewer by the
// Remix route itself (a request with no session and `pageShell` as load context: the route then renders <PageSlot/>
// where its content goes) and kept in memory; a view then costs the session statement, the page's own statement and a
// React render of the content alone. Remix answers everything else (sessions to extend or end, unknown ids, query
// strings, renders that are not a plain 200) with the same loaders, so the two ways give the same page
// (tests/learning/personal-pages.test.ts compares them byte for byte).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { type ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { readSteadySession } from '#app/auth/session.server.ts'
import { hasAnyRole } from '#app/auth/permissions.ts'
import { contentStamp } from '#app/content/courses.server.ts'
import { type Role, type UserKind } from '#app/db-types.ts'
import { pickEncoding } from '#app/ui/http.server.ts'
import { type Lang, LANG_COOKIE, langFromCookie } from '#app/ui/i18n.ts'

/** What the site's header shows of a signed-in viewer; the load context of a shell render (root.tsx, the routes). */
export type ShellViewer = { signedIn: true; canAudit: boolean; canTeach: boolean }

declare module '@remix-run/node' {
	interface AppLoadContext {
		/** Set only when a personal page's shell is rendered for a kind of viewer; the request has no session. */
		pageShell?: ShellViewer
	}
}

/** The roles that show the audit and reports links in the header. */
const AUDIT_ROLES: ReadonlyArray<Role> = ['AUDITOR', 'MANAGER', 'YOUTH_ADMIN']
/** The header's "Lớp học" link. */
const TEACH_ROLES: ReadonlyArray<Role> = ['TRAINER']

/** The header's links that depend on a person's grants: the same for root.tsx, lesson documents and shells. */
export function headerLinks(grants: ReadonlyArray<{ role: Role }>) {
	return { canAudit: hasAnyRole(grants, AUDIT_ROLES), canTeach: hasAnyRole(grants, TEACH_ROLES) }
}

/**
 * Renders kept in memory by key, at most `max` (the oldest goes first). A render that fails or gives null is not
 * kept: the next request tries again, and meanwhile Remix answers. Lesson documents and page shells.
 */
export function renderedCache<T>(max: number) {
	const entries = new Map<string, Promise<T | null>>()
	return {
		get(key: string, make: () => Promise<T | null>) {
			let pending = entries.get(key)
			if (!pending) {
				if (entries.size >= max) entries.delete(entries.keys().next().value!)
				pending = make().catch(() => null)
				entries.set(key, pending)
				void pending.then((made) => {
					if (!made && entries.get(key) === pending) entries.delete(key)
				})
			}
			return pending
		},
		clear: () => entries.clear(),
	}
}

/** Where a personal page's own content goes in its shell. */
export const SLOT = '<template id="vms-page-slot"></template>'

/** The signed-in viewer of a request that needs nothing written or sent about its session, else null (Remix answers). */
export type Visitor = { userId: string; kind: UserKind; lang: Lang; viewer: ShellViewer }

export async function readVisitor(cookie: string | undefined): Promise<Visitor | null> {
	const session = await readSteadySession(cookie)
	if (!session) return null
	return {
		userId: session.userId,
		kind: session.kind,
		lang: langFromCookie(cookie),
		viewer: { signedIn: true, ...headerLinks(session.roles.map((role) => ({ role }))) },
	}
}

/** Renders `path` through Remix with `cookie` (only the language) and the viewer as load context (server.ts). */
export type RenderShell = (path: string, cookie: string, viewer: ShellViewer) => Promise<Response>

type Shell = { before: string; after: string }

// Pages × courses × 2 languages × 4 kinds of header: a few hundred strings of a few KB.
const shells = renderedCache<Shell>(1000)

async function renderShell(render: RenderShell, path: string, lang: Lang, viewer: ShellViewer): Promise<Shell | null> {
	const response = await render(path, `${LANG_COOKIE}=${lang}`, viewer)
	if (response.status !== 200 || !(response.headers.get('Content-Type') ?? '').startsWith('text/html')) {
		await response.body?.cancel()
		return null
	}
	const html = await response.text()
	const at = html.indexOf(SLOT)
	if (at < 0 || html.indexOf(SLOT, at + 1) >= 0) return null
	return { before: html.slice(0, at), after: html.slice(at + SLOT.length) }
}

/**
 * The shell of `page` for this viewer: rendered from `path` on first use and kept. `path` may contain a placeholder
 * where the real URL has an id (the header's language switch sends the learner back to the page); personalPage puts
 * the id back.
 */
function shellFor(page: string, path: string, visitor: Visitor, render: RenderShell) {
	const { lang, viewer } = visitor
	const key = [contentStamp(), page, lang, +viewer.canAudit, +viewer.canTeach].join('|')
	return shells.get(key, () => renderShell(render, path, lang, viewer))
}

export type PersonalPage = { status: 200; headers: Record<string, string>; body: Buffer }

/**
 * The page: the shell of `page` around `content`, compressed as the browser accepts. `placeholder`/`value`: an id the
 * shell was rendered without (see shellFor); the value must be plain URL characters.
 */
export async function personalPage(input: {
	page: string
	path: string
	visitor: Visitor
	render: RenderShell
	content: ReactElement
	acceptEncoding: string | undefined
	placeholder?: { text: string; value: string }
}): Promise<PersonalPage | null> {
	const shell = await shellFor(input.page, input.path, input.visitor, input.render)
	if (!shell) return null
	// renderToString, not renderToStaticMarkup: the same text separators as the route's render, so the bytes match.
	const content = renderToString(input.content)
	const { placeholder } = input
	const around = placeholder ? { before: shell.before.replaceAll(placeholder.text, placeholder.value), after: shell.after.replaceAll(placeholder.text, placeholder.value) } : shell
	const html = Buffer.from(around.before + content + around.after)
	// Quality 4 and level 6: what compression() uses for the pages Remix renders; a page is compressed once, per view.
	const encoding = pickEncoding(input.acceptEncoding)
	const body =
		encoding === 'br'
			? brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: html.length } })
			: encoding === 'gzip'
				? gzipSync(html, { level: 6 })
				: html
	const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8', Vary: 'Accept-Encoding, Cookie' }
	if (encoding) headers['Content-Encoding'] = encoding
	return { status: 200, headers, body }
}

/** Tests: forget the rendered shells. */
export function clearPageShells() {
	shells.clear()
}

import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import {
	Form,
	isRouteErrorResponse,
	Link,
	Links,
	Meta,
	Outlet,
	Scripts,
	ScrollRestoration,
	useLocation,
	useMatches,
	useRouteLoaderData,
} from '@remix-run/react'
import { type ReactNode } from 'react'
import { getGrants } from './auth/permissions.server.ts'
import { getSession } from './auth/session.server.ts'
import { DatabaseUnavailablePage, isDatabaseUnavailable } from './ui/database-unavailable.tsx'
import { GeneralErrorBoundary, statusPage } from './ui/error-boundary.tsx'
import stylesheet from './tailwind.css?url'
import { clientCatalogue } from './ui/i18n.server.ts'
import { headerLinks } from './learning/page-shell.server.ts'
import { langFromRequest, useLang, useT, type Lang } from './ui/i18n.ts'
import { useNonce } from './ui/nonce.ts'

export const links: LinksFunction = () => [
	{ rel: 'stylesheet', href: stylesheet },
	{ rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
]

// Error pages need a title too (pages that render normally set their own).
export const meta: MetaFunction = ({ error }) => {
	if (!error) return [{ title: 'Văn Minh Số' }]
	const status = isRouteErrorResponse(error) ? error.status : 500
	const title =
		status === 403
			? 'Không có quyền truy cập'
			: status === 404
				? 'Không tìm thấy trang'
				: isRouteErrorResponse(error) && isDatabaseUnavailable(error.data)
					? 'Mất kết nối tới cơ sở dữ liệu'
					: 'Đã có lỗi xảy ra'
	return [{ title: `${title} | Văn Minh Số` }]
}

export async function loader({ request, context }: LoaderFunctionArgs) {
	const lang = langFromRequest(request)
	// A lesson page or a personal page's shell rendered for a kind of viewer (app/learning/lesson-document.server.ts,
	// app/learning/page-shell.server.ts): no session to read.
	const viewer = context.lessonViewer ?? context.pageShell
	if (viewer) return json({ lang, messages: clientCatalogue(lang), signedIn: viewer.signedIn, canAudit: viewer.canAudit, canTeach: viewer.canTeach })
	const session = await getSession(request)
	const grants = session ? await getGrants(request, session.user.id) : []
	const headers = new Headers()
	if (session?.setCookie) headers.append('Set-Cookie', session.setCookie)
	return json(
		{
			lang,
			messages: clientCatalogue(lang, { admin: grants.length > 0 }),
			signedIn: !!session,
			// Teachers (and administrators) reach their classes from the header; a school's managers from its unit page.
			...headerLinks(grants),
		},
		{ headers },
	)
}

function Header() {
	const data = useRouteLoaderData<typeof loader>('root')
	const t = useT()
	const lang = useLang()
	const location = useLocation()
	const here = `${location.pathname}${location.search}`
	return (
		<header className="no-print border-b border-gray-300 bg-white">
			<div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-3">
				<Link to="/" className="text-lg font-bold text-brand-800 no-underline">
					{t('app.name')}
				</Link>
				<nav aria-label={t('nav.main')} className="flex flex-wrap items-center gap-3 text-sm">
					<Link to="/courses">{t('nav.courses')}</Link>
					{data?.signedIn ? (
						<>
							<Link to="/my-courses">{t('nav.myCourses')}</Link>
							<Link to="/certificates">{t('nav.certificates')}</Link>
							<Link to="/account">{t('nav.account')}</Link>
							{data.canTeach ? <Link to="/teach">{t('nav.classes')}</Link> : null}
							{data.canAudit ? <Link to="/reports">{t('nav.reports')}</Link> : null}
							{data.canAudit ? <Link to="/admin/audit">{t('nav.audit')}</Link> : null}
							<Form method="post" action="/logout">
								<button type="submit" className="underline underline-offset-2 text-brand-700 cursor-pointer min-h-11">
									{t('nav.logout')}
								</button>
							</Form>
						</>
					) : (
						<>
							<Link to="/verify">{t('nav.verify')}</Link>
							<Link to="/login">{t('nav.login')}</Link>
						</>
					)}
					<Form method="post" action="/set-language">
						<input type="hidden" name="lang" value={lang === 'vi' ? 'en' : 'vi'} />
						<input type="hidden" name="redirectTo" value={here} />
						<button type="submit" className="btn-secondary btn min-h-9 px-2 py-1 text-sm" lang={lang === 'vi' ? 'en' : 'vi'}>
							{t('nav.switchTo')}
						</button>
					</Form>
				</nav>
			</div>
		</header>
	)
}

/**
 * Pages whose route says `handle = { document: true }` are sent without the app's JavaScript: they work as plain
 * HTML (forms post, links load pages) and are smaller on slow links. In the browser this is always true: a page
 * that runs React (after client-side navigation) keeps its scripts.
 */
function useHydrate() {
	const matches = useMatches()
	return typeof document !== 'undefined' || !matches.some((m) => isDocumentHandle(m.handle))
}

function isDocumentHandle(handle: unknown) {
	return typeof handle === 'object' && handle !== null && 'document' in handle && handle.document === true
}

/**
 * The small static scripts a document page asks for in `handle.scripts` (e.g. the quiz's answer saving): plain files
 * in public/, allowed by the CSP as the site's own, and the page works without them.
 */
function useDocumentScripts() {
	return useMatches().flatMap((m) => {
		const handle = m.handle as { scripts?: unknown } | undefined
		return Array.isArray(handle?.scripts) ? handle.scripts.filter((src): src is string => typeof src === 'string') : []
	})
}

/** Pages whose route says `handle = { bare: true }` (the projector) fill the screen: no site header or footer. */
function useBare() {
	return useMatches().some((m) => typeof m.handle === 'object' && m.handle !== null && 'bare' in m.handle && m.handle.bare === true)
}

function Document({ lang, children }: { lang: Lang; children: ReactNode }) {
	const nonce = useNonce()
	const t = useT()
	const hydrate = useHydrate()
	const scripts = useDocumentScripts()
	const bare = useBare()
	return (
		<html lang={lang}>
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<Meta />
				<Links />
				<script src="/print-details.js" defer />
				{hydrate ? null : scripts.map((src) => <script key={src} src={src} defer />)}
			</head>
			<body className="flex min-h-screen flex-col bg-gray-50 text-gray-900">
				<a
					href="#main"
					className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
				>
					{t('nav.skip')}
				</a>
				{children}
				{bare ? null : (
					<footer className="no-print mt-auto border-t border-gray-300 bg-white">
						<p className="mx-auto max-w-5xl px-4 py-4 text-sm text-gray-700">
							{t('footer.text')} <Link to="/privacy">{t('privacy.link')}</Link>
						</p>
					</footer>
				)}
				{hydrate ? (
					<>
						<ScrollRestoration nonce={nonce} />
						<Scripts nonce={nonce} />
					</>
				) : null}
			</body>
		</html>
	)
}

export function Layout({ children }: { children: ReactNode }) {
	const lang = useLang()
	return <Document lang={lang}>{children}</Document>
}

export default function App() {
	const bare = useBare()
	if (bare)
		return (
			<main id="main" tabIndex={-1} className="flex w-full flex-1 flex-col">
				<Outlet />
			</main>
		)
	return (
		<>
			<Header />
			<main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
				<Outlet />
			</main>
		</>
	)
}

export function ErrorBoundary() {
	return (
		<>
			<Header />
			<main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
				<GeneralErrorBoundary
					statusHandlers={{
						// The database connection dropped (server/db-unavailable.ts): "not saved, try again", not a generic error.
						503: ({ error }) => (isDatabaseUnavailable(error.data) ? <DatabaseUnavailablePage data={error.data} /> : statusPage(500)),
					}}
				/>
			</main>
		</>
	)
}

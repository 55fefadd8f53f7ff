// The page for a request that the database connection dropped under (issue 17 item 6): server/db-unavailable.ts
// throws a 503 with this payload, the root ErrorBoundary shows it. It says plainly that nothing was saved and offers
// "Thử lại" as plain HTML: a form that posts the same fields again, or a link, so it works without JavaScript.
import { useT } from './i18n.ts'

export type DatabaseUnavailable = {
	reason: 'database-connection'
	/** The method of the request that failed: a GET is reloaded, a form is sent again. */
	method: 'GET' | 'POST'
	/** Where "Thử lại" goes for a GET, or the form's own page when its fields cannot be sent again. */
	href: string
	/** A form that can be posted again as it was: its address (with `?index` for an index route) and fields. */
	repost: { action: string; fields: Array<[string, string]> } | null
}

export function isDatabaseUnavailable(data: unknown): data is DatabaseUnavailable {
	return typeof data === 'object' && data !== null && (data as { reason?: unknown }).reason === 'database-connection'
}

export function DatabaseUnavailablePage({ data }: { data: DatabaseUnavailable }) {
	const t = useT()
	return (
		<>
			<h1 className="mb-3 text-2xl font-bold">{t('error.db.title')}</h1>
			<p className="mb-4">{data.method === 'GET' ? t('error.db.read') : t('error.db.write')}</p>
			{data.repost ? (
				// A plain form (not Remix's): posted as a document, with or without JavaScript.
				<form method="post" action={data.repost.action} className="mb-4">
					{data.repost.fields.map(([name, value], i) => (
						<input key={`${name}-${i}`} type="hidden" name={name} value={value} />
					))}
					<p className="mb-3">{t('error.db.repost')}</p>
					<button type="submit" className="btn">
						{t('error.db.retry')}
					</button>
				</form>
			) : (
				<>
					{data.method === 'POST' ? <p className="mb-3">{t('error.db.refill')}</p> : null}
					<p className="mb-4">
						{/* A document load, not a client navigation: the page and its data come fresh from the server. */}
						<a href={data.href} className="btn">
							{t('error.db.retry')}
						</a>
					</p>
				</>
			)}
			<p>
				<a href="/">{t('error.backHome')}</a>
			</p>
		</>
	)
}

// The page shown instead of a route that failed: one handler per HTTP status (a route may replace any of them, or
// add its own), and the same page for every unexpected error. Loaders say "there is nothing here" with notFound()
// (app/ui/http.server.ts) so that every 404 comes from one place and reaches the 404 handler.
import { type ErrorResponse, isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { type ReactNode } from 'react'
import { useT } from './i18n.ts'

export type StatusHandler = (info: { error: ErrorResponse }) => ReactNode

/** Statuses with their own words in the catalogue (error.403.title …); any other status reads as a 500. */
const KNOWN = ['403', '404', '413'] as const
type Known = (typeof KNOWN)[number] | '500'

function ErrorText({ status }: { status: Known }) {
	const t = useT()
	return (
		<>
			<h1 className="mb-3 text-2xl font-bold">{t(`error.${status}.title`)}</h1>
			<p className="mb-4">{t(`error.${status}.text`)}</p>
			<p>
				<Link to="/">{t('error.backHome')}</Link>
			</p>
		</>
	)
}

/** The catalogue's page for a status: forbidden, not found, too large, or the general error. */
export function statusPage(status: number): ReactNode {
	const key = (KNOWN as ReadonlyArray<string>).includes(String(status)) ? (String(status) as Known) : '500'
	return <ErrorText status={key} />
}

export const DEFAULT_STATUS_HANDLERS: Record<number, StatusHandler> = {
	403: () => statusPage(403),
	404: () => statusPage(404),
	413: () => statusPage(413),
}

/**
 * Renders the handler for the error's status (`statusHandlers` over the defaults), `defaultStatusHandler` for any
 * other status, `unexpectedErrorHandler` for a thrown Error (logged on the server, never shown: it may hold data).
 */
export function GeneralErrorBoundary({
	statusHandlers,
	defaultStatusHandler = () => statusPage(500),
	unexpectedErrorHandler = () => statusPage(500),
}: {
	statusHandlers?: Record<number, StatusHandler>
	defaultStatusHandler?: StatusHandler
	unexpectedErrorHandler?: (error: unknown) => ReactNode
}) {
	const error = useRouteError()
	if (!isRouteErrorResponse(error)) {
		if (typeof document === 'undefined') console.error(error)
		return <>{unexpectedErrorHandler(error)}</>
	}
	const handler = statusHandlers?.[error.status] ?? DEFAULT_STATUS_HANDLERS[error.status]
	// A status nobody expected is a fault to look into, like a thrown Error.
	if (!handler && typeof document === 'undefined') console.error(error)
	return <>{(handler ?? defaultStatusHandler)({ error })}</>
}

// Makes a live session page follow its state URL: /join/follow.js polls it and reloads the page when the state
// changed; without JavaScript, the page refreshes itself every `refreshSeconds` (in <noscript> only: an unconditional
// refresh fails WCAG 2.2.1 for everyone).
export function Follow({ url, state, refreshSeconds }: { url: string; state: string; refreshSeconds: number }) {
	return (
		<div data-follow={url} data-state={state}>
			<script src="/join/follow.js" defer />
			<noscript>
				<meta httpEquiv="refresh" content={String(refreshSeconds)} />
			</noscript>
		</div>
	)
}

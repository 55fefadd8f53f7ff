// A few lines of progressive enhancement for the students' session page (a plain document without the app's
// scripts) and the teacher's live pages: ask every 3 s for the page's state and reload when it changed (the teacher
// moved on, a student joined or answered). Without JavaScript the
// page refreshes itself (<noscript> meta refresh) instead: an unconditional refresh fails WCAG 2.2.1 for everyone. Served as a file because the CSP allows no inline script.
const SCRIPT = `(() => {
	const root = document.querySelector('[data-follow]')
	if (!root) return
	const url = root.getAttribute('data-follow')
	const state = root.getAttribute('data-state')
	const tick = () => fetch(url, { cache: 'no-store', credentials: 'same-origin' })
		.then((r) => (r.ok ? r.json() : null))
		.then((s) => {
			if (s && s.state !== state) location.reload()
			else setTimeout(tick, 3000)
		})
		.catch(() => setTimeout(tick, 6000))
	setTimeout(tick, 3000)
})()
`

export function loader() {
	return new Response(SCRIPT, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' } })
}

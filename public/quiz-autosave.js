// Saves each quiz answer as soon as it is chosen, so that a closed tab or a lost connection keeps what was answered.
// The quiz page is a document without the app's scripts (decision 027); this file is all the JavaScript it has, and
// the page works without it (every answer is also sent with the submission). Posts to the route's data URL, as the
// app's own forms do, with the page's origin (the server refuses cross-site posts).
;(function () {
	if (window.__vmsQuizAutosave || !window.fetch || !window.URLSearchParams) return
	// Also tells end-to-end tests that answers are being saved as they are chosen.
	window.__vmsQuizAutosave = true
	document.addEventListener('change', function (event) {
		var input = event.target
		if (!input || input.type !== 'radio' || !input.form || !input.form.hasAttribute('data-autosave')) return
		var body = new URLSearchParams()
		body.set('intent', 'save')
		body.set(input.name, input.value)
		fetch(window.location.pathname + '.data', { method: 'POST', body: body, credentials: 'same-origin' }).catch(function () {
			// Not saved now: the submission sends it.
		})
	})
})()

// Closed <details> (scenario feedback in lessons) do not print: open them while printing, close them afterwards.
// A plain script, so that pages sent without the app's JavaScript (lessons) print the same as the others.
;(function () {
	if (window.__vmsPrintDetails) return
	window.__vmsPrintDetails = true
	var opened = []
	window.addEventListener('beforeprint', function () {
		var closed = document.querySelectorAll('main details:not([open])')
		for (var i = 0; i < closed.length; i++) {
			closed[i].open = true
			opened.push(closed[i])
		}
	})
	window.addEventListener('afterprint', function () {
		while (opened.length) opened.pop().open = false
	})
})()

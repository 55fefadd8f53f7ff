// The plain Vietnamese pages the HTTP layer answers with before (or instead of) Remix: a request refused at the
// edge (cross-site form, body too large).
import type express from 'express'

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

export function refusalPage(title: string, text: string) {
	return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><main><h1>${escape(title)}</h1><p>${escape(text)}</p><p><a href="/">Về trang chủ</a></p></main></body></html>`
}

/**
 * Answers with a Vietnamese page. `close` ends the connection after the answer: for a body that is not going to
 * be read, so that the client stops sending it and the connection cannot be reused mid-body.
 */
export function refuse(res: express.Response, status: number, title: string, text: string, { close = false } = {}) {
	if (res.headersSent) return
	if (close) res.set('Connection', 'close')
	res.status(status).type('html').send(refusalPage(title, text))
}

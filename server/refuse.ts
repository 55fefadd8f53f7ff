// The plain Vietnamese pages the HTTP layer answers with before (or instead of) Remix: a request refused at the
// edge (cross-site form, body too large) and any error that reaches Express. Express's own
// error page prints the stack and absolute paths whenever NODE_ENV is not "production"; this one never does.
import type express from 'express'

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

export function refusalPage(title: string, text: string) {
	return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><main><h1>${escape(title)}</h1><p>${escape(text)}</p><p><a href="/">Về trang chủ</a></p></main></body></html>`
}

/** How long a refused request may go on sending its body (read and dropped) before its connection is cut. */
export const LINGER_MS = 2000

/**
 * Answers with a Vietnamese page. `unread`: the request's body will not be used. It is read and dropped, for at
 * most LINGER_MS after the answer, then the connection is closed. Closing at once would reset a connection
 * whose client is still sending, and a reset can destroy the answer before the client reads it (nginx's
 * "lingering close" for the same reason).
 */
export function refuse(res: express.Response, status: number, title: string, text: string, { unread = false } = {}) {
	if (res.headersSent) return
	if (unread) {
		const req = res.req
		res.once('finish', () => {
			if (req.complete) return
			req.resume()
			const timer = setTimeout(() => req.socket.destroy(), LINGER_MS)
			req.once('end', () => clearTimeout(timer))
			req.socket.once('close', () => clearTimeout(timer))
		})
	}
	res.status(status).type('html').send(refusalPage(title, text))
}

const PAGES: Record<number, [string, string]> = {
	400: ['Yêu cầu không hợp lệ', 'Địa chỉ hoặc dữ liệu gửi lên không đúng định dạng. Không có dữ liệu nào bị thay đổi.'],
	403: ['Không được phép truy cập', 'Bạn không có quyền xem địa chỉ này.'],
	404: ['Không tìm thấy trang', 'Địa chỉ này không tồn tại hoặc đã bị chuyển đi.'],
	405: ['Phương thức không được hỗ trợ', 'Địa chỉ này không nhận loại yêu cầu đó.'],
	500: ['Đã có lỗi xảy ra', 'Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút.'],
}

/** Express's last error handler: a status and a Vietnamese page, never a stack trace or a file path. */
export const errorHandler: express.ErrorRequestHandler = (error: unknown, _req, res, next) => {
	const given = typeof error === 'object' && error ? Number((error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode) : NaN
	const status = given >= 400 && given < 500 ? given : 500
	if (status === 500) console.error(error)
	if (res.headersSent) {
		// Too late for a page: end the response so the client sees it cut short, as Express would.
		next(error)
		return
	}
	const [title, text] = PAGES[status] ?? PAGES[400]!
	refuse(res, status, title, text)
}

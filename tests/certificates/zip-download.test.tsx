// @vitest-environment jsdom
// The ZIP button with JavaScript: progress against the estimate while the archive streams in, cancel, the file
// saved under the server's name at the end, and the server's "nothing to download" answer shown as a page.
import { createRemixStub } from '@remix-run/testing'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { ZipDownload } from '#app/certificates/zip-download.tsx'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'

const HREF = '/certificates/unit/5/zip?status=all'
const ESTIMATE = 100 * 38_000

/** A streamed ZIP response the test feeds chunk by chunk; aborting the fetch fails the stream, as browsers do. */
function streamedZip(signal: AbortSignal) {
	let controller!: ReadableStreamDefaultController<Uint8Array>
	const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) })
	signal.addEventListener('abort', () => controller.error(new DOMException('The user aborted a request.', 'AbortError')))
	const response = new Response(body, {
		headers: { 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment; filename="chung-nhan_SVHTTDL_2026-11-23.zip"' },
	})
	return { response, push: (bytes: number, fill = 0) => controller.enqueue(new Uint8Array(bytes).fill(fill)), end: () => controller.close(), fail: () => controller.error(new TypeError('network error')) }
}

let zip: ReturnType<typeof streamedZip> | null = null
let responder: (signal: AbortSignal) => Response
const saved: Array<{ name: string; href: string }> = []
const blobs: Array<Blob> = []

beforeEach(() => {
	zip = null
	saved.length = 0
	blobs.length = 0
	responder = (signal) => {
		zip = streamedZip(signal)
		return zip.response
	}
	vi.stubGlobal('fetch', vi.fn((_url: string, init: RequestInit) => Promise.resolve(responder(init.signal!))))
	// jsdom has no object URLs and does not download: record what would be saved.
	URL.createObjectURL = (blob: Blob) => {
		blobs.push(blob)
		return `blob:http://localhost/${blobs.length}`
	}
	URL.revokeObjectURL = () => undefined
	vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
		saved.push({ name: this.download, href: this.href })
	})
})
afterEach(() => {
	cleanup()
	vi.unstubAllGlobals()
	vi.restoreAllMocks()
})

function renderButton() {
	const root = { lang: 'vi', messages: viAdmin }
	const Stub = createRemixStub([
		{
			id: 'root',
			path: '/',
			loader: () => root,
			children: [
				{ path: '/certificates/unit/:unitId', Component: () => <ZipDownload href={HREF} label="Tải tất cả dạng ZIP" estimateBytes={ESTIMATE} /> },
				{ path: '/certificates/unit/:unitId/list', Component: () => <p>Trang danh sách</p> },
			],
		},
	])
	return render(<Stub initialEntries={['/certificates/unit/5']} hydrationData={{ loaderData: { root } }} />)
}

async function until(check: () => boolean) {
	for (let i = 0; i < 100 && !check(); i++) await act(() => new Promise((r) => setTimeout(r, 10)))
}

test('without a click nothing is fetched: the button is a plain download link that works without JavaScript', () => {
	renderButton()
	const link = screen.getByRole('link', { name: 'Tải tất cả dạng ZIP' })
	expect(link).toHaveAttribute('href', HREF)
	expect(link).toHaveAttribute('download')
	expect(fetch).not.toHaveBeenCalled()
	expect(screen.getByRole('status')).toBeEmptyDOMElement()
})

test('while the ZIP streams in, the page shows the megabytes received against the estimate; at the end the file is saved', async () => {
	renderButton()
	fireEvent.click(screen.getByRole('link', { name: 'Tải tất cả dạng ZIP' }))
	await until(() => zip !== null)
	expect(fetch).toHaveBeenCalledWith(HREF, expect.objectContaining({ credentials: 'same-origin' }))
	await act(async () => zip!.push(900_000))
	await until(() => screen.queryByText(/đã nhận 0,9 MB/) !== null)
	expect(screen.getByRole('status')).toHaveTextContent('Đang tạo và tải tệp nén: đã nhận 0,9 MB / khoảng 3,8 MB (23%).')
	const bar = screen.getByRole('progressbar', { name: 'Tiến độ tải tệp nén' })
	expect(bar).toHaveAttribute('max', String(ESTIMATE))
	expect(bar).toHaveAttribute('value', '900000')
	// A second click meanwhile starts nothing.
	fireEvent.click(screen.getByRole('link', { name: 'Tải tất cả dạng ZIP' }))
	expect(fetch).toHaveBeenCalledTimes(1)

	await act(async () => {
		zip!.push(4_000_000, 1)
		zip!.push(4_100_000, 2)
		zip!.push(10_000, 3)
		zip!.end()
	})
	await until(() => saved.length > 0)
	expect(saved).toEqual([{ name: 'chung-nhan_SVHTTDL_2026-11-23.zip', href: 'blob:http://localhost/1' }])
	// Past 8 MB the chunks were gathered into a Blob on the way; the file is still whole and in order.
	expect(blobs[0]!.size).toBe(9_010_000)
	const bytes = new Uint8Array(await blobs[0]!.arrayBuffer())
	expect([bytes[899_999], bytes[900_000], bytes[4_899_999], bytes[4_900_000], bytes[8_999_999], bytes[9_000_000], bytes[9_009_999]]).toEqual([0, 1, 1, 2, 2, 3, 3])
	expect(blobs[0]!.type).toBe('application/zip')
	expect(screen.getByRole('status')).toHaveTextContent('Đã tải xong tệp nén (9,0 MB).')
	expect(screen.queryByRole('progressbar')).toBeNull()
})

test('cancel stops the download and saves nothing; a broken connection says the download failed', async () => {
	renderButton()
	fireEvent.click(screen.getByRole('link', { name: 'Tải tất cả dạng ZIP' }))
	await until(() => zip !== null)
	await act(async () => zip!.push(100_000))
	fireEvent.click(await screen.findByRole('button', { name: 'Huỷ' }))
	await until(() => screen.queryByText('Đã huỷ tải tệp nén.') !== null)
	expect(screen.getByRole('status')).toHaveTextContent('Đã huỷ tải tệp nén.')
	expect(saved).toEqual([])

	zip = null
	fireEvent.click(screen.getByRole('link', { name: 'Tải tất cả dạng ZIP' }))
	await until(() => zip !== null)
	await act(async () => zip!.fail())
	await until(() => screen.queryByText(/không thành công/) !== null)
	expect(screen.getByRole('status')).toHaveTextContent('Tải tệp nén không thành công. Vui lòng thử lại.')
	expect(saved).toEqual([])
})

test('when the server answers with the list page instead of a ZIP (nothing to download), that page is shown', async () => {
	responder = () => {
		const page = new Response('<!doctype html><p>Không có chứng nhận nào phù hợp để tải về.</p>', { headers: { 'Content-Type': 'text/html; charset=utf-8' } })
		// fetch followed the server's redirect; the URL it ended on is where the message is.
		Object.defineProperty(page, 'url', { value: 'http://localhost/certificates/unit/5/list?status=all&zip=empty' })
		return page
	}
	renderButton()
	fireEvent.click(screen.getByRole('link', { name: 'Tải tất cả dạng ZIP' }))
	expect(await screen.findByText('Trang danh sách')).toBeInTheDocument()
	expect(saved).toEqual([])
})

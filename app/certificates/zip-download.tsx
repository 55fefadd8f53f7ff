// The "download all as ZIP" button of a unit. Without JavaScript it is a plain link: the browser streams the file
// into its download bar, which shows the megabytes received but no percentage (the size is known only at the end,
// see zip.server.ts), and the page states the count and the estimated size next to it. With JavaScript the page
// shows a progress bar against that estimate, with a cancel button, and saves the file when it is complete.
// The file is held by the browser until it is complete and saved (≈ 38 KB a certificate, 190 MB at the 5,000 cap);
// a modified click (new tab, "save link as") still gets the plain download.
import { useNavigate } from '@remix-run/react'
import { type MouseEvent, useRef, useState } from 'react'
import { useLang, useT } from '#app/ui/i18n.ts'

type Phase = { name: 'idle' } | { name: 'loading'; received: number } | { name: 'done'; received: number } | { name: 'failed' } | { name: 'cancelled' }

/** The name the server gave the file (ASCII, see zipFileName), or a fallback. */
function fileNameOf(response: Response) {
	return /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'chung-nhan.zip'
}

export function ZipDownload({ href, label, estimateBytes }: { href: string; label: string; estimateBytes: number }) {
	const t = useT()
	const lang = useLang()
	const navigate = useNavigate()
	const [phase, setPhase] = useState<Phase>({ name: 'idle' })
	const controller = useRef<AbortController | null>(null)
	const megabytes = (bytes: number) => (bytes / 1_000_000).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 })

	async function download(event: MouseEvent<HTMLAnchorElement>) {
		if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
		event.preventDefault()
		// A second click while the first download runs must not start another one.
		if (controller.current) return
		const abort = new AbortController()
		controller.current = abort
		setPhase({ name: 'loading', received: 0 })
		try {
			const response = await fetch(href, { signal: abort.signal, credentials: 'same-origin' })
			// Nothing to download, or too much: the server sent us back to the list with a message; show that page.
			if (!response.ok || !response.body || !(response.headers.get('Content-Type') ?? '').startsWith('application/zip')) {
				const url = new URL(response.url)
				navigate(`${url.pathname}${url.search}`)
				setPhase({ name: 'idle' })
				return
			}
			const reader = response.body.getReader()
			// Gathered into a Blob every few megabytes: the browser keeps blobs outside the script's heap and may move
			// large ones to disk, which old office PCs with little memory need for a ZIP of thousands of certificates.
			const parts: Array<Blob> = []
			let chunks: Array<Uint8Array> = []
			let pending = 0
			let received = 0
			let shownAt = 0
			while (true) {
				const { done, value } = await reader.read()
				if (done) break
				chunks.push(value)
				received += value.length
				pending += value.length
				if (pending > 8_000_000) {
					parts.push(new Blob(chunks as Array<BlobPart>))
					chunks = []
					pending = 0
				}
				// A few repaints a second, not one per chunk.
				if (performance.now() - shownAt > 250) {
					shownAt = performance.now()
					setPhase({ name: 'loading', received })
				}
			}
			const url = URL.createObjectURL(new Blob([...parts, ...(chunks as Array<BlobPart>)], { type: 'application/zip' }))
			const link = document.createElement('a')
			link.href = url
			link.download = fileNameOf(response)
			document.body.append(link)
			link.click()
			link.remove()
			// Revoked later: some browsers read the blob after click() has returned.
			setTimeout(() => URL.revokeObjectURL(url), 60_000)
			setPhase({ name: 'done', received })
		} catch {
			setPhase(abort.signal.aborted ? { name: 'cancelled' } : { name: 'failed' })
		} finally {
			controller.current = null
		}
	}

	const loading = phase.name === 'loading'
	// The estimate may be a little low: hold the bar just short of full until the last byte has arrived.
	const shown = loading ? Math.min(phase.received, estimateBytes * 0.99) : 0
	return (
		<div>
			<a href={href} className="btn" download onClick={download} aria-disabled={loading || undefined}>
				{label}
			</a>
			<div role="status" className="mt-3 max-w-xl">
				{loading ? (
					<>
						<progress className="progress" max={estimateBytes} value={shown} aria-label={t('cert.zip.progressLabel')} />
						<p className="mt-1 text-sm">
							{t('cert.zip.progress', {
								received: megabytes(phase.received),
								total: megabytes(estimateBytes),
								percent: Math.floor((shown / Math.max(1, estimateBytes)) * 100),
							})}{' '}
							<button type="button" className="underline" onClick={() => controller.current?.abort()}>
								{t('cert.zip.cancel')}
							</button>
						</p>
					</>
				) : phase.name === 'done' ? (
					<p className="text-sm">{t('cert.zip.done', { size: megabytes(phase.received) })}</p>
				) : phase.name === 'failed' ? (
					<p className="text-sm text-red-800">{t('cert.zip.failed')}</p>
				) : phase.name === 'cancelled' ? (
					<p className="text-sm">{t('cert.zip.cancelled')}</p>
				) : null}
			</div>
		</div>
	)
}

import { type LoaderFunctionArgs } from '@remix-run/node'
import { requireCertificate } from '#app/certificates/access.server.ts'
import { certificateFileName } from '#app/certificates/names.ts'
import { renderCertificatePdf } from '#app/certificates/pdf.server.ts'
import { ensureAuthentic, pdfDataFor } from '#app/certificates/records.server.ts'
import { langFromRequest } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'

// GET /certificates/:serial/pdf — the holder (or a manager of their unit) downloads the PDF, rendered on demand.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const { certificate } = await requireCertificate(request, params.serial ?? '')
	const t = translator(langFromRequest(request))
	const refuse = (status: number, text: string) =>
		new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
	// A revoked certificate must not circulate again; an altered row must not be printed as genuine.
	if (certificate.revokedAt) return refuse(410, t('cert.pdf.revoked'))
	if (!(await ensureAuthentic(certificate))) return refuse(409, t('cert.pdf.invalid'))
	const pdf = await renderCertificatePdf(await pdfDataFor(certificate, request))
	// A copy typed as ArrayBuffer-backed, which the DOM's BodyInit insists on (≈ 40 KB).
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(pdf.length),
			'Content-Disposition': `attachment; filename="${certificateFileName(certificate.holderName, certificate.serial)}"`,
			'Cache-Control': 'private, no-store',
		},
	})
}

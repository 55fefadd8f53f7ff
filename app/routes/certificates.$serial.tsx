import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireCertificate } from '#app/certificates/access.server.ts'
import { certificateJson } from '#app/certificates/certificate-table.tsx'
import { ensureAuthentic, successorSerial } from '#app/certificates/records.server.ts'
import { reissueCertificate, revokeCertificate } from '#app/certificates/revoke.server.ts'
import { CertificateActionSchema } from '#app/certificates/schema.ts'
import { certificateState } from '#app/certificates/validity.ts'
import { ConfirmCard, Field, FormErrors } from '#app/ui/form.tsx'
import { formatVnDate } from '#app/ui/dates.ts'
import { langFromRequest, useT } from '#app/ui/i18n.ts'
import { translator } from '#app/ui/i18n.server.ts'
import { Facts, Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('title.certificate'))

// The holder's view of a certificate, with its PDF; managers of the holder's unit see it too, and an ADMIN over
// that unit may revoke it or reissue it under a corrected name.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const { certificate: c, canManage } = await requireCertificate(request, params.serial ?? '')
	const authentic = await ensureAuthentic(c)
	return json({
		...certificateJson(c),
		revokeReason: c.revokeReason,
		replacedBy: await successorSerial(c),
		state: authentic ? certificateState(c) : 'invalid',
		canManage: canManage && !c.revokedAt,
	})
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, certificate, canManage } = await requireCertificate(request, params.serial ?? '')
	if (!canManage) throw new Response('Forbidden', { status: 403 })
	const t = translator(langFromRequest(request))
	const submission = parseWithZod(await request.formData(), { schema: CertificateActionSchema })
	if (submission.status !== 'success') return json({ intent: submission.payload.intent, result: submission.reply(), notice: null }, { status: 400 })
	const value = submission.value
	if (value.intent === 'revoke') {
		// First the page says what will happen and asks again; only the confirming POST revokes (and is audited).
		if (value.confirm !== 'yes') return json({ intent: 'revoke-confirm' as const, reason: value.reason, result: submission.reply(), notice: null })
		const done = await revokeCertificate(certificate, value.reason, user, request)
		return json({ intent: 'revoke', result: submission.reply({ resetForm: true }), notice: done ? t('cert.revoke.done') : t('cert.revoke.already') })
	}
	if (value.holderName === certificate.holderName) {
		return json({ intent: 'reissue', result: submission.reply({ fieldErrors: { holderName: ['cert.error.sameName'] } }), notice: null }, { status: 400 })
	}
	const successor = await reissueCertificate(certificate, value, user, request)
	if (!successor) return json({ intent: 'reissue', result: submission.reply(), notice: t('cert.revoke.already') }, { status: 409 })
	return redirect(`/certificates/${successor.serial}`, 303)
}

export default function CertificatePage() {
	const t = useT()
	const c = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const date = (iso: string) => formatVnDate(iso)
	return (
		<>
			{data?.notice ? (
				<p role="status" className="alert alert-success mx-auto mb-4 max-w-2xl">
					{data.notice}
				</p>
			) : null}
			<article className="card mx-auto max-w-2xl border-2 border-brand-700 p-8 text-center">
				<p className="text-sm font-semibold uppercase">{t('cert.nation')}</p>
				<p className="mb-6 text-sm">{t('cert.motto')}</p>
				<h1 className="mb-4 text-3xl font-bold text-brand-800">{t('cert.title')}</h1>
				<p>{t('cert.certifies')}</p>
				<p className="my-3 text-2xl font-bold">{c.holderName}</p>
				{c.orgName ? <p className="mb-3">{c.orgName}</p> : null}
				<p>{t('cert.completed')}</p>
				<p className="my-3 text-xl font-semibold">{c.courseTitle}</p>
				<Facts
					className="mx-auto mt-6 max-w-md text-left"
					facts={[
						{ term: t('cert.issuedAt'), value: date(c.issuedAt) },
						{ term: t('cert.expiresAt'), value: c.expiresAt ? date(c.expiresAt) : t('cert.noExpiry') },
						{ term: t('cert.serial'), value: c.serial, className: 'font-mono' },
					]}
				/>
				{c.state === 'revoked' && c.revokedAt ? (
					<div role="status" className="alert alert-error mt-4 text-left">
						<p>{t('cert.revokedWithReason', { date: date(c.revokedAt), reason: c.revokeReason ?? '—' })}</p>
						{c.replacedBy ? (
							<p>
								<Link to={`/certificates/${c.replacedBy}`}>{t('cert.replacedBy', { serial: c.replacedBy })}</Link>
							</p>
						) : null}
					</div>
				) : c.state === 'expired' && c.expiresAt ? (
					<p role="status" className="alert alert-error mt-4">
						{t('cert.expiredOn', { date: date(c.expiresAt) })}
					</p>
				) : c.state === 'invalid' ? (
					<p role="status" className="alert alert-error mt-4">
						{t('cert.invalid')}
					</p>
				) : null}
				<p className="no-print mt-6 flex flex-wrap justify-center gap-3">
					{c.state === 'valid' || c.state === 'expired' ? (
						<a href={`/certificates/${c.serial}/pdf`} className="btn" download>
							{t('cert.downloadPdf')}
						</a>
					) : null}
					<Link to={`/verify/${c.serial}`} className="btn btn-secondary">
						{t('cert.verifyLink')}
					</Link>
				</p>
				<p className="no-print mt-4 flex flex-wrap justify-center gap-4">
					<Link to="/certificates">{t('cert.my.title')}</Link>
					<Link to="/my-courses">{t('learn.my.title')}</Link>
				</p>
			</article>
			{c.canManage ? (
				data?.intent === 'revoke-confirm' && 'reason' in data && typeof data.reason === 'string' ? (
					<ConfirmRevoke serial={c.serial} holderName={c.holderName} reason={data.reason} />
				) : (
					<ManageForms holderName={c.holderName} />
				)
			) : null}
		</>
	)
}

function ConfirmRevoke({ serial, holderName, reason }: { serial: string; holderName: string; reason: string }) {
	const t = useT()
	return (
		<ConfirmCard
			className="no-print mx-auto mt-8 max-w-2xl"
			title={t('cert.revoke.confirmTitle')}
			text={t('cert.revoke.confirmText', { serial, name: holderName, reason })}
			effect={t('cert.revoke.confirmEffect')}
			fields={{ intent: 'revoke', reason }}
			submit={t('cert.revoke.confirmSubmit')}
			cancel={{ to: `/certificates/${serial}`, label: t('cert.revoke.cancel') }}
		/>
	)
}

function ManageForms({ holderName }: { holderName: string }) {
	const t = useT()
	const data = useActionData<typeof action>()
	const [revokeForm, revokeFields] = useForm<{ intent: string; reason: string }>({
		id: 'revoke',
		lastResult: data?.intent === 'revoke' ? data.result : undefined,
	})
	const [reissueForm, reissueFields] = useForm<{ intent: string; holderName: string; reason: string }>({
		id: 'reissue',
		lastResult: data?.intent === 'reissue' ? data.result : undefined,
		defaultValue: { holderName },
	})
	return (
		<Section id="manage-heading" title={t('cert.admin.title')} className="no-print mx-auto mt-8 max-w-2xl" headingClassName="mb-3 text-xl font-semibold">
			<Form method="post" {...getFormProps(reissueForm)} className="card mb-6">
				<h3 className="mb-2 text-lg font-semibold">{t('cert.reissue.title')}</h3>
				<p className="mb-3 text-sm text-gray-700">{t('cert.reissue.hint')}</p>
				<FormErrors id={reissueForm.errorId} errors={reissueForm.errors} />
				<input type="hidden" name="intent" value="reissue" />
				<Field label={t('cert.reissue.name')} meta={reissueFields.holderName} autoComplete="off" />
				<Field label={t('cert.reissue.reason')} meta={reissueFields.reason} autoComplete="off" />
				<button type="submit" className="btn">
					{t('cert.reissue.submit')}
				</button>
			</Form>
			<Form method="post" {...getFormProps(revokeForm)} className="card">
				<h3 className="mb-2 text-lg font-semibold">{t('cert.revoke.title')}</h3>
				<FormErrors id={revokeForm.errorId} errors={revokeForm.errors} />
				<input type="hidden" name="intent" value="revoke" />
				<Field label={t('cert.revoke.reason')} meta={revokeFields.reason} autoComplete="off" />
				<p className="mb-3 text-sm text-gray-700">{t('cert.revoke.hint')}</p>
				<button type="submit" className="btn bg-red-700 hover:bg-red-800">
					{t('cert.revoke.submit')}
				</button>
			</Form>
		</Section>
	)
}

// What the application records about learners, why and for how long (Luật 91/2025/QH15), linked from every page's
// footer. The periods are the ones the retention job applies (app/jobs/retention.server.ts), read from the same
// settings, so the page cannot promise a period the installation does not keep.
import { type MetaFunction, json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { retentionSettings } from '#app/jobs/retention.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { Section } from '#app/ui/layout.tsx'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('privacy.title'))

export async function loader() {
	const settings = retentionSettings()
	return json({ integrityDays: settings.INTEGRITY_RETENTION_DAYS, mailDays: settings.MAIL_RETENTION_DAYS, fileDays: settings.IMPORT_FILE_RETENTION_DAYS })
}

export default function PrivacyPage() {
	const t = useT()
	const { integrityDays, mailDays, fileDays } = useLoaderData<typeof loader>()
	return (
		<div className="max-w-3xl">
			<h1 className="mb-2 text-2xl font-bold">{t('privacy.title')}</h1>
			<p className="mb-6">{t('privacy.lead')}</p>
			<Section id="integrity-heading" title={t('privacy.integrity.title')} className="mb-6">
				<p className="mb-2">{t('privacy.integrity.what')}</p>
				<p className="mb-2">{t('privacy.integrity.why')}</p>
				<p className="mb-2">{t('privacy.integrity.who')}</p>
				<p className="mb-2 font-semibold">{t('privacy.integrity.howLong', { days: integrityDays })}</p>
			</Section>
			<Section id="other-heading" title={t('privacy.other.title')}>
				<p className="mb-2">{t('privacy.other.mail', { mailDays, fileDays })}</p>
				<p className="mb-2">{t('privacy.other.records')}</p>
			</Section>
		</div>
	)
}

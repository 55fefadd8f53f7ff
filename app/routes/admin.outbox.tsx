import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireAnyRole } from '#app/auth/permissions.server.ts'
import { getEnv } from '#app/env.server.ts'
import { latestMails } from '#app/outbox/mail.server.ts'
import { formatVnDateTime } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('outbox.title'))

// Administrators only (requireAnyRole lets ADMIN through with any list): mails hold people's names and addresses.
export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnyRole(request, [])
	const mails = await latestMails()
	return json({
		configured: !!getEnv().SMTP_URL,
		mails: mails.map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), sentAt: m.sentAt?.toISOString() ?? null })),
	})
}

export default function OutboxPage() {
	const t = useT()
	const { configured, mails } = useLoaderData<typeof loader>()
	const when = (iso: string) => formatVnDateTime(iso)
	return (
		<>
			<h1 className="mb-2 text-2xl font-bold">{t('outbox.title')}</h1>
			<p className="mb-4">{t(configured ? 'outbox.configured' : 'outbox.notConfigured')}</p>
			{mails.length === 0 ? (
				<p>{t('outbox.empty')}</p>
			) : (
				<ul className="space-y-3">
					{mails.map((m) => (
						<li key={m.id} className="card">
							<details>
								<summary>
									<strong>{m.subject}</strong> — {m.to} · {when(m.createdAt)} ·{' '}
									{m.sentAt
										? t('outbox.sent', { date: when(m.sentAt) })
										: m.lastError
											? t('outbox.failed', { attempts: m.attempts, error: m.lastError })
											: t('outbox.waiting')}
								</summary>
								<pre className="mt-2 whitespace-pre-wrap text-sm">{m.text}</pre>
							</details>
						</li>
					))}
				</ul>
			)}
		</>
	)
}

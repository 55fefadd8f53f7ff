import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { listAuditEvents } from '#app/auth/audit.server.ts'
import { requireAnyRole } from '#app/auth/permissions.server.ts'
import { db } from '#app/db.server.ts'
import { useLang, useT } from '#app/ui/i18n.ts'

export const meta: MetaFunction = () => [{ title: 'Nhật ký quản trị | Văn Minh Số' }]

const ROLES = ['AUDITOR', 'MANAGER', 'YOUTH_ADMIN'] as const

export async function loader({ request }: LoaderFunctionArgs) {
	const { grants } = await requireAnyRole(request, ROLES)
	const events = await listAuditEvents(grants)
	const actors = await db.user.findMany({
		where: { id: { in: [...new Set(events.map((e) => e.actorId).filter((x) => x !== null))] } },
		select: { id: true, fullName: true },
	})
	const names = new Map(actors.map((a) => [a.id, a.fullName]))
	return json({
		events: events.map((e) => ({
			id: e.id,
			at: e.at.toISOString(),
			actor: e.actorId ? (names.get(e.actorId) ?? e.actorId) : '—',
			action: e.action,
			target: `${e.targetType}${e.targetId ? ` ${e.targetId}` : ''}`,
			ip: e.ip,
		})),
	})
}

export default function AuditPage() {
	const t = useT()
	const lang = useLang()
	const { events } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-2 text-2xl font-bold">{t('audit.title')}</h1>
			<p className="mb-4">{t('audit.intro')}</p>
			{events.length ? (
				<div className="overflow-x-auto">
					<table className="table bg-white">
						<thead>
							<tr>
								<th scope="col">{t('audit.col.at')}</th>
								<th scope="col">{t('audit.col.actor')}</th>
								<th scope="col">{t('audit.col.action')}</th>
								<th scope="col">{t('audit.col.target')}</th>
								<th scope="col">{t('audit.col.ip')}</th>
							</tr>
						</thead>
						<tbody>
							{events.map((e) => (
								<tr key={e.id}>
									<td>{new Date(e.at).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })}</td>
									<td>{e.actor}</td>
									<td>
										<code>{e.action}</code>
									</td>
									<td>{e.target}</td>
									<td>{e.ip}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : (
				<p>{t('audit.empty')}</p>
			)}
		</>
	)
}

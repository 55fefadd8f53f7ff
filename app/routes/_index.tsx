import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { getGrants } from '#app/auth/permissions.server.ts'
import { getUser } from '#app/auth/session.server.ts'
import { getHome } from '#app/org/home.server.ts'
import { useT } from '#app/ui/i18n.ts'
import { tagLabel } from '#app/ui/labels.ts'

export const meta: MetaFunction = () => [
	{ title: 'Văn Minh Số — Đào tạo kỹ năng ứng xử trên môi trường mạng' },
	{
		name: 'description',
		content: 'Nền tảng đào tạo cán bộ, học sinh và đoàn viên về ứng xử, bảo mật, kiểm chứng thông tin và an toàn trên mạng.',
	},
]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await getUser(request)
	if (!user) return json({ user: null, home: null })
	const grants = await getGrants(request, user.id)
	return json({ user: { fullName: user.fullName }, home: await getHome(user.id, grants) })
}

export default function HomePage() {
	const { user, home } = useLoaderData<typeof loader>()
	return user && home ? <Dashboard fullName={user.fullName} home={home} /> : <Landing />
}

function Landing() {
	const t = useT()
	const features = ['roster', 'courses', 'certificates', 'reports'] as const
	return (
		<>
			<section className="mb-8">
				<h1 className="mb-3 text-3xl font-bold text-brand-800">{t('home.title')}</h1>
				<p className="mb-5 max-w-3xl text-lg">{t('home.lead')}</p>
				<p className="flex flex-wrap gap-3">
					<Link to="/login" className="btn">
						{t('home.cta')}
					</Link>
					<Link to="/activate" className="btn btn-secondary">
						{t('home.activateHint')}
					</Link>
				</p>
			</section>
			<ul className="grid gap-4 sm:grid-cols-2">
				{features.map((f) => (
					<li key={f} className="card">
						<h2 className="mb-1 text-lg font-semibold">{t(`home.feature.${f}.title`)}</h2>
						<p>{t(`home.feature.${f}.text`)}</p>
					</li>
				))}
			</ul>
		</>
	)
}

type Home = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['home']>

function Dashboard({ fullName, home }: { fullName: string; home: Home }) {
	const t = useT()
	const [params] = useSearchParams()
	return (
		<>
			<h1 className="mb-4 text-2xl font-bold">{t('dash.greeting', { name: fullName })}</h1>
			{params.get('welcome') ? (
				<p role="status" className="alert alert-success mb-4">
					{t('activate.done')}
				</p>
			) : null}
			{home.managed.length ? (
				<section className="mb-6" aria-labelledby="managed-heading">
					<h2 id="managed-heading" className="mb-2 text-xl font-semibold">
						{t('dash.roles')}
					</h2>
					<ul className="grid gap-3 sm:grid-cols-2">
						{home.managed.map((m) => (
							<li key={`${m.role}-${m.unit.id}`} className="card">
								<p className="text-sm text-gray-700">{t(`role.${m.role}`)}</p>
								<p className="font-semibold">
									<Link to={`/org/${m.unit.id}`}>{m.unit.name}</Link>
								</p>
								<p className="text-sm">{t('org.memberCount', { count: m.unit.memberCount })}</p>
							</li>
						))}
					</ul>
				</section>
			) : null}
			<section aria-labelledby="memberships-heading">
				<h2 id="memberships-heading" className="mb-2 text-xl font-semibold">
					{t('dash.memberships')}
				</h2>
				{home.memberships.length ? (
					<ul className="mb-3 list-disc pl-6">
						{home.memberships.map((m) => (
							<li key={m.id}>
								{m.orgUnit.name}
								{m.title ? ` — ${m.title}` : ''}
								{m.tags.length ? ` (${m.tags.map((tag) => tagLabel(t, tag)).join(', ')})` : ''}
							</li>
						))}
					</ul>
				) : (
					<p className="mb-3">{t('dash.noMemberships')}</p>
				)}
				<p className="text-gray-700">{t('dash.learnerIntro')}</p>
			</section>
		</>
	)
}

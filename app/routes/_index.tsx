import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { getGrants } from '#app/auth/permissions.server.ts'
import { getUser } from '#app/auth/session.server.ts'
import { type CourseCard, getMyCourses } from '#app/learning/my-courses.server.ts'
import { getHome } from '#app/org/home.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { useT } from '#app/ui/i18n.ts'
import { tagLabel } from '#app/ui/labels.ts'
import { Section } from '#app/ui/layout.tsx'

export const meta: MetaFunction = () => [
	{ title: 'Văn Minh Số — Đào tạo kỹ năng ứng xử trên môi trường mạng' },
	{
		name: 'description',
		content: 'Nền tảng đào tạo cán bộ, học sinh và đoàn viên về ứng xử, bảo mật, kiểm chứng thông tin và an toàn trên mạng.',
	},
]

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await getUser(request)
	if (!user) return json({ user: null, home: null, required: null, requiredDone: 0 })
	const grants = await getGrants(request, user.id)
	// The same cards as /my-courses (one query, one rule): a learner's first page is what they must do next.
	const [home, courses] = await Promise.all([getHome(user.id, grants), getMyCourses(user.id, user.kind)])
	return json({ user: { fullName: user.fullName }, home, required: courses.required, requiredDone: courses.requiredDone })
}

export default function HomePage() {
	const { user, home, required, requiredDone } = useLoaderData<typeof loader>()
	return user && home ? <Dashboard fullName={user.fullName} home={home} required={required ?? []} requiredDone={requiredDone} /> : <Landing />
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

function Dashboard({ fullName, home, required, requiredDone }: { fullName: string; home: Home; required: Array<CourseCard>; requiredDone: number }) {
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
			<RequiredCourses cards={required} done={requiredDone} />
			{home.managed.length ? (
				<Section id="managed-heading" title={t('dash.roles')} className="mb-6">
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
				</Section>
			) : null}
			<Section id="memberships-heading" title={t('dash.memberships')}>
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
			</Section>
		</>
	)
}

/** The learner's required courses, most urgent first (as /my-courses sorts them), each with its one next step. */
function RequiredCourses({ cards, done }: { cards: Array<CourseCard>; done: number }) {
	const t = useT()
	const date = (iso: string) => formatVnDate(iso)
	return (
		<Section id="required-heading" title={t('dash.required')} className="mb-6">
			{cards.length ? (
				<ul className="mb-3 grid gap-3 sm:grid-cols-2">
					{cards.map((c) => {
						const next =
							c.status === 'not-started'
								? { to: `/courses/${c.slug}`, label: t('learn.start') }
								: c.resumeLesson
									? { to: `/courses/${c.slug}/lessons/${c.resumeLesson}`, label: t('learn.resume') }
									: { to: `/courses/${c.slug}/quiz`, label: t('learn.goQuiz') }
						return (
							<li key={c.slug} className="card">
								<h3 className="mb-1 text-lg font-semibold">
									<Link to={`/courses/${c.slug}`}>{c.title}</Link>
								</h3>
								<p className="mb-2 text-sm text-gray-700">
									{t(`learn.status.${c.status}`)}
									{c.status === 'in-progress' ? ` · ${t('learn.percentDone', { percent: c.percent })}` : ''}
									{c.dueAt ? ` · ${t('learn.dueAt', { date: date(c.dueAt) })}` : ''}
								</p>
								{c.overdue ? <p className="mb-2 inline-block rounded bg-red-700 px-2 py-0.5 text-sm font-semibold text-white">{t('learn.overdue')}</p> : null}
								<p>
									<Link to={next.to} className="btn">
										{next.label}
									</Link>
								</p>
							</li>
						)
					})}
				</ul>
			) : done ? (
				<p className="mb-3">
					{t('dash.requiredAllDone', { count: done })} <Link to="/certificates">{t('dash.certificatesLink')}</Link>
				</p>
			) : (
				<p className="mb-3">{t('dash.noRequired')}</p>
			)}
			<p>
				<Link to="/my-courses">{t('dash.myCoursesLink')}</Link>
			</p>
		</Section>
	)
}

import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { listCourses } from '#app/content/courses.server.ts'
import { AUDIENCES } from '#app/content/audiences.ts'
import { AudienceSchema } from '#app/content/schema.ts'
import { compareVi } from '#app/ui/collation.ts'
import { useT } from '#app/ui/i18n.ts'

// An unknown audience in the URL shows the whole catalogue rather than an error page.
const FilterSchema = z.object({ audience: AudienceSchema.optional().catch(undefined) })

export async function loader({ request }: LoaderFunctionArgs) {
	const params = new URL(request.url).searchParams
	const { audience } = FilterSchema.parse({ audience: params.get('audience') || undefined })
	const courses = listCourses()
		.filter((c) => !audience || c.audience.includes(audience))
		.map(({ slug, title, summary, audience, minutes, lessonCount }) => ({ slug, title, summary, audience, minutes, lessonCount }))
		.sort((a, b) => compareVi(a.title, b.title))
	return json({ audience: audience ?? null, courses })
}

export default function CoursesPage() {
	const t = useT()
	const { audience, courses } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-2 text-2xl font-bold">{t('courses.title')}</h1>
			<p className="mb-4 max-w-3xl">{t('courses.lead')}</p>
			<Form method="get" className="mb-6 flex flex-wrap items-end gap-3" aria-label={t('courses.filter.audience')}>
				<div>
					<label htmlFor="audience" className="label">
						{t('courses.filter.audience')}
					</label>
					<select id="audience" name="audience" defaultValue={audience ?? ''} className="field" key={audience ?? ''}>
						<option value="">{t('courses.filter.all')}</option>
						{AUDIENCES.map((a) => (
							<option key={a} value={a}>
								{t(`audience.${a}`)}
							</option>
						))}
					</select>
				</div>
				<button type="submit" className="btn">
					{t('courses.filter.submit')}
				</button>
			</Form>
			<p className="mb-3 text-sm text-gray-700" role="status">
				{t('courses.count', { count: courses.length })}
			</p>
			{courses.length ? (
				<ul className="grid gap-4 sm:grid-cols-2">
					{courses.map((c) => (
						<li key={c.slug} className="card">
							<h2 className="mb-1 text-lg font-semibold">
								<Link to={`/courses/${c.slug}`}>{c.title}</Link>
							</h2>
							<p className="mb-2">{c.summary}</p>
							<p className="text-sm text-gray-700">
								{t('courses.forAudience', { audience: c.audience.map((a) => t(`audience.${a}`)).join('; ') })}
							</p>
							<p className="text-sm text-gray-700">
								{t('courses.lessonCount', { count: c.lessonCount })} · {t('courses.minutes', { minutes: c.minutes })}
							</p>
						</li>
					))}
				</ul>
			) : (
				<p>{t('courses.empty')}</p>
			)}
		</>
	)
}

export const meta: MetaFunction = () => [
	{ title: 'Khoá học | Văn Minh Số' },
	{ name: 'description', content: 'Khoá học về ứng xử trên mạng, bảo vệ bí mật nhà nước, nhận diện tin giả và an toàn trên mạng.' },
]

import { type LoaderFunctionArgs, type MetaFunction, json } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/auth/session.server.ts'
import { getMyCourses } from '#app/learning/my-courses.server.ts'
import { MyCoursesView } from '#app/learning/my-courses-view.tsx'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'
import { PageSlot } from '#app/ui/page-slot.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('learn.my.title'))

// Sent without the app's scripts (only links), and usually served without a Remix render (decision 027).
export const handle = { document: true }

export async function loader({ request, context }: LoaderFunctionArgs) {
	// The shell of the page for a kind of viewer (app/learning/page-shell.server.ts): no session, nobody's courses.
	if (context.pageShell) return json({ shell: true as const })
	const user = await requireUser(request)
	return json({ shell: false as const, courses: await getMyCourses(user.id, user.kind) })
}

export default function MyCoursesPage() {
	const t = useT()
	const data = useLoaderData<typeof loader>()
	return data.shell ? <PageSlot /> : <MyCoursesView t={t} courses={data.courses} />
}

// The students' entry: type the code shown on the projector (or scan its QR code, which opens /join/<code>).
import { useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { requireStudent } from '#app/classes/access.server.ts'
import { joinRefusal } from '#app/classes/join-errors.ts'
import { JoinCodeSchema } from '#app/classes/schema.ts'
import { joinClassSession, myClasses } from '#app/classes/sessions.server.ts'
import { FieldErrors } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('join.title'))
export const handle = { document: true }

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireStudent(request)
	return json({ fullName: user.fullName, classes: await myClasses(user.id) })
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireStudent(request)
	const submission = parseWithZod(await request.formData(), { schema: JoinCodeSchema })
	if (submission.status !== 'success') return json({ result: submission.reply(), error: null, minutes: 0 }, { status: 400 })
	const outcome = await joinClassSession(submission.value.code, user.id)
	if (outcome.ok) return redirect(`/join/${outcome.code}`)
	return json({ result: submission.reply(), ...joinRefusal(outcome) }, { status: 400 })
}

export default function JoinPage() {
	const t = useT()
	const { fullName, classes } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	const [form, fields] = useForm<{ code: string }>({ id: 'join', lastResult: data?.result })
	return (
		<div className="mx-auto max-w-md">
			<p className="mb-1 text-lg">{fullName}</p>
			{classes.length ? (
				<p className="mb-4 text-gray-700">
					{t('join.myClasses')}: {classes.map((c) => `${c.name} — ${c.schoolName}`).join('; ')}
				</p>
			) : null}
			<h1 className="mb-2 text-3xl font-bold">{t('join.title')}</h1>
			<p className="mb-4 text-lg">{t('join.intro')}</p>
			{data?.error ? (
				<p role="alert" className="alert alert-error mb-4 text-lg">
					{t(data.error, { minutes: data.minutes })}
				</p>
			) : null}
			<Form method="post" id={form.id} noValidate={form.noValidate} className="card">
				<label htmlFor="join-code" className="label text-lg">
					{t('join.code')}
				</label>
				<input id="join-code" name="code" defaultValue={fields.code.initialValue ?? ''} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={12} required aria-invalid={fields.code.errors ? true : undefined} aria-describedby={fields.code.errors ? fields.code.errorId : undefined} className="field mb-6 min-h-16 text-center text-3xl uppercase tracking-[0.3em]" />
				<FieldErrors id={fields.code.errorId} errors={fields.code.errors} />
				<button type="submit" className="btn min-h-14 w-full text-xl">
					{t('join.go')}
				</button>
			</Form>
		</div>
	)
}

import { type LoaderFunctionArgs, type MetaFunction, json, redirect } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { normalizeSerial } from '#app/certificates/serial.ts'
import { SerialForm } from '#app/certificates/serial-form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { pageTitle } from '#app/ui/meta.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t('verify.title'), { name: 'robots', content: 'noindex' })

// The form posts by GET to itself, so it works without JavaScript and the result has a shareable address.
export async function loader({ request }: LoaderFunctionArgs) {
	const serial = new URL(request.url).searchParams.get('serial')?.trim()
	if (serial) return redirect(`/verify/${encodeURIComponent(normalizeSerial(serial).slice(0, 64))}`)
	return json({ serial: '' })
}

export default function VerifyFormPage() {
	const t = useT()
	const { serial } = useLoaderData<typeof loader>()
	return (
		<>
			<h1 className="mb-2 text-2xl font-bold">{t('verify.title')}</h1>
			<p className="mb-4 max-w-2xl">{t('verify.intro')}</p>
			<SerialForm defaultValue={serial} />
		</>
	)
}

import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { safeRedirect } from '#app/auth/schema.ts'
import { isLang, LANG_COOKIE } from '#app/ui/i18n.ts'

export async function action({ request }: ActionFunctionArgs) {
	const form = await request.formData()
	const lang = form.get('lang')
	const to = safeRedirect(form.get('redirectTo'))
	if (!isLang(lang)) return redirect(to)
	return redirect(to, {
		headers: { 'Set-Cookie': `${LANG_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` },
	})
}

export function loader() {
	return redirect('/')
}

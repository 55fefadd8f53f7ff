import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { safeRedirect, SetLanguageSchema } from '#app/auth/schema.ts'
import { LANG_COOKIE } from '#app/ui/i18n.ts'

export async function action({ request }: ActionFunctionArgs) {
	const submission = parseWithZod(await request.formData(), { schema: SetLanguageSchema })
	const back = submission.status === 'success' ? submission.value.redirectTo : submission.payload.redirectTo
	const to = safeRedirect(typeof back === 'string' ? back : null)
	if (submission.status !== 'success') return redirect(to)
	return redirect(to, {
		headers: { 'Set-Cookie': `${LANG_COOKIE}=${submission.value.lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` },
	})
}

export function loader() {
	return redirect('/')
}

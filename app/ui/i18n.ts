// UI strings come only from the catalogues in ./i18n; components call t(key). Vietnamese is the default.
import { useRouteLoaderData } from '@remix-run/react'
import { vi, type MessageKey } from './i18n/vi.ts'

export type { MessageKey }
export const LANGUAGES = ['vi', 'en'] as const
export type Lang = (typeof LANGUAGES)[number]
export const LANG_COOKIE = 'vms_lang'

export type Catalogue = Record<MessageKey, string>
/** What the browser is given beyond the bundled core: the admin part, or a whole other language. */
export type PartialCatalogue = Partial<Catalogue>

export function isLang(value: unknown): value is Lang {
	return typeof value === 'string' && (LANGUAGES as ReadonlyArray<string>).includes(value)
}

export function isMessageKey(value: unknown): value is MessageKey {
	// Catalogue keys are dotted words; unknown ones fall back to the key itself when shown.
	return typeof value === 'string' && /^[a-z][\w-]*(\.[\w-]+)+$/i.test(value)
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string

/**
 * The browser bundle carries only the Vietnamese catalogue (most users); another language's catalogue arrives
 * with the root loader data. Server code gets any language from i18n.server.ts.
 */
export function makeTranslator(catalogue: PartialCatalogue = vi): Translate {
	return (key, vars) => {
		const text = catalogue[key] ?? (vi as PartialCatalogue)[key] ?? key
		return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text
	}
}

/** The language chosen by cookie, else Vietnamese (the product's first language, whatever the browser says). */
export function langFromRequest(request: Request): Lang {
	return langFromCookie(request.headers.get('Cookie'))
}

export function langFromCookie(cookieHeader: string | null | undefined): Lang {
	const cookie = cookieHeader ?? ''
	const match = cookie.match(new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=(\\w+)`))
	return isLang(match?.[1]) ? match[1] : 'vi'
}

export function useLang(): Lang {
	const data = useRouteLoaderData<{ lang: Lang }>('root')
	return data?.lang ?? 'vi'
}

export function useT(): Translate {
	const data = useRouteLoaderData<{ messages: PartialCatalogue | null }>('root')
	return makeTranslator(data?.messages ?? vi)
}

/** Translates a form error that is a catalogue key; other strings pass through. */
export function useErrorText() {
	const t = useT()
	return (message: string | undefined) => (message ? (isMessageKey(message) ? t(message) : message) : undefined)
}

import { en } from './i18n/en.ts'
import { vi } from './i18n/vi.ts'
import { type Catalogue, type Lang, makeTranslator, type Translate } from './i18n.ts'

/** The catalogue the root loader sends to the browser: none for Vietnamese, which the bundle already has. */
export function clientCatalogue(lang: Lang): Catalogue | null {
	return lang === 'en' ? en : null
}

export function translator(lang: Lang): Translate {
	return makeTranslator(lang === 'en' ? en : vi)
}

import { en } from './i18n/en.ts'
import { viAdmin } from './i18n/vi-admin.ts'
import { vi } from './i18n/vi.ts'
import { type Lang, makeTranslator, type PartialCatalogue, type Translate } from './i18n.ts'

/**
 * What the root loader sends to the browser beyond the bundled Vietnamese core: the whole catalogue for another
 * language, the admin strings for people who hold a role, nothing for a Vietnamese learner (the lesson page budget).
 */
export function clientCatalogue(lang: Lang, { admin = false } = {}): PartialCatalogue | null {
	if (lang === 'en') return en
	return admin ? viAdmin : null
}

// Built once per language: merging the catalogues on every call showed up in the learning bench's CPU profile.
const translators = new Map<Lang, Translate>()

export function translator(lang: Lang): Translate {
	let t = translators.get(lang)
	if (!t) {
		t = makeTranslator(lang === 'en' ? en : { ...vi, ...viAdmin })
		translators.set(lang, t)
	}
	return t
}

import { type Translate } from './i18n.ts'
import { type MessageKey, vi } from './i18n/vi.ts'

/** Known roster tags (app/org/tags.ts) get a translated label; custom tags show as typed. A tag is known when the
 * reference catalogue labels it, so this kit needs nothing from the org feature (tests/architecture). */
export function tagLabel(t: Translate, tag: string) {
	const key = `tag.${tag}`
	return Object.hasOwn(vi, key) ? t(key as MessageKey) : tag
}

import { TAGS as KNOWN_TAGS } from '#app/org/tags.ts'
import { type Translate } from './i18n.ts'

/** Known roster tags get a translated label; custom tags show as typed. */
export function tagLabel(t: Translate, tag: string) {
	return (KNOWN_TAGS as ReadonlyArray<string>).includes(tag) ? t(`tag.${tag as (typeof KNOWN_TAGS)[number]}`) : tag
}

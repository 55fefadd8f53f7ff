// Page titles in the reader's language: a meta function has no hooks, so it reads the catalogue the root loader sent
// (the other language, or the admin strings) from the root's match, as useT does in components.
import { type MetaDescriptor } from '@remix-run/node'
import { makeTranslator, type PartialCatalogue, type Translate } from './i18n.ts'

type Match = { id: string; data?: unknown }

/** The translator of a meta function, from the root loader's data. */
export function metaTranslator(matches: ReadonlyArray<Match>): Translate {
	const root = matches.find((m) => m.id === 'root')?.data as { messages?: PartialCatalogue | null } | undefined
	return makeTranslator(root?.messages ?? undefined)
}

/** "<page> | Văn Minh Số", then any other tags of the page (description, robots, refresh). */
export function pageTitle(matches: ReadonlyArray<Match>, page: (t: Translate) => string, ...more: Array<MetaDescriptor>): Array<MetaDescriptor> {
	const t = metaTranslator(matches)
	return [{ title: `${page(t)} | ${t('app.name')}` }, ...more]
}

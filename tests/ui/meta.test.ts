// Page titles come from the catalogue the root loader sent: Vietnamese by default, English for an English reader.
import { expect, test } from 'vitest'
import { meta as loginMeta } from '#app/routes/login.tsx'
import { meta as requestsMeta } from '#app/routes/org.$unitId_.requests.tsx'
import { en } from '#app/ui/i18n/en.ts'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'
import { pageTitle } from '#app/ui/meta.ts'

const root = (messages: object | null) => [{ id: 'root', data: { lang: 'vi', messages } }]
const titleOf = (tags: ReadonlyArray<object>) => (tags.find((d) => 'title' in d) as { title?: string } | undefined)?.title

test('a page title is the page’s words in the reader’s language, then the product’s name', () => {
	const args = (matches: ReturnType<typeof root>) => ({ matches, data: undefined, params: {}, location: { pathname: '/' }, error: undefined }) as never
	expect(titleOf(loginMeta(args(root(null))) as never)).toBe('Đăng nhập | Văn Minh Số')
	expect(titleOf(loginMeta(args(root(en))) as never)).toBe(`${en['login.title']} | Văn Minh Số`)
	// An admin page's words are in the admin catalogue the root sends to people who hold a role.
	expect(titleOf(requestsMeta(args(root(viAdmin))) as never)).toBe('Yêu cầu tham gia | Văn Minh Số')
	expect(titleOf(pageTitle(root(null), (t) => t('verify.title'), { name: 'robots', content: 'noindex' }))).toBe('Xác minh chứng nhận | Văn Minh Số')
})

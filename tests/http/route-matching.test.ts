// The server's @remix-run/router remembers flattened routes and compiled paths (scripts/patch-remix-router.mjs,
// decision 026). Checked here: the install applied it, and matching gives what it gave before on the cases where a
// remembered answer could be the wrong one (case sensitivity, end or prefix matching, a routes array changed).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { expect, test } from 'vitest'
import { MARKER, patchRouterSource } from '../../scripts/patch-remix-router.mjs'

const require = createRequire(import.meta.url)
// The server loads the CommonJS build (Remix's server runtime requires it); vitest's import would give the ES build.
const router = require('@remix-run/router') as typeof import('@remix-run/router')

test('the installed server build of @remix-run/router is the memoised one, and patching twice changes nothing', () => {
	const source = readFileSync(require.resolve('@remix-run/router'), 'utf8')
	expect(source).toContain(MARKER)
	expect(patchRouterSource(source)).toBe(source)
	expect(() => patchRouterSource('function somethingElse() {}')).toThrow(/not found once/)
})

test('remembered compiled paths keep case sensitivity and end matching apart', () => {
	for (let i = 0; i < 2; i++) {
		expect(router.matchPath({ path: '/org/:unitId', caseSensitive: true }, '/ORG/5')).toBeNull()
		expect(router.matchPath({ path: '/org/:unitId', caseSensitive: false }, '/ORG/5')?.params).toEqual({ unitId: '5' })
		expect(router.matchPath({ path: '/org/:unitId', end: true }, '/org/5/members')).toBeNull()
		expect(router.matchPath({ path: '/org/:unitId', end: false }, '/org/5/members')?.pathnameBase).toBe('/org/5')
	}
})

test('matching a routes array twice, or an equal array built again, gives the same matches as the first time', () => {
	const build = () => [
		{
			id: 'root',
			path: '/',
			children: [
				{ id: 'home', index: true },
				{ id: 'lesson', path: 'courses/:courseSlug/lessons/:lessonSlug' },
				{ id: 'attempt', path: 'courses/:courseSlug/quiz/:attemptId' },
				{ id: 'unit', path: 'org/:unitId' },
				{ id: 'members', path: 'org/:unitId/members' },
				{ id: 'splat', path: '*' },
			],
		},
	]
	const routes = build()
	const ids = (pathname: string, from = routes) => router.matchRoutes(from, pathname)?.map((m) => [m.route.id, m.params])
	const paths = ['/', '/courses/a/lessons/b', '/courses/a/quiz/x', '/org/7', '/org/7/members', '/khong-co']
	const first = paths.map((p) => ids(p))
	expect(first.map((m) => m?.at(-1)?.[0])).toEqual(['home', 'lesson', 'attempt', 'unit', 'members', 'splat'])
	expect(paths.map((p) => ids(p))).toEqual(first)
	expect(paths.map((p) => ids(p, build()))).toEqual(first)
	// A different routes array is matched against its own routes, not a remembered one.
	const other = [{ id: 'only', path: '/org/:unitId' }]
	expect(router.matchRoutes(other, '/org/7')?.map((m) => m.route.id)).toEqual(['only'])
	expect(router.matchRoutes(other, '/courses/a/lessons/b')).toBeNull()
})

// A Remix server build made of the app's own modules (the real entry, root and the routes a test names), for tests
// that go through server/send-response.ts over a real socket and need the pages as a browser gets them. The client
// manifest is minimal: the pages render and say they load scripts that are not there, which no test runs.
import { type ServerBuild } from '@remix-run/node'
import * as entry from '#app/entry.server.tsx'
import * as root from '#app/root.tsx'

export type AppRoute = { id: string; path: string; index?: boolean; module: Record<string, unknown> }

export function appBuild(routes: Array<AppRoute>): ServerBuild {
	const all = [{ id: 'root', path: '', module: root as unknown as Record<string, unknown> }, ...routes]
	const manifestRoutes = Object.fromEntries(
		all.map((r) => [
			r.id,
			{
				id: r.id,
				parentId: r.id === 'root' ? undefined : 'root',
				path: r.path,
				index: 'index' in r ? r.index : undefined,
				module: `/assets/${r.id}.js`,
				imports: [],
				hasAction: typeof r.module.action === 'function',
				hasLoader: typeof r.module.loader === 'function',
				hasClientAction: false,
				hasClientLoader: false,
				hasErrorBoundary: typeof r.module.ErrorBoundary === 'function',
			},
		]),
	)
	return {
		mode: 'production',
		entry: { module: entry },
		routes: Object.fromEntries(
			all.map((r) => [r.id, { id: r.id, parentId: r.id === 'root' ? undefined : 'root', path: r.path, index: 'index' in r ? r.index : undefined, module: r.module }]),
		),
		assets: { routes: manifestRoutes, entry: { module: '/assets/entry.js', imports: [] }, url: '/assets/manifest.js', version: 'test' },
		publicPath: '/',
		assetsBuildDirectory: 'build/client',
		future: { v3_singleFetch: true },
		isSpaMode: false,
		basename: undefined,
	} as unknown as ServerBuild
}

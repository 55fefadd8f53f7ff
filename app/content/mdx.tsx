// Renders a lesson's compiled MDX with our components.
//
// Why getMDXComponent is not used in the browser: it runs the code through `new Function`, which our
// Content-Security-Policy (script-src 'self' + nonce, no 'unsafe-eval') refuses. And the lesson budget (100 KB for
// a cold page, of which the React runtime takes ~85) leaves no room for the lesson twice. So:
// - server: courses.server.ts hands us the component (getMDXComponent; no CSP there) and the lesson is rendered
//   to HTML. The loader data never carries the code.
// - browser, first load: we adopt the server's HTML as it is (a lesson needs no JavaScript: Scenario options are
//   <details>, links are links), so the lesson is downloaded once, as HTML.
// - browser, client-side navigation: the route's clientLoader imports /content/lessons/<codeHash>.js (a same-origin
//   ES module, cached for ever) and the component renders it; lazy() covers a module that is still on its way.
import * as React from 'react'
import { lazy, Suspense, useMemo, useState, type ComponentType } from 'react'
import * as ReactDOM from 'react-dom'
import * as jsxRuntime from 'react/jsx-runtime'
import { type MDXContentProps } from 'mdx-bundler/client/index.js'
import { useT } from '#app/ui/i18n.ts'
import { CitedSourcesContext, mdxComponents } from './components.tsx'
import { type CitedSource } from './schema.ts'

type LessonComponent = ComponentType<MDXContentProps>

const ready = new Map<string, LessonComponent>()
const loading = new Map<string, Promise<LessonComponent>>()
const lazyComponents = new Map<string, LessonComponent>()

export function lessonModuleUrl(codeHash: string) {
	return `/content/lessons/${codeHash}.js`
}

/** Server side: register a lesson's component (built on first use) so that rendering needs no loader data. */
export function provideLessonComponent(codeHash: string, make: () => LessonComponent) {
	if (!ready.has(codeHash)) ready.set(codeHash, make())
}

type LessonModule = { default: (react: unknown, reactDom: unknown, runtime: unknown) => unknown }

function isLessonModule(value: unknown): value is LessonModule {
	return typeof value === 'object' && value !== null && 'default' in value && typeof value.default === 'function'
}

function isLessonExports(value: unknown): value is { default: LessonComponent } {
	return typeof value === 'object' && value !== null && 'default' in value && typeof value.default === 'function'
}

/** Browser side: import a lesson module once; later calls share the same promise. */
export function loadLessonModule(codeHash: string): Promise<LessonComponent> {
	const known = ready.get(codeHash)
	if (known) return Promise.resolve(known)
	let pending = loading.get(codeHash)
	if (!pending) {
		pending = import(/* @vite-ignore */ lessonModuleUrl(codeHash)).then((mod: unknown) => {
			const exports = isLessonModule(mod) ? mod.default(React, ReactDOM, jsxRuntime) : undefined
			if (!isLessonExports(exports)) throw new Error(`Lesson module ${codeHash} is not an MDX bundle`)
			ready.set(codeHash, exports.default)
			return exports.default
		})
		loading.set(codeHash, pending)
		pending.catch(() => loading.delete(codeHash))
	}
	return pending
}

function lessonComponent(codeHash: string): LessonComponent {
	const known = ready.get(codeHash)
	if (known) return known
	let component = lazyComponents.get(codeHash)
	if (!component) {
		component = lazy(() => loadLessonModule(codeHash).then((c) => ({ default: c })))
		lazyComponents.set(codeHash, component)
	}
	return component
}

/** The server-rendered HTML of this lesson, when the page was loaded with it and its module is not here. */
function serverHtml(codeHash: string) {
	if (typeof document === 'undefined' || ready.has(codeHash)) return null
	return document.querySelector(`[data-lesson="${codeHash}"]`)?.innerHTML ?? null
}

/** Give it `key={codeHash}`: the HTML adopted on first load belongs to one lesson only. */
export function LessonContent({ codeHash, sources }: { codeHash: string; sources: ReadonlyArray<CitedSource> }) {
	const t = useT()
	const [adopted] = useState(() => serverHtml(codeHash))
	const cited = useMemo(() => new Map(sources.map((s) => [s.id, s])), [sources])
	if (adopted !== null) return <div data-lesson={codeHash} dangerouslySetInnerHTML={{ __html: adopted }} />
	const Body = lessonComponent(codeHash)
	return (
		<div data-lesson={codeHash}>
			<CitedSourcesContext.Provider value={cited}>
				<Suspense fallback={<p role="status">{t('lesson.loading')}</p>}>
					<Body components={mdxComponents} />
				</Suspense>
			</CitedSourcesContext.Provider>
		</div>
	)
}

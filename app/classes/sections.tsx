// One lesson section per screen (projector mode and the students' phones). A compiled MDX lesson is a function of
// its components returning a flat list of elements, so a section is the run of elements from one <h2> to the next
// (text before the first heading belongs to the first section). The lesson components are registered on the server
// by steps.server.ts; session pages are plain documents (no hydration), so the browser never needs the code.
import { type MDXContentProps } from 'mdx-bundler/client/index.js'
import { Children, type ComponentType, isValidElement, type ReactElement, type ReactNode, useMemo } from 'react'
import { CitedSourcesContext, mdxComponents } from '#app/content/components.tsx'
import { type CitedSource } from '#app/content/schema.ts'

type LessonBody = ComponentType<MDXContentProps>

const bodies = new Map<string, LessonBody>()
const split = new Map<string, Array<Array<ReactNode>>>()

export function provideSectionBody(codeHash: string, make: () => LessonBody) {
	if (!bodies.has(codeHash)) bodies.set(codeHash, make())
}

/** The lesson's sections as lists of elements, or null when its code was not registered in this process. */
export function lessonSections(codeHash: string): Array<Array<ReactNode>> | null {
	const known = split.get(codeHash)
	if (known) return known
	const Body = bodies.get(codeHash)
	if (!Body) return null
	// MDX content is a plain function without hooks (mdx-bundler compiles without a provider): calling it gives the
	// element list that rendering it would give.
	const tree = (Body as unknown as (props: MDXContentProps) => ReactElement<{ children?: ReactNode }>)({ components: mdxComponents })
	const sections: Array<Array<ReactNode>> = [[]]
	for (const child of Children.toArray(tree.props.children)) {
		const heading = isValidElement(child) && child.type === 'h2'
		if (heading && sections.at(-1)!.some((c) => isValidElement(c) && c.type === 'h2')) sections.push([])
		sections.at(-1)!.push(child)
	}
	split.set(codeHash, sections)
	return sections
}

export function SessionSection({ codeHash, index, sources, className }: { codeHash: string; index: number; sources: ReadonlyArray<CitedSource>; className?: string }) {
	const cited = useMemo(() => new Map(sources.map((s) => [s.id, s])), [sources])
	const sections = lessonSections(codeHash)
	const section = sections?.[index]
	if (!section) return null
	return (
		<CitedSourcesContext.Provider value={cited}>
			<div className={className}>{section}</div>
		</CitedSourcesContext.Provider>
	)
}

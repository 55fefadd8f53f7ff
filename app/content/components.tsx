// The components a lesson may use (docs/content-authoring.md). Everything works without JavaScript and prints:
// Scenario options are <details>, verdicts and example kinds are words (not only colours), no inline styles (CSP).
import { Children, createContext, isValidElement, type ReactNode, useContext, useId } from 'react'
import { type z } from 'zod'
import { type Translate, useT } from '#app/ui/i18n.ts'
import { type CitedSource, type ComponentAttributeSchemas } from './schema.ts'

type Attributes<N extends keyof typeof ComponentAttributeSchemas> = z.infer<(typeof ComponentAttributeSchemas)[N]>

/** The registry entries cited by the lesson on screen, passed with the lesson's loader data. */
export const CitedSourcesContext = createContext<ReadonlyMap<string, CitedSource>>(new Map())

type Named = Pick<CitedSource, 'kind' | 'number' | 'title'>

/** "Luật Bảo vệ bí mật nhà nước số 117/2025/QH15", "Nghị định số 63/2026/NĐ-CP", or the title of a reference. */
export function citationName(t: Translate, source: Named) {
	if (!source.number) return source.title
	const name = source.kind === 'law' || source.kind === 'code' ? source.title : t(`legal.kind.${source.kind}`)
	return t('mdx.cite.numbered', { name, number: source.number })
}

export function Cite({ source, article, historical }: Attributes<'Cite'>) {
	const t = useT()
	const entry = useContext(CitedSourcesContext).get(source)
	// The build refuses unknown sources, so this only shows if the loader forgot to pass the entry.
	if (!entry) return <span className="cite">{article ? `${article}, ${source}` : source}</span>
	const name = citationName(t, entry)
	const replacement = entry.replacedBy
	return (
		<>
			<a href={`/legal-sources#${entry.id}`} className="cite">
				{article ? t('mdx.cite.article', { article, name }) : name}
			</a>
			{historical && entry.status !== 'in-force' ? (
				<>
					{' '}
					{replacement ? (
						<span className="cite-history">
							{t('mdx.cite.replacedBy', { name: citationName(t, replacement) })}
						</span>
					) : (
						<span className="cite-history">{t('mdx.cite.expired')}</span>
					)}
				</>
			) : null}
		</>
	)
}

const VERDICT_MARK = { best: '✓', partial: '◐', wrong: '✗' } as const

export function Option({ label, verdict = 'wrong', children }: Attributes<'Option'> & { children?: ReactNode }) {
	const t = useT()
	return (
		<li className={`scenario-option verdict-${verdict}`}>
			<details>
				<summary>{label}</summary>
				<div className="scenario-feedback">
					<p className="verdict">
						<span aria-hidden="true">{VERDICT_MARK[verdict]} </span>
						<strong>{t(`mdx.verdict.${verdict}`)}</strong>
					</p>
					{children}
				</div>
			</details>
		</li>
	)
}

export function Scenario({ title, children }: Attributes<'Scenario'> & { children?: ReactNode }) {
	const t = useT()
	const id = useId()
	const parts = Children.toArray(children)
	const options = parts.filter((c) => isValidElement(c) && c.type === Option)
	const situation = parts.filter((c) => !(isValidElement(c) && c.type === Option))
	return (
		<section className="scenario" aria-labelledby={id}>
			<p className="scenario-kicker">{t('mdx.scenario.label')}</p>
			<h3 id={id} className="scenario-title">
				{title}
			</h3>
			{situation}
			<p className="scenario-prompt">{t('mdx.scenario.prompt')}</p>
			<ul className="scenario-options">{options}</ul>
		</section>
	)
}

export function Callout({ type, title, children }: Attributes<'Callout'> & { children?: ReactNode }) {
	const t = useT()
	const label = t(`mdx.callout.${type}`)
	return (
		<aside className={`callout callout-${type}`} aria-label={title ?? label}>
			<p className="callout-title">
				{title ? <span className="sr-only">{label}: </span> : null}
				{title ?? label}
			</p>
			{children}
		</aside>
	)
}

export function KeyTakeaways({ children }: { children?: ReactNode }) {
	const t = useT()
	const id = useId()
	return (
		<section className="takeaways" aria-labelledby={id}>
			<h2 id={id}>{t('mdx.takeaways')}</h2>
			{children}
		</section>
	)
}

export function Checklist({ title, children }: Attributes<'Checklist'> & { children?: ReactNode }) {
	const id = useId()
	return (
		<section className="checklist" aria-labelledby={id}>
			<h3 id={id}>{title}</h3>
			{children}
		</section>
	)
}

export function Example({ good, author, channel, note, children }: Attributes<'Example'> & { children?: ReactNode }) {
	const t = useT()
	const id = useId()
	const kind = good ? 'good' : 'bad'
	return (
		<figure className={`example example-${kind}`} aria-labelledby={id}>
			<figcaption id={id} className="example-verdict">
				<span aria-hidden="true">{good ? '✓' : '✗'} </span>
				{t(`mdx.example.${kind}`)}
				<span className="sr-only">: {t('mdx.example.mock', { author, channel })}</span>
			</figcaption>
			<div className="example-post">
				<div className="example-header" aria-hidden="true">
					<span className="example-avatar">{author.trim().charAt(0).toUpperCase()}</span>
					<span>
						<span className="example-author">{author}</span>
						<span className="example-channel">{channel}</span>
					</span>
				</div>
				<div className="example-body">{children}</div>
			</div>
			{note ? (
				<p className="example-note">
					<strong>{t('mdx.example.why')}</strong> {note}
				</p>
			) : null}
		</figure>
	)
}

/**
 * An illustration with its caption. The build rewrites `src` to the image's content-hashed URL and adds its
 * intrinsic `width` and `height` (compile.server.ts), so the browser keeps its place before it arrives; the image
 * loads only when it comes near the screen (or when the <details> holding it opens).
 */
export function Figure({ src, alt, caption, width, height }: Attributes<'Figure'> & { width?: string; height?: string }) {
	return (
		<figure className="figure">
			<img src={src} alt={alt} width={width} height={height} loading="lazy" decoding="async" />
			<figcaption>{caption}</figcaption>
		</figure>
	)
}

/** The answer of an Exercise: closed until the learner asks for it, without JavaScript. */
export function Answer({ children }: { children?: ReactNode }) {
	const t = useT()
	return (
		<details className="exercise-answer">
			<summary>{t('mdx.exercise.answer')}</summary>
			<div className="exercise-answer-body">{children}</div>
		</details>
	)
}

/** A practice task (look at a picture, decide) whose Answer is revealed after the learner has tried. */
export function Exercise({ title, children }: Attributes<'Exercise'> & { children?: ReactNode }) {
	const t = useT()
	const id = useId()
	return (
		<section className="exercise" aria-labelledby={id}>
			<p className="exercise-kicker">{t('mdx.exercise.label')}</p>
			<h3 id={id} className="exercise-title">
				{title}
			</h3>
			{children}
		</section>
	)
}

/** The map handed to every compiled lesson; the checker refuses any other capitalised tag. */
export const mdxComponents = { Cite, Scenario, Option, Callout, KeyTakeaways, Checklist, Example, Figure, Exercise, Answer }

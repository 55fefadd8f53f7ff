// Page structure every route repeats: where the page sits (breadcrumbs) and its titled sections. The markup is the
// one the pages had (e2e tests and axe read it): a section named by its own h2, a trail of links separated by "›".
import { Link } from '@remix-run/react'
import { Fragment, type ReactNode } from 'react'

export type Crumb = { to: string; label: ReactNode }

/**
 * The links from the site's top to this page's parent. A plain paragraph by default, as on most pages; `label`
 * makes it a navigation landmark (the dashboard's trail, which a screen-reader user jumps through by unit).
 */
/** `plain`: anchors instead of Remix links, for markup rendered outside Remix (decision 027). */
export function Breadcrumbs({ crumbs, label, className = 'mb-1 text-sm', plain = false }: { crumbs: ReadonlyArray<Crumb>; label?: string; className?: string; plain?: boolean }) {
	const links = crumbs.map((c, i) => (
		<Fragment key={`${c.to}-${i}`}>
			{i ? ' › ' : null}
			{plain ? <a href={c.to}>{c.label}</a> : <Link to={c.to}>{c.label}</Link>}
		</Fragment>
	))
	return label ? (
		<nav aria-label={label} className={className}>
			{links}
		</nav>
	) : (
		<p className={className}>{links}</p>
	)
}

/** The trail of a unit's management pages: the unit, then the page this one sits under (`path` below the unit, e.g. 'members'). */
export function UnitTrail({ unit, page }: { unit: { id: number; name: string }; page?: { path: string; label: ReactNode } }) {
	const crumbs: Array<Crumb> = [{ to: `/org/${unit.id}`, label: unit.name }]
	if (page) crumbs.push({ to: `/org/${unit.id}/${page.path}`, label: page.label })
	return <Breadcrumbs crumbs={crumbs} />
}

/** A part of a page with its heading (h2 by default); the heading's id names the section for assistive technology. */
export function Section({
	id,
	title,
	children,
	className,
	headingClassName = 'mb-2 text-xl font-semibold',
	level = 2,
}: {
	/** The heading's id, e.g. "members-heading". */
	id: string
	title: ReactNode
	children: ReactNode
	className?: string
	headingClassName?: string
	level?: 2 | 3
}) {
	const Heading = level === 2 ? 'h2' : 'h3'
	return (
		<section className={className} aria-labelledby={id}>
			<Heading id={id} className={headingClassName}>
				{title}
			</Heading>
			{children}
		</section>
	)
}

/** Previous/next links around "page 2 of 7" for a long list; a link only where there is a page to go to. */
export function Pager({ label, status, prev, next }: { label: string; status: ReactNode; prev?: Crumb | null; next?: Crumb | null }) {
	return (
		<nav aria-label={label} className="mt-4 flex flex-wrap items-center gap-3">
			{prev ? <Link to={prev.to}>{prev.label}</Link> : null}
			<span>{status}</span>
			{next ? <Link to={next.to}>{next.label}</Link> : null}
		</nav>
	)
}

export type ActionLink = { to: string; label: ReactNode; /** The page's main way on, drawn as the primary button. */ main?: boolean; /** Left out when false. */ show?: boolean }

/** A row of links drawn as buttons (where to go from this page), under a navigation landmark; nothing when none is shown. */
export function ActionLinks({ label, links, className = 'mb-6 flex flex-wrap gap-3' }: { label: string; links: ReadonlyArray<ActionLink>; className?: string }) {
	const shown = links.filter((l) => l.show !== false)
	if (!shown.length) return null
	return (
		<nav aria-label={label} className={className}>
			{shown.map((l) => (
				<Link key={l.to} to={l.to} className={l.main ? 'btn' : 'btn btn-secondary'}>
					{l.label}
				</Link>
			))}
		</nav>
	)
}

export type Fact = { term: ReactNode; value: ReactNode; /** On the value, e.g. font-mono for a serial. */ className?: string }

/** Terms and their values side by side (a profile, a certificate's details); a fact whose value is null or empty is left out. */
export function Facts({ facts, className = '' }: { facts: ReadonlyArray<Fact>; className?: string }) {
	return (
		<dl className={`grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 ${className}`.trim()}>
			{facts
				.filter((f) => f.value !== null && f.value !== undefined && f.value !== '')
				.map((f, i) => (
					<Fragment key={i}>
						<dt className="font-semibold">{f.term}</dt>
						<dd className={f.className}>{f.value}</dd>
					</Fragment>
				))}
		</dl>
	)
}

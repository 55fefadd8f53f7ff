// The boundaries stated in docs/architecture.md ("Features and their public faces"), checked over the import graph
// of app/: features form layers and import only from layers below them, a feature reaches another only through the
// files listed as that feature's public face, nothing imports the generated Prisma client except the three database
// modules, and no two files import each other through any chain. The graph is read from the import specifiers
// themselves (a small parser: every `from '…'`, `import '…'` and `import('…')`), so no tool's version decides it.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, test } from 'vitest'

/** Lowest first: a file may import its own feature and the ones listed before it, never one listed after it. */
export const LAYERS = ['app', 'ui', 'content', 'jobs', 'outbox', 'auth', 'youth', 'certificates', 'learning', 'integrity', 'org', 'classes', 'reports'] as const

/**
 * What one feature may import from another. Routes and the other composition roots below may import any file of
 * any feature; a feature may import only these files of a feature below it. `'*'`: every file (the shared kit and
 * the infrastructure).
 */
export const PUBLIC: Record<(typeof LAYERS)[number], ReadonlyArray<string> | '*'> = {
	app: '*',
	ui: '*',
	content: ['audiences.ts', 'components.tsx', 'courses.server.ts', 'schema.ts'],
	jobs: ['queue.server.ts', 'import-progress.server.ts'],
	outbox: ['mail.server.ts'],
	auth: [
		'activation.server.ts',
		'audit.server.ts',
		'password.server.ts',
		'people.server.ts',
		'permissions.server.ts',
		'permissions.ts',
		'rate-limit.server.ts',
		'schema.ts',
		'session.server.ts',
	],
	youth: ['profile.server.ts', 'schema.ts'],
	certificates: ['issue.server.ts', 'issuers.server.ts', 'keys.server.ts', 'revoke.server.ts', 'validity.ts'],
	learning: ['completion.server.ts', 'versions.server.ts'],
	// Issue 22 (being built): list here the files org, classes and reports may use, e.g. the review counts.
	integrity: ['reviews.server.ts'],
	org: ['import-jobs.server.ts', 'import-messages.ts', 'roster-import.server.ts', 'roster-rows.server.ts', 'spreadsheet.server.ts', 'unit-history.server.ts', 'units.server.ts'],
	classes: [],
	reports: [],
}

/** Files that wire features together (like routes) rather than belong to one: they may import any feature's files. */
const COMPOSITION = /^app\/(routes\/|root\.tsx$|entry\.(server|client)\.tsx$|startup\.server\.ts$|jobs\/(handlers|start|retention)\.server\.ts$)/

/** The only files that may import app/generated (the client, and its types and enums for everyone else). */
const GENERATED_ALLOWED = ['app/db.server.ts', 'app/db-types.ts', 'app/db-enums.ts']

const STATIC = [/\bfrom\s+['"]([^'"]+)['"]/g, /^\s*import\s+['"]([^'"]+)['"]/gm]
const DYNAMIC = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g

function resolve(file: string, spec: string) {
	// Vite's suffixes ("tailwind.css?url") name the same file.
	const path = spec.replace(/\?.*$/, '')
	const target = path.startsWith('#app/') ? join('app', path.slice(5)) : path.startsWith('.') ? normalize(join(dirname(file), path)) : null
	return target?.startsWith('app/') ? target : null
}

/** The app files a source file imports (`#app/…` and relative specifiers), as paths from the repository root;
 * `dynamic`: those loaded by `import()` only. */
export function importsOf(file: string, source: string, which: 'all' | 'dynamic' = 'all'): Array<string> {
	const found = new Set<string>()
	for (const pattern of which === 'all' ? [...STATIC, DYNAMIC] : [DYNAMIC]) {
		for (const match of source.matchAll(pattern)) {
			const target = resolve(file, match[1]!)
			if (target) found.add(target)
		}
	}
	return [...found]
}

/** The layer a file of app/ belongs to: its folder, or 'app' for the files at the top (and 'generated'). */
export function featureOf(file: string) {
	const parts = file.split('/')
	return parts.length > 2 ? parts[1]! : 'app'
}

function sourceFiles(dir: string): Array<string> {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name)
		if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path)
		return /\.tsx?$/.test(entry.name) ? [path] : []
	})
}

/** Every problem with one edge of the graph (empty: allowed). */
export function edgeProblems(from: string, to: string): Array<string> {
	const problems: Array<string> = []
	if (to.startsWith('app/generated/')) {
		if (!GENERATED_ALLOWED.includes(from)) problems.push(`${from} imports the generated client (${to}): use app/db.server.ts, app/db-types.ts or app/db-enums.ts`)
		return problems
	}
	// Routes parse, call a feature module and render: the queries are the modules' (docs/database.md).
	if (from.startsWith('app/routes/') && (to === 'app/db.server.ts' || to.endsWith('.sql.ts'))) return [`${from} imports ${to}: routes do not query, their feature modules do`]
	const source = featureOf(from)
	const target = featureOf(to)
	if (source === target || COMPOSITION.test(from) || source === 'routes') return problems
	const rank = (feature: string) => (LAYERS as ReadonlyArray<string>).indexOf(feature)
	if (rank(source) < 0) return [`${from}: the folder app/${source} is in no layer (add it to LAYERS and PUBLIC, and to docs/architecture.md)`]
	if (rank(target) < 0) return [`${to}: the folder app/${target} is in no layer (add it to LAYERS and PUBLIC, and to docs/architecture.md)`]
	if (rank(target) > rank(source)) problems.push(`${from} (${source}) imports ${to}: ${target} is above ${source}`)
	const open = PUBLIC[target as (typeof LAYERS)[number]]
	if (open !== '*' && !open.includes(to.slice(`app/${target}/`.length))) problems.push(`${from} (${source}) imports ${to}, which is not part of ${target}'s public face`)
	return problems
}

/** Groups of files that import each other through some chain (Tarjan's strongly connected components). */
export function cycles(graph: Map<string, Array<string>>): Array<Array<string>> {
	let counter = 0
	const index = new Map<string, number>()
	const low = new Map<string, number>()
	const stack: Array<string> = []
	const onStack = new Set<string>()
	const found: Array<Array<string>> = []
	const visit = (node: string) => {
		index.set(node, counter)
		low.set(node, counter++)
		stack.push(node)
		onStack.add(node)
		for (const next of graph.get(node) ?? []) {
			if (!index.has(next)) {
				visit(next)
				low.set(node, Math.min(low.get(node)!, low.get(next)!))
			} else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!))
		}
		if (low.get(node) === index.get(node)) {
			const group: Array<string> = []
			let member: string
			do {
				member = stack.pop()!
				onStack.delete(member)
				group.push(member)
			} while (member !== node)
			if (group.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(group.sort())
		}
	}
	for (const node of graph.keys()) if (!index.has(node)) visit(node)
	return found
}

describe('the import graph of app/', () => {
	const files = sourceFiles('app').map((path) => relative(process.cwd(), path))
	const sources = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]))
	const graph = new Map(files.map((file) => [file, importsOf(file, sources.get(file)!)]))

	test('the parser sees the imports (a file known to import the database client does)', () => {
		expect(files.length).toBeGreaterThan(150)
		expect(graph.get('app/auth/session.server.ts')).toContain('app/db.server.ts')
		// Multi-line imports, relative paths and dynamic imports.
		const source = "import {\n\tb,\n\tc,\n} from './b.ts'\nconst d = await import('../y/d.ts')\nimport '#app/z.ts'\nimport css from './e.css?url'"
		expect(importsOf('app/x/a.ts', source).sort()).toEqual(['app/x/b.ts', 'app/x/e.css', 'app/y/d.ts', 'app/z.ts'])
		expect(importsOf('app/x/a.ts', source, 'dynamic')).toEqual(['app/y/d.ts'])
	})

	test('every imported app file exists', () => {
		const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => !t.startsWith('app/generated/') && !existsSync(t)).map((t) => `${file} → ${t}`))
		expect(missing).toEqual([])
	})

	test('features import only features below them, and only their public faces; the generated client only through the database modules; routes not the database client', () => {
		const problems = [...graph].flatMap(([file, targets]) => targets.flatMap((target) => edgeProblems(file, target)))
		expect(problems).toEqual([])
	})

	test('no import cycles between files', () => {
		// The one late binding: the job queue loads the table of jobs (app/jobs/handlers.server.ts, a composition root)
		// by import() when it is first used, so that any process that sends a job can run it. Every other edge counts.
		const late = (file: string, target: string) => COMPOSITION.test(target) && !COMPOSITION.test(file) && importsOf(file, sources.get(file)!, 'dynamic').includes(target)
		const counted = new Map([...graph].map(([file, targets]) => [file, targets.filter((target) => !late(file, target))]))
		expect(cycles(counted)).toEqual([])
	})

	test('every public file listed exists and every feature folder has a layer', () => {
		const listed = Object.entries(PUBLIC).flatMap(([feature, open]) => (open === '*' ? [] : open.map((f) => `app/${feature}/${f}`)))
		expect(listed.filter((file) => !existsSync(file))).toEqual([])
		const folders = readdirSync('app', { withFileTypes: true }).filter((e) => e.isDirectory() && !['generated', 'routes'].includes(e.name)).map((e) => e.name)
		expect(folders.filter((f) => !(LAYERS as ReadonlyArray<string>).includes(f))).toEqual([])
	})
})

describe('the checks themselves', () => {
	test('a feature reaching into another feature’s internals is refused', () => {
		expect(edgeProblems('app/reports/x.server.ts', 'app/certificates/pdf.server.ts')).toEqual([
			"app/reports/x.server.ts (reports) imports app/certificates/pdf.server.ts, which is not part of certificates's public face",
		])
	})
	test('an import upwards (which would close a cycle between features) is refused', () => {
		expect(edgeProblems('app/auth/login.server.ts', 'app/youth/join.server.ts')).toHaveLength(2)
		expect(edgeProblems('app/ui/labels.ts', 'app/org/units.server.ts')[0]).toMatch(/org is above ui/)
	})
	test('the generated client is refused outside the database modules; routes may use any feature', () => {
		expect(edgeProblems('app/org/tree.server.ts', 'app/generated/prisma/enums.ts')).toHaveLength(1)
		expect(edgeProblems('app/db-types.ts', 'app/generated/prisma/client.ts')).toEqual([])
		expect(edgeProblems('app/routes/login.tsx', 'app/youth/join.server.ts')).toEqual([])
		expect(edgeProblems('app/routes/account.tsx', 'app/db.server.ts')).toHaveLength(1)
		expect(edgeProblems('app/routes/account.tsx', 'app/db-types.ts')).toEqual([])
	})
	test('a cycle of files is found', () => {
		const graph = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a']],
			['d', ['a']],
		])
		expect(cycles(graph)).toEqual([['a', 'b', 'c']])
	})
})

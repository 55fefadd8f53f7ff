// Run by `postinstall` (after prisma-generate.mjs): Remix 2 matches every document request against all of our ~75
// routes four times (request handler, static handler, server render, lazy route discovery), and each time flattens
// and ranks every route and compiles every route path into a regular expression again — about 0.8 ms of server CPU
// per request of the 5–7 a document costs (docs/scaling.md, decision 026). Both results depend only on the route
// definitions, so this makes @remix-run/router remember them: compiled paths by (path, case, end), flattened and
// ranked branches by the routes array. The edit is checked against the pinned version and fails the install loudly
// if the library changed, rather than leaving the server silently unpatched or wrongly patched.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const PINNED = '1.23.3'
export const MARKER = '/* vanminhso: route matching memoised (scripts/patch-remix-router.mjs) */'

const require = createRequire(import.meta.url)

const EDITS = [
	{
		// matchRoutesImpl: the branches of a routes array are flattened and ranked once.
		from: `  let branches = flattenRoutes(routes);
  rankRouteBranches(branches);
  let matches = null;`,
		to: `  let branches = vmsBranches.get(routes);
  if (!branches) {
    branches = flattenRoutes(routes);
    rankRouteBranches(branches);
    vmsBranches.set(routes, branches);
  }
  let matches = null;`,
	},
	{
		// compilePath is pure: its RegExp has no global or sticky flag (no lastIndex state) and its params array is
		// only read, so one result can serve every call. Bounded, should anything pass patterns built from input.
		from: `function compilePath(path, caseSensitive, end) {`,
		to: `${MARKER}
const vmsBranches = new WeakMap();
const vmsCompiled = new Map();
function compilePath(path, caseSensitive, end) {
  const key = (caseSensitive ? "1" : "0") + (end === false ? "0" : "1") + path;
  let compiled = vmsCompiled.get(key);
  if (!compiled) {
    compiled = compilePathOnce(path, caseSensitive, end);
    if (vmsCompiled.size < 10000) vmsCompiled.set(key, compiled);
  }
  return compiled;
}
function compilePathOnce(path, caseSensitive, end) {`,
	},
]

export function patchRouterSource(source) {
	if (source.includes(MARKER)) return source
	let patched = source
	for (const edit of EDITS) {
		const at = patched.indexOf(edit.from)
		if (at < 0 || patched.indexOf(edit.from, at + 1) >= 0) throw new Error(`@remix-run/router: the code to memoise was not found once:\n${edit.from}`)
		patched = patched.replace(edit.from, edit.to)
	}
	return patched
}

function main() {
	const packageFile = require.resolve('@remix-run/router/package.json')
	const { version } = JSON.parse(readFileSync(packageFile, 'utf8'))
	if (version !== PINNED) {
		throw new Error(`@remix-run/router ${version} is installed, scripts/patch-remix-router.mjs was written for ${PINNED}: check the edits against the new version, then change PINNED.`)
	}
	const file = path.join(path.dirname(packageFile), 'dist', 'router.cjs.js')
	const source = readFileSync(file, 'utf8')
	const patched = patchRouterSource(source)
	if (patched !== source) writeFileSync(file, patched)
	console.log(`@remix-run/router ${version}: route matching memoised${patched === source ? ' (already)' : ''}`)
}

if (import.meta.url === `file://${process.argv[1]}`) main()

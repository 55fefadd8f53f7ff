// A console.error nobody expected fails the test it happened in (issue 20 §6): React's warnings, a route's caught
// error logged on the way to a 500, a background job that failed after its test moved on. A test that provokes one
// on purpose says so with allowConsoleError(pattern); the matching calls are then kept quiet and returned to it.
import { afterAll, afterEach, beforeAll } from 'vitest'

type Pattern = string | RegExp
let allowed: Array<{ pattern: Pattern; seen: Array<string> }> = []
const unexpected: Array<string> = []

function describe(args: Array<unknown>) {
	return args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')
}

/**
 * Lets console.error calls whose text matches `pattern` happen in the current test without failing it; returns the
 * texts it let through, so the test can assert that the expected error was in fact logged.
 */
export function allowConsoleError(pattern: Pattern) {
	const entry = { pattern, seen: [] as Array<string> }
	allowed.push(entry)
	return entry.seen
}

/**
 * For every test of the file, console.error calls whose first argument contains `text` are dropped before the trap
 * sees them: for a warning that each render gives and that is nobody's error (React Router's links use
 * useLayoutEffect, which React warns about on the server). Every other call still reaches the trap.
 */
export function ignoreConsoleErrorInFile(text: string) {
	let trap: typeof console.error
	beforeAll(() => {
		trap = console.error
		console.error = (...args: Array<unknown>) => {
			if (!String(args[0]).includes(text)) trap(...args)
		}
	})
	afterAll(() => {
		console.error = trap
	})
}

/** The unexpected calls so far, which then no longer fail the test (for the trap's own test). */
export function takeUnexpectedConsoleErrors() {
	return unexpected.splice(0)
}

export function installConsoleTrap() {
	const original = console.error.bind(console)
	console.error = (...args: Array<unknown>) => {
		const text = describe(args)
		const entry = allowed.find(({ pattern }) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)))
		if (entry) {
			entry.seen.push(text)
			return
		}
		unexpected.push(text)
		original(...args)
	}
	const check = (when: string) => {
		if (!unexpected.length) return
		const texts = unexpected.splice(0)
		throw new Error(`console.error was called ${texts.length} time(s) ${when} without allowConsoleError():\n${texts.map((t) => t.slice(0, 2000)).join('\n---\n')}`)
	}
	afterEach(() => {
		allowed = []
		check('during this test (or the set-up before it)')
	})
	afterAll(() => check('after the last test of this file (background work still running?)'))
}

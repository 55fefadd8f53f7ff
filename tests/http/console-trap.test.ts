// The console.error trap of tests/setup/console.ts: an unexpected call is recorded (and would fail the test in
// afterEach), an allowed one is kept quiet and handed back to the test that expected it.
import { expect, test } from 'vitest'
import { allowConsoleError, takeUnexpectedConsoleErrors } from '#tests/setup/console.ts'

test('an unexpected console.error is recorded against the test', () => {
	console.error('trap check: nobody expected this', new Error('stray'))
	const recorded = takeUnexpectedConsoleErrors()
	expect(recorded).toHaveLength(1)
	expect(recorded[0]).toMatch(/^trap check: nobody expected this Error: stray/)
})

test('an allowed console.error is kept quiet and handed back; another one is still caught', () => {
	const seen = allowConsoleError(/idle connection lost/)
	console.error('PostgreSQL: idle connection lost (terminating connection due to administrator command)')
	console.error('something else')
	expect(seen).toEqual(['PostgreSQL: idle connection lost (terminating connection due to administrator command)'])
	expect(takeUnexpectedConsoleErrors()).toEqual(['something else'])
})

test('what a test allowed does not carry over to the next one', () => {
	console.error('PostgreSQL: idle connection lost (again)')
	expect(takeUnexpectedConsoleErrors()).toEqual(['PostgreSQL: idle connection lost (again)'])
})

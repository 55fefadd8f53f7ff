// What a student is told when joining a class session fails (the code page and the session page say it alike).
import type { JoinOutcome } from './sessions.server.ts'

export const JOIN_ERRORS = {
	invalid: 'join.error.invalid',
	unknown: 'join.error.unknown',
	closed: 'join.error.closed',
	expired: 'join.error.expired',
	'wrong-class': 'join.error.wrongClass',
	'rate-limited': 'join.error.rateLimited',
} as const

/** The message key of a refused join, and the whole minutes to wait when too many wrong codes were typed. */
export function joinRefusal(outcome: Extract<JoinOutcome, { ok: false }>) {
	return { error: JOIN_ERRORS[outcome.error], minutes: outcome.error === 'rate-limited' ? Math.ceil(outcome.retryAfterSeconds / 60) : 0 }
}

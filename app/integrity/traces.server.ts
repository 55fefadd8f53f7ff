// Capture for the signals of proxy completion (issue 22, decision 025): each login, lesson done and quiz submitted
// leaves one LearningTrace row — who, when, the hashed browser and network, how long and how much — written by one
// INSERT in the request that does the action. The scan (scan.server.ts) is the only reader; retention deletes old rows.
//
// Nothing raw is stored: the device id as sha256 (it is random, so its hash cannot be reversed), the client address as
// HMAC-SHA256 under the installation's random key (an IPv4 address hashed without a secret would be found again by
// trying all 2^32). Equal inputs still give equal hashes, which is all the signals compare.
import { createHmac, randomBytes } from 'node:crypto'
import { clientIp } from '#app/auth/rate-limit.server.ts'
import { getDb, runSql } from '#app/db.server.ts'
import { type TraceKind } from '#app/db-types.ts'
import { deviceHash, deviceOf } from './device.server.ts'
import { INSERT_TRACE, INTEGRITY_KEY } from './traces.sql.ts'

export type Trace = {
	userId: string
	kind: TraceKind
	enrollmentId?: string | null
	courseVersionId?: string | null
	lessonSlug?: string | null
	quizAttemptId?: string | null
	/** Lesson: seconds from opening to done; quiz: seconds from start to submit. */
	seconds?: number | null
	/** Lesson: its words; quiz: the questions drawn. */
	size?: number | null
}

// The key never changes once made: read once per process and database (tests and benches switch databases).
const keys = new WeakMap<object, Promise<string>>()

async function readKey(): Promise<string> {
	for (let tries = 0; tries < 3; tries++) {
		const [row] = await runSql(INTEGRITY_KEY, { key: randomBytes(32).toString('base64url') })
		if (row) return row.key
	}
	throw new Error('IntegrityKey: no key after three tries')
}

/** The installation's key for network hashes, made on first use. */
export function integrityKey(): Promise<string> {
	const client = getDb()
	let pending = keys.get(client)
	if (!pending) {
		pending = readKey()
		keys.set(client, pending)
		// A failed read is not kept: the next trace tries again.
		pending.catch(() => keys.delete(client))
	}
	return pending
}

/** HMAC-SHA256 of a client address under the installation's key, hex. */
export function networkHash(key: string, address: string) {
	return createHmac('sha256', key).update(address).digest('hex')
}

/**
 * Records one learning action of `request`. Returns the Set-Cookie header of a new device id when the browser had
 * none (the caller adds it to its response), else null. A trace that cannot be written is reported and dropped: the
 * learner's action is already done and must not fail for the sake of its evidence.
 */
export async function recordTrace(request: Request, trace: Trace, at = new Date()): Promise<string | null> {
	const device = deviceOf(request)
	const address = clientIp(request)
	try {
		const key = address === 'unknown' ? null : await integrityKey()
		await runSql(INSERT_TRACE, {
			userId: trace.userId,
			kind: trace.kind,
			at,
			deviceHash: deviceHash(device.id),
			networkHash: key ? networkHash(key, address) : null,
			enrollmentId: trace.enrollmentId ?? null,
			courseVersionId: trace.courseVersionId ?? null,
			lessonSlug: trace.lessonSlug ?? null,
			quizAttemptId: trace.quizAttemptId ?? null,
			seconds: trace.seconds ?? null,
			size: trace.size ?? null,
		})
	} catch (error) {
		console.warn(`Learning trace ${trace.kind} of ${trace.userId} not recorded: ${error instanceof Error ? error.message : String(error)}`)
	}
	return device.setCookie
}

/** Headers of a response with the device cookie added when there is one (a redirect after the traced action). */
export function withDeviceCookie(setCookie: string | null, headers: HeadersInit = {}) {
	const out = new Headers(headers)
	if (setCookie) out.append('Set-Cookie', setCookie)
	return out
}

// Fixed-window counters in the RateLimit table, so that every app process behind a load balancer shares them.
import { z } from 'zod'
import { checkRows, db, runSql } from '#app/db.server.ts'
import { RATE_LIMIT_PEEK } from './rate-limit.sql.ts'

export type Limit = { key: string; max: number; windowSeconds: number }

export type LimitState = { blocked: boolean; count: number; retryAfterSeconds: number }

const COUNTER = z.object({ count: z.number().int(), resetAt: z.date() })

/** Counts one event against the limit and reports whether the caller is now over it. */
export async function hit(limit: Limit): Promise<LimitState> {
	const rows = await db.$queryRaw<Array<unknown>>`
		INSERT INTO "RateLimit" ("key", "count", "resetAt")
		VALUES (${limit.key}, 1, now() + make_interval(secs => ${limit.windowSeconds}))
		ON CONFLICT ("key") DO UPDATE SET
			"count" = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit"."count" + 1 END,
			"resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END
		RETURNING "count", "resetAt"`
	return toState(limit, checkRows('rate-limit-hit', COUNTER, rows)[0])
}

/**
 * Takes one slot before the guarded work (a password or PIN check): `allowed` is false once the window's slots are
 * used up, so that attempts made at the same moment are counted one by one by the database, never all let through.
 * `blocked` tells that this attempt used the last slot.
 */
export async function take(limit: Limit): Promise<LimitState & { allowed: boolean }> {
	const state = await hit(limit)
	return { ...state, allowed: state.count <= limit.max }
}

/** Gives back a slot taken by take() when the attempt turned out legitimate. */
export async function release(limit: Limit) {
	await db.$executeRaw`UPDATE "RateLimit" SET "count" = greatest("count" - 1, 0) WHERE "key" = ${limit.key} AND "resetAt" > now()`
}

/** Reports the state without counting. */
export async function peek(limit: Limit): Promise<LimitState> {
	const [row] = await runSql(RATE_LIMIT_PEEK, { key: limit.key })
	if (!row) return { blocked: false, count: 0, retryAfterSeconds: 0 }
	return { blocked: row.count >= limit.max, count: row.count, retryAfterSeconds: Math.max(1, Math.ceil(row.secondsLeft)) }
}

export async function reset(key: string) {
	await db.rateLimit.deleteMany({ where: { key } })
}

/** Housekeeping for cron/start-up: expired windows are dead rows. */
export async function purgeExpired() {
	await db.rateLimit.deleteMany({ where: { resetAt: { lte: new Date() } } })
}

function toState(limit: Limit, row: { count: number; resetAt: Date } | undefined): LimitState {
	if (!row) return { blocked: false, count: 0, retryAfterSeconds: 0 }
	const retryAfterSeconds = Math.max(1, Math.ceil((row.resetAt.getTime() - Date.now()) / 1000))
	return { blocked: row.count >= limit.max, count: row.count, retryAfterSeconds }
}

/** The client address as Express saw it (server.ts sets `trust proxy` only when told to). */
export function clientIp(request: Request) {
	return request.headers.get('x-vms-client-ip') ?? 'unknown'
}

export const LOGIN_LIMITS = {
	perAccount: (identifier: string): Limit => ({ key: `login:acct:${identifier}`, max: 5, windowSeconds: 15 * 60 }),
	perIp: (ip: string): Limit => ({ key: `login:ip:${ip}`, max: 30, windowSeconds: 15 * 60 }),
	activationPerIp: (ip: string): Limit => ({ key: `activate:ip:${ip}`, max: 10, windowSeconds: 15 * 60 }),
}

// Sessions. lucia 3 is deprecated upstream, so it is used here and nowhere else: replacing it with hand-rolled
// session code over the same Session table touches only this file (docs/decisions/003-sessions-lucia.md).
import { redirect } from '@remix-run/node'
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia'
import { db, runSql } from '#app/db.server.ts'
import { type UserKind, type UserStatus } from '#app/db-types.ts'
import { secureCookies } from '#app/env.server.ts'
import { type Role } from '#app/db-types.ts'
import { SESSION_AND_USER, SESSION_WITH_ROLES } from './session.sql.ts'

export const SESSION_COOKIE = 'vms_session'

type UserAttributes = { fullName: string; kind: UserKind; status: UserStatus; locale: string }

declare module 'lucia' {
	interface Register {
		Lucia: ReturnType<typeof lucia>
		DatabaseUserAttributes: UserAttributes
	}
}

const adapter: Adapter = {
	async getSessionAndUser(sessionId) {
		const [row] = await runSql(SESSION_AND_USER, { sessionId })
		if (!row) return [null, null]
		const session: DatabaseSession = { id: sessionId, userId: row.userId, expiresAt: new Date(row.expiresAtMs), attributes: {} }
		const user: DatabaseUser = { id: row.userId, attributes: { fullName: row.fullName, kind: row.kind, status: row.status, locale: row.locale } }
		return [session, user]
	},
	async getUserSessions(userId) {
		const rows = await db.session.findMany({ where: { userId } })
		return rows.map((r) => ({ id: r.id, userId: r.userId, expiresAt: r.expiresAt, attributes: {} }))
	},
	async setSession(session) {
		await db.session.create({ data: { id: session.id, userId: session.userId, expiresAt: session.expiresAt } })
	},
	async updateSessionExpiration(sessionId, expiresAt) {
		await db.session.updateMany({ where: { id: sessionId }, data: { expiresAt } })
	},
	async deleteSession(sessionId) {
		await db.session.deleteMany({ where: { id: sessionId } })
	},
	async deleteUserSessions(userId) {
		await db.session.deleteMany({ where: { userId } })
	},
	async deleteExpiredSessions() {
		await db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } })
	},
}

// lucia extends a session once less than half of this is left (and the root loader sends the new cookie).
const SESSION_DAYS = 14

let luciaInstance: Lucia<Record<never, never>, UserAttributes> | undefined
function lucia(): Lucia<Record<never, never>, UserAttributes> {
	luciaInstance ??= new Lucia<Record<never, never>, UserAttributes>(adapter, {
		sessionExpiresIn: new TimeSpan(SESSION_DAYS, 'd'),
		sessionCookie: {
			name: SESSION_COOKIE,
			expires: true,
			// HttpOnly and Path=/ are lucia's defaults; SameSite=Lax blocks cross-site POSTs carrying the cookie.
			attributes: { sameSite: 'lax', secure: secureCookies() },
		},
		getUserAttributes: (attributes) => attributes,
	})
	return luciaInstance
}

export type SessionUser = { id: string } & UserAttributes

type Resolved = { user: SessionUser; sessionId: string; setCookie?: string } | null

// Loaders of one request (root + route) share one lookup.
const perRequest = new WeakMap<Request, Promise<Resolved>>()

function readSessionId(request: Request) {
	return readSessionCookie(request.headers.get('Cookie'))
}

/** The session id in a Cookie header, if any (not validated). */
export function readSessionCookie(cookieHeader: string | null | undefined) {
	return lucia().readSessionCookie(cookieHeader ?? '')
}

/**
 * Whether a session row can be used as it is, with nothing to write or send: the user is active and the session
 * is in the first half of its life (later, lucia extends it and a new cookie must go out). Code that reads the
 * Session table itself (the lesson page cache) serves only such sessions and leaves the others to getSession.
 */
export function isSteadySession(row: { expiresAt: Date; status: UserStatus }, now = Date.now()) {
	return row.status === 'ACTIVE' && row.expiresAt.getTime() - now > (SESSION_DAYS / 2) * 24 * 60 * 60 * 1000
}

/**
 * The person behind a Cookie header when their session can be used as it is (isSteadySession), with their roles;
 * null otherwise, and then the request goes through getSession, which may extend or end the session. For pages
 * served without Remix (decision 027).
 */
export async function readSteadySession(cookieHeader: string | undefined): Promise<{ userId: string; kind: UserKind; roles: Array<Role> } | null> {
	const sessionId = readSessionCookie(cookieHeader)
	if (!sessionId) return null
	const [row] = await runSql(SESSION_WITH_ROLES, { sessionId })
	if (!row || !isSteadySession({ status: row.status, expiresAt: new Date(row.expiresAtMs) })) return null
	return { userId: row.userId, kind: row.kind, roles: row.roles }
}

async function resolve(request: Request): Promise<Resolved> {
	const sessionId = readSessionId(request)
	if (!sessionId) return null
	const { session, user } = await lucia().validateSession(sessionId)
	if (!session || !user) return null
	if (user.status !== 'ACTIVE') {
		await lucia().invalidateSession(session.id)
		return null
	}
	// lucia extends a session past half its life; the root loader sends the refreshed cookie.
	const setCookie = session.fresh ? lucia().createSessionCookie(session.id).serialize() : undefined
	return { user, sessionId: session.id, setCookie }
}

export function getSession(request: Request): Promise<Resolved> {
	let pending = perRequest.get(request)
	if (!pending) {
		pending = resolve(request)
		perRequest.set(request, pending)
	}
	return pending
}

export async function getUser(request: Request) {
	return (await getSession(request))?.user ?? null
}

/** The logged-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request, { redirectTo }: { redirectTo?: string } = {}) {
	const user = await getUser(request)
	if (user) return user
	const url = new URL(request.url)
	const back = redirectTo ?? `${url.pathname}${url.search}`
	throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`)
}

export async function requireAnonymous(request: Request) {
	if (await getUser(request)) throw redirect('/')
}

/** Starts a session; returns the Set-Cookie header value. Old sessions of a fixated id are never reused. */
export async function startSession(userId: string) {
	const session = await lucia().createSession(userId, {})
	return lucia().createSessionCookie(session.id).serialize()
}

/** Ends the current session; returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request) {
	const sessionId = readSessionId(request)
	if (sessionId) await lucia().invalidateSession(sessionId)
	return lucia().createBlankSessionCookie().serialize()
}

/** After a password change: every other session of the user ends. */
export async function endOtherSessions(userId: string, keepSessionId: string) {
	await db.session.deleteMany({ where: { userId, id: { not: keepSessionId } } })
}

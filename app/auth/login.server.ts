// Password log-in with limits per account and per IP (counted in the database, shared by all app processes).
import { db } from '#app/db.server.ts'
import { verifyAgainstDummy, verifyPassword } from './password.server.ts'
import { clientIp, LOGIN_LIMITS, release, reset, take } from './rate-limit.server.ts'
import { normalizeIdentifier, normalizePhone } from './schema.ts'
import { startSession } from './session.server.ts'

export type LoginResult =
	| { ok: true; userId: string; setCookie: string }
	| { ok: false; reason: 'invalid' | 'disabled' }
	/** Right password, but a youth unit has not approved the person's request yet, or refused it (decision 016). */
	| { ok: false; reason: NotActiveReason }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }

export type NotActiveReason = 'pending-approval' | 'join-rejected'

/**
 * Why an account that is not active yet cannot sign in, when another feature knows (the youth joining requests:
 * youth/join.server.ts joinStatusOf). Passed in by the login route, so that accounts depend on no feature above them.
 */
export type NotActiveExplainer = (userId: string) => Promise<NotActiveReason | null>

export function findUserByIdentifier(identifier: string) {
	const id = normalizeIdentifier(identifier)
	// People who joined a youth unit with a phone number sign in with it, however they type it ("+84 912 …").
	const phone = id.includes('@') ? null : normalizePhone(id)
	return db.user.findFirst({
		where: id.includes('@') ? { email: id } : { OR: [{ username: id }, { email: id }, ...(phone && phone !== id ? [{ username: phone }] : [])] },
		include: { password: true },
	})
}

/**
 * The key the per-account limit counts on: the account itself when the identifier names one (its username, e-mail
 * and every spelling of its phone share one counter), else the identifier in its normal form.
 */
function accountKey(identifier: string, userId: string | undefined) {
	if (userId) return `user:${userId}`
	const phone = identifier.includes('@') ? null : normalizePhone(identifier)
	return `id:${phone ?? identifier}`
}

export async function authenticate(
	request: Request,
	rawIdentifier: string,
	password: string,
	explainNotActive: NotActiveExplainer = async () => null,
): Promise<LoginResult> {
	const identifier = normalizeIdentifier(rawIdentifier)
	const user = await findUserByIdentifier(identifier)
	const accountLimit = LOGIN_LIMITS.perAccount(accountKey(identifier, user?.id))
	const ipLimit = LOGIN_LIMITS.perIp(clientIp(request))
	// The attempt takes its slots BEFORE the password is checked, in one atomic statement each: parallel attempts
	// cannot all pass a check made before any of them was counted.
	const [a, i] = await Promise.all([take(accountLimit), take(ipLimit)])
	if (!a.allowed || !i.allowed) {
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.max(a.allowed ? 0 : a.retryAfterSeconds, i.allowed ? 0 : i.retryAfterSeconds) }
	}
	const valid = user?.password ? await verifyPassword(user.password.hash, password) : await verifyAgainstDummy(password)
	if (!user || !valid) {
		if (a.blocked || i.blocked) {
			return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.max(a.retryAfterSeconds, i.retryAfterSeconds) }
		}
		return { ok: false, reason: 'invalid' }
	}
	// A right password gives the slots back: an office behind one address signs in all morning.
	await Promise.all([reset(accountLimit.key), release(ipLimit)])
	if (user.status === 'DISABLED') return { ok: false, reason: 'disabled' }
	if (user.status !== 'ACTIVE') {
		// Only told once the password is right, so that the answer reveals nothing to someone guessing.
		return { ok: false, reason: (await explainNotActive(user.id)) ?? 'invalid' }
	}
	return { ok: true, userId: user.id, setCookie: await startSession(user.id) }
}

// Password log-in with limits per account and per IP (counted in the database, shared by all app processes).
import { db } from '#app/db.server.ts'
import { joinStatusOf } from '#app/youth/join.server.ts'
import { normalizePhone } from '#app/youth/schema.ts'
import { verifyAgainstDummy, verifyPassword } from './password.server.ts'
import { clientIp, hit, LOGIN_LIMITS, peek, reset } from './rate-limit.server.ts'
import { normalizeIdentifier } from './schema.ts'
import { startSession } from './session.server.ts'

export type LoginResult =
	| { ok: true; userId: string; setCookie: string }
	| { ok: false; reason: 'invalid' | 'disabled' }
	/** Right password, but a youth unit has not approved the person's request yet, or refused it (decision 016). */
	| { ok: false; reason: 'pending-approval' | 'join-rejected' }
	| { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }

export function findUserByIdentifier(identifier: string) {
	const id = normalizeIdentifier(identifier)
	// People who joined a youth unit with a phone number sign in with it, however they type it ("+84 912 …").
	const phone = id.includes('@') ? null : normalizePhone(id)
	return db.user.findFirst({
		where: id.includes('@') ? { email: id } : { OR: [{ username: id }, { email: id }, ...(phone && phone !== id ? [{ username: phone }] : [])] },
		include: { password: true },
	})
}

export async function authenticate(request: Request, rawIdentifier: string, password: string): Promise<LoginResult> {
	const identifier = normalizeIdentifier(rawIdentifier)
	const accountLimit = LOGIN_LIMITS.perAccount(identifier)
	const ipLimit = LOGIN_LIMITS.perIp(clientIp(request))
	const [account, ip] = await Promise.all([peek(accountLimit), peek(ipLimit)])
	if (account.blocked || ip.blocked) {
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.max(account.retryAfterSeconds, ip.retryAfterSeconds) }
	}
	const user = await findUserByIdentifier(identifier)
	const valid = user?.password ? await verifyPassword(user.password.hash, password) : await verifyAgainstDummy(password)
	if (!user || !valid) {
		const [a, i] = await Promise.all([hit(accountLimit), hit(ipLimit)])
		if (a.blocked || i.blocked) {
			return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.max(a.retryAfterSeconds, i.retryAfterSeconds) }
		}
		return { ok: false, reason: 'invalid' }
	}
	if (user.status === 'DISABLED') return { ok: false, reason: 'disabled' }
	if (user.status !== 'ACTIVE') {
		// Only told once the password is right, so that the answer reveals nothing to someone guessing.
		const join = await joinStatusOf(user.id)
		return { ok: false, reason: join ?? 'invalid' }
	}
	await reset(accountLimit.key)
	return { ok: true, userId: user.id, setCookie: await startSession(user.id) }
}

// Students without e-mail log in with the username and a short PIN printed on their login card. The PIN is hashed
// with argon2id like a password (only the hash is stored; printing again replaces it) and guessing is limited per
// account and per address in the RateLimit table shared by every app process.
import { randomInt } from 'node:crypto'
import { audit } from '#app/auth/audit.server.ts'
import { accountRefusal, actorFor, personFacts } from '#app/auth/people.server.ts'
import { type Grant } from '#app/auth/permissions.ts'
import { hashPassword, verifyAgainstDummy, verifyPassword } from '#app/auth/password.server.ts'
import { clientIp, type Limit, release, reset, take } from '#app/auth/rate-limit.server.ts'
import { normalizeIdentifier } from '#app/auth/schema.ts'
import { startSession } from '#app/auth/session.server.ts'
import { db } from '#app/db.server.ts'
import { TEACH_ROLES } from './access.server.ts'

export const PIN_LENGTH = 6

export const PIN_LIMITS = {
	perAccount: (username: string): Limit => ({ key: `pin:acct:${username}`, max: 5, windowSeconds: 15 * 60 }),
	// A whole school shares one address behind its router, and children mistype: far more room than for staff.
	perIp: (ip: string): Limit => ({ key: `pin:ip:${ip}`, max: 300, windowSeconds: 15 * 60 }),
}

export function generatePin() {
	return Array.from({ length: PIN_LENGTH }, () => randomInt(10)).join('')
}

/**
 * New PINs for the given students of a class (all of them when printing cards), in clear, once. Activates the
 * accounts as student accounts: an account imported from a list becomes usable when its card is printed.
 */
export async function issuePins(classId: number, userIds: Array<string>, actor: { actorId: string; request?: Request; grants: ReadonlyArray<Grant> }) {
	const members = await db.membership.findMany({
		where: { orgUnitId: classId, userId: { in: userIds }, validFrom: { lte: new Date() }, OR: [{ validTo: null }, { validTo: { gt: new Date() } }] },
		select: { userId: true, user: { select: { email: true, status: true } } },
	})
	// Only people of this class, never a staff account (with e-mail) or a disabled one, and only pupils whose every
	// membership and grant lies inside the teacher's scope (a PIN signs in: people.server.ts).
	const candidates = [...new Set(members.filter((m) => !m.user.email && m.user.status !== 'DISABLED').map((m) => m.userId))]
	const facts = await personFacts(candidates)
	const teacher = actorFor(actor.actorId, actor.grants, TEACH_ROLES)
	const allowed = candidates.filter((id) => {
		const person = facts.get(id)
		return person !== undefined && accountRefusal(teacher, person) === null
	})
	const pins = new Map<string, string>()
	// argon2 one at a time: each hash takes 19 MiB, and 40 at once would take a whole core for seconds anyway.
	const hashes: Array<{ userId: string; pinHash: string }> = []
	for (const userId of allowed) {
		const pin = generatePin()
		pins.set(userId, pin)
		hashes.push({ userId, pinHash: await hashPassword(pin) })
	}
	await db.$transaction(async (tx) => {
		await tx.loginPin.deleteMany({ where: { userId: { in: allowed } } })
		await tx.loginPin.createMany({ data: hashes.map((h) => ({ ...h, issuedById: actor.actorId })) })
		await tx.user.updateMany({ where: { id: { in: allowed } }, data: { kind: 'STUDENT', status: 'ACTIVE' } })
		await audit({ actorId: actor.actorId, action: 'pin.issue', targetType: 'OrgUnit', targetId: classId, orgUnitId: classId, request: actor.request, details: { count: allowed.length } }, tx)
	})
	return pins
}

export type PinLoginResult = { ok: true; userId: string; setCookie: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }

export async function pinLogin(request: Request, rawUsername: string, pin: string): Promise<PinLoginResult> {
	const username = normalizeIdentifier(rawUsername)
	const accountLimit = PIN_LIMITS.perAccount(username)
	const ipLimit = PIN_LIMITS.perIp(clientIp(request))
	// Slots are taken before the PIN is checked (atomically, see take()): parallel guesses cannot all pass.
	const [account, ip] = await Promise.all([take(accountLimit), take(ipLimit)])
	if (!account.allowed || !ip.allowed) {
		return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.max(account.allowed ? 0 : account.retryAfterSeconds, ip.allowed ? 0 : ip.retryAfterSeconds) }
	}
	const user = await db.user.findUnique({ where: { username }, select: { id: true, status: true, loginPin: { select: { pinHash: true } } } })
	const valid = user?.loginPin ? await verifyPassword(user.loginPin.pinHash, pin) : await verifyAgainstDummy(pin)
	if (!user || !valid || user.status !== 'ACTIVE') {
		if (account.blocked || ip.blocked) return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.max(account.retryAfterSeconds, ip.retryAfterSeconds) }
		return { ok: false, reason: 'invalid' }
	}
	await release(ipLimit)
	await reset(accountLimit.key)
	return { ok: true, userId: user.id, setCookie: await startSession(user.id) }
}

// The signed-in person's own account page: their profile and changing their password.
import { db } from '#app/db.server.ts'
import { audit } from './audit.server.ts'
import { hashPassword, verifyPassword } from './password.server.ts'
import { endOtherSessions } from './session.server.ts'

export function getProfile(userId: string) {
	return db.user.findUniqueOrThrow({ where: { id: userId }, select: { fullName: true, username: true, email: true } })
}

/**
 * Replaces the password after checking the current one; every other session of the person ends (the one in use,
 * `keepSessionId`, stays). False when the current password is wrong (or the account has none).
 */
export async function changePassword(input: { userId: string; current: string; password: string; keepSessionId: string | null; request: Request }) {
	const stored = await db.password.findUnique({ where: { userId: input.userId } })
	if (!stored || !(await verifyPassword(stored.hash, input.current))) return false
	const hash = await hashPassword(input.password)
	await db.password.update({ where: { userId: input.userId }, data: { hash } })
	if (input.keepSessionId) await endOtherSessions(input.userId, input.keepSessionId)
	await audit({ actorId: input.userId, action: 'user.password.change', targetType: 'User', targetId: input.userId, request: input.request })
	return true
}

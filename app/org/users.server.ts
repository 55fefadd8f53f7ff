// Accounts created by a manager for their unit: PENDING until the person activates with the one-time code.
import { issueActivationCode } from '#app/auth/activation.server.ts'
import { audit } from '#app/auth/audit.server.ts'
import { db, Prisma } from '#app/db.server.ts'
import { normalizeName } from '#app/ui/collation.ts'

export type NewUserInput = { fullName: string; username: string; email?: string; title?: string; tags: Array<string> }

export async function createUserInUnit(
	input: NewUserInput,
	unitId: number,
	actorId: string,
	request: Request,
): Promise<{ ok: true; code: string; expiresAt: Date; fullName: string } | { ok: false; field: 'username' | 'email' }> {
	const email = input.email?.toLowerCase()
	const clash = await db.user.findFirst({
		where: { OR: [{ username: input.username }, ...(email ? [{ email }] : [])] },
		select: { username: true },
	})
	if (clash) return { ok: false, field: clash.username === input.username ? 'username' : 'email' }
	const fullName = normalizeName(input.fullName)
	try {
		return await create(input, email, fullName, unitId, actorId, request)
	} catch (error) {
		// Two managers creating the same username at once: the unique index decides.
		if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
			return { ok: false, field: String(error.meta?.target ?? '').includes('email') ? 'email' : 'username' }
		}
		throw error
	}
}

function create(input: NewUserInput, email: string | undefined, fullName: string, unitId: number, actorId: string, request: Request) {
	return db.$transaction(async (tx) => {
		// Someone added to a Youth Union unit is a youth member; anywhere else (teachers included) staff.
		const { tree } = await tx.orgUnit.findUniqueOrThrow({ where: { id: unitId }, select: { tree: true } })
		const user = await tx.user.create({
			data: { fullName, username: input.username, email, status: 'PENDING', kind: tree === 'YOUTH' ? 'YOUTH' : 'STAFF' },
		})
		await tx.membership.create({
			data: { userId: user.id, orgUnitId: unitId, title: input.title ? normalizeName(input.title) : null, tags: input.tags },
		})
		const { code, expiresAt } = await issueActivationCode(user.id, actorId, tx)
		await audit(
			{ actorId, action: 'user.create', targetType: 'User', targetId: user.id, orgUnitId: unitId, request, details: { username: input.username } },
			tx,
		)
		return { ok: true as const, code, expiresAt, fullName }
	})
}

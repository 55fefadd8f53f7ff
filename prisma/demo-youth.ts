// The demo youth tree's joining (decision 016): the type of each đoàn cơ sở, and one live invite link for Chi đoàn
// thôn Đông, so that `npm start` shows the invite page, its QR code and the registration form.
import { type PrismaClient } from '#app/generated/prisma/client.ts'
import { newInviteToken } from '#app/youth/invites.server.ts'

const GRASSROOTS = { 'DCS-ANPHU': 'commune', 'DCS-KCQ': 'agency', 'DCS-THPTMS': 'school' } as const
const INVITED_BRANCH = 'CD-ANPHU-1'
const DAY = 24 * 3600_000

export async function seedDemoYouth(db: PrismaClient, demo: { accounts: Array<{ userId: string; username: string }> }, now = new Date()) {
	const units = await db.orgUnit.findMany({ where: { tree: 'YOUTH', code: { in: [...Object.keys(GRASSROOTS), INVITED_BRANCH] } }, select: { id: true, code: true } })
	await db.youthUnitProfile.createMany({
		data: units.filter((u) => u.code in GRASSROOTS).map((u) => ({ orgUnitId: u.id, grassrootsType: GRASSROOTS[u.code as keyof typeof GRASSROOTS] })),
		skipDuplicates: true,
	})
	const branch = units.find((u) => u.code === INVITED_BRANCH)
	const officer = demo.accounts.find((a) => a.username === 'doanvien')
	if (!branch || !officer) return null
	const invite = await db.youthInvite.create({
		data: { token: newInviteToken(), orgUnitId: branch.id, expiresAt: new Date(now.getTime() + 180 * DAY), maxUses: 100, createdById: officer.userId, createdAt: now },
	})
	return { path: `/invite/${invite.token}` }
}

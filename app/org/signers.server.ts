// Who signs the certificates issued in a unit's tree (config/certificate-issuers.yaml, decision 007), checked against
// the roster of the unit the configuration names as the signing one: a signatory who is not (or no longer) a member
// there is shown as such, so that a wrong name is seen before it is printed on paper.
import { db } from '#app/db.server.ts'
import { issuerEntry } from '#app/certificates/issuers.server.ts'
import { activeMembershipWhere } from './units.server.ts'

export type SignerOverview = Awaited<ReturnType<typeof signerOverview>>

export async function signerOverview(unit: { path: string }, now = new Date()) {
	const rootId = Number(unit.path.split('/').filter(Boolean)[0])
	const root = await db.orgUnit.findUnique({ where: { id: rootId }, select: { tree: true, code: true, name: true } })
	const key = root ? `${root.tree}:${root.code}` : null
	const { issuer, isDefault } = issuerEntry(key)
	const signers = issuer.signers.map((s) => ({ from: s.from.toISOString(), name: s.name, title: s.title }))
	const currentIndex = issuer.signers.findLastIndex((s) => s.from.getTime() <= now.getTime())
	const current = signers[Math.max(currentIndex, 0)]!
	const signingUnit = issuer.signingUnit
		? await db.orgUnit.findUnique({ where: { tree_code: issuer.signingUnit }, select: { id: true, name: true } })
		: null
	const onRoster = signingUnit
		? await db.membership.findFirst({
				where: { ...activeMembershipWhere(now), orgUnitId: signingUnit.id, user: { fullName: current.name } },
				select: { title: true },
			})
		: null
	return {
		rootName: root?.name ?? null,
		isDefault,
		authority: issuer.authority,
		organisation: issuer.organisation,
		signers,
		current,
		signingUnit,
		// null: the unit is not configured or not found; found false: the signatory is not a current member there.
		roster: signingUnit ? { found: !!onRoster, title: onRoster?.title ?? null } : null,
	}
}

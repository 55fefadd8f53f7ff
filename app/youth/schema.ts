// Form schemas of the youth joining pages (decision 016), shared by the client (Conform) and the actions. Messages
// are catalogue keys: youth.join.* are public (vi.ts), youth.invite.* and youth.requests.* for officers (vi-admin.ts).
import { z } from 'zod'
import { normalizePhone, PASSWORD_MAX, PASSWORD_MIN } from '#app/auth/schema.ts'
import { parseVnDay } from '#app/ui/dates.ts'

export const GRASSROOTS_TYPES = ['commune', 'school', 'agency', 'enterprise'] as const
export type GrassrootsType = (typeof GRASSROOTS_TYPES)[number]

/** Kinds of youth unit a person joins through an invite: a chi đoàn or a community digital team. */
export const INVITABLE_KINDS = ['youth_branch', 'community_team'] as const

const DAY_MS = 24 * 3600 * 1000
/** Longest life of an invite link: one school year, the usual recruiting period of a chi đoàn. */
export const INVITE_MAX_DAYS = 366
export const INVITE_MAX_USES = 1000

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

const fullName = z
	.string({ error: 'youth.join.error.name' })
	.transform((v) => v.normalize('NFC').replace(/\s+/g, ' ').trim())
	.pipe(
		z
			.string()
			.min(2, 'youth.join.error.name')
			.max(120, 'youth.join.error.name')
			.regex(/^[\p{L}][\p{L}\p{M} .'-]*$/u, 'youth.join.error.name'),
	)

const birthYear = z.coerce
	.number({ error: 'youth.join.error.birthYear' })
	.int('youth.join.error.birthYear')
	.refine((y) => y >= 1950 && y <= new Date().getUTCFullYear() - 10, 'youth.join.error.birthYear')

const phone = z.preprocess(
	blank,
	z
		.string()
		.max(30, 'youth.join.error.phone')
		.transform((v, ctx) => {
			const p = normalizePhone(v)
			if (!p) {
				ctx.addIssue({ code: 'custom', message: 'youth.join.error.phone' })
				return z.NEVER
			}
			return p
		})
		.optional(),
)

const email = z.preprocess(
	(v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.normalize('NFC').trim().toLowerCase()) : v),
	z.email('youth.join.error.email').max(254, 'youth.join.error.email').optional(),
)

export const RegisterSchema = z
	.object({
		intent: z.literal('register'),
		fullName,
		birthYear,
		phone,
		email,
		password: z
			.string({ error: 'youth.join.error.password' })
			.min(PASSWORD_MIN, 'youth.join.error.password')
			.max(PASSWORD_MAX, 'youth.join.error.password'),
		confirm: z.string({ error: 'youth.join.error.confirm' }),
	})
	.superRefine((v, ctx) => {
		if (!v.phone && !v.email) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'youth.join.error.contact' })
		if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'youth.join.error.confirm' })
	})

export type RegisterInput = z.output<typeof RegisterSchema>

export const LinkSchema = z.object({ intent: z.literal('link') })

/** The invite page's two forms: register a new account, or link the signed-in one (no fields beyond its intent). */
export const InviteJoinSchema = z.discriminatedUnion('intent', [RegisterSchema, LinkSchema], { error: 'youth.join.error.form' })

export const InviteActionSchema = z.discriminatedUnion('intent', [
	z.object({
		intent: z.literal('create'),
		orgUnitId: z.coerce.number({ error: 'youth.invite.error.unit' }).int('youth.invite.error.unit').positive('youth.invite.error.unit'),
		// The last day the link works, yyyy-mm-dd, until the end of that day in Vietnam.
		expiresOn: z
			.string({ error: 'youth.invite.error.expiry' })
			.regex(/^\d{4}-\d{2}-\d{2}$/, 'youth.invite.error.expiry')
			.transform((v, ctx) => {
				const date = parseVnDay(v, '23:59:59')
				const fromNow = date ? date.getTime() - Date.now() : 0
				if (!date || fromNow <= 0 || fromNow > INVITE_MAX_DAYS * DAY_MS) {
					ctx.addIssue({ code: 'custom', message: 'youth.invite.error.expiry' })
					return z.NEVER
				}
				return date
			}),
		maxUses: z.coerce
			.number({ error: 'youth.invite.error.maxUses' })
			.int('youth.invite.error.maxUses')
			.min(1, 'youth.invite.error.maxUses')
			.max(INVITE_MAX_USES, 'youth.invite.error.maxUses'),
	}),
	z.object({ intent: z.literal('revoke'), inviteId: z.string().min(1).max(40) }),
])

export const DecideSchema = z.object({
	decision: z.enum(['approve', 'reject'], { error: 'youth.requests.error.decision' }),
	// Checkboxes: one value per ticked request; none ticked sends nothing.
	ids: z.preprocess(
		(v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
		z.array(z.string().min(1).max(40)).min(1, 'youth.requests.error.none').max(500, 'youth.requests.error.tooMany'),
	),
	reason: z.preprocess(
		blank,
		z
			.string()
			.transform((v) => v.normalize('NFC').trim())
			.pipe(z.string().max(500, 'youth.requests.error.reason'))
			.optional(),
	),
})

export const YouthProfileSchema = z.object({
	intent: z.literal('youth-profile'),
	grassrootsType: z.enum(GRASSROOTS_TYPES, { error: 'youth.invite.error.grassrootsType' }),
})

/** The optional type chosen on the tree's create form (used only when the new unit is a đoàn cơ sở). */
export const GrassrootsChoiceSchema = z.preprocess(blank, z.enum(GRASSROOTS_TYPES, { error: 'youth.invite.error.grassrootsType' }).optional())

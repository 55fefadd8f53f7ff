import { z } from 'zod'
import { startsLikeFormula } from '#app/ui/csv.ts'
import { TAGS } from './tags.ts'
import { parseVnDay, vnDayStart } from '#app/ui/dates.ts'
import { GrassrootsChoiceSchema, YouthProfileSchema } from '#app/youth/schema.ts'

const optionalText = (max: number) =>
	z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional())

export const NewUserSchema = z.object({
	fullName: z
		.string({ error: 'org.newUser.nameRequired' })
		.trim()
		.min(1, 'org.newUser.nameRequired')
		.max(120, 'org.newUser.nameTooLong'),
	username: z
		.string({ error: 'org.newUser.badUsername' })
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9._-]{3,40}$/, 'org.newUser.badUsername'),
	email: z.preprocess(
		(v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
		z.email('org.newUser.badEmail').max(254, 'org.newUser.badEmail').optional(),
	),
	title: optionalText(120),
	tags: z.array(z.enum(TAGS)).default([]),
})

/** yyyy-mm-dd from a date input, as the start of that day in Vietnam, within a year of today. */
export const EffectiveDateSchema = z
	.string({ error: 'roster.error.date' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'roster.error.date')
	.transform((v, ctx) => {
		const date = vnDayStart(v)
		if (Number.isNaN(date.getTime()) || Math.abs(date.getTime() - Date.now()) > 366 * 24 * 3600 * 1000) {
			ctx.addIssue({ code: 'custom', message: 'roster.error.date' })
			return z.NEVER
		}
		return date
	})

const DAY_MS = 24 * 3600 * 1000

/**
 * "Ngày hiệu lực" of a change to the org tree, yyyy-mm-dd as the start of that day in Vietnam. Decisions on units
 * are often recorded after the fact (the 2025 mergers took effect on 1 July), so up to five years back; a closure
 * may be planned up to a year ahead. Whether a date fits the unit's own history is checked by tree.server.ts.
 */
export const UnitDateSchema = z
	.string({ error: 'tree.error.date' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'tree.error.date')
	.transform((v, ctx) => {
		const date = parseVnDay(v)
		const fromNow = date ? date.getTime() - Date.now() : 0
		if (!date || fromNow < -5 * 366 * DAY_MS || fromNow > 366 * DAY_MS) {
			ctx.addIssue({ code: 'custom', message: 'tree.error.date' })
			return z.NEVER
		}
		return date
	})

export const RosterUploadSchema = z.object({
	// A file input left empty still sends a part, with no name and no bytes.
	file: z.instanceof(File, { message: 'import.file.missing' }).refine((f) => f.name !== '' || f.size > 0, 'import.file.missing'),
	mode: z.enum(['upsert', 'sync'], { error: 'roster.error.mode' }),
	effectiveAt: EffectiveDateSchema,
})

export const MEMBER_STATUSES = ['active', 'ended', 'pending', 'disabled'] as const

const tagSlug = z.string().regex(/^[a-z0-9-]{1,40}$/, 'members.error.tag')

export const MemberActionSchema = z.discriminatedUnion('intent', [
	z.object({
		intent: z.literal('update'),
		title: optionalText(120),
		tags: z.array(tagSlug).max(10).default([]),
		otherTags: optionalText(200),
		countsInTarget: z.boolean().default(false),
	}),
	z.object({
		intent: z.literal('move'),
		toUnitId: z.coerce.number({ error: 'members.error.unit' }).int('members.error.unit').positive('members.error.unit'),
		at: EffectiveDateSchema,
	}),
	z.object({ intent: z.literal('end'), at: EffectiveDateSchema }),
])

const unitName = z
	.string({ error: 'tree.error.name' })
	.transform((v) => v.normalize('NFC').replace(/\s+/g, ' ').trim())
	.pipe(
		z
			.string()
			.min(2, 'tree.error.name')
			.max(200, 'tree.error.name')
			// Unit names reach CSV reports: one a spreadsheet reads as a formula is refused here (and neutralised there).
			.refine((v) => !startsLikeFormula(v), 'tree.error.nameFormula'),
	)

export const UNIT_KINDS = ['province', 'department', 'division', 'commune', 'education_office', 'school', 'class', 'youth_union', 'youth_grassroots', 'youth_branch', 'community_team'] as const

export const UnitCreateSchema = z.object({
	intent: z.literal('create'),
	parentId: z.coerce.number({ error: 'tree.error.parent' }).int('tree.error.parent').positive('tree.error.parent'),
	code: z
		.string({ error: 'tree.error.code' })
		.trim()
		.toUpperCase()
		.regex(/^[A-Z0-9][A-Z0-9._-]{0,39}$/, 'tree.error.code'),
	name: unitName,
	kind: z.enum(UNIT_KINDS, { error: 'tree.error.kind' }),
	validFrom: UnitDateSchema,
})

export const UnitEditSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('rename'), name: unitName, at: UnitDateSchema }),
	z.object({ intent: z.literal('move'), parentId: z.coerce.number({ error: 'tree.error.parent' }).int('tree.error.parent').positive('tree.error.parent'), at: UnitDateSchema }),
	z.object({ intent: z.literal('close'), at: UnitDateSchema }),
])

/** The unit page's "as of" lookup (GET ?at=yyyy-mm-dd); any date the history can answer for. */
export const UnitAsOfSchema = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.transform((v, ctx) => {
		// End of that day in Vietnam: a change effective on that day is part of the answer.
		const date = parseVnDay(v, '23:59:59.999')
		if (!date || date.getUTCFullYear() < 1945 || date.getUTCFullYear() > 2100) {
			ctx.addIssue({ code: 'custom', message: 'tree.error.asOf' })
			return z.NEVER
		}
		return date
	})

export const TrainingEventSchema = z.object({
	courseSlug: z.string({ error: 'assign.error.course' }).min(1, 'assign.error.course'),
	title: z
		.string({ error: 'training.error.title' })
		.trim()
		.min(3, 'training.error.title')
		.max(200, 'training.error.title'),
	date: z.string({ error: 'training.error.date' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'training.error.date'),
	time: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\d{2}:\d{2}$/, 'training.error.date').default('08:00')),
	trainerId: z.string({ error: 'training.error.trainer' }).min(1, 'training.error.trainer'),
	location: optionalText(200),
})

/** The unit's target groups: tags ticked on the page, and whether the sub-units take them too. */
export const TargetsSchema = z.object({
	tags: z.array(z.string({ error: 'members.error.tag' }).regex(/^[a-z0-9-]{1,40}$/, 'members.error.tag')).max(20, 'members.error.tag'),
	subtree: z.boolean({ error: 'members.error.tag' }).default(false),
})

const codesInvalid = { error: 'codes.reissue.invalid' }
/**
 * An import job's page posts the confirm button (no intent; a sync that ends people also sends the typed count) or
 * the codes reissue (the number of live codes the page showed, and the tick that says the printed ones stop working).
 */
export const ImportJobActionSchema = z
	.object({
		intent: z.enum(['confirm', 'reissue'], codesInvalid).default('confirm'),
		endCount: z.string({ error: 'import.ending.unreadable' }).max(40, 'import.ending.unreadable').optional(),
		voids: z.coerce.number(codesInvalid).int(codesInvalid).min(0, codesInvalid).optional(),
		understood: z.literal('yes', codesInvalid).optional(),
	})
	.refine((v) => v.intent !== 'reissue' || v.voids !== undefined, { path: ['voids'], message: 'codes.reissue.invalid' })

/** The activation codes' download: printed cards (PDF, the default) or a workbook. */
export const ImportCodesSchema = z.object({ format: z.enum(['pdf', 'xlsx'], { error: 'codes.format' }).default('pdf') })

const uploadedFile = z.instanceof(File, { message: 'import.file.missing' }).refine((f) => f.name !== '' || f.size > 0, 'import.file.missing')

export const TreeUploadSchema = z.object({ file: uploadedFile, effectiveAt: EffectiveDateSchema })

/** A training's attendance: a filled-in sheet, or the page's checklist (hidden "listed" per person, ticked boxes). */
export const AttendanceUploadSchema = z.object({ file: uploadedFile })
const attendee = z.string({ error: 'training.error.attendance' }).min(1, 'training.error.attendance').max(40, 'training.error.attendance')
export const AttendanceSchema = z.object({
	listed: z.array(attendee).max(5000, 'training.error.attendance'),
	present: z.array(attendee).max(5000, 'training.error.attendance'),
	passed: z.array(attendee).max(5000, 'training.error.attendance'),
})

/** A unit's page: its dated name, place and closing changes, and (for a đoàn cơ sở) its type. */
export const UnitPageSchema = z.discriminatedUnion('intent', [...UnitEditSchema.options, YouthProfileSchema], { error: 'tree.error.form' })

/** The tree's create form; the type of a đoàn cơ sở (decision 016) is optional and ignored for other kinds. */
export const UnitCreateFormSchema = UnitCreateSchema.extend({ grassrootsType: GrassrootsChoiceSchema })

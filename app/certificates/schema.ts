// Forms and query strings of the certificate pages (shared by server and client).
import { z } from 'zod'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A real calendar day (2026-02-30 and 2026-13-45 match the pattern but are not). */
const isRealDay = (v: string) => {
	const date = new Date(`${v}T00:00:00Z`)
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === v
}

const optionalDate = (message: string) =>
	z.preprocess(
		(v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
		z.string().regex(ISO_DATE, message).refine(isRealDay, message).optional(),
	)

/**
 * What a manager may list by: valid now, expired, revoked, replaced by a reissue (also revoked, but the holder has
 * the corrected one), or everything. Valid is the default: it is the list an agency is asked for.
 */
export const CERT_STATUSES = ['valid', 'expired', 'revoked', 'replaced', 'all'] as const
export type CertificateStatusFilter = (typeof CERT_STATUSES)[number]

/** The manager's filter: course, issue dates (Vietnamese calendar days, inclusive), status. */
export const UnitFilterSchema = z
	.object({
		course: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[a-z0-9-]{1,80}$/, 'cert.error.course').optional()),
		from: optionalDate('cert.error.date'),
		to: optionalDate('cert.error.date'),
		status: z.preprocess((v) => (v === '' || v === undefined ? 'valid' : v), z.enum(CERT_STATUSES, { error: 'cert.error.status' })),
	})
	.refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'cert.error.range', path: ['to'] })

export type UnitFilter = z.infer<typeof UnitFilterSchema>

export const RevokeSchema = z.object({
	intent: z.literal('revoke'),
	reason: z.string({ error: 'cert.error.reason' }).trim().min(5, 'cert.error.reason').max(500, 'cert.error.reason'),
	// Absent: the page asks for confirmation first (works without JavaScript); "yes": revoke.
	confirm: z.literal('yes').optional(),
})

export const ReissueSchema = z.object({
	intent: z.literal('reissue'),
	holderName: z
		.string({ error: 'cert.error.name' })
		.transform((v) => v.normalize('NFC').replace(/\s+/g, ' ').trim())
		.pipe(z.string().min(2, 'cert.error.name').max(120, 'cert.error.name')),
	reason: z.string({ error: 'cert.error.reason' }).trim().min(5, 'cert.error.reason').max(500, 'cert.error.reason'),
})

export const CertificateActionSchema = z.discriminatedUnion('intent', [RevokeSchema, ReissueSchema])

/** The filter from a query string; an invalid one falls back to no filter and reports its first error key. */
export function parseUnitFilter(params: URLSearchParams): { filter: UnitFilter; error: string | null } {
	const parsed = UnitFilterSchema.safeParse({
		course: params.get('course') ?? undefined,
		from: params.get('from') ?? undefined,
		to: params.get('to') ?? undefined,
		status: params.get('status') ?? undefined,
	})
	return parsed.success ? { filter: parsed.data, error: null } : { filter: { status: 'valid' }, error: parsed.error.issues[0]?.message ?? null }
}

/** The same filter as a query string, for links (ZIP download, back to the list). */
export function filterQuery(filter: UnitFilter) {
	const params = new URLSearchParams()
	if (filter.course) params.set('course', filter.course)
	if (filter.from) params.set('from', filter.from)
	if (filter.to) params.set('to', filter.to)
	if (filter.status !== 'valid') params.set('status', filter.status)
	return params.toString()
}

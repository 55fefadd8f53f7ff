// What the page "Hoàn thành cần xem lại" and its action share with the browser: the decision form's schema and the
// shape of the evidence a review carries. Messages are catalogue keys (integrity.review.*, vi-admin.ts).
import { z } from 'zod'

export const REVIEW_DECISIONS = ['VERIFIED', 'REDO'] as const
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number]

/** The list's filter: the reviews waiting, those decided (either way), or one decision. */
export const REVIEW_FILTERS = ['OPEN', 'DECIDED', 'VERIFIED', 'REDO'] as const
export type ReviewFilter = (typeof REVIEW_FILTERS)[number]

/** A reason the learner reads: long enough to say something, short enough for a mail and a notice. */
export const REASON_MIN = 5
export const REASON_MAX = 500

/** Spaces as typed by hand (line breaks, doubled spaces) made single; NFC, as every stored Vietnamese text. */
const tidy = (v: string | undefined) => (v ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()

export const DecideReviewSchema = z
	.object({
		reviewId: z.string({ error: 'integrity.review.error.review' }).trim().min(1, 'integrity.review.error.review').max(40, 'integrity.review.error.review'),
		decision: z.enum(REVIEW_DECISIONS, { error: 'integrity.review.error.decision' }),
		note: z.string().max(REASON_MAX * 2, 'integrity.review.error.noteLength').optional(),
		// Asking for a redo is posted twice: first the page says what it does, then the confirming post decides.
		confirm: z.string().optional(),
	})
	.superRefine((value, ctx) => {
		const note = tidy(value.note)
		if (note.length > REASON_MAX) ctx.addIssue({ code: 'custom', path: ['note'], message: 'integrity.review.error.noteLength' })
		// Asking someone to redo a course must say why: they are told, and it is written on the revoked certificate.
		else if (value.decision === 'REDO' && note.length < REASON_MIN) ctx.addIssue({ code: 'custom', path: ['note'], message: 'integrity.review.error.reason' })
	})
	.transform((value) => ({ ...value, note: tidy(value.note) }))

/** One item of a review's evidence: a catalogue key (integrity.evidence.<signal>) and its numbers and names. */
export type EvidenceItem = { signal: string; key: string; vars: Record<string, string | number | Array<string>> }

const EvidenceItemSchema = z.object({
	signal: z.string(),
	key: z.string(),
	vars: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).catch({}),
})

/** The evidence as stored (JSON written by the scan); anything unreadable is dropped rather than shown raw. */
export function readEvidence(value: unknown): Array<EvidenceItem> {
	if (!Array.isArray(value)) return []
	return value.flatMap((item) => {
		const parsed = EvidenceItemSchema.safeParse(item)
		return parsed.success ? [parsed.data] : []
	})
}

// "Hoàn thành cần xem lại" (issue 22): the completions the signals of proxy completion put before a manager, and
// the manager's decision on each — "đã xác minh, hợp lệ" (VERIFIED) or "yêu cầu học lại" (REDO, which withdraws the
// completion and its certificate: app/learning/completion.server.ts). The signals only ask; a person decides, and
// the decision is audited.
//
// Who may decide: a manager (or a Youth Union officer on its tree; ADMIN always) whose scope covers the unit the
// completion counts for. Withdrawing changes the person's record, so it also follows the rule for touching a person
// (app/auth/people.server.ts): all of their memberships and grants inside the actor's scope, none at or above the
// actor's. Nobody decides a review of their own completion.
import { audit } from '#app/auth/audit.server.ts'
import { accountRefusal, actorFor, personFacts, type Refusal } from '#app/auth/people.server.ts'
import { can, type Grant } from '#app/auth/permissions.ts'
import { db, runSql } from '#app/db.server.ts'
import { sendJob } from '#app/jobs/queue.server.ts'
import { withdrawCompletion } from '#app/learning/completion.server.ts'
import { type ReviewDecision, type ReviewFilter, readEvidence } from './reviews.ts'
import { DECIDED_REVIEWS_OF_SUBTREE, OPEN_REVIEWS_OF_REQUIRED, OPEN_REVIEWS_OF_SUBTREE, REVIEWS_OF_SUBTREE } from './reviews.sql.ts'

/** Who reviews completions (ADMIN always may). */
export const REVIEW_ROLES = ['MANAGER', 'YOUTH_ADMIN'] as const

/** The page lists at most this many reviews; the count says how many there are. */
export const REVIEW_PAGE_LIMIT = 200

const STATUSES: Record<ReviewFilter, Array<string>> = { OPEN: ['OPEN'], DECIDED: ['VERIFIED', 'REDO'], VERIFIED: ['VERIFIED'], REDO: ['REDO'] }

type Unit = { id: number; path: string }

/** The reviews of the unit's subtree with the chosen statuses, with the person, the course and the evidence. */
export async function listReviews(unit: Unit, filter: ReviewFilter = 'OPEN', limit = REVIEW_PAGE_LIMIT) {
	const rows = await runSql(REVIEWS_OF_SUBTREE, { path: unit.path, statuses: STATUSES[filter], limit })
	return { total: rows[0]?.total ?? 0, reviews: rows.map(({ total: _total, ...r }) => ({ ...r, evidence: readEvidence(r.evidence) })) }
}

/** Completions of the subtree under review now, for one course or all: one indexed count (the dashboard's budget). */
export async function countOpenReviews(unit: Pick<Unit, 'path'>, courseId: string | null = null) {
	const [row] = await runSql(OPEN_REVIEWS_OF_SUBTREE, { path: unit.path, courseId })
	return row?.open ?? 0
}

/** Completions the dashboard counts (required, of counted members of the subtree) that are under review now. */
export async function countOpenReviewsOfRequired(unit: Pick<Unit, 'path'>, courseId: string | null = null, at = new Date()) {
	const [row] = await runSql(OPEN_REVIEWS_OF_REQUIRED, { path: unit.path, courseId, at })
	return row?.open ?? 0
}

/** Reviews of the subtree decided in [from, to): reviewed (either way) and withdrawn, for the periodic report. */
export async function countDecidedReviews(unit: Pick<Unit, 'path'>, period: { from: Date; to: Date }, courseId: string | null = null) {
	const [row] = await runSql(DECIDED_REVIEWS_OF_SUBTREE, { path: unit.path, courseId, from: period.from, to: period.to })
	const verified = row?.verified ?? 0
	const withdrawn = row?.withdrawn ?? 0
	return { reviewed: verified + withdrawn, verified, withdrawn }
}

/** Up to when the last scan looked at completions (null before the first). */
export async function lastScan() {
	return (await db.integrityScanState.findUnique({ where: { id: 1 }, select: { scannedTo: true } }))?.scannedTo ?? null
}

/**
 * Asks the queue for a scan now rather than at the next quarter hour (an administrator who has just heard of a case).
 * The job is stately: however many ask, at most one waits while one runs.
 */
export async function requestScan() {
	await sendJob('integrity.scan')
}

export type DecisionError =
	/** No such review in the unit's subtree (or outside the actor's scope): the same answer, so ids reveal nothing. */
	| 'not-found'
	| 'already-decided'
	/** The completion is no longer the one reviewed (withdrawn meanwhile or reset). */
	| 'not-completed'
	| `person-${Refusal}`

export type DecisionOutcome = { ok: true; decision: ReviewDecision; name: string; revoked: Array<string>; mailed: boolean } | { ok: false; error: DecisionError }

// Raised inside the transaction to undo the review's claim when the withdrawal finds nothing to withdraw.
class NothingToWithdraw extends Error {}

/**
 * Records the decision on one review of the unit's subtree. REDO withdraws the completion in the same transaction;
 * of two managers deciding at once, the second is told it was already decided and nothing of theirs is written.
 */
export async function decideReview(
	unit: Unit,
	input: { reviewId: string; decision: ReviewDecision; note: string },
	actor: { userId: string; grants: ReadonlyArray<Grant>; request?: Request; now?: Date },
): Promise<DecisionOutcome> {
	const now = actor.now ?? new Date()
	const review = await db.completionReview.findUnique({
		where: { id: input.reviewId },
		select: { id: true, userId: true, enrollmentId: true, completedAt: true, status: true, orgUnitId: true, signals: true, courseVersionId: true },
	})
	const reviewUnit = review?.orgUnitId != null ? await db.orgUnit.findUnique({ where: { id: review.orgUnitId }, select: { path: true } }) : null
	if (!review || !reviewUnit || !reviewUnit.path.startsWith(unit.path) || !can(actor.grants, reviewUnit.path, REVIEW_ROLES)) return { ok: false, error: 'not-found' }
	if (review.status !== 'OPEN') return { ok: false, error: 'already-decided' }
	if (review.userId === actor.userId) return { ok: false, error: 'person-self' }
	if (input.decision === 'REDO') {
		const facts = (await personFacts([review.userId], now)).get(review.userId)
		const refusal = facts ? accountRefusal(actorFor(actor.userId, actor.grants, REVIEW_ROLES), facts) : 'membership-outside'
		if (refusal) return { ok: false, error: `person-${refusal}` }
	}
	const [version, person] = await Promise.all([
		db.courseVersion.findUnique({ where: { id: review.courseVersionId }, select: { course: { select: { slug: true } } } }),
		db.user.findUnique({ where: { id: review.userId }, select: { fullName: true } }),
	])
	const name = person?.fullName ?? ''
	const note = input.note || null
	try {
		return await db.$transaction(async (tx) => {
			const claimed = await tx.completionReview.updateMany({
				where: { id: review.id, status: 'OPEN' },
				data: { status: input.decision, decidedAt: now, decidedById: actor.userId, decisionNote: note },
			})
			if (claimed.count === 0) return { ok: false as const, error: 'already-decided' as const }
			await audit(
				{
					actorId: actor.userId,
					action: input.decision === 'REDO' ? 'completion.review.redo' : 'completion.review.verify',
					targetType: 'User',
					targetId: review.userId,
					orgUnitId: review.orgUnitId,
					request: actor.request,
					details: { review: review.id, course: version?.course.slug ?? null, completedAt: review.completedAt.toISOString(), signals: review.signals, note },
				},
				tx,
			)
			if (input.decision === 'VERIFIED') return { ok: true as const, decision: input.decision, name, revoked: [], mailed: false }
			const withdrawn = await withdrawCompletion(tx, {
				enrollmentId: review.enrollmentId,
				completedAt: review.completedAt,
				reason: input.note,
				actorId: actor.userId,
				orgUnitId: review.orgUnitId,
				request: actor.request,
				now,
			})
			if (!withdrawn.ok) throw new NothingToWithdraw()
			return { ok: true as const, decision: input.decision, name, revoked: withdrawn.revoked, mailed: withdrawn.mailed }
		})
	} catch (error) {
		if (error instanceof NothingToWithdraw) return { ok: false, error: 'not-completed' }
		throw error
	}
}

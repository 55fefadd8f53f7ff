// Figures of the reviews shown beside the completion figures (the dashboard); see review-figures.sql.ts.
import { runSql } from '#app/db.server.ts'
import { OPEN_REVIEWS_OF_REQUIRED } from './review-figures.sql.ts'

/** Completions the dashboard counts (required, of counted members of the subtree) that are under review now. */
export async function countOpenReviewsOfRequired(unit: { path: string }, courseId: string | null = null, at = new Date()) {
	const [row] = await runSql(OPEN_REVIEWS_OF_REQUIRED, { path: unit.path, courseId, at })
	return row?.open ?? 0
}

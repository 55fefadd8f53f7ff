// What a flag says: one item per piece of evidence, a message key with its numbers, rendered in the reader's
// language (app/ui/i18n vi-admin.ts / en.ts, keys integrity.evidence.<signal>), so that the review page states
// "5 tài khoản hoàn thành khoá X trên cùng một trình duyệt trong 40 phút" instead of a score.
export const SIGNALS = ['speed', 'device', 'network', 'login-chain', 'same-answers', 'burst', 'off-hours'] as const
export type Signal = (typeof SIGNALS)[number]

export const EVIDENCE_KEYS = {
	speed: 'integrity.evidence.speed',
	'speed-quiz': 'integrity.evidence.speed-quiz',
	device: 'integrity.evidence.device',
	network: 'integrity.evidence.network',
	'login-chain': 'integrity.evidence.login-chain',
	'same-answers': 'integrity.evidence.same-answers',
	burst: 'integrity.evidence.burst',
	'off-hours': 'integrity.evidence.off-hours',
} as const
export type EvidenceKey = (typeof EVIDENCE_KEYS)[keyof typeof EVIDENCE_KEYS]

/** A number, a word, or a list of names (the courses of a browser's window), listed in the reader's language. */
export type EvidenceVar = string | number | Array<string>

/** One piece of evidence of a CompletionReview (its `evidence` column is an array of these). */
export type EvidenceItem = { signal: Signal; key: EvidenceKey; vars: Record<string, EvidenceVar> }

/** Items in a stable order (by signal, then key), so that a scan finding the same evidence writes the same JSON. */
export function sortEvidence(items: ReadonlyArray<EvidenceItem>): Array<EvidenceItem> {
	return [...items].sort((a, b) => (a.signal === b.signal ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.signal < b.signal ? -1 : 1))
}

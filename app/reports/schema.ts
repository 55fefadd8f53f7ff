// Form schemas of the completion pages (messages are catalogue keys).
import { z } from 'zod'

/** People a manager may tick at once: one page of the people list. */
export const REMIND_PAGE_SIZE = 200

const remindInvalid = { error: 'dash.remind.invalid' }
export const RemindSchema = z
	.object({
		scope: z.enum(['selected', 'all'], remindInvalid),
		userId: z.array(z.string(remindInvalid).regex(/^[\w-]{1,40}$/, remindInvalid)).max(REMIND_PAGE_SIZE, remindInvalid),
	})
	.refine((v) => v.scope === 'all' || v.userId.length > 0, { path: ['userId'], message: 'dash.remind.noneSelected' })

/** Month-end snapshots taken by hand: the months the report page lists, and the query to return to. */
export const SnapshotSchema = z.object({
	month: z.array(z.string({ error: 'report.snapshot.noMonth' }).max(20, 'report.snapshot.noMonth')).min(1, 'report.snapshot.noMonth').max(24, 'report.snapshot.noMonth'),
	back: z.string().max(2000).optional(),
})

// What the preview of a roster import shows beyond its counts, stored with the job (ImportJob.preview): the people a
// sync will end (issue 18 item 3) and how rows were read (item 13). Plain data, shared by the server and the page.
import { type Prisma } from '#app/generated/prisma/client.ts'

export type EndingPerson = { name: string; unit: string; title: string | null }

export type ImportPreview = {
	/** Every person a sync ends (up to MAX_ENDING_SHOWN), by unit then name. */
	ending: Array<EndingPerson>
	endingTotal: number
}

/** A sync ending more people than this lists the first ones and says how many more (the count is still typed in full). */
export const MAX_ENDING_SHOWN = 5000

export function readPreview(value: Prisma.JsonValue | null | undefined): ImportPreview {
	const v = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
	const ending = Array.isArray(v.ending) ? (v.ending as Array<EndingPerson>) : []
	return { ending, endingTotal: typeof v.endingTotal === 'number' ? v.endingTotal : ending.length }
}

export function rosterPreview(plan: { ending: Array<EndingPerson> }): ImportPreview {
	return { ending: plan.ending.slice(0, MAX_ENDING_SHOWN), endingTotal: plan.ending.length }
}

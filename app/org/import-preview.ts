// What the preview of a roster import shows beyond its counts, stored with the job (ImportJob.preview): the people a
// sync will end (issue 18 item 3) and how rows were read (item 13). Plain data, shared by the server and the page.
import { type Prisma } from '#app/db-types.ts'

export type EndingPerson = { name: string; unit: string; title: string | null }

/** How one row was read, and what it changes for someone already in the database. */
export type ReadRow = {
	row: number
	name: string
	/** dd/mm/yyyy, or the year alone. */
	birth: string | null
	birthNote: 'serial' | 'year' | null
	email: string | null
	phone: string | null
	phoneNote: 'zero' | '84' | null
	/** As written in the file, and the unit it was matched to. */
	typedUnit: string
	unit: string
	unitCode: string
	unitByName: boolean
	title: string | null
	action: 'new' | 'link' | 'update' | 'same'
	changes: Array<{ field: 'fullName' | 'email' | 'phone' | 'birthDate' | 'title' | 'tags' | 'countsInTarget'; from: string; to: string }>
}

export type ImportPreview = {
	/** Every person a sync ends (up to MAX_ENDING_SHOWN), by unit then name. */
	ending: Array<EndingPerson>
	endingTotal: number
	/** The first rows of the file and every row that changes someone already there (up to MAX_CHANGED_SHOWN). */
	rows: Array<ReadRow>
	/** Changed rows beyond those shown. */
	rowsMore: number
}

/** Rows of the file always shown as read, from its start. */
export const SAMPLE_ROWS = 10
/** Changed rows shown; more are counted. */
export const MAX_CHANGED_SHOWN = 300

/** A sync ending more people than this lists the first ones and says how many more (the count is still typed in full). */
export const MAX_ENDING_SHOWN = 5000

export function readPreview(value: Prisma.JsonValue | null | undefined): ImportPreview {
	const v = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
	const ending = Array.isArray(v.ending) ? (v.ending as Array<EndingPerson>) : []
	const rows = Array.isArray(v.rows) ? (v.rows as Array<ReadRow>) : []
	return { ending, endingTotal: typeof v.endingTotal === 'number' ? v.endingTotal : ending.length, rows, rowsMore: typeof v.rowsMore === 'number' ? v.rowsMore : 0 }
}

export function rosterPreview(plan: { ending: Array<EndingPerson>; read: Array<ReadRow>; readMore: number }): ImportPreview {
	return { ending: plan.ending.slice(0, MAX_ENDING_SHOWN), endingTotal: plan.ending.length, rows: plan.read, rowsMore: plan.readMore }
}

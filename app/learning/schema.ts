import { z } from 'zod'
import { parseVnDay } from '#app/ui/dates.ts'

const optionalInt = (min: number, max: number, message: string) =>
	z.preprocess(
		(v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
		z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).optional(),
	)

const audienceTag = z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[a-z0-9-]{1,40}$/, 'assign.error.tag').optional())

const dueAt = z
	.string({ error: 'assign.error.due' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'assign.error.due')
	.transform((v, ctx) => {
		// End of that day in Vietnam: "due 31/12" means until midnight local time. Whole seconds, as due dates have
		// always been stored (an edit compares the new date with the stored one).
		const date = parseVnDay(v, '23:59:59')
		if (!date || date.getUTCFullYear() > 2100) {
			ctx.addIssue({ code: 'custom', message: 'assign.error.due' })
			return z.NEVER
		}
		return date
	})

const recurrenceMonths = optionalInt(1, 60, 'assign.error.recurrence')

// A new rule due on a day already past would make everyone it reaches overdue at once and due for reminders (the
// walk of issue 18 created one due 01/01/1999). Editing keeps an old rule's past date, so only creating checks it.
const futureDueAt = dueAt.refine((date) => date.getTime() >= Date.now(), 'assign.error.duePast')

export const AssignmentSchema = z.object({
	intent: z.enum(['preview', 'create']),
	courseSlug: z.string({ error: 'assign.error.course' }).min(1, 'assign.error.course'),
	audienceTag,
	dueAt: futureDueAt,
	recurrenceMonths,
})

/** "How many people would this reach?" needs the course and the audience, not yet a due date. */
export const AssignmentPreviewSchema = z.object({
	intent: z.literal('preview'),
	courseSlug: z.string({ error: 'assign.error.course' }).min(1, 'assign.error.course'),
	audienceTag,
	dueAt: dueAt.optional(),
	recurrenceMonths,
})

/** Editing keeps the rule's identity (course and unit): changing those is a new assignment. */
export const AssignmentEditSchema = z.object({
	intent: z.enum(['preview', 'update']),
	audienceTag,
	dueAt,
	recurrenceMonths,
})

const assignmentForm = { error: 'assign.error.form' }
/** The assignments page: how many a rule would reach, create it, or close one from the list (its id is checked by requireAssignment). */
export const AssignmentsPageSchema = z.discriminatedUnion(
	'intent',
	[AssignmentPreviewSchema, AssignmentSchema.extend({ intent: z.literal('create') }), z.object({ intent: z.literal('close'), assignmentId: z.string().max(100).optional() })],
	assignmentForm,
)

/** One assignment's page: preview or save the edit, or close the rule. */
export const AssignmentPageSchema = z.discriminatedUnion('intent', [AssignmentEditSchema, z.object({ intent: z.literal('close') })], assignmentForm)

/** Assignment ids are cuids; anything else in a URL or a hidden field is refused before a query. */
export const AssignmentIdSchema = z.string().regex(/^[a-z0-9]{8,40}$/)

/**
 * A quiz page's post: the chosen choice of each question shown (answer.<question id> = the choice's number), "save"
 * to keep them for later or "submit", and the attempt's key that makes a submit count once. Which questions and
 * choices are allowed depends on the attempt, so readAnswers checks those against it.
 */
export const QuizPostSchema = z.object({
	intent: z.enum(['save', 'submit'], { error: 'quiz.tampered' }).optional(),
	submitKey: z.string({ error: 'quiz.tampered' }).max(100, 'quiz.tampered').optional(),
	answer: z.record(z.string().max(64, 'quiz.tampered'), z.string({ error: 'quiz.tampered' }).max(3, 'quiz.tampered')).default({}),
})

/**
 * The quiz start form (issue 22): the commitment checkbox (a ticked box posts "on", an unticked one nothing) and, for
 * a course that asks for it, the learner's password again. What is missing is the quiz's to say (beginGradedAttempt).
 */
export const QuizStartSchema = z.object({
	committed: z.literal('on', { error: 'quiz.commit.required' }).optional(),
	password: z.string().max(200, 'quiz.reauth.invalid').optional(),
})

// Form schemas of the classes pages (messages are catalogue keys).
import { z } from 'zod'

const year = z.coerce.number({ error: 'edu.error.year' }).int('edu.error.year').min(2000, 'edu.error.year').max(2100, 'edu.error.year')

export const SchoolCreateSchema = z.object({
	intent: z.literal('school'),
	code: z.string({ error: 'edu.error.code' }).trim().regex(/^[A-Za-z0-9-]{1,30}$/, 'edu.error.code'),
	name: z.string({ error: 'edu.error.name' }).trim().min(1, 'edu.error.name').max(200, 'edu.error.name'),
	level: z.enum(['PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'VOCATIONAL'], { error: 'edu.error.level' }),
})

export const ClassCreateSchema = z.object({
	intent: z.literal('class'),
	name: z.string({ error: 'edu.error.className' }).trim().regex(/^[\p{L}\d.-]{1,12}$/u, 'edu.error.className'),
	schoolYear: year,
})

/** The classes page's two forms, told apart by their hidden intent. */
export const EduCreateSchema = z.discriminatedUnion('intent', [SchoolCreateSchema, ClassCreateSchema], { error: 'edu.error.name' })

export const StudentUploadSchema = z.object({
	schoolYear: year,
	file: z.instanceof(File, { message: 'edu.import.missing' }).refine((f) => f.size > 0, 'edu.import.missing'),
})

/** The preview's confirm button names its job (the page may have been opened on another). */
export const StudentImportConfirmSchema = z.object({ job: z.string({ error: 'edu.import.job' }).trim().min(1, 'edu.import.job').max(40, 'edu.import.job') })

export const PinLoginSchema = z.object({
	username: z.string({ error: 'pin.error.required' }).trim().min(1, 'pin.error.required').max(80, 'pin.error.invalid'),
	pin: z.string({ error: 'pin.error.required' }).trim().min(1, 'pin.error.required').max(12, 'pin.error.invalid'),
	redirectTo: z.string().optional(),
})

export const StartSessionSchema = z.object({ intent: z.literal('start'), courseSlug: z.string({ error: 'teach.error.course' }).min(1, 'teach.error.course').max(100, 'teach.error.course') })
export const ResetPinSchema = z.object({ intent: z.literal('reset-pin'), userId: z.string({ error: 'teach.error.student' }).min(1, 'teach.error.student').max(40, 'teach.error.student') })
/** The class page's two forms; a post with no known intent gets the start form's message (its only visible form). */
export const ClassPageSchema = z.discriminatedUnion('intent', [StartSessionSchema, ResetPinSchema], { error: 'teach.error.course' })

const stepInvalid = { error: 'session.error.step' }
export const StepSchema = z.object({
	intent: z.enum(['prev', 'next', 'goto'], stepInvalid),
	step: z.coerce.number(stepInvalid).int(stepInvalid).min(0, stepInvalid).max(1000, stepInvalid).optional(),
})

// The closing checklist: one hidden "listed" per person on the page, ticked boxes name who was present and completed.
const personId = z.string({ error: 'session.error.checklist' }).min(1, 'session.error.checklist').max(40, 'session.error.checklist')
export const CloseSessionSchema = z.object({
	listed: z.array(personId).max(500, 'session.error.checklist'),
	present: z.array(personId).max(500, 'session.error.checklist'),
	completed: z.array(personId).max(500, 'session.error.checklist'),
})

// A code longer than any real one is refused here with the same words as a malformed one (it used to throw: a 500).
export const JoinCodeSchema = z.object({ code: z.string({ error: 'join.error.invalid' }).trim().min(1, 'join.error.invalid').max(20, 'join.error.invalid') })

// The student's page posts only hidden fields and buttons: whatever is wrong, the one message is that the code is not right.
const studentInvalid = { error: 'join.error.invalid' }
export const StudentActionSchema = z.discriminatedUnion(
	'intent',
	[
		z.object({ intent: z.literal('join') }),
		z.object({
			intent: z.literal('answer'),
			step: z.coerce.number(studentInvalid).int(studentInvalid).min(0, studentInvalid).max(1000, studentInvalid),
			choice: z.coerce.number(studentInvalid).int(studentInvalid).min(0, studentInvalid).max(3, studentInvalid),
		}),
	],
	studentInvalid,
)

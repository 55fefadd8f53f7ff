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

export const StudentUploadSchema = z.object({
	schoolYear: year,
	file: z.instanceof(File, { message: 'edu.import.missing' }).refine((f) => f.size > 0, 'edu.import.missing'),
})

export const PinLoginSchema = z.object({
	username: z.string({ error: 'pin.error.required' }).trim().min(1, 'pin.error.required').max(80, 'pin.error.invalid'),
	pin: z.string({ error: 'pin.error.required' }).trim().min(1, 'pin.error.required').max(12, 'pin.error.invalid'),
	redirectTo: z.string().optional(),
})

export const StartSessionSchema = z.object({ intent: z.literal('start'), courseSlug: z.string({ error: 'teach.error.course' }).min(1, 'teach.error.course').max(100) })
export const ResetPinSchema = z.object({ intent: z.literal('reset-pin'), userId: z.string().min(1).max(40) })

export const StepSchema = z.object({ intent: z.enum(['prev', 'next', 'goto']), step: z.coerce.number().int().min(0).max(1000).optional() })

export const JoinCodeSchema = z.object({ code: z.string().trim().max(20).default('') })

export const StudentActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('join') }),
	z.object({ intent: z.literal('answer'), step: z.coerce.number().int().min(0).max(1000), choice: z.coerce.number().int().min(0).max(3) }),
])

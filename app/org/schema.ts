import { z } from 'zod'

import { TAGS } from './tags.ts'

const optionalText = (max: number) =>
	z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional())

export const NewUserSchema = z.object({
	fullName: z
		.string({ error: 'org.newUser.nameRequired' })
		.trim()
		.min(1, 'org.newUser.nameRequired')
		.max(120, 'org.newUser.nameTooLong'),
	username: z
		.string({ error: 'org.newUser.badUsername' })
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9._-]{3,40}$/, 'org.newUser.badUsername'),
	email: z.preprocess(
		(v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
		z.email('org.newUser.badEmail').max(254, 'org.newUser.badEmail').optional(),
	),
	title: optionalText(120),
	tags: z.array(z.enum(TAGS)).default([]),
})

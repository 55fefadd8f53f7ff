// Kept free of zod so that pages listing audiences do not ship the schema library to the browser.
export const AUDIENCES = ['staff', 'student-primary', 'student-secondary', 'youth'] as const
export type Audience = (typeof AUDIENCES)[number]

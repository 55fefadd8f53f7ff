// The content format of docs/content-authoring.md as zod schemas: course.yaml, lesson frontmatter, quiz.yaml,
// legal-sources.yaml and the attributes of each MDX component. Shared by the checker (server) and the components.
import { z } from 'zod'
import { AUDIENCES } from './audiences.ts'

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

export const SlugSchema = z.string().regex(SLUG, 'phải là chữ thường không dấu, số và dấu gạch nối (ví dụ bao-ve-bi-mat)')
const Text = z.string().trim().min(1, 'không được để trống')

export const AudienceSchema = z.enum(AUDIENCES)

/**
 * What a course asks of its learners beyond passing the quiz (issue 22): enforced by app/learning on the server.
 * The defaults are the behaviour of a course that says nothing.
 */
export const SafeguardsSchema = z.strictObject({
	/** Seconds from opening a lesson before "Hoàn thành bài học" counts. */
	minSecondsPerLesson: z
		.number()
		.int()
		.min(0, 'phải từ 0 trở lên (số giây)')
		// The server counts at most 2 hours a lesson (progress.server.ts); a longer minimum could never be met by the clock that measures it.
		.max(7200, 'không quá 7200 giây (2 giờ)')
		.default(0),
	/** false: the quiz opens before the lessons are done (completing the course still needs every lesson). */
	quizAfterAllLessons: z.boolean().default(true),
	/** Re-entering the password before each graded attempt (accounts without a password are exempt). */
	reauthBeforeQuiz: z.boolean().default(false),
})
export type Safeguards = z.infer<typeof SafeguardsSchema>
export const DEFAULT_SAFEGUARDS: Safeguards = { minSecondsPerLesson: 0, quizAfterAllLessons: true, reauthBeforeQuiz: false }

export const CourseSchema = z.strictObject({
	slug: SlugSchema,
	title: Text,
	summary: Text,
	audience: z.array(AudienceSchema).min(1, 'cần ít nhất một đối tượng'),
	tags: z.array(SlugSchema).default([]),
	version: z.number().int().min(1),
	passMark: z.number().int().min(1).max(100),
	validityMonths: z.number().int().min(1).optional(),
	minutes: z.number().int().min(1),
	objectives: z.array(Text).min(2, 'cần từ 2 đến 6 mục tiêu').max(6, 'cần từ 2 đến 6 mục tiêu'),
	legalBasis: z.array(SlugSchema).min(1, 'cần ít nhất một văn bản làm căn cứ'),
	requiresRecertification: z.boolean().default(false),
	/** In-person training (tập huấn): "quiz" completes only attendees who pass the event's quiz; "attendance" completes everyone present. */
	inPersonCompletion: z.enum(['quiz', 'attendance']).default('quiz'),
	safeguards: SafeguardsSchema.default(DEFAULT_SAFEGUARDS),
})
export type Course = z.infer<typeof CourseSchema>

export const LessonFrontmatterSchema = z.strictObject({
	title: Text,
	minutes: z.number().int().min(1),
	objectives: z.array(Text).min(1, 'cần ít nhất một mục tiêu'),
})
export type LessonFrontmatter = z.infer<typeof LessonFrontmatterSchema>

export const ANSWERS = ['A', 'B', 'C', 'D'] as const
export const CitationSchema = z.strictObject({ source: SlugSchema, article: Text.optional() })

export const QuestionSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'phải là chữ thường không dấu, số, "-" hoặc "_" (ví dụ q01)'),
	prompt: Text,
	choices: z
		.array(Text)
		.length(4, 'cần đúng 4 phương án')
		.refine((c) => new Set(c).size === c.length, 'có hai phương án trùng nhau'),
	answer: z.enum(ANSWERS),
	explanation: z
		.string({ error: (issue) => (issue.input === undefined ? 'mỗi câu hỏi cần lời giải thích (explanation)' : undefined) })
		.trim()
		.min(1, 'mỗi câu hỏi cần lời giải thích (explanation)'),
	// Optional: craft advice (headlines, passwords, SIFT) cites a guide or nothing; the checker demands a legal
	// citation when the explanation names a legal document (check.server.ts, namesLegalDocument).
	cite: CitationSchema.optional(),
	difficulty: z.enum(['easy', 'medium', 'hard']),
})
export type Question = z.infer<typeof QuestionSchema>

export const QuizSchema = z
	.strictObject({
		draw: z.number().int().min(1),
		maxAttempts: z.number().int().min(1).optional(),
		cooldownMinutes: z.number().int().min(1).optional(),
		bank: z.array(QuestionSchema).min(1),
	})
	// Drawing from a bank barely larger than the draw gives every attempt nearly the same questions.
	.superRefine((q, ctx) => {
		if (q.bank.length < 3 * q.draw) {
			ctx.addIssue({
				code: 'custom',
				path: ['bank'],
				message: `ngân hàng có ${q.bank.length} câu hỏi, cần ít nhất 3 × draw = ${3 * q.draw} câu (draw: ${q.draw})`,
			})
		}
	})
export type Quiz = z.infer<typeof QuizSchema>

export const SOURCE_KINDS = ['law', 'code', 'decree', 'decision', 'directive', 'resolution', 'circular', 'guidance', 'reference'] as const
export const SOURCE_STATUSES = ['in-force', 'replaced', 'superseded', 'expired'] as const
export type SourceStatus = (typeof SOURCE_STATUSES)[number]

export const LegalSourceSchema = z
	.strictObject({
		id: SlugSchema,
		kind: z.enum(SOURCE_KINDS),
		number: Text.optional(),
		title: Text,
		issuer: Text,
		issued: z.string().regex(ISO_DATE, 'phải có dạng YYYY-MM-DD').optional(),
		effective: z.string().regex(ISO_DATE, 'phải có dạng YYYY-MM-DD').optional(),
		status: z.enum(SOURCE_STATUSES),
		replacedBy: SlugSchema.optional(),
		note: Text.optional(),
	})
	.refine((s) => !(s.status === 'replaced' || s.status === 'superseded') || s.replacedBy, {
		path: ['replacedBy'],
		error: 'bắt buộc khi status là replaced hoặc superseded (id của văn bản thay thế)',
	})
	.refine((s) => s.kind === 'reference' || s.number, { path: ['number'], error: 'bắt buộc với văn bản pháp luật (chỉ kind reference được bỏ trống)' })
export type LegalSource = z.infer<typeof LegalSourceSchema>

/** The file's envelope; each entry is checked with LegalSourceSchema on its own so one mistake stays local. */
export const LegalSourcesFileSchema = z.strictObject({ sources: z.array(z.unknown()) })
export const LegalSourcesSchema = z.strictObject({ sources: z.array(LegalSourceSchema) })

// MDX component attributes. A bare attribute (`<Cite historical />`) arrives as `true`.
const flag = (name: string) => z.literal(true, { error: `viết ${name} không kèm giá trị (không viết ${name}="…")` }).optional()
export const VERDICTS = ['best', 'partial', 'wrong'] as const
export type Verdict = (typeof VERDICTS)[number]
export const CALLOUT_TYPES = ['info', 'tip', 'warning', 'law'] as const
export type CalloutType = (typeof CALLOUT_TYPES)[number]

/** `<Figure src>`: a file of the course's images/ folder, named like a slug. */
export const FIGURE_SRC = /^\.\/images\/[a-z0-9]+(?:-[a-z0-9]+)*\.(?:svg|png|jpe?g|webp|gif)$/

export const ComponentAttributeSchemas = {
	Cite: z.strictObject({ source: SlugSchema, article: Text.optional(), historical: flag('historical') }),
	Scenario: z.strictObject({ title: Text }),
	Option: z.strictObject({ label: Text, verdict: z.enum(VERDICTS).optional() }),
	Callout: z.strictObject({ type: z.enum(CALLOUT_TYPES), title: Text.optional() }),
	KeyTakeaways: z.strictObject({}),
	Checklist: z.strictObject({ title: Text }),
	Example: z
		.strictObject({ good: flag('good'), bad: flag('bad'), author: Text, channel: Text, note: Text.optional() })
		.refine((e) => (e.good ? 1 : 0) + (e.bad ? 1 : 0) === 1, 'cần đúng một trong hai thuộc tính good hoặc bad'),
	Figure: z.strictObject({
		src: z
			.string({ error: (issue) => (issue.input === undefined ? 'thiếu tệp ảnh (src="./images/ten-anh.svg")' : undefined) })
			.regex(FIGURE_SRC, 'phải là một tệp trong thư mục images/ của khoá học, tên chữ thường không dấu (ví dụ "./images/tin-nhan-gia.svg")'),
		alt: z
			.string({ error: (issue) => (issue.input === undefined ? 'thiếu mô tả ảnh bằng tiếng Việt cho người không nhìn thấy ảnh (alt="…")' : undefined) })
			.trim()
			.min(15, 'mô tả quá ngắn: nói ảnh cho thấy gì, như khi đọc cho người không nhìn thấy (ít nhất 15 ký tự)'),
		caption: z
			.string({ error: (issue) => (issue.input === undefined ? 'thiếu chú thích hiện dưới ảnh (caption="…")' : undefined) })
			.trim()
			.min(1, 'thiếu chú thích hiện dưới ảnh (caption="…")'),
	}),
	Exercise: z.strictObject({ title: Text }),
	Answer: z.strictObject({}),
} as const
export type ComponentName = keyof typeof ComponentAttributeSchemas
export const COMPONENT_NAMES = Object.keys(ComponentAttributeSchemas) as Array<ComponentName>

/** Images a lesson may embed (served from build/content/assets/), by extension. SVG passes only the checker's allow-list (images.server.ts). */
export const IMAGE_TYPES: Record<string, string> = {
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
}

/**
 * content/image-credits.yaml: who made each lesson image and under what terms. An image a lesson shows must be
 * listed; `original` means drawn for this project, `free-licence` needs the licence, its author and where it came from.
 */
export const ImageCreditSchema = z
	.strictObject({
		file: z.string().regex(/^courses\/[a-z0-9-]+\/images\/[^/]+$/, 'phải có dạng courses/<khoá>/images/<tệp>'),
		origin: z.enum(['original', 'free-licence']),
		author: Text,
		licence: Text,
		source: z.url('phải là một địa chỉ https://…').optional(),
		note: Text.optional(),
	})
	.refine((c) => c.origin !== 'free-licence' || c.source, { path: ['source'], error: 'bắt buộc với ảnh có giấy phép tự do: ghi nơi lấy ảnh' })
export type ImageCredit = z.infer<typeof ImageCreditSchema>
export const ImageCreditsFileSchema = z.strictObject({ images: z.array(ImageCreditSchema) })

/** The heading list of a lesson, for its table of contents. */
export const HeadingSchema = z.object({ depth: z.union([z.literal(2), z.literal(3)]), text: z.string(), id: z.string() })
export type Heading = z.infer<typeof HeadingSchema>

/** What a Cite needs on the client: one registry entry, and the title of its replacement when it has one. */
export type CitedSource = Pick<LegalSource, 'id' | 'kind' | 'number' | 'title' | 'status'> & {
	replacedBy?: { id: string; kind: LegalSource['kind']; number?: string; title: string }
}

// ---------------------------------------------------------------- build/content/ (written by scripts/content-build.ts)

export const BuiltLessonSchema = z.object({
	slug: z.string(),
	order: z.number(),
	title: z.string(),
	minutes: z.number(),
	objectives: z.array(z.string()),
	headings: z.array(HeadingSchema),
	/** sha256 of the MDX source: what a learner's progress is pinned to. */
	hash: z.string(),
	/** First 16 hex of sha256(code): names the browser module, cacheable for ever. */
	codeHash: z.string(),
	code: z.string(),
	/** Registry ids this lesson cites, for the Cite component's data. */
	sources: z.array(z.string()),
	/** Words a learner reads (text, headings, component titles and captions): a plausible reading time is computed from it. */
	words: z.number().int(),
})
export type BuiltLesson = z.infer<typeof BuiltLessonSchema>

export const BuiltCourseSchema = z.object({
	meta: CourseSchema,
	hash: z.string(),
	lessons: z.array(BuiltLessonSchema),
})
export type BuiltCourse = z.infer<typeof BuiltCourseSchema>

export const CourseSummarySchema = CourseSchema.pick({
	slug: true,
	title: true,
	summary: true,
	audience: true,
	tags: true,
	version: true,
	minutes: true,
}).extend({ lessonCount: z.number(), hash: z.string() })
export type CourseSummary = z.infer<typeof CourseSummarySchema>

export const BuiltIndexSchema = z.object({
	builtAt: z.string(),
	courses: z.array(CourseSummarySchema),
	/** Every lesson module by code hash, so /content/lessons/<hash>.js finds its course without scanning. */
	modules: z.record(z.string(), z.object({ course: z.string(), lesson: z.string() })),
})
export type BuiltIndex = z.infer<typeof BuiltIndexSchema>

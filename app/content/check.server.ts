// Validates the whole content tree (docs/content-authoring.md is the contract) and compiles every lesson.
// Pure library: it reads files under `root` and returns problems and compiled courses; it never prints or writes.
// Used by scripts/content-check.ts, scripts/content-build.ts and the tests.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { type Document, LineCounter, parseDocument } from 'yaml'
import { type z } from 'zod'
import { compileLesson, type LessonAsset, type MdNode, sha256, visit } from './compile.server.ts'
import { checkExercise, checkFigure, type ImageCredits, lessonImagesProblem, markdownImageProblem } from './figures.server.ts'
import { type BankBias, bankBiasProblems, measureBank, measureScenarios, type ScenarioBias, type ScenarioShape } from './form-bias.ts'
import {
	COMPONENT_NAMES,
	ComponentAttributeSchemas,
	type Course,
	CourseSchema,
	type ComponentName,
	type Heading,
	ImageCreditsFileSchema,
	type LegalSource,
	LegalSourceSchema,
	LegalSourcesFileSchema,
	type LessonFrontmatter,
	LessonFrontmatterSchema,
	type Quiz,
	QuizSchema,
	SlugSchema,
} from './schema.ts'

export type Problem = { file: string; line: number; message: string }

/** Where a source is cited: a lesson (Cite), a question (cite) or a course's legalBasis. */
export type Citation = { file: string; line: number; source: string; historical: boolean; where: string }

export type CheckedLesson = {
	slug: string
	order: number
	file: string
	frontmatter: LessonFrontmatter
	hash: string
	code: string
	codeHash: string
	headings: Array<Heading>
	assets: Array<LessonAsset>
	/** Ids cited by <Cite>, in order of first appearance. */
	sources: Array<string>
	/** What a reader goes through (compile.server.ts lessonWords). */
	words: number
}

export type CheckedCourse = { slug: string; dir: string; meta: Course; lessons: Array<CheckedLesson>; quiz: Quiz; hash: string }

/** How recognisable the keys of a course are by their form (docs/content-authoring.md, "Form bias"). */
export type CourseFormBias = {
	course: string
	quizFile: string
	/** Absent when quiz.yaml could not be read. */
	bank?: BankBias
	scenarios: ScenarioBias
}

export type ContentCheck = {
	problems: Array<Problem>
	/** Every course folder's measures, also for courses that have problems. */
	formBias: Array<CourseFormBias>
	sources: Array<LegalSource>
	/** Courses that passed every check, ready to be written by the build. */
	courses: Array<CheckedCourse>
	/** For each source that is not in force: every place that still cites it (informational). */
	staleCitations: Array<{ source: LegalSource; citations: Array<Citation> }>
}

const LESSON_FILE = /^(\d{2})-(.+)\.mdx$/
const INTERNAL_LINK = /^\/courses\/([^/#?]+)(?:\/lessons\/([^/#?]+))?\/?(?:[#?].*)?$/

// ---------------------------------------------------------------- YAML with line numbers

type ParsedYaml = { ok: true; data: unknown; doc: Document; lines: LineCounter } | { ok: false }

function parseYaml(text: string, file: string, problems: Array<Problem>, lineOffset = 0): ParsedYaml {
	const lines = new LineCounter()
	const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
	if (doc.errors.length) {
		// One mistake often yields several parser errors on the same line; the first says it best.
		const seen = new Set<number>()
		for (const error of doc.errors) {
			const line = (lines.linePos(error.pos[0]).line || 1) + lineOffset
			if (seen.has(line)) continue
			seen.add(line)
			problems.push({ file, line, message: `Lỗi cú pháp YAML: ${explainYamlError(error.code, error.message)}` })
		}
		return { ok: false }
	}
	return { ok: true, data: doc.toJS(), doc, lines }
}

function explainYamlError(code: string, message: string) {
	const first = message.split('\n')[0] ?? message
	if (code === 'DUPLICATE_KEY') return `khoá bị lặp lại (${first}).`
	if (code === 'BAD_INDENT' || code === 'MISSING_CHAR') return `thụt lề hoặc dấu ":" không đúng (${first}).`
	if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
		return `kiểm tra thụt lề của dòng này (các mục "- " cùng danh sách phải thẳng hàng) và dấu ":"; văn bản có ": " phải đặt trong dấu nháy (${first}).`
	}
	return `${first}.`
}

/** The line of the YAML node at `path`, or of its nearest existing ancestor (a missing key points at its parent). */
function lineAt(parsed: Extract<ParsedYaml, { ok: true }>, keyPath: ReadonlyArray<PropertyKey>, lineOffset: number) {
	for (let n = keyPath.length; n >= 0; n--) {
		const segment = keyPath.slice(0, n).map((k) => (typeof k === 'symbol' ? String(k) : k))
		const node = n === 0 ? parsed.doc.contents : parsed.doc.getIn(segment, true)
		if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
			const offset = node.range[0]
			if (typeof offset === 'number') return parsed.lines.linePos(offset).line + lineOffset
		}
	}
	return 1 + lineOffset
}

function formatPath(keyPath: ReadonlyArray<PropertyKey>) {
	return keyPath.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '')
}

function show(value: unknown) {
	return typeof value === 'string' ? `"${value}"` : JSON.stringify(value)
}

const TYPE_NAMES: Record<string, string> = {
	string: 'một đoạn văn bản',
	number: 'một số',
	int: 'một số nguyên',
	boolean: 'true hoặc false',
	array: 'một danh sách',
	object: 'một nhóm trường (khoá: giá trị)',
}

// The two YAML surprises authors meet: "Nhãn: giải thích" becomes a key/value pair, and 0912… becomes a number.
function yamlHint(expected: string, input: unknown) {
	if (expected !== 'string') return ''
	if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
		return '; văn bản có dấu ": " phải đặt trong dấu nháy, ví dụ - "Nhãn: giải thích"'
	}
	if (typeof input === 'number' || typeof input === 'boolean') return '; đặt giá trị trong dấu nháy để giữ nguyên (ví dụ "0912 345 678")'
	return ''
}

/** Vietnamese wording for zod's built-in issues; messages written in the schemas take precedence. */
const viErrorMap: z.core.$ZodErrorMap = (issue) => {
	switch (issue.code) {
		case 'invalid_type':
			if (issue.input === undefined) return 'thiếu trường bắt buộc'
			if (issue.input === null) return 'không được để trống'
			return `phải là ${TYPE_NAMES[issue.expected] ?? issue.expected} (đang là ${show(issue.input)})${yamlHint(issue.expected, issue.input)}`
		case 'invalid_value':
			return issue.values.length === 1
				? `phải là ${show(issue.values[0])} (đang là ${show(issue.input)})`
				: `phải là một trong: ${issue.values.map(String).join(', ')} (đang là ${show(issue.input)})`
		case 'too_small':
			if (issue.origin === 'array') return `cần ít nhất ${issue.minimum} mục`
			if (issue.origin === 'string') return 'không được để trống'
			return `phải từ ${issue.minimum} trở lên`
		case 'too_big':
			if (issue.origin === 'array') return `tối đa ${issue.maximum} mục`
			return `phải không quá ${issue.maximum}`
		case 'unrecognized_keys':
			return `trường không có trong quy định: ${issue.keys.join(', ')} (kiểm tra chính tả hoặc xoá đi)`
		default:
			return undefined
	}
}

/** Validates `value` (the whole document, or the part of it at `prefix`) and reports issues at their YAML line. */
function validate<T>(
	schema: z.ZodType<T>,
	parsed: Extract<ParsedYaml, { ok: true }>,
	file: string,
	problems: Array<Problem>,
	{ lineOffset = 0, prefix = [], value = parsed.data }: { lineOffset?: number; prefix?: Array<PropertyKey>; value?: unknown } = {},
): T | undefined {
	const result = schema.safeParse(value ?? {}, { error: viErrorMap })
	if (result.success) return result.data
	for (const issue of result.error.issues) {
		const keyPath = [...prefix, ...issue.path]
		// An unknown key is reported at the key itself, not at the object holding it.
		const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...keyPath, issue.keys[0]] : keyPath
		const where = formatPath(keyPath)
		problems.push({ file, line: lineAt(parsed, at, lineOffset), message: where ? `${where}: ${issue.message}.` : `${issue.message}.` })
	}
	return undefined
}

function readYamlFile<T>(schema: z.ZodType<T>, file: string, problems: Array<Problem>) {
	if (!existsSync(file)) {
		problems.push({ file, line: 1, message: `Thiếu tệp ${path.basename(file)}.` })
		return undefined
	}
	const parsed = parseYaml(readFileSync(file, 'utf8'), file, problems)
	if (!parsed.ok) return undefined
	const data = validate(schema, parsed, file, problems)
	return data === undefined ? undefined : { data, parsed }
}

// ---------------------------------------------------------------- legal sources

type Registry = Map<string, LegalSource>

function notInForce(source: LegalSource) {
	return source.status === 'expired' && !source.replacedBy ? 'đã hết hiệu lực' : `đã bị thay thế bởi "${source.replacedBy}"`
}

function loadRegistry(root: string, problems: Array<Problem>): Registry {
	const file = path.join(root, 'legal-sources.yaml')
	const registry: Registry = new Map()
	// Entries are validated one by one: a mistake in one must not make every citation of the others "unknown".
	const loaded = readYamlFile(LegalSourcesFileSchema, file, problems)
	if (!loaded) return registry
	const valid: Array<[number, LegalSource]> = []
	loaded.data.sources.forEach((entry, i) => {
		const source = validate(LegalSourceSchema, loaded.parsed, file, problems, { prefix: ['sources', i], value: entry })
		if (!source) return
		if (registry.has(source.id)) {
			problems.push({ file, line: lineAt(loaded.parsed, ['sources', i, 'id'], 0), message: `Nguồn "${source.id}" bị khai báo hai lần.` })
		}
		registry.set(source.id, source)
		valid.push([i, source])
	})
	valid.forEach(([i, source]) => {
		if (source.replacedBy && !registry.has(source.replacedBy)) {
			problems.push({
				file,
				line: lineAt(loaded.parsed, ['sources', i, 'replacedBy'], 0),
				message: `Nguồn "${source.id}": replacedBy trỏ tới "${source.replacedBy}", không có trong danh mục.`,
			})
		}
		if (source.replacedBy && source.status === 'in-force') {
			problems.push({
				file,
				line: lineAt(loaded.parsed, ['sources', i, 'status'], 0),
				message: `Nguồn "${source.id}" có replacedBy nhưng status vẫn là in-force: sửa status (replaced hoặc superseded) hoặc xoá replacedBy.`,
			})
		}
	})
	return registry
}

/** content/image-credits.yaml (optional until a lesson shows an image): who made each image, under what terms. */
function loadImageCredits(root: string, problems: Array<Problem>): ImageCredits {
	const file = path.join(root, 'image-credits.yaml')
	const credits: ImageCredits = new Map()
	if (!existsSync(file)) return credits
	const loaded = readYamlFile(ImageCreditsFileSchema, file, problems)
	loaded?.data.images.forEach((credit, i) => {
		const image = path.resolve(root, credit.file)
		const line = lineAt(loaded.parsed, ['images', i, 'file'], 0)
		if (credits.has(image)) problems.push({ file, line, message: `Ảnh "${credit.file}" được ghi hai lần.` })
		if (!existsSync(image)) problems.push({ file, line, message: `Không có tệp ảnh "${credit.file}" (đường dẫn tính từ thư mục content/).` })
		credits.set(image, credit)
	})
	return credits
}

// ---------------------------------------------------------------- lessons

type LinkRef = { file: string; line: number; url: string; course: string; lesson?: string }

type LessonContext = {
	file: string
	registry: Registry
	problems: Array<Problem>
	citations: Array<Citation>
	links: Array<LinkRef>
	credits: ImageCredits
	scenarios: Array<ScenarioShape>
	courseDir: string
}

function lineOf(node: MdNode) {
	return node.position?.start.line ?? 1
}

function isJsx(node: MdNode) {
	return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement'
}

function isComponent(name: string): name is ComponentName {
	return (COMPONENT_NAMES as ReadonlyArray<string>).includes(name)
}

/** Attribute values as the components receive them: strings, or `true` for a bare attribute. */
function readAttributes(node: MdNode, ctx: LessonContext) {
	const attributes: Record<string, string | true> = {}
	for (const attribute of node.attributes ?? []) {
		if (attribute.type !== 'mdxJsxAttribute' || !attribute.name) {
			ctx.problems.push({ file: ctx.file, line: lineOf(node), message: `<${node.name}>: không dùng {...} trong thẻ; viết từng thuộc tính tên="giá trị".` })
			continue
		}
		const value = attribute.value
		if (value === null || value === undefined) attributes[attribute.name] = true
		else if (typeof value === 'string') attributes[attribute.name] = value
		else {
			ctx.problems.push({
				file: ctx.file,
				line: lineOf(node),
				message: `<${node.name}>: thuộc tính ${attribute.name} phải là chuỗi trong dấu nháy kép (${attribute.name}="…"), không phải {…}.`,
			})
		}
	}
	return attributes
}

function checkComponent(node: MdNode, ancestors: Array<MdNode>, ctx: LessonContext) {
	const name = node.name
	const line = lineOf(node)
	if (!name || !isComponent(name)) {
		const shown = name ? `<${name}>` : '<>'
		ctx.problems.push({
			file: ctx.file,
			line,
			message: `Thành phần ${shown} không được hỗ trợ. Chỉ dùng: ${COMPONENT_NAMES.map((n) => `<${n}>`).join(', ')}${
				name && /^[a-z]/.test(name) ? ' (MDX không phải HTML: dùng cú pháp Markdown)' : ''
			}.`,
		})
		return
	}
	const attributes = readAttributes(node, ctx)
	const parsed = ComponentAttributeSchemas[name].safeParse(attributes, { error: viErrorMap })
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const key = issue.code === 'unrecognized_keys' ? '' : formatPath(issue.path)
			ctx.problems.push({ file: ctx.file, line, message: `<${name}>${key ? ` ${key}` : ''}: ${issue.message}.` })
		}
	}

	if (name === 'Cite' && typeof attributes.source === 'string') {
		const historical = attributes.historical === true
		ctx.citations.push({ file: ctx.file, line, source: attributes.source, historical, where: 'Cite' })
		const source = ctx.registry.get(attributes.source)
		if (!source) {
			ctx.problems.push({ file: ctx.file, line, message: `<Cite>: không có nguồn "${attributes.source}" trong legal-sources.yaml.` })
		} else if (source.status !== 'in-force' && !historical) {
			ctx.problems.push({
				file: ctx.file,
				line,
				message: `Nguồn "${source.id}" ${notInForce(source)}: không được trích dẫn như văn bản hiện hành (dùng historical nếu chỉ nhắc lịch sử).`,
			})
		} else if (source.status === 'in-force' && historical) {
			ctx.problems.push({ file: ctx.file, line, message: `Nguồn "${source.id}" đang có hiệu lực: bỏ thuộc tính historical.` })
		}
	}

	if (name === 'Scenario') {
		const options: Array<MdNode> = []
		visit(node, (child, path) => {
			// Options of a Scenario nested inside this one belong to that one.
			if (child !== node && isJsx(child) && child.name === 'Option' && !path.slice(1).some((a) => a.name === 'Scenario')) options.push(child)
		})
		const best = options.filter((o) => (o.attributes ?? []).some((a) => a.name === 'verdict' && a.value === 'best')).length
		if (options.length < 2 || options.length > 4) {
			ctx.problems.push({ file: ctx.file, line, message: `<Scenario> cần từ 2 đến 4 <Option> (đang có ${options.length}).` })
		}
		if (best !== 1) {
			ctx.problems.push({ file: ctx.file, line, message: `<Scenario> cần đúng một <Option verdict="best"> (đang có ${best}).` })
		}
		// Measured for form bias only when well formed; a malformed one is already reported above.
		const labels = options.map((o) => (o.attributes ?? []).find((a) => a.name === 'label')?.value).filter((l) => typeof l === 'string')
		if (best === 1 && labels.length === options.length) {
			const bestAt = options.findIndex((o) => (o.attributes ?? []).some((a) => a.name === 'verdict' && a.value === 'best'))
			ctx.scenarios.push({ file: ctx.file, line, labels, best: bestAt })
		}
	}

	if (name === 'Figure' && parsed.success && typeof attributes.src === 'string') {
		ctx.problems.push(...checkFigure(node, attributes.src, { file: ctx.file, courseDir: ctx.courseDir, credits: ctx.credits }))
	}
	if (name === 'Exercise' || name === 'Answer') ctx.problems.push(...checkExercise(node, ancestors, ctx.file))

	if (name === 'Option' && !ancestors.some((a) => isJsx(a) && a.name === 'Scenario')) {
		ctx.problems.push({ file: ctx.file, line, message: '<Option> chỉ được đặt bên trong <Scenario>.' })
	}
}

function checkLessonTree(tree: MdNode, ctx: LessonContext) {
	let takeaways = 0
	visit(tree, (node, ancestors) => {
		if (isJsx(node)) {
			if (node.name === 'KeyTakeaways' && ++takeaways === 2) {
				ctx.problems.push({ file: ctx.file, line: lineOf(node), message: 'Mỗi bài chỉ có một <KeyTakeaways> (đặt ở cuối bài).' })
			}
			checkComponent(node, ancestors, ctx)
			return
		}
		if (node.type === 'heading' && node.depth !== 2 && node.depth !== 3) {
			ctx.problems.push({
				file: ctx.file,
				line: lineOf(node),
				message: `Chỉ dùng tiêu đề ## và ### (đang là ${'#'.repeat(node.depth ?? 1)}); tiêu đề bài lấy từ title ở phần đầu.`,
			})
		}
		// Generated nodes (the frontmatter export) have no position; an author's import/export does.
		if (node.type === 'mdxjsEsm' && node.position) {
			ctx.problems.push({ file: ctx.file, line: lineOf(node), message: 'Bài học không dùng import/export; chỉ dùng các thành phần có sẵn.' })
		}
		if (node.type === 'image') ctx.problems.push(markdownImageProblem(node, ctx.file))
		if ((node.type === 'link' || node.type === 'definition') && node.url?.startsWith('/')) {
			const match = node.url.match(INTERNAL_LINK)
			if (match?.[1]) ctx.links.push({ file: ctx.file, line: lineOf(node), url: node.url, course: match[1], lesson: match[2] })
			else if (!/^\/(legal-sources|courses)\/?(?:[#?].*)?$/.test(node.url)) {
				ctx.problems.push({
					file: ctx.file,
					line: lineOf(node),
					message: `Liên kết "${node.url}" không trỏ tới trang nào của khoá học; liên kết tới bài học có dạng /courses/<khoá>/lessons/<bài>.`,
				})
			}
		}
	})
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/

async function checkLesson(file: string, order: number, slug: string, ctx: Omit<LessonContext, 'file'>): Promise<CheckedLesson | undefined> {
	const source = readFileSync(file, 'utf8')
	const problems = ctx.problems
	const before = problems.length
	const match = source.match(FRONTMATTER)
	if (!match) {
		problems.push({ file, line: 1, message: 'Thiếu phần đầu (frontmatter) giữa hai dòng --- với title, minutes, objectives.' })
		return undefined
	}
	// The frontmatter's first line is line 2 of the file.
	const parsed = parseYaml(match[1] ?? '', file, problems, 1)
	if (!parsed.ok) return undefined
	const frontmatter = validate(LessonFrontmatterSchema, parsed, file, problems, { lineOffset: 1 })

	const citations: Array<Citation> = []
	const compiled = await compileLesson({
		source,
		cwd: ctx.courseDir,
		inspect: (tree) => checkLessonTree(tree, { ...ctx, file, citations }),
	})
	ctx.citations.push(...citations)
	if (!compiled.ok) {
		problems.push({ file, line: compiled.line, message: compiled.message })
		return undefined
	}
	const weight = lessonImagesProblem(file, compiled.assets)
	if (weight) problems.push(weight)
	if (!frontmatter || problems.length > before) return undefined
	return {
		slug,
		order,
		file,
		frontmatter,
		hash: sha256(source),
		code: compiled.code,
		codeHash: compiled.codeHash,
		headings: compiled.headings,
		assets: compiled.assets,
		sources: [...new Set(citations.map((c) => c.source))],
		words: compiled.words,
	}
}

// ---------------------------------------------------------------- courses

async function checkCourse(
	dir: string,
	folder: string,
	registry: Registry,
	problems: Array<Problem>,
	citations: Array<Citation>,
	links: Array<LinkRef>,
	credits: ImageCredits,
): Promise<{ course?: CheckedCourse; lessonSlugs: Set<string>; formBias: CourseFormBias }> {
	const before = problems.length
	const courseFile = path.join(dir, 'course.yaml')
	if (!SlugSchema.safeParse(folder).success) {
		problems.push({ file: dir, line: 1, message: `Tên thư mục "${folder}" phải là chữ thường không dấu, số và dấu gạch nối.` })
	}
	const course = readYamlFile(CourseSchema, courseFile, problems)
	if (course && course.data.slug !== folder) {
		problems.push({
			file: courseFile,
			line: lineAt(course.parsed, ['slug'], 0),
			message: `slug "${course.data.slug}" phải trùng tên thư mục "${folder}".`,
		})
	}
	course?.data.legalBasis.forEach((id, i) => {
		const line = lineAt(course.parsed, ['legalBasis', i], 0)
		citations.push({ file: courseFile, line, source: id, historical: false, where: 'legalBasis' })
		const source = registry.get(id)
		if (!source) problems.push({ file: courseFile, line, message: `legalBasis: không có nguồn "${id}" trong legal-sources.yaml.` })
		else if (source.status !== 'in-force') {
			problems.push({ file: courseFile, line, message: `Nguồn "${id}" ${notInForce(source)}: không được dùng làm căn cứ pháp lý (legalBasis) của khoá học.` })
		}
	})

	const files = readdirSync(dir).sort()
	const lessons: Array<CheckedLesson> = []
	const lessonSlugs = new Set<string>()
	const scenarios: Array<ScenarioShape> = []
	const orders = new Map<number, string>()
	for (const name of files.filter((f) => f.endsWith('.mdx'))) {
		const file = path.join(dir, name)
		const match = name.match(LESSON_FILE)
		const slug = match?.[2] ?? ''
		if (!match || !SlugSchema.safeParse(slug).success) {
			problems.push({ file, line: 1, message: `Tên tệp bài học phải có dạng NN-ten-bai.mdx (hai chữ số, chữ thường không dấu, gạch nối).` })
			continue
		}
		const order = Number(match[1])
		if (lessonSlugs.has(slug)) problems.push({ file, line: 1, message: `Hai bài học cùng tên "${slug}" trong khoá học.` })
		if (orders.has(order)) problems.push({ file, line: 1, message: `Số thứ tự ${match[1]} trùng với ${orders.get(order)}.` })
		lessonSlugs.add(slug)
		orders.set(order, name)
		const lesson = await checkLesson(file, order, slug, { registry, problems, citations, links, credits, scenarios, courseDir: dir })
		if (lesson) lessons.push(lesson)
	}
	if (!lessonSlugs.size) problems.push({ file: dir, line: 1, message: 'Khoá học chưa có bài học nào (tệp NN-ten-bai.mdx).' })
	const minSeconds = course?.data.safeguards.minSecondsPerLesson ?? 0
	const shortest = lessons.reduce<CheckedLesson | undefined>((s, l) => (!s || l.frontmatter.minutes < s.frontmatter.minutes ? l : s), undefined)
	if (course && shortest && minSeconds > shortest.frontmatter.minutes * 60) {
		// A minimum longer than a lesson's own estimate refuses the learners who read it at the expected pace.
		problems.push({
			file: courseFile,
			line: lineAt(course.parsed, ['safeguards', 'minSecondsPerLesson'], 0),
			message: `safeguards.minSecondsPerLesson: ${minSeconds} giây dài hơn thời lượng ước tính của bài "${shortest.slug}" (${shortest.frontmatter.minutes} phút): người đọc đúng tốc độ dự kiến sẽ bị từ chối. Đặt tối đa ${shortest.frontmatter.minutes * 60} giây, hoặc sửa minutes của bài.`,
		})
	}

	const quizFile = path.join(dir, 'quiz.yaml')
	const quiz = readYamlFile(QuizSchema, quizFile, problems)
	const formBias: CourseFormBias = { course: folder, quizFile, scenarios: measureScenarios(scenarios) }
	if (quiz) {
		formBias.bank = measureBank(quiz.data.bank)
		const line = lineAt(quiz.parsed, ['bank'], 0)
		for (const message of bankBiasProblems(formBias.bank)) problems.push({ file: quizFile, line, message: `bank: ${message}` })
		const ids = new Map<string, number>()
		quiz.data.bank.forEach((question, i) => {
			const line = lineAt(quiz.parsed, ['bank', i, 'id'], 0)
			const first = ids.get(question.id)
			if (first !== undefined) {
				problems.push({ file: quizFile, line, message: `Mã câu hỏi "${question.id}" bị trùng (đã dùng ở dòng ${first}).` })
			} else ids.set(question.id, line)
			const named = namedLegalDocument(question.explanation)
			if (!question.cite) {
				if (named) {
					problems.push({
						file: quizFile,
						line: lineAt(quiz.parsed, ['bank', i, 'explanation'], 0),
						message: `Câu hỏi "${question.id}": lời giải thích nêu văn bản pháp luật ("${named}") nên phải trích dẫn văn bản đó (cite: { source: … }); nếu là lời khuyên nghề nghiệp, bỏ tên văn bản khỏi lời giải thích.`,
					})
				}
				return
			}
			const citeLine = lineAt(quiz.parsed, ['bank', i, 'cite', 'source'], 0)
			citations.push({ file: quizFile, line: citeLine, source: question.cite.source, historical: false, where: `câu ${question.id}` })
			const source = registry.get(question.cite.source)
			if (!source) {
				problems.push({ file: quizFile, line: citeLine, message: `Câu hỏi "${question.id}": không có nguồn "${question.cite.source}" trong legal-sources.yaml.` })
			} else if (source.status !== 'in-force') {
				problems.push({
					file: quizFile,
					line: citeLine,
					message: `Nguồn "${source.id}" ${notInForce(source)}: câu hỏi "${question.id}" phải trích dẫn văn bản đang có hiệu lực.`,
				})
			} else if (named && source.kind === 'reference') {
				problems.push({
					file: quizFile,
					line: citeLine,
					message: `Câu hỏi "${question.id}": lời giải thích nêu văn bản pháp luật ("${named}") nhưng trích dẫn "${source.id}", một tài liệu tham khảo: trích dẫn văn bản pháp luật đó.`,
				})
			}
		})
	}

	if (!course || !quiz || problems.length > before) return { lessonSlugs, formBias }
	const hash = sha256(
		[courseFile, quizFile, ...lessons.map((l) => l.file)].map((f) => `${path.basename(f)}\n${readFileSync(f, 'utf8')}`).join('\n\0'),
	)
	return { course: { slug: folder, dir, meta: course.data, lessons, quiz: quiz.data, hash }, lessonSlugs, formBias }
}

// An explanation that names a legal document states a legal rule, and a legal rule must be cited (issue 19: a legal
// source only for a legal point, craft advice cites a guide or nothing). Names as they are written: capitalised, or a
// number form; lower-case "quyết định" (to decide) and "luật" in "pháp luật" are ordinary words and not matched.
const LEGAL_DOCUMENT = /(?<!\p{L})(?:Bộ luật|Luật|[Nn]ghị định|Nghị quyết|Quyết định(?= số| \d)|Chỉ thị|Thông tư|Công văn|Bộ Quy tắc|Điều \d+|NĐ|QĐ|BLHS)(?!\p{L})/u

/** The first legal document an explanation names ("Nghị định", "Điều 5", "BLHS"), or undefined. */
export function namedLegalDocument(text: string) {
	return text.normalize('NFC').match(LEGAL_DOCUMENT)?.[0]
}

/** Folders starting with "_" or "." (the template, drafts) are not courses. */
export function courseFolders(root: string) {
	const dir = path.join(root, 'courses')
	if (!existsSync(dir)) return []
	return readdirSync(dir)
		.filter((name) => !name.startsWith('_') && !name.startsWith('.') && statSync(path.join(dir, name)).isDirectory())
		.sort()
}

export async function checkContent(root = 'content'): Promise<ContentCheck> {
	const problems: Array<Problem> = []
	const registry = loadRegistry(root, problems)
	const credits = loadImageCredits(root, problems)
	const citations: Array<Citation> = []
	const links: Array<LinkRef> = []
	const courses: Array<CheckedCourse> = []
	const formBias: Array<CourseFormBias> = []
	const lessonsByCourse = new Map<string, Set<string>>()

	for (const folder of courseFolders(root)) {
		const dir = path.join(root, 'courses', folder)
		const result = await checkCourse(dir, folder, registry, problems, citations, links, credits)
		lessonsByCourse.set(folder, result.lessonSlugs)
		formBias.push(result.formBias)
		if (result.course) courses.push(result.course)
	}

	// Links are checked last: a lesson may link to a course that comes later in the alphabet.
	for (const link of links) {
		const lessons = lessonsByCourse.get(link.course)
		if (!lessons) problems.push({ file: link.file, line: link.line, message: `Liên kết hỏng "${link.url}": không có khoá học "${link.course}".` })
		else if (link.lesson && !lessons.has(link.lesson)) {
			problems.push({ file: link.file, line: link.line, message: `Liên kết hỏng "${link.url}": khoá học "${link.course}" không có bài "${link.lesson}".` })
		}
	}
	// A problem found in a linked-to lesson or elsewhere must keep every course out of the build.
	const broken = new Set(problems.map((p) => p.file))
	const good = courses.filter((c) => ![...broken].some((f) => f === c.dir || f.startsWith(`${c.dir}${path.sep}`)))

	const staleCitations = [...registry.values()]
		.filter((s) => s.status !== 'in-force')
		.map((source) => ({ source, citations: citations.filter((c) => c.source === source.id) }))
		.filter((s) => s.citations.length)

	problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
	return { problems, formBias, sources: [...registry.values()], courses: good, staleCitations }
}

export function formatProblem(p: Problem) {
	return `${p.file}:${p.line}: ${p.message}`
}


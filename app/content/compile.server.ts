// The only caller of bundleMDX: it owns our remark plugins and runs esbuild with cwd = the course folder.
// The checker inspects the same Markdown tree that is compiled, so its line numbers are the compiler's.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { bundleMDX } from 'mdx-bundler'
import { inspectImage } from './images.server.ts'
import { FIGURE_SRC, type Heading, IMAGE_TYPES } from './schema.ts'

/** The parts of an mdast / mdx node we read; the real trees carry more. */
export type MdPoint = { line: number; column: number }
export type MdAttribute = {
	type: string
	name?: string
	value?: string | null | { type: string; value: string }
}
export type MdNode = {
	type: string
	position?: { start: MdPoint; end: MdPoint }
	children?: Array<MdNode>
	name?: string | null
	attributes?: Array<MdAttribute>
	url?: string
	alt?: string | null
	depth?: number
	value?: string
	data?: { hProperties?: Record<string, unknown> }
}

/** An image of the lesson (a <Figure>), served from build/content/assets/<name>; servedBytes is what it adds to the page. */
export type LessonAsset = { name: string; source: string; servedBytes: number }

export type CompiledLesson =
	| { ok: true; code: string; codeHash: string; headings: Array<Heading>; assets: Array<LessonAsset>; words: number }
	| { ok: false; line: number; message: string }

export const ASSET_URL_PREFIX = '/content/assets/'

export function sha256(text: string | Buffer) {
	return createHash('sha256').update(text).digest('hex')
}

/** Plain text of a node, as a screen reader would read a heading. */
export function textOf(node: MdNode): string {
	if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? ''
	return (node.children ?? []).map(textOf).join('')
}

/** An ASCII anchor from Vietnamese text: "Ba độ mật" → "ba-do-mat". */
export function headingId(text: string) {
	return (
		text
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/đ/g, 'd')
			.replace(/Đ/g, 'D')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'muc'
	)
}

// The attributes of the components whose text is shown on the page (not alt: a screen reader's, read instead of the picture).
const SHOWN_ATTRIBUTES = new Set(['title', 'label', 'caption', 'note'])
const WORD = /[\p{L}\p{N}]/u

/** Words in a text: runs between spaces that hold a letter or a digit (a Vietnamese syllable counts as one, as "tiếng"). */
export function countWords(text: string) {
	let count = 0
	for (const token of text.split(/\s+/)) if (WORD.test(token)) count++
	return count
}

/** The words a reader of the lesson goes through: its text and code, and the component titles, labels and captions. */
export function lessonWords(tree: MdNode) {
	let words = 0
	visit(tree, (node) => {
		if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') words += countWords(node.value ?? '')
		for (const attribute of node.attributes ?? []) {
			if (attribute.type === 'mdxJsxAttribute' && attribute.name && SHOWN_ATTRIBUTES.has(attribute.name) && typeof attribute.value === 'string') {
				words += countWords(attribute.value)
			}
		}
	})
	return words
}

export function visit(node: MdNode, fn: (node: MdNode, ancestors: Array<MdNode>) => void, ancestors: Array<MdNode> = []) {
	fn(node, ancestors)
	for (const child of node.children ?? []) visit(child, fn, [...ancestors, node])
}

/**
 * Bundles one lesson. `inspect` sees the Markdown tree before anything is rewritten (the checker's hook).
 * Headings of depth 2–3 get stable ids for the table of contents; a <Figure>'s image becomes an asset URL with its size.
 */
export async function compileLesson({
	source,
	cwd,
	inspect,
}: {
	source: string
	cwd: string
	inspect?: (tree: MdNode) => void
}): Promise<CompiledLesson> {
	const headings: Array<Heading> = []
	const assets: Array<LessonAsset> = []
	let words = 0

	const inspectPlugin = () => (tree: MdNode) => {
		inspect?.(tree)
		words = lessonWords(tree)
	}
	const headingsPlugin = () => (tree: MdNode) => {
		const seen = new Map<string, number>()
		visit(tree, (node) => {
			if (node.type !== 'heading') return
			const text = textOf(node).trim()
			const base = headingId(text)
			const count = (seen.get(base) ?? 0) + 1
			seen.set(base, count)
			const id = count === 1 ? base : `${base}-${count}`
			node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } }
			if (node.depth === 2 || node.depth === 3) headings.push({ depth: node.depth, text, id })
		})
	}
	const assetsPlugin = () => (tree: MdNode) => {
		visit(tree, (node) => {
			if (!(node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') || node.name !== 'Figure') return
			const src = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'src')
			if (!src || typeof src.value !== 'string' || !FIGURE_SRC.test(src.value)) return
			const file = path.resolve(cwd, src.value)
			const ext = path.extname(file).toLowerCase()
			if (!(ext in IMAGE_TYPES) || !existsSync(file)) return
			const image = inspectImage(file)
			// The checker reports why; an unsafe or unreadable image never gets a URL.
			if (!image.ok) return
			// Named by content so the URL can be cached for ever.
			const name = `${sha256(readFileSync(file)).slice(0, 16)}${ext}`
			assets.push({ name, source: file, servedBytes: image.info.servedBytes })
			src.value = `${ASSET_URL_PREFIX}${name}`
			// Known before the image arrives, so the text below it does not move when it does.
			node.attributes?.push(
				{ type: 'mdxJsxAttribute', name: 'width', value: String(image.info.width) },
				{ type: 'mdxJsxAttribute', name: 'height', value: String(image.info.height) },
			)
		})
	}

	try {
		const { code } = await bundleMDX({
			source,
			cwd: path.resolve(cwd),
			mdxOptions(options) {
				options.remarkPlugins = [...(options.remarkPlugins ?? []), inspectPlugin, headingsPlugin, assetsPlugin]
				return options
			},
			esbuildOptions(options) {
				// Errors come back to the caller with their line; esbuild must not print them too.
				options.logLevel = 'silent'
				options.target = 'es2019'
				// Vietnamese as UTF-8, not \uXXXX escapes: about a third smaller before compression.
				options.charset = 'utf8'
				return options
			},
		})
		return { ok: true, code, codeHash: sha256(code).slice(0, 16), headings, assets, words }
	} catch (error) {
		return { ok: false, ...describeCompileError(error) }
	}
}

type EsbuildMessage = { text?: string; location?: { line?: number } | null; detail?: unknown }

function isEsbuildFailure(error: unknown): error is { errors: Array<EsbuildMessage> } {
	return typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors)
}

/** esbuild wraps the MDX parser's message; we keep its line and say what it means in Vietnamese. */
export function describeCompileError(error: unknown): { line: number; message: string } {
	const first = isEsbuildFailure(error) ? error.errors[0] : undefined
	const raw = first?.text ?? (error instanceof Error ? error.message : String(error))
	const text = raw
		.replace(/^Cannot process MDX file with esbuild:\s*/, '')
		.replace(/^\d+:\d+(-\d+:\d+)?:\s*/, '')
		.trim()
	// "Expected a closing tag for `<Scenario>` (7:1-7:21)": the place that matters is the opening tag.
	const range = text.match(/\((\d+):\d+-\d+:\d+\)/)
	const detailLine =
		typeof first?.detail === 'object' && first.detail !== null && 'line' in first.detail && typeof first.detail.line === 'number'
			? first.detail.line
			: undefined
	const line = range ? Number(range[1]) : first?.location?.line || detailLine || 1
	return { line, message: explainMdxError(text) }
}

function explainMdxError(text: string) {
	const closing = text.match(/^Expected a closing tag for `<(\w+)>`/)
	if (closing) return `Thẻ <${closing[1]}> chưa được đóng: thêm </${closing[1]}> (và một dòng trống trước nó).`
	if (/Unexpected character `!`/.test(text)) return 'MDX không chấp nhận chú thích HTML <!-- … -->: xoá đi, hoặc viết {/* … */}.'
	if (/Could not parse expression with acorn/.test(text)) {
		return `Dấu { } được hiểu là biểu thức JavaScript: nếu là chữ thường, viết \\{ và \\}. (${text})`
	}
	if (/Unexpected character .* before name/.test(text)) {
		return `Dấu < được hiểu là thẻ MDX: nếu là chữ thường, viết &lt;. (${text})`
	}
	if (/Unexpected closing tag/.test(text)) return `Thẻ đóng không khớp với thẻ mở: ${text}`
	return `MDX không biên dịch được: ${text}`
}

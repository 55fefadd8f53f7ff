// The checker's rules for pictures and exercises (docs/content-authoring.md, "Figures and exercises"), kept apart from
// check.server.ts so that file stays about text. Each function returns problems; none prints or writes.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { type LessonAsset, type MdNode } from './compile.server.ts'
import { inspectImage, MAX_LESSON_IMAGE_BYTES } from './images.server.ts'
import { type ImageCredit } from './schema.ts'

type Problem = { file: string; line: number; message: string }

/** content/image-credits.yaml by absolute path of the image. */
export type ImageCredits = Map<string, ImageCredit>

const CREDITS_FILE = 'content/image-credits.yaml'

function lineOf(node: MdNode) {
	return node.position?.start.line ?? 1
}

function isJsx(node: MdNode) {
	return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement'
}

/** A Markdown image has no caption and no size: lessons use <Figure> instead. */
export function markdownImageProblem(node: MdNode, file: string): Problem {
	const url = node.url ?? ''
	return {
		file,
		line: lineOf(node),
		message: `Ảnh viết kiểu Markdown ![…](${url}) không được dùng: viết <Figure src="./images/ten-anh.svg" alt="mô tả ảnh" caption="chú thích" /> (ảnh cần mô tả, chú thích và đặt trong thư mục images/ của khoá học).`,
	}
}

/** A <Figure> whose attributes passed their schema: its file exists, is safe and small enough, and is credited. */
export function checkFigure(
	node: MdNode,
	src: string,
	ctx: { file: string; courseDir: string; credits: ImageCredits },
): Array<Problem> {
	const line = lineOf(node)
	const image = path.resolve(ctx.courseDir, src)
	if (!existsSync(image)) return [{ file: ctx.file, line, message: `<Figure>: không tìm thấy tệp ảnh "${src}" trong thư mục của khoá học.` }]
	const problems: Array<Problem> = []
	const inspected = inspectImage(image)
	if (!inspected.ok) {
		problems.push({ file: ctx.file, line, message: `<Figure>: ảnh "${src}" không dùng được (xem các lỗi của tệp ảnh).` })
		for (const p of inspected.problems) problems.push({ file: image, line: p.line, message: `Ảnh ${path.basename(image)}: ${p.message}.` })
	}
	if (!ctx.credits.has(image)) {
		problems.push({
			file: ctx.file,
			line,
			message: `<Figure>: ảnh "${src}" chưa được ghi trong ${CREDITS_FILE} (ai làm ra, theo giấy phép nào).`,
		})
	}
	return problems
}

/**
 * An <Exercise> holds exactly one <Answer>, revealed on demand; an <Answer> belongs to an <Exercise>. Answers of an
 * Exercise nested in this one are that one's.
 */
export function checkExercise(node: MdNode, ancestors: Array<MdNode>, file: string): Array<Problem> {
	const line = lineOf(node)
	if (node.name === 'Answer') {
		return ancestors.some((a) => isJsx(a) && a.name === 'Exercise')
			? []
			: [{ file, line, message: '<Answer> chỉ được đặt bên trong <Exercise>.' }]
	}
	if (node.name !== 'Exercise') return []
	let answers = 0
	const count = (n: MdNode) => {
		for (const child of n.children ?? []) {
			if (isJsx(child) && child.name === 'Exercise') continue
			if (isJsx(child) && child.name === 'Answer') answers++
			else count(child)
		}
	}
	count(node)
	return answers === 1 ? [] : [{ file, line, message: `<Exercise> cần đúng một <Answer> chứa lời giải (đang có ${answers}).` }]
}

/** The images of one lesson, as served, must leave room for the page itself in the 100 KB budget. */
export function lessonImagesProblem(file: string, assets: ReadonlyArray<LessonAsset>): Problem | undefined {
	const unique = new Map(assets.map((a) => [a.name, a.servedBytes]))
	const total = [...unique.values()].reduce((sum, n) => sum + n, 0)
	if (total <= MAX_LESSON_IMAGE_BYTES) return undefined
	const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
	return {
		file,
		line: 1,
		message: `Ảnh của bài nặng ${kb(total)} khi tải, tối đa ${kb(MAX_LESSON_IMAGE_BYTES)} (trang bài học phải dưới 100 KB cả ảnh): bớt ảnh hoặc làm nhẹ ảnh.`,
	}
}

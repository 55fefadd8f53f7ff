// Figures and exercises in lessons: what content:check refuses, and the SVG allow-list.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { checkContent } from '#app/content/check.server.ts'
import { checkSvg, rasterSize } from '#app/content/images.server.ts'

const LESSON = 'courses/mau/01-bai-mot.mdx'
const SVG = 'courses/mau/images/so-do.svg'
const roots: Array<string> = []
afterEach(() => {
	for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

/** The valid fixture copied to a temporary folder, changed by `change`, then checked. */
async function problemsAfter(change: (file: (rel: string) => string) => void) {
	const root = mkdtempSync(path.join(tmpdir(), 'vms-figures-'))
	roots.push(root)
	cpSync('tests/fixtures/content/valid', root, { recursive: true })
	change((rel) => path.join(root, rel))
	const result = await checkContent(root)
	return result.problems.map((p) => ({ ...p, file: path.relative(root, p.file) }))
}

function edit(file: string, from: string | RegExp, to: string) {
	const text = readFileSync(file, 'utf8')
	const next = text.replace(from, to)
	if (next === text) throw new Error(`nothing to replace in ${file}`)
	writeFileSync(file, next)
}

const SAFE_SVG = readFileSync('tests/fixtures/content/valid/courses/mau/images/so-do.svg', 'utf8')
/** The fixture's SVG with `extra` inserted just after its root element. */
const withInside = (extra: string) => SAFE_SVG.replace(/(<svg[^>]*>)/, `$1\n${extra}`)

test('an SVG that scripts, handles events, loads from elsewhere or embeds HTML is refused at its line', async () => {
	const cases: Array<[string, string]> = [
		['<script>alert(1)</script>', 'thẻ <script> không được phép trong ảnh SVG'],
		['<rect width="1" height="1" onload="alert(1)"/>', 'thuộc tính sự kiện onload="…" (chạy mã) không được phép trong ảnh SVG'],
		['<use href="https://example.com/a.svg#x"/>', 'tham chiếu ra ngoài href="https://example.com/a.svg#x" không được phép: ảnh SVG chỉ được trỏ tới phần tử của chính nó (#id)'],
		['<rect width="1" height="1" fill="url(https://example.com/p.svg#g)"/>', 'tham chiếu ra ngoài url(…) trong fill không được phép: chỉ dùng url(#id)'],
		['<foreignObject width="10" height="10"><p>hi</p></foreignObject>', 'thẻ <foreignObject> (nhúng HTML) không được phép trong ảnh SVG'],
		['<image href="data:image/png;base64,AAAA"/>', 'thẻ <image> (nhúng ảnh khác) không được phép: vẽ trực tiếp hoặc dùng ảnh riêng'],
	]
	for (const [extra, message] of cases) {
		const problems = await problemsAfter((f) => writeFileSync(f(SVG), withInside(extra)))
		expect(problems, extra).toContainEqual({ file: SVG, line: 2, message: `Ảnh so-do.svg: ${message}.` })
		// The lesson names the figure that cannot be used, and nothing of the course is built.
		expect(problems, extra).toContainEqual({ file: LESSON, line: 34, message: '<Figure>: ảnh "./images/so-do.svg" không dùng được (xem các lỗi của tệp ảnh).' })
	}
})

test('a DOCTYPE (entities can load files) and a missing xmlns or viewBox are refused', () => {
	expect(checkSvg(`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${SAFE_SVG}`).problems[0]?.message).toMatch(/^DOCTYPE, ENTITY/)
	expect(checkSvg('<svg viewBox="0 0 10 10"></svg>').problems.map((p) => p.message)).toEqual([
		'phần tử <svg> cần xmlns="http://www.w3.org/2000/svg" (không có thì trình duyệt không hiện ảnh)',
	])
	expect(checkSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10"></svg>').problems.map((p) => p.message)).toEqual([
		'phần tử <svg> cần viewBox="0 0 rộng cao" để ảnh co giãn theo màn hình',
	])
	expect(checkSvg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g><text>&nbsp;</text></g></svg>').problems.map((p) => p.message)).toEqual([
		'ký tự & phải viết là &amp; trong ảnh SVG',
	])
	expect(checkSvg(SAFE_SVG)).toEqual({ problems: [], width: 200, height: 60 })
})

test('text that would be smaller than 11 px on a 360 px phone is refused', () => {
	// 1000 units shown 306 px wide: 20 units become 6.1 px.
	const wide = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 200"><text font-size="20">Nhỏ quá</text><text font-size="40">Vừa</text></svg>'
	expect(checkSvg(wide).problems).toEqual([
		{ line: 1, message: 'chữ cỡ 20 sẽ chỉ còn 6.1 px trên điện thoại rộng 360 px (cần ít nhất 11 px): tăng font-size hoặc thu hẹp viewBox' },
	])
})

test('a figure needs alt text worth reading, a caption, a file in images/ that exists, and a credit', async () => {
	const figure = '<Figure src="./images/so-do.svg" alt="Hai ô chữ nhật nối với nhau bằng một mũi tên" caption="Sơ đồ cần đếm." />'
	const cases: Array<[string, string]> = [
		['<Figure src="./images/so-do.svg" alt="Hai ô chữ nhật nối với nhau bằng một mũi tên" />', '<Figure> caption: thiếu chú thích hiện dưới ảnh (caption="…").'],
		['<Figure src="./images/so-do.svg" alt="Sơ đồ" caption="Sơ đồ cần đếm." />', '<Figure> alt: mô tả quá ngắn: nói ảnh cho thấy gì, như khi đọc cho người không nhìn thấy (ít nhất 15 ký tự).'],
		['<Figure src="./so-do.svg" alt="Hai ô chữ nhật nối với nhau bằng một mũi tên" caption="Sơ đồ cần đếm." />', '<Figure> src: phải là một tệp trong thư mục images/ của khoá học, tên chữ thường không dấu (ví dụ "./images/tin-nhan-gia.svg").'],
		['<Figure src="./images/khong-co.svg" alt="Hai ô chữ nhật nối với nhau bằng một mũi tên" caption="Sơ đồ cần đếm." />', '<Figure>: không tìm thấy tệp ảnh "./images/khong-co.svg" trong thư mục của khoá học.'],
	]
	for (const [replacement, message] of cases) {
		expect(await problemsAfter((f) => edit(f(LESSON), figure, replacement)), replacement).toEqual([{ file: LESSON, line: 34, message }])
	}
	expect(await problemsAfter((f) => edit(f('image-credits.yaml'), /  - file: courses\/mau\/images\/so-do.svg[\s\S]*$/, '')), 'credit').toEqual([
		{ file: LESSON, line: 34, message: '<Figure>: ảnh "./images/so-do.svg" chưa được ghi trong content/image-credits.yaml (ai làm ra, theo giấy phép nào).' },
	])
	expect(await problemsAfter((f) => edit(f('image-credits.yaml'), 'so-do.svg', 'so-do-cu.svg')), 'credit of a missing file').toContainEqual({
		file: 'image-credits.yaml',
		line: 6,
		message: 'Không có tệp ảnh "courses/mau/images/so-do-cu.svg" (đường dẫn tính từ thư mục content/).',
	})
})

test('a Markdown image is refused in favour of Figure', async () => {
	const problems = await problemsAfter((f) => edit(f(LESSON), '## Mở đầu', '## Mở đầu\n\n![Sơ đồ](./images/hinh.png)'))
	expect(problems).toEqual([
		{
			file: LESSON,
			line: 10,
			message:
				'Ảnh viết kiểu Markdown ![…](./images/hinh.png) không được dùng: viết <Figure src="./images/ten-anh.svg" alt="mô tả ảnh" caption="chú thích" /> (ảnh cần mô tả, chú thích và đặt trong thư mục images/ của khoá học).',
		},
	])
})

test('an image file or a lesson\'s images that are too heavy are refused', async () => {
	// Random bytes do not compress: what a badly exported photo looks like to the budget.
	const png = (bytes: number) => {
		const data = Buffer.alloc(bytes)
		for (let i = 0; i < bytes; i++) data[i] = Math.floor(Math.random() * 256)
		Buffer.from('89504e470d0a1a0a0000000d49484452000001680000010e', 'hex').copy(data)
		return data
	}
	expect(await problemsAfter((f) => writeFileSync(f('courses/mau/images/hinh.png'), png(45 * 1024)))).toContainEqual({
		file: 'courses/mau/images/hinh.png',
		line: 1,
		message: 'Ảnh hinh.png: ảnh nặng 45.0 KB, tối đa 40.0 KB: thu nhỏ, nén lại hoặc vẽ đơn giản hơn.',
	})
	const problems = await problemsAfter((f) => {
		writeFileSync(f('courses/mau/images/hinh.png'), png(35 * 1024))
		writeFileSync(f('courses/mau/images/anh-hai.png'), png(35 * 1024))
		edit(f('image-credits.yaml'), 'images:\n', 'images:\n  - { file: courses/mau/images/anh-hai.png, origin: original, author: Dự án, licence: Như kho mã }\n')
		edit(f(LESSON), '<Exercise', '<Figure src="./images/anh-hai.png" alt="Ảnh thứ hai của bài để thử cân nặng" caption="Ảnh hai." />\n\n<Exercise')
	})
	expect(problems).toEqual([
		{
			file: LESSON,
			line: 1,
			message: 'Ảnh của bài nặng 70.2 KB khi tải, tối đa 60.0 KB (trang bài học phải dưới 100 KB cả ảnh): bớt ảnh hoặc làm nhẹ ảnh.',
		},
	])
})

test('an Exercise holds exactly one Answer, and an Answer belongs to an Exercise', async () => {
	expect(await problemsAfter((f) => edit(f(LESSON), /<Answer>[\s\S]*<\/Answer>\n/, ''))).toEqual([
		{ file: LESSON, line: 30, message: '<Exercise> cần đúng một <Answer> chứa lời giải (đang có 0).' },
	])
	expect(await problemsAfter((f) => edit(f(LESSON), '## Mở đầu', '## Mở đầu\n\n<Answer>\n\nLạc chỗ.\n\n</Answer>'))).toEqual([
		{ file: LESSON, line: 10, message: '<Answer> chỉ được đặt bên trong <Exercise>.' },
	])
})

test('image sizes are read from PNG, GIF, JPEG and WebP headers', () => {
	const png = Buffer.from('89504e470d0a1a0a0000000d494844520000016800000090', 'hex')
	expect(rasterSize(Buffer.concat([png, Buffer.alloc(8)]))).toEqual({ width: 360, height: 144 })
	const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x68, 0x01, 0x90, 0x00]), Buffer.alloc(8)])
	expect(rasterSize(gif)).toEqual({ width: 360, height: 144 })
	// SOI, an APP0 segment of 16 bytes, then a baseline SOF0: precision, height 144, width 360.
	const jpeg = Buffer.concat([
		Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
		Buffer.alloc(14),
		Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x90, 0x01, 0x68, 0x03]),
		Buffer.alloc(8),
	])
	expect(rasterSize(jpeg)).toEqual({ width: 360, height: 144 })
	const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8X'), Buffer.alloc(8), Buffer.from([0x67, 0x01, 0x00, 0x8f, 0x00, 0x00]), Buffer.alloc(4)])
	expect(rasterSize(webp)).toEqual({ width: 360, height: 144 })
	expect(rasterSize(Buffer.from('not an image at all, just some text'))).toBeNull()
})

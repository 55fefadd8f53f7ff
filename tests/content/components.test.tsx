// @vitest-environment jsdom
import { createRemixStub } from '@remix-run/testing'
import { fireEvent, render, screen, within } from '@testing-library/react'
import { type ReactNode } from 'react'
import { expect, test } from 'vitest'
import { Callout, Checklist, CitedSourcesContext, Cite, Example, KeyTakeaways, Option, Scenario } from '#app/content/components.tsx'
import { type CitedSource } from '#app/content/schema.ts'
import { type Lang } from '#app/ui/i18n.ts'

const CURRENT: CitedSource = { id: 'luat-bvbmnn-2025', kind: 'law', number: '117/2025/QH15', title: 'Luật Bảo vệ bí mật nhà nước', status: 'in-force' }
const OLD: CitedSource = {
	id: 'luat-bvbmnn-2018',
	kind: 'law',
	number: '29/2018/QH14',
	title: 'Luật Bảo vệ bí mật nhà nước (2018)',
	status: 'replaced',
	replacedBy: { id: CURRENT.id, kind: CURRENT.kind, number: CURRENT.number, title: CURRENT.title },
}
const DECREE: CitedSource = { id: 'nd-63-2026', kind: 'decree', number: '63/2026/NĐ-CP', title: 'Nghị định quy định chi tiết…', status: 'in-force' }

/** Components read the language from the root route's data, as in the app. */
function renderInApp(ui: ReactNode, lang: Lang = 'vi') {
	const sources = new Map([CURRENT, OLD, DECREE].map((s) => [s.id, s]))
	const Stub = createRemixStub([
		{
			id: 'root',
			path: '/',
			loader: () => ({ lang }),
			Component: () => <CitedSourcesContext.Provider value={sources}>{ui}</CitedSourcesContext.Provider>,
		},
	])
	return render(<Stub hydrationData={{ loaderData: { root: { lang } } }} />)
}

test('Cite renders the article and the law with its number, linked to the registry', () => {
	renderInApp(
		<p>
			<Cite source="luat-bvbmnn-2025" article="Điều 5" /> và <Cite source="nd-63-2026" />
		</p>,
	)
	const law = screen.getByRole('link', { name: 'Điều 5, Luật Bảo vệ bí mật nhà nước số 117/2025/QH15' })
	expect(law).toHaveAttribute('href', '/legal-sources#luat-bvbmnn-2025')
	expect(screen.getByRole('link', { name: 'Nghị định số 63/2026/NĐ-CP' })).toHaveAttribute('href', '/legal-sources#nd-63-2026')
})

test('a historical Cite says what replaced the document', () => {
	const { container } = renderInApp(<Cite source="luat-bvbmnn-2018" historical />)
	expect(container).toHaveTextContent(
		'Luật Bảo vệ bí mật nhà nước (2018) số 29/2018/QH14 (đã được thay thế bởi Luật Bảo vệ bí mật nhà nước số 117/2025/QH15)',
	)
})

test('a Scenario works without JavaScript: each option is a <details> whose feedback states the verdict in words', () => {
	const { container } = renderInApp(
		<Scenario title="Ảnh chụp công văn trên Zalo">
			<p>Chị Lan nhận được một công văn mật.</p>
			<Option label="Chụp ảnh gửi ngay vào nhóm Zalo" verdict="wrong">
				<p>Không được.</p>
			</Option>
			<Option label="Báo lãnh đạo" verdict="best">
				<p>Đúng.</p>
			</Option>
			<Option label="Để đó">
				<p>Chưa đủ.</p>
			</Option>
		</Scenario>,
	)
	const section = screen.getByRole('region', { name: 'Ảnh chụp công văn trên Zalo' })
	expect(within(section).getByText('Chị Lan nhận được một công văn mật.')).toBeInTheDocument()
	const details = container.querySelectorAll('details')
	expect(details).toHaveLength(3)
	expect([...container.querySelectorAll('summary')].map((s) => s.textContent)).toEqual([
		'Chụp ảnh gửi ngay vào nhóm Zalo',
		'Báo lãnh đạo',
		'Để đó',
	])
	expect([...container.querySelectorAll('.verdict strong')].map((s) => s.textContent)).toEqual([
		'Chưa phù hợp',
		'Cách xử lý tốt nhất',
		'Chưa phù hợp',
	])
	// The situation comes before the prompt and the options.
	expect(section.textContent?.indexOf('Chị Lan')).toBeLessThan(section.textContent?.indexOf('Mở từng phương án') ?? 0)
	fireEvent.click(screen.getByText('Báo lãnh đạo'))
	expect(details[1]).toHaveAttribute('open')
})

test('Callout, KeyTakeaways and Checklist are labelled regions', () => {
	renderInApp(
		<>
			<Callout type="warning" title="Cập nhật tài liệu cũ">
				<p>Dẫn chiếu luật mới.</p>
			</Callout>
			<Callout type="law">
				<p>Ba độ mật.</p>
			</Callout>
			<Checklist title="Trước khi đăng">
				<ul>
					<li>Kiểm tra nguồn</li>
				</ul>
			</Checklist>
			<KeyTakeaways>
				<ul>
					<li>Không chụp tài liệu mật</li>
				</ul>
			</KeyTakeaways>
		</>,
	)
	expect(screen.getByRole('complementary', { name: 'Cập nhật tài liệu cũ' })).toHaveTextContent('Lưu ý: Cập nhật tài liệu cũ')
	expect(screen.getByRole('complementary', { name: 'Quy định' })).toHaveTextContent('Ba độ mật.')
	expect(screen.getByRole('region', { name: 'Trước khi đăng' })).toHaveTextContent('Kiểm tra nguồn')
	expect(screen.getByRole('heading', { level: 2, name: 'Ghi nhớ' })).toBeInTheDocument()
})

test('an Example is a captioned mock post whose kind is in words, not only in colour', () => {
	renderInApp(
		<>
			<Example good author="Trang tin UBND xã An Bình" channel="Facebook" note="Rõ nguồn, lịch sự.">
				<p>Lịch tiếp công dân tháng 7.</p>
			</Example>
			<Example bad author="Nguyễn Văn A" channel="Zalo">
				<p>Ảnh chụp công văn.</p>
			</Example>
		</>,
	)
	const [good, bad] = screen.getAllByRole('figure')
	expect(good).toHaveAccessibleName('Ví dụ nên làm: bài đăng mô phỏng của Trang tin UBND xã An Bình trên Facebook')
	expect(good).toHaveTextContent('Vì sao: Rõ nguồn, lịch sự.')
	expect(bad).toHaveAccessibleName('Ví dụ không nên làm: bài đăng mô phỏng của Nguyễn Văn A trên Zalo')
	expect(bad).toHaveTextContent('Ảnh chụp công văn.')
})

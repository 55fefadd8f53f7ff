// Charts drawn on the server as SVG: they show without JavaScript, print, and weigh little. Each one is a picture
// with a short text alternative (role="img" + <title>/<desc>); the page puts the same numbers in a table beside it.
// Colours come from CSS classes (our CSP forbids style attributes), with shapes and labels so that colour is never
// the only cue.
import { useId } from 'react'

export type Bar = { label: string; value: number | null; note?: string }

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`)

// How many characters of a unit's name fit in one line of the label column (about 7 px a character at the
// chart's label size, in a 252 px column).
const LABEL_LINE_CHARS = 34

/**
 * A long unit name on several lines, cut at spaces ("Ủy ban nhân dân phường Trần Hưng Đạo" would otherwise run off
 * the left edge of the picture); a word longer than a line is cut where it must.
 */
export function wrapLabel(label: string, lineChars = LABEL_LINE_CHARS): Array<string> {
	const lines: Array<string> = []
	let line = ''
	for (const word of label.split(/\s+/).filter(Boolean)) {
		if (!line) line = word
		else if (line.length + 1 + word.length <= lineChars) line += ` ${word}`
		else {
			lines.push(line)
			line = word
		}
		while (line.length > lineChars) {
			lines.push(line.slice(0, lineChars))
			line = line.slice(lineChars)
		}
	}
	if (line) lines.push(line)
	return lines.length ? lines : ['']
}

/** Horizontal bars of rates (0–1), one per row, labelled with the value; a dashed line at `goal` (e.g. 100%). */
export function RateBars({ title, description, bars, goal = 1 }: { title: string; description: string; bars: Array<Bar>; goal?: number }) {
	const id = useId()
	const lineHeight = 16
	const labelWidth = 260
	const barWidth = 360
	// Each row is as tall as its label: one line is the former 28 px row, each further line adds 16 px.
	const rows = bars.map((bar) => ({ bar, lines: wrapLabel(bar.label) }))
	const tops: Array<number> = []
	let y = 4
	for (const r of rows) {
		tops.push(y)
		y += 28 + (r.lines.length - 1) * lineHeight
	}
	const height = y + 20
	const width = labelWidth + barWidth + 60
	return (
		<svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart w-full max-w-3xl">
			<title id={`${id}-t`}>{title}</title>
			<desc id={`${id}-d`}>{description}</desc>
			{[0, 0.5, 1].map((tick) => (
				<g key={tick}>
					<line x1={labelWidth + tick * barWidth} x2={labelWidth + tick * barWidth} y1={0} y2={height - 20} className="chart-grid" />
					<text x={labelWidth + tick * barWidth} y={height - 6} textAnchor="middle" className="chart-axis">
						{percent(tick)}
					</text>
				</g>
			))}
			{rows.map(({ bar, lines }, i) => {
				const top = tops[i]!
				const w = Math.max(0, Math.min(1, bar.value ?? 0)) * barWidth
				// The bar sits beside the middle of its label.
				const y = top + ((lines.length - 1) * lineHeight) / 2
				return (
					<g key={`${bar.label}-${i}`}>
						<text x={labelWidth - 8} y={top + 15} textAnchor="end" className="chart-label">
							{lines.map((line, n) => (
								<tspan key={n} x={labelWidth - 8} dy={n === 0 ? 0 : lineHeight}>
									{line}
								</tspan>
							))}
						</text>
						<rect x={labelWidth} y={y} width={w} height={18} className={bar.value !== null && bar.value >= goal ? 'chart-bar-done' : 'chart-bar'} />
						<text x={labelWidth + w + 6} y={y + 14} className="chart-value">
							{percent(bar.value)}
							{bar.note ? ` ${bar.note}` : ''}
						</text>
					</g>
				)
			})}
			<line x1={labelWidth + goal * barWidth} x2={labelWidth + goal * barWidth} y1={0} y2={height - 20} className="chart-goal" />
		</svg>
	)
}

export type Part = { label: string; value: number; className: string }

/** One stacked bar of counts (completed / in progress / not started), with a legend that repeats the numbers. */
export function StatusStack({ title, parts }: { title: string; parts: Array<Part> }) {
	const id = useId()
	const total = parts.reduce((sum, p) => sum + p.value, 0)
	const width = 600
	let x = 0
	return (
		<figure className="mb-4">
			<svg viewBox={`0 0 ${width} 32`} role="img" aria-labelledby={`${id}-t`} className="chart w-full max-w-3xl">
				<title id={`${id}-t`}>{`${title}: ${parts.map((p) => `${p.label} ${p.value}`).join(', ')}`}</title>
				<rect x={0} y={0} width={width} height={24} className="chart-track" />
				{parts.map((p) => {
					const w = total > 0 ? (p.value / total) * width : 0
					const rect = <rect key={p.label} x={x} y={0} width={w} height={24} className={p.className} />
					x += w
					return rect
				})}
			</svg>
			<figcaption className="mt-1 flex flex-wrap gap-4 text-sm">
				{parts.map((p) => (
					<span key={p.label} className="inline-flex items-center gap-1">
						<svg width="12" height="12" aria-hidden="true">
							<rect width="12" height="12" className={p.className} />
						</svg>
						{p.label}: {p.value.toLocaleString('vi-VN')}
					</span>
				))}
			</figcaption>
		</figure>
	)
}

export type Point = { label: string; value: number | null }

/** Rates month by month (from the month-end snapshots) as a line with its points labelled. */
export function RateLine({ title, description, points }: { title: string; description: string; points: Array<Point> }) {
	const id = useId()
	const width = 640
	const height = 200
	const left = 40
	const bottom = 24
	const step = points.length > 1 ? (width - left - 20) / (points.length - 1) : 0
	const xy = points.map((p, i) => ({ ...p, x: left + i * step, y: p.value === null ? null : 10 + (1 - Math.min(1, p.value)) * (height - bottom - 20) }))
	const path = xy
		.filter((p) => p.y !== null)
		.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y!.toFixed(1)}`)
		.join(' ')
	return (
		<svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart w-full max-w-3xl">
			<title id={`${id}-t`}>{title}</title>
			<desc id={`${id}-d`}>{description}</desc>
			{[0, 0.5, 1].map((tick) => {
				const y = 10 + (1 - tick) * (height - bottom - 20)
				return (
					<g key={tick}>
						<line x1={left} x2={width - 10} y1={y} y2={y} className="chart-grid" />
						<text x={left - 6} y={y + 4} textAnchor="end" className="chart-axis">
							{percent(tick)}
						</text>
					</g>
				)
			})}
			<path d={path} className="chart-line" />
			{xy.map((p) => (
				<g key={p.label}>
					{p.y !== null ? <circle cx={p.x} cy={p.y} r={4} className="chart-point" /> : null}
					<text x={p.x} y={height - 6} textAnchor="middle" className="chart-axis">
						{p.label}
					</text>
				</g>
			))}
		</svg>
	)
}

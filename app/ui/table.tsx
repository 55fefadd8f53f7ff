// The tables of the admin pages: one scrollable wrapper, a header row of column scopes, and the completion counts
// (target, completed, rate, in progress, not started, overdue) that the dashboard and the reports both show.
import { type ReactNode } from 'react'
import { formatPercent } from './dates.ts'
import { useT } from './i18n.ts'

export type Column = { label: ReactNode; numeric?: boolean; key?: string }

/** A header row: every cell a column header; numeric columns right-aligned like their figures. */
export function HeadRow({ columns }: { columns: ReadonlyArray<Column | ReactNode> }) {
	return (
		<tr>
			{columns.map((c, i) => {
				const col = isColumn(c) ? c : { label: c }
				return (
					<th key={col.key ?? i} scope="col" className={col.numeric ? 'text-right' : undefined}>
						{col.label}
					</th>
				)
			})}
		</tr>
	)
}

function isColumn(c: Column | ReactNode): c is Column {
	return typeof c === 'object' && c !== null && 'label' in c
}

/**
 * A table that scrolls sideways on a phone instead of widening the page. `children` are the body's rows; the
 * caption (often only for screen readers) says what the table lists.
 */
export function DataTable({
	columns,
	children,
	caption,
	captionClassName = 'sr-only',
	className = 'table bg-white',
	wrapperClassName = 'overflow-x-auto',
}: {
	columns: ReadonlyArray<Column | ReactNode>
	children: ReactNode
	caption?: ReactNode
	captionClassName?: string
	className?: string
	wrapperClassName?: string
}) {
	return (
		<div className={wrapperClassName}>
			<table className={className}>
				{caption ? <caption className={captionClassName}>{caption}</caption> : null}
				<thead>
					<HeadRow columns={columns} />
				</thead>
				<tbody>{children}</tbody>
			</table>
		</div>
	)
}

/** The figures of a completion count (app/reports/completion.ts); a table shows some or all of them. */
export type Counts = { target: number; completed: number; rate: number | null; inProgress: number; notStarted: number; overdue: number }
export type CountColumn = keyof Counts

/** Every count a completion table can show, in the order the dashboard shows them. */
export const ALL_COUNTS: ReadonlyArray<CountColumn> = ['target', 'completed', 'rate', 'inProgress', 'notStarted', 'overdue']

const COUNT_HEADS = {
	target: 'dash.col.target',
	completed: 'dash.col.completed',
	rate: 'dash.col.rate',
	inProgress: 'dash.col.inProgress',
	notStarted: 'dash.col.notStarted',
	overdue: 'dash.col.overdue',
} as const

export type CountsRow = { key: string; name: ReactNode; counts: Partial<Counts> & Pick<Counts, 'rate'> }

/**
 * Completion counts per unit, team or course: the row's name is its header cell, the counts right-aligned, the rate
 * in bold. Numbers are written the Vietnamese way (1.234) on every page, as the exported files write them.
 */
export function CountsTable({
	first,
	rows,
	columns = ALL_COUNTS,
	caption,
	className = 'table',
}: {
	/** The heading of the name column (Đơn vị, Tổ, Khoá học). */
	first: ReactNode
	rows: ReadonlyArray<CountsRow>
	columns?: ReadonlyArray<CountColumn>
	caption?: ReactNode
	className?: string
}) {
	const t = useT()
	const n = (v: number) => v.toLocaleString('vi-VN')
	return (
		<DataTable caption={caption} className={className} columns={[first, ...columns.map((c) => ({ label: t(COUNT_HEADS[c]), numeric: true, key: c }))]}>
			{rows.map((r) => (
				<tr key={r.key}>
					<th scope="row" className="text-left font-normal">
						{r.name}
					</th>
					{columns.map((c) =>
						c === 'rate' ? (
							<td key={c} className="text-right font-semibold">
								{formatPercent(r.counts.rate)}
							</td>
						) : (
							<td key={c} className="text-right">
								{n(r.counts[c] ?? 0)}
							</td>
						),
					)}
				</tr>
			))}
		</DataTable>
	)
}

// Pieces shared by the dashboard, people and report pages: the course choice and the filter problems.
import { type MessageKey } from '#app/ui/i18n/vi.ts'
import { useT } from '#app/ui/i18n.ts'

/** "Khoá học" with "all assigned courses" first; the value is the course slug ('' for all). */
export function CourseSelect({ courses, value }: { courses: ReadonlyArray<{ slug: string; title: string }>; value: string | null | undefined }) {
	const t = useT()
	return (
		<div>
			<label htmlFor="course" className="label">
				{t('dash.course')}
			</label>
			<select id="course" name="course" defaultValue={value ?? ''} className="field">
				<option value="">{t('dash.allCourses')}</option>
				{courses.map((c) => (
					<option key={c.slug} value={c.slug}>
						{c.title}
					</option>
				))}
			</select>
		</div>
	)
}

/** The filter values that were refused (each replaced by its default), as one alert. */
export function FilterProblems({ problems }: { problems: ReadonlyArray<MessageKey> }) {
	const t = useT()
	if (!problems.length) return null
	return (
		<div role="alert" className="alert alert-error mb-4">
			{problems.map((p) => (
				<p key={p}>{t(p)}</p>
			))}
		</div>
	)
}

// The part of an assignment's form that creating and editing share: who must complete it, by when, how often, the
// count a preview returns, and the preview/submit buttons (a preview posts the same form with intent=preview).
import { type FieldMetadata } from '@conform-to/react'
import { SelectField } from '#app/ui/fields.tsx'
import { Field } from '#app/ui/form.tsx'
import { useT } from '#app/ui/i18n.ts'
import { tagLabel } from '#app/ui/labels.ts'

type RuleFields = {
	audienceTag: FieldMetadata<string | undefined>
	dueAt: FieldMetadata<string>
	recurrenceMonths: FieldMetadata<string | undefined>
}

export function AssignmentRuleFields({
	fields,
	tags,
	preview,
	submit,
}: {
	fields: RuleFields
	tags: ReadonlyArray<string>
	/** How many people the last preview counted; null or undefined before one. */
	preview: number | null | undefined
	submit: { label: string; intent: 'create' | 'update' }
}) {
	const t = useT()
	return (
		<>
			<SelectField
				label={t('assign.tag')}
				meta={fields.audienceTag}
				placeholder={t('assign.everyone')}
				options={tags.map((tag) => ({ value: tag, label: tagLabel(t, tag) }))}
			/>
			<Field label={t('assign.due')} meta={fields.dueAt} type="date" />
			<Field label={t('assign.recurrence')} meta={fields.recurrenceMonths} />
			{preview != null ? (
				<p role="status" className="alert alert-success mb-4">
					{t('assign.preview', { count: preview })}
				</p>
			) : null}
			<p className="flex flex-wrap gap-3">
				<button type="submit" name="intent" value="preview" className="btn btn-secondary">
					{t('assign.previewButton')}
				</button>
				<button type="submit" name="intent" value={submit.intent} className="btn">
					{submit.label}
				</button>
			</p>
		</>
	)
}

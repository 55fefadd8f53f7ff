import { getInputProps, type FieldMetadata } from '@conform-to/react'
import { type ReactNode } from 'react'
import { useErrorText } from './i18n.ts'

/** A labelled input with its errors announced to screen readers; errors are catalogue keys or plain text. */
export function Field({
	label,
	meta,
	type = 'text',
	autoComplete,
	hint,
}: {
	label: string
	meta: FieldMetadata<string>
	type?: 'text' | 'password' | 'email' | 'date' | 'tel' | 'number'
	autoComplete?: string
	hint?: ReactNode
}) {
	const errorText = useErrorText()
	const errors = meta.errors?.map(errorText).filter(Boolean)
	return (
		<div className="mb-4">
			<label htmlFor={meta.id} className="label">
				{label}
			</label>
			<input
				{...getInputProps(meta, { type })}
				autoComplete={autoComplete}
				className="field"
				aria-describedby={errors?.length ? meta.errorId : hint ? `${meta.id}-hint` : undefined}
			/>
			{hint ? (
				<p id={`${meta.id}-hint`} className="mt-1 text-sm text-gray-700">
					{hint}
				</p>
			) : null}
			{errors?.length ? (
				<ul id={meta.errorId} className="field-error">
					{errors.map((e) => (
						<li key={e}>{e}</li>
					))}
				</ul>
			) : null}
		</div>
	)
}

export function FormErrors({ id, errors }: { id: string; errors?: Array<string> }) {
	const errorText = useErrorText()
	if (!errors?.length) return null
	return (
		<div id={id} role="alert" className="alert alert-error mb-4">
			{errors.map((e) => (
				<p key={e}>{errorText(e)}</p>
			))}
		</div>
	)
}

// Labelled controls for forms that are not the Conform inputs of form.tsx: a select with its label, hint and errors,
// a group of radio buttons or checkboxes under a legend, and a plain labelled input (GET filter forms). Either bound to a Conform field (`meta`: id, name, default and errors come from the form) or plain (a
// GET filter form: `id`, `name`, `defaultValue`). Without JavaScript they post like any form control.
import { getInputProps, getSelectProps, type FieldMetadata } from '@conform-to/react'
import { type InputHTMLAttributes, type ReactNode } from 'react'
import { FieldErrors } from './form.tsx'

export type Choice = { value: string | number; label: ReactNode }
export type ChoiceGroup = { key: string; label: string; options: ReadonlyArray<Choice> }

type Plain = { id: string; name: string; defaultValue?: string | number; required?: boolean }

function Options({ options }: { options: ReadonlyArray<Choice> }) {
	return options.map((o) => (
		<option key={o.value} value={o.value}>
			{o.label}
		</option>
	))
}


export function SelectField({
	label,
	meta,
	plain,
	options = [],
	groups,
	placeholder,
	hint,
	errors: extraErrors,
	className = 'mb-4',
}: {
	label: ReactNode
	meta?: FieldMetadata<string | undefined>
	plain?: Plain
	options?: ReadonlyArray<Choice>
	/** Options under headings (optgroup), after the plain options. */
	groups?: ReadonlyArray<ChoiceGroup>
	/** An option with the empty value first: "all", "choose one". */
	placeholder?: ReactNode
	hint?: ReactNode
	/** Errors from an action that does not use Conform for this field. */
	errors?: ReadonlyArray<string>
	/** The wrapper's classes; "" for none (filter grids space their cells themselves). */
	className?: string
}) {
	const id = meta?.id ?? plain?.id ?? ''
	const errors = meta?.errors ?? extraErrors
	const errorId = meta?.errorId ?? `${id}-error`
	const hintId = `${id}-hint`
	const describedBy = errors?.length ? errorId : hint ? hintId : undefined
	const control = meta
		? { ...getSelectProps(meta), 'aria-describedby': describedBy }
		: { id: plain?.id, name: plain?.name, defaultValue: plain?.defaultValue, required: plain?.required, 'aria-describedby': describedBy }
	return (
		<div className={className || undefined}>
			<label htmlFor={id} className="label">
				{label}
			</label>
			<select {...control} className="field">
				{placeholder !== undefined ? <option value="">{placeholder}</option> : null}
				<Options options={options} />
				{groups?.map((g) => (
					<optgroup key={g.key} label={g.label}>
						<Options options={g.options} />
					</optgroup>
				))}
			</select>
			{hint ? (
				<p id={hintId} className="mt-1 text-sm text-gray-700">
					{hint}
				</p>
			) : null}
			<FieldErrors id={errorId} errors={errors ? [...errors] : undefined} />
		</div>
	)
}

/** A labelled input of a plain form (a GET filter, a form without Conform): its value comes back in the URL. */
export function InputField({
	id,
	label,
	name = id,
	className,
	...input
}: {
	id: string
	label: ReactNode
	name?: string
	className?: string
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'className'>) {
	return (
		<div className={className}>
			<label htmlFor={id} className="label">
				{label}
			</label>
			<input id={id} name={name} {...input} className="field" />
		</div>
	)
}

export type CheckChoice = Choice & { hint?: ReactNode }

function ChoiceList({
	type,
	legend,
	hint,
	options,
	meta,
	name,
	checked,
	errors,
	className = 'mb-4',
}: {
	type: 'radio' | 'checkbox'
	legend: ReactNode
	hint?: ReactNode
	options: ReadonlyArray<CheckChoice>
	meta?: FieldMetadata<string | undefined> | FieldMetadata<Array<string> | undefined>
	name?: string
	checked?: (value: string) => boolean
	errors?: ReadonlyArray<string>
	className?: string
}) {
	// Choices that explain themselves (a bold name, then a sentence) align to the first line of the text.
	const explained = options.some((o) => o.hint)
	return (
		<fieldset className={className}>
			<legend className="label">{legend}</legend>
			{hint ? <p className="mb-2 text-sm text-gray-700">{hint}</p> : null}
			{options.map((o) => {
				const value = String(o.value)
				const input = meta
					? getInputProps(meta as FieldMetadata<string>, { type, value })
					: { type, name, value, defaultChecked: checked?.(value) ?? false }
				return (
					<label key={value} className={`flex min-h-11 ${explained ? 'items-start' : 'items-center'} gap-2`}>
						<input {...input} key={value} className={explained ? 'mt-1 h-5 w-5' : 'h-5 w-5'} />
						{explained ? (
							<span>
								<strong>{o.label}</strong>
								{o.hint ? <> — {o.hint}</> : null}
							</span>
						) : (
							o.label
						)}
					</label>
				)
			})}
			<FieldErrors id={meta?.errorId ?? `${name}-error`} errors={meta?.errors ?? (errors ? [...errors] : undefined)} />
		</fieldset>
	)
}

type GroupProps = Omit<Parameters<typeof ChoiceList>[0], 'type'>

/** One answer out of several, under a legend. */
export function RadioGroup(props: GroupProps) {
	return <ChoiceList type="radio" {...props} />
}

/** Any number of answers (tags, rules), under a legend; the form posts one value a ticked box. */
export function CheckboxGroup(props: GroupProps) {
	return <ChoiceList type="checkbox" {...props} />
}

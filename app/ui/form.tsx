import { getFormProps, getInputProps, type FieldMetadata, type FormMetadata } from '@conform-to/react'
import { Form, type FormProps, Link } from '@remix-run/react'
import { type ReactNode } from 'react'
import { useErrorText } from './i18n.ts'

/** A labelled input with its errors announced to screen readers; errors are catalogue keys or plain text. */
export function Field({
	label,
	meta,
	type = 'text',
	autoComplete,
	hint,
	min,
	max,
}: {
	label: string
	meta: FieldMetadata<string>
	type?: 'text' | 'password' | 'email' | 'date' | 'tel' | 'number'
	autoComplete?: string
	hint?: ReactNode
	/** Bounds of a date or number input (the schema checks them again on the server). */
	min?: string | number
	max?: string | number
}) {
	const errors = meta.errors?.filter(Boolean)
	return (
		<div className="mb-4">
			<label htmlFor={meta.id} className="label">
				{label}
			</label>
			<input
				{...getInputProps(meta, { type })}
				autoComplete={autoComplete}
				min={min}
				max={max}
				className="field"
				aria-describedby={errors?.length ? meta.errorId : hint ? `${meta.id}-hint` : undefined}
			/>
			{hint ? (
				<p id={`${meta.id}-hint`} className="mt-1 text-sm text-gray-700">
					{hint}
				</p>
			) : null}
			<FieldErrors id={meta.errorId} errors={meta.errors} />
		</div>
	)
}

/** The errors of one field, for inputs styled by their page; the input points at `id` with aria-describedby. */
export function FieldErrors({ id, errors }: { id: string; errors?: Array<string> }) {
	const errorText = useErrorText()
	if (!errors?.length) return null
	return (
		<ul id={id} className="field-error">
			{errors.map((e) => (
				<li key={e}>{errorText(e)}</li>
			))}
		</ul>
	)
}

/** What an action did, said once in a status line (read out by screen readers); nothing when there is nothing to say. */
export function Notice({ children, className = 'mb-4' }: { children: ReactNode; className?: string }) {
	if (children === null || children === undefined || children === false || children === '') return null
	return (
		<p role="status" className={`alert alert-success ${className}`}>
			{children}
		</p>
	)
}

/** What went wrong, said at once to screen readers (role=alert): one sentence above the page's forms. */
export function Alert({ children, className = 'mb-4' }: { children: ReactNode; className?: string }) {
	return <p role="alert" className={`alert alert-error ${className}`}>{children}</p>
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

/**
 * Every error of a Conform reply, form-level and per field, for forms whose fields are hidden or buttons (a tampered
 * or stale post): there is no input to put the message beside, so the form's alert says it.
 */
export function replyErrors(result: { error?: Record<string, Array<string> | null> } | null | undefined) {
	const errors = Object.values(result?.error ?? {}).flatMap((list) => list ?? [])
	return errors.length ? [...new Set(errors)] : undefined
}

/**
 * One of a page's forms in a card: its heading, the `intent` that tells the action which form posted, the fields,
 * then the one submit button (secondary where the page has a main one elsewhere). Posts to the page by default.
 * With `conform`, the form is that Conform form (its id and validation) and says its form-level errors first.
 */
export function FormCard({
	title,
	conform,
	intent,
	submit,
	secondary = false,
	buttonClassName = secondary ? 'btn btn-secondary' : 'btn',
	children,
	after,
	method = 'post',
	className = 'card',
	headingClassName = 'mb-3 text-xl font-semibold',
	level = 2,
	...form
}: {
	title?: ReactNode
	conform?: FormMetadata
	intent?: string
	submit: ReactNode
	secondary?: boolean
	buttonClassName?: string
	children?: ReactNode
	/** Below the button: what the last submit of this form gave. */
	after?: ReactNode
	method?: 'get' | 'post'
	className?: string
	headingClassName?: string
	level?: 2 | 3
} & Omit<FormProps, 'method' | 'className' | 'title' | 'children'>) {
	const Heading = level === 2 ? 'h2' : 'h3'
	return (
		<Form method={method} className={className} {...(conform ? getFormProps(conform) : {})} {...form}>
			{title ? <Heading className={headingClassName}>{title}</Heading> : null}
			{conform ? <FormErrors id={conform.errorId} errors={conform.errors} /> : null}
			{intent ? <input type="hidden" name="intent" value={intent} /> : null}
			{children}
			<button type="submit" className={buttonClassName}>
				{submit}
			</button>
			{after}
		</Form>
	)
}

/**
 * The second step of an action that cannot be undone (revoking a certificate, sending a course back to be redone):
 * what will happen, in a red card, with the values of the first step posted again and `confirm=yes`, and a way back.
 */
export function ConfirmCard({
	title,
	text,
	effect,
	fields,
	submit,
	cancel,
	className,
}: {
	title: ReactNode
	text: ReactNode
	effect: ReactNode
	/** The first step's values, posted again as hidden inputs. */
	fields: Record<string, string | number>
	submit: ReactNode
	cancel: { to: string; label: ReactNode }
	className?: string
}) {
	return (
		<section className={className} aria-labelledby="confirm-heading">
			<Form method="post" className="card border-2 border-red-700">
				<h2 id="confirm-heading" className="mb-2 text-xl font-semibold">
					{title}
				</h2>
				<p className="mb-2">{text}</p>
				<p className="alert alert-error mb-4">{effect}</p>
				{Object.entries(fields).map(([name, value]) => (
					<input key={name} type="hidden" name={name} value={value} />
				))}
				<input type="hidden" name="confirm" value="yes" />
				<p className="flex flex-wrap items-center gap-4">
					<button type="submit" className="btn bg-red-700 hover:bg-red-800">
						{submit}
					</button>
					<Link to={cancel.to}>{cancel.label}</Link>
				</p>
			</Form>
		</section>
	)
}

// The "type a serial" form of the verify pages: a GET form, so it works without JavaScript.
import { Form } from '@remix-run/react'
import { useT } from '#app/ui/i18n.ts'

export function SerialForm({ defaultValue }: { defaultValue: string }) {
	const t = useT()
	return (
		<Form method="get" action="/verify" className="card flex max-w-xl flex-wrap items-end gap-3">
			<div className="min-w-60 flex-1">
				<label htmlFor="verify-serial" className="label">
					{t('verify.serial')}
				</label>
				<input
					id="verify-serial"
					name="serial"
					defaultValue={defaultValue}
					required
					maxLength={64}
					autoComplete="off"
					autoCapitalize="characters"
					spellCheck={false}
					placeholder="VMS-2026-7QK3M9XW2D"
					className="field font-mono"
				/>
			</div>
			<button type="submit" className="btn">
				{t('verify.submit')}
			</button>
		</Form>
	)
}

// Every action the code records must read as a sentence in the audit log (issue 18 item 12): an action missing from
// AUDIT_ACTIONS shows "đã thực hiện một thao tác quản trị" and its raw key. The walk of issue 18 found three such
// actions (roster.upload, youth.request.approve, youth.request.reject), each added without its sentence; this test
// reads the source, so the next new action fails here instead of in front of an administrator.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { AUDIT_ACTIONS } from '#app/auth/audit-view.server.ts'
import { en } from '#app/ui/i18n/en.ts'
import { viAdmin } from '#app/ui/i18n/vi-admin.ts'

// Actions built from a template: what each one can become. A new template must be listed here on purpose.
const TEMPLATES: Record<string, Array<string>> = {
	'`${input.kind}.upload`': ['roster.upload', 'tree.upload'],
}

function sources(dir: string): Array<string> {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name)
		if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path)
		return /\.(ts|tsx)$/.test(name) ? [path] : []
	})
}

function recordedActions() {
	const found = new Map<string, string>()
	const templates: Array<string> = []
	for (const file of sources('app')) {
		const text = readFileSync(file, 'utf8')
		// Only modules that write audit events; their `action:` properties are the recorded actions.
		if (!/\baudit\(/.test(text)) continue
		for (const line of text.split('\n')) {
			const m = /\baction:\s*(.+)$/.exec(line)
			if (!m) continue
			for (const literal of m[1]!.matchAll(/'([a-z]+(?:[.-][a-z]+)*\.[a-z-]+)'/g)) found.set(literal[1]!, file)
			const template = /`[^`]*`/.exec(m[1]!)
			if (template) templates.push(template[0])
		}
	}
	return { found, templates }
}

test('every recorded audit action is listed and has a Vietnamese and an English label and sentence', () => {
	const { found, templates } = recordedActions()
	// The scan itself works: it sees actions that are known to be recorded.
	expect(found.has('certificate.revoke')).toBe(true)
	expect(found.has('youth.join.register')).toBe(true)
	const unknownTemplates = templates.filter((t) => !(t in TEMPLATES))
	expect(unknownTemplates).toEqual([])
	const actions = new Set([...found.keys(), ...templates.flatMap((t) => TEMPLATES[t]!)])
	const listed = new Set<string>(AUDIT_ACTIONS)
	const missing = [...actions].filter((a) => !listed.has(a)).map((a) => `${a} (${found.get(a) ?? 'template'})`)
	expect(missing).toEqual([])
	const catalogues = { vi: viAdmin as Record<string, string>, en: en as Record<string, string> }
	const untranslated = AUDIT_ACTIONS.flatMap((a) =>
		Object.entries(catalogues).flatMap(([lang, c]) => [`audit.action.${a}`, `audit.event.${a}`].filter((k) => !c[k]).map((k) => `${lang}: ${k}`)),
	)
	expect(untranslated).toEqual([])
})

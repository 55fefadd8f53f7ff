// Every action reads its form through one zod schema (parseWithZod), never field by field (issue 20 §4): a new action
// that calls form.get(…), Object.fromEntries(form) or request.text() fails here, wherever the read is written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { compilerOptions, findFormReads, routesWithAction } from '#tests/setup/form-reads.ts'

const tmp = mkdtempSync(path.join(tmpdir(), 'vms-form-reads-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

test('no code under app/ reads a form or a request body without a schema', { timeout: 120_000 }, () => {
	const reads = findFormReads().map((r) => `${r.file}:${r.line}  ${r.text}`)
	expect(reads).toEqual([])
})

test('every action that takes a body parses it with parseWithZod', () => {
	const routes = routesWithAction()
	expect(routes.length).toBeGreaterThan(30)
	const unparsed = routes.filter((name) => {
		const text = readFileSync(path.join('app/routes', name), 'utf8')
		return /\.formData\(\)|readUpload\(/.test(text) && !/parseWithZod\(/.test(text)
	})
	expect(unparsed).toEqual([])
})

test('the check catches an unvalidated action, a helper that reads the form, and a body read as text', { timeout: 120_000 }, () => {
	const file = path.join(tmp, 'route.ts')
	writeFileSync(
		file,
		[
			'const pick = (f: FormData) => Object.fromEntries(f)',
			'export async function action({ request }: { request: Request }) {',
			'	const form = await request.formData()',
			'	const name = form.get("name")',
			'	for (const entry of form) void entry',
			'	void [...form.getAll("tag")], pick(form)',
			'	return name ?? (await request.clone().text())',
			'}',
		].join('\n'),
	)
	const reads = findFormReads([file], compilerOptions()).map((r) => r.line)
	expect(reads).toEqual([1, 4, 5, 6, 7])
})

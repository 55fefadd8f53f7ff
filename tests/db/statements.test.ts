// Every named statement of the app (app/**/*.sql.ts, found here by a glob, so a new file cannot be left out) is
// PREPAREd against the migrated template: a migration that drops or renames a column one of them reads fails this
// file instead of a page in production. Runs on PGlite, and on PostgreSQL in .ci/run's second pass
// (TEST_DATABASE_URL). On PGlite the statement is also described, and its columns compared with its row schema.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { rawDatabase } from '#app/db.server.ts'
import { createTestDb, useTestDb } from '#tests/setup/db.ts'

type Named = { name: string; text: string; inputs?: Record<string, string>; params?: Record<string, string>; row?: unknown }

const modules = import.meta.glob<Record<string, unknown>>('../../app/**/*.sql.ts', { eager: true })

const isStatement = (value: unknown): value is Named =>
	typeof value === 'object' && value !== null && typeof (value as Named).name === 'string' && typeof (value as Named).text === 'string'

/** The statements a module exports: directly, or one level down (the completion reports' four variants). */
function statementsOf(exports: Record<string, unknown>) {
	return Object.values(exports).flatMap((value) => {
		if (isStatement(value)) return [value]
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.values(value).filter(isStatement)
		return []
	})
}

const found = Object.entries(modules).flatMap(([file, exports]) => statementsOf(exports).map((statement) => ({ file, statement })))
// The same object exported twice (an alias) is one statement.
const statements = [...new Map(found.map((f) => [f.statement, f])).values()]

/** Inputs declared by name (defineSql's `inputs`, or `params` in the completion path's own helper). */
const declaredInputs = (s: Named) => s.inputs ?? s.params

function rowKeys(row: unknown): Array<string> | null {
	const shape = (row as { shape?: Record<string, unknown> } | null)?.shape
	return shape && typeof shape === 'object' ? Object.keys(shape).sort() : null
}

function sourceFiles(dir: string): Array<string> {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const path = join(dir, e.name)
		if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(path)
		return /\.tsx?$/.test(e.name) ? [path] : []
	})
}

describe('named SQL statements', () => {
	test('every statement lives in a *.sql.ts file, is found by the glob, and has a name of its own', () => {
		expect(statements.length).toBeGreaterThan(20)
		const inline = /\bname:\s*['`][^'`]+['`],\s*(?:\/\/[^\n]*\n\s*)*text:|\bdefineSql\(/
		const outside = sourceFiles('app')
			.map((path) => relative(process.cwd(), path))
			.filter((path) => !path.endsWith('.sql.ts') && path !== 'app/db.server.ts' && inline.test(readFileSync(path, 'utf8')))
		expect(outside).toEqual([])
		const byName = new Map<string, string>()
		for (const { statement } of statements) {
			const text = byName.get(statement.name)
			// PostgreSQL prepares a name once per connection: two texts under one name would run the first one.
			expect(text === undefined || text === statement.text, `two statements named ${statement.name}`).toBe(true)
			byName.set(statement.name, statement.text)
		}
	})

	const testDb = useTestDb()

	test.each(statements.map(({ file, statement }) => [statement.name, file.replace('../../', ''), statement] as const))(
		'%s (%s) prepares against the migrated schema',
		async (name, _file, statement) => {
			const raw = rawDatabase(testDb.current.prisma)
			const inputs = declaredInputs(statement)
			if (raw.kind === 'pglite') {
				const pglite = await raw.open()
				// Parse and analysis as PREPARE does them (a missing column or table, a wrong type, an untyped parameter).
				const described = await pglite.describeQuery(statement.text)
				if (inputs) expect(described.queryParams.length, 'parameters used = inputs declared').toBe(Object.keys(inputs).length)
				const keys = rowKeys(statement.row)
				if (keys) expect(described.resultFields.map((f) => f.name).sort(), 'columns = row schema').toEqual(keys)
				return
			}
			const client = await raw.pool.connect()
			try {
				await client.query(`PREPARE vms_statement_check AS ${statement.text}`)
				const { rows } = await client.query<{ n: number }>(
					`SELECT cardinality(parameter_types)::int AS n FROM pg_prepared_statements WHERE name = 'vms_statement_check'`,
				)
				if (inputs) expect(rows[0]?.n, 'parameters used = inputs declared').toBe(Object.keys(inputs).length)
			} finally {
				await client.query('DEALLOCATE ALL').catch(() => {})
				client.release()
			}
		},
	)
})

test('a statement whose column is gone fails to prepare (the check above can fail)', async () => {
	const testDb = await createTestDb()
	try {
		const raw = rawDatabase(testDb.prisma)
		const broken = `SELECT "noSuchColumn" FROM "User"`
		if (raw.kind === 'pglite') await expect((await raw.open()).describeQuery(broken)).rejects.toThrow(/noSuchColumn/)
		else await expect(raw.pool.query(`PREPARE vms_broken AS ${broken}`)).rejects.toThrow(/noSuchColumn/)
	} finally {
		await testDb.close()
	}
})

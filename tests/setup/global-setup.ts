// Runs once per `vitest run`: prepares a migrated template database that each test file clones.
// - PGlite (default): a data-dir dump in .data/, rebuilt only when the migrations change.
// - PostgreSQL (TEST_DATABASE_URL=postgresql://…): a template database that CREATE DATABASE … TEMPLATE copies.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { type TestProject } from 'vitest/node'
import { pgConfig } from '#app/db-adapters.server.ts'

const MIGRATIONS = 'prisma/migrations'

export function migrationSql() {
	return readdirSync(MIGRATIONS)
		.filter((d) => /^\d/.test(d))
		.sort()
		.map((d) => readFileSync(`${MIGRATIONS}/${d}/migration.sql`, 'utf8'))
}

export function templatePath() {
	const hash = createHash('sha256').update(migrationSql().join('\n')).digest('hex').slice(0, 12)
	return `.data/test-template-${hash}.tar`
}

// Two runs against one server (two checkouts, or several people on one machine) each name their own template, or the
// second run's DROP DATABASE would pull it from under the first.
export const PG_TEMPLATE_DB = /^[a-z_][a-z0-9_]{0,62}$/.test(process.env.VMS_TEST_TEMPLATE_DB ?? '') ? process.env.VMS_TEST_TEMPLATE_DB! : 'vms_test_template'

/**
 * Route tests render real courses: the content is built once per change of its source into .data/ and every test
 * worker reads it there (VMS_CONTENT_DIR), so `npm test` on a fresh clone needs no earlier `npm run build`. Two
 * builds: the real courses of content/ (the default for every file), and the small fixture course 'mau' of
 * tests/fixtures/content/valid that many route tests use instead (tests/setup/content.ts switches a file to it).
 * Tests that want other fixtures build their own (courseBuilds() in tests/setup/content.ts).
 */
async function buildCourses(source: string, prefix: string) {
	const hash = createHash('sha256')
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const full = `${dir}/${entry.name}`
			if (entry.isDirectory()) walk(full)
			else hash.update(full).update(readFileSync(full))
		}
	}
	walk(source)
	// The builder too: a build made before a change to what it writes (a field added to the lesson index, say) would
	// be reused, and fail the reader's schema in every file that renders a course.
	walk('app/content')
	const dir = `.data/${prefix}-${hash.digest('hex').slice(0, 12)}`
	if (!existsSync(`${dir}/index.json`)) {
		const started = performance.now()
		const { checkContent } = await import('#app/content/check.server.ts')
		const { writeContentBuild } = await import('#app/content/build.server.ts')
		const result = await checkContent(source)
		if (result.problems.length) throw new Error(`${source} has ${result.problems.length} problems: run npm run content:check`)
		writeContentBuild(result, dir)
		console.log(`Built the courses of ${source} for the tests in ${Math.round(performance.now() - started)} ms`)
	}
	return path.resolve(dir)
}

declare module 'vitest' {
	export interface ProvidedContext {
		contentDir: string
		fixtureContentDir: string
	}
}

export default async function setup(project: TestProject) {
	// setup-test-env.ts gives it to each test file (a file that deletes VMS_CONTENT_DIR must not leave the next without).
	project.provide('contentDir', await buildCourses('content', 'test-content'))
	project.provide('fixtureContentDir', await buildCourses('tests/fixtures/content/valid', 'test-fixture-content'))
	const pgUrl = process.env.TEST_DATABASE_URL
	if (pgUrl) {
		const admin = new pg.Client(pgConfig(pgUrl))
		await admin.connect()
		await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE_DB}`)
		await admin.query(`CREATE DATABASE ${PG_TEMPLATE_DB}`)
		await admin.end()
		const url = new URL(pgUrl)
		url.pathname = `/${PG_TEMPLATE_DB}`
		const client = new pg.Client(pgConfig(url.toString()))
		await client.connect()
		for (const sql of migrationSql()) await client.query(sql)
		await client.end()
		return
	}
	const file = templatePath()
	if (existsSync(file)) return
	const started = performance.now()
	const db = new PGlite()
	for (const sql of migrationSql()) await db.exec(sql)
	mkdirSync('.data', { recursive: true })
	writeFileSync(file, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()))
	await db.close()
	console.log(`Built the migrated PGlite template in ${Math.round(performance.now() - started)} ms`)
}

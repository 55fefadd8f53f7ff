// The one Prisma client. It alone decides between embedded PGlite and PostgreSQL (from DATABASE_URL).
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomBytes } from 'node:crypto'
import { type z } from 'zod'
import { createDatabase, type SqlQuery } from './db-adapters.server.ts'
import { getEnv } from './env.server.ts'
import { PrismaClient } from './generated/prisma/client.ts'

export { Prisma } from './generated/prisma/client.ts'
export type { PrismaClient } from './generated/prisma/client.ts'

const sqlQueries = new WeakMap<PrismaClient, SqlQuery>()
type RawDatabase = ReturnType<typeof createDatabase>['raw']
const rawDatabases = new WeakMap<PrismaClient, RawDatabase>()

/** A Prisma client on `url`, with its SqlQuery for sql(). Tests and benches make their own with this. */
export function createPrismaClient(url: string, options: Parameters<typeof createDatabase>[1] = {}) {
	const { adapter, query, raw } = createDatabase(url, options)
	const client = new PrismaClient({ adapter })
	sqlQueries.set(client, query)
	rawDatabases.set(client, raw)
	return client
}

/** The driver under the current client (the pg pool, or the PGlite instance): for the job queue (app/jobs). */
export function rawDatabase(client: PrismaClient = getDb()): RawDatabase {
	const raw = rawDatabases.get(client)
	if (!raw) throw new Error('This Prisma client was not made by createPrismaClient: no driver access.')
	return raw
}

function createClient() {
	const env = getEnv()
	return createPrismaClient(env.DATABASE_URL, { poolSize: env.DB_POOL_SIZE })
}

// Kept on globalThis so that dev reloads reuse one client (and one PGlite instance, which allows one opener).
const globalForDb = globalThis as unknown as { __vmsDb?: PrismaClient }

let override: PrismaClient | undefined

/** Tests swap in a client bound to their own database. */
export function setDbForTests(client: PrismaClient | undefined) {
	override = client
}

export function getDb(): PrismaClient {
	return override ?? (globalForDb.__vmsDb ??= createClient())
}

// The client that `db` and `sql` use while a request reads its report from the read replica (db-replica.server.ts).
// getDb() itself is not redirected: the job queue and other process-wide users stay on the primary.
const readerScope = new AsyncLocalStorage<PrismaClient>()

/** Runs `work` with `db` and `sql` going through `reader` (a client that sends plain reads to the replica). */
export function withReader<T>(reader: PrismaClient, work: () => T): T {
	return readerScope.run(reader, work)
}

function currentDb() {
	return readerScope.getStore() ?? getDb()
}

/** One raw statement on the current database, bypassing Prisma (hot paths only; see SqlQuery). */
export const sql: SqlQuery = (statement, values) => {
	const query = sqlQueries.get(currentDb())
	if (!query) throw new Error('This Prisma client was not made by createPrismaClient: no SQL access.')
	return query(statement, values)
}

/** `db.user.findMany(…)` everywhere: resolves to the current client on each access. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
	get(_target, property) {
		const client = currentDb()
		const value = Reflect.get(client, property, client)
		return typeof value === 'function' ? value.bind(client) : value
	},
})

/**
 * An id for a row inserted with sql(), shaped like Prisma's cuid() ("c", then lower-case base 36, 25 characters):
 * the time first so that new rows sort together in indexes, then 80 random bits.
 */
export function newId(now = Date.now()) {
	const time = now.toString(36).padStart(8, '0')
	const random = BigInt(`0x${randomBytes(10).toString('hex')}`).toString(36).padStart(16, '0')
	return `c${time}${random}`
}

/** A timestamp parameter for sql(): epoch milliseconds, turned into a UTC `timestamp(3)` by SQL_TIME. */
export const SQL_TIME = (n: number) => `(to_timestamp($${n}::float8 / 1000) AT TIME ZONE 'UTC')`

/**
 * A PostgreSQL array literal in one text parameter ('{"a",NULL,"b"}'), cast in SQL (::text[], ::int[], ::date[]).
 * Passing thousands of values as one string instead of a JS array spares Prisma's per-value parameter handling,
 * which dominated the write time of a 100,000-row import. Built by one join: appending value by value made a new
 * string each time (≈ 180 MB of garbage for 100,000 rows).
 */
export function pgArray(values: ReadonlyArray<string | number | boolean | null>) {
	if (values.length === 0) return '{}'
	// The braces go on the first and last items, so that join makes the one flat string (no copy to add them).
	const items = values.map(arrayItem)
	items[0] = `{${items[0]}`
	items[items.length - 1] = `${items[items.length - 1]}}`
	return items.join(',')
}

function arrayItem(v: string | number | boolean | null) {
	if (v === null || v === undefined) return 'NULL'
	if (typeof v !== 'string') return String(v)
	return `"${v.includes('"') || v.includes('\\') ? v.replace(/["\\]/g, '\\$&') : v}"`
}

// ——— named statements with named inputs (docs/database.md) ———

/**
 * The SQL type of a named input, which fixes both its cast in the statement and the value a caller passes:
 * 'time' is a Date sent as epoch milliseconds (SQL_TIME), 'timestamp' a Date sent as ISO text and cast to
 * timestamp(3), 'jsonb' any value sent as JSON text, and a quoted name ('"CompletionSource"') one of the schema's
 * enum types, passed as its text.
 */
export type SqlKind = 'text' | 'int' | 'float8' | 'boolean' | 'jsonb' | 'time' | 'timestamp' | 'text[]' | 'int[]' | `"${string}"`
export type SqlInputs = Record<string, SqlKind>
type SqlValue<K extends SqlKind> = K extends 'int' | 'float8'
	? number | null
	: K extends 'boolean'
		? boolean | null
		: K extends 'time' | 'timestamp'
			? Date | null
			: K extends 'jsonb'
				? unknown
				: K extends 'text[]'
					? ReadonlyArray<string>
					: K extends 'int[]'
						? ReadonlyArray<number>
						: string | null
/** The object a statement with inputs `I` is run with. */
export type SqlValues<I extends SqlInputs> = { [N in keyof I]: SqlValue<I[N]> }

export type SqlStatement<I extends SqlInputs, Row> = {
	name: string
	text: string
	inputs: I
	/** Checks each row at run time (runSql), and tests/db/statements.test.ts compares its keys with the columns. */
	row: z.ZodType<Row> | null
	/** 'first': only the first row is checked, for statements that may return a whole province's rows. */
	check: 'all' | 'first'
	/** The positional parameters ($1, $2, …) for `input`, in the order `inputs` declares them: the one mapping. */
	values: (input: SqlValues<I>) => Array<unknown>
}

/**
 * A named statement (prepared once per connection on PostgreSQL) whose parameters are named. `text` receives `$`,
 * which gives an input's placeholder with its cast; every declared input must be used (PostgreSQL cannot type a
 * parameter it never sees). Statements live in `*.sql.ts` files beside their modules, where the PREPARE test finds them.
 */
export function defineSql<const I extends SqlInputs, Row = Record<string, never>>(spec: {
	name: string
	inputs: I
	row?: z.ZodType<Row>
	check?: 'all' | 'first'
	text: ($: (input: keyof I & string) => string) => string
}): SqlStatement<I, Row> {
	const names = Object.keys(spec.inputs)
	const placeholder = (input: string) => {
		const n = names.indexOf(input) + 1
		if (n === 0) throw new Error(`${spec.name}: input ${input} is not declared`)
		const kind = spec.inputs[input]!
		if (kind === 'time') return SQL_TIME(n)
		return kind === 'timestamp' ? `$${n}::timestamp(3)` : `$${n}::${kind}`
	}
	const kinds = Object.values(spec.inputs)
	return {
		name: spec.name,
		text: spec.text(placeholder),
		inputs: spec.inputs,
		row: spec.row ?? null,
		check: spec.check ?? 'all',
		values: (input) =>
			names.map((name, i) => {
				const value = (input as Record<string, unknown>)[name]
				const kind = kinds[i]
				if (value === undefined || value === null) return null
				if (kind === 'time') return (value as Date).getTime()
				if (kind === 'timestamp') return (value as Date).toISOString()
				if (kind === 'jsonb') return JSON.stringify(value)
				return value
			}),
	}
}

/** Runs a statement of defineSql with its named inputs; rows are checked against its `row` schema. */
export async function runSql<I extends SqlInputs, Row>(statement: SqlStatement<I, Row>, input: SqlValues<I>): Promise<Array<Row>> {
	const rows = await sql<unknown>(statement, statement.values(input))
	const schema = statement.row
	if (!schema) return rows as Array<Row>
	if (statement.check === 'all') return checkRows(statement.name, schema, rows)
	if (rows.length) checkRows(statement.name, schema, rows.slice(0, 1))
	return rows as Array<Row>
}

/**
 * Rows of a raw query checked against `schema` (a `$queryRaw` generic is a cast, not a check): a column renamed or
 * retyped by a migration would otherwise reach the page as undefined or NaN. `what` names the query in the error.
 */
export function checkRows<Row>(what: string, schema: z.ZodType<Row>, rows: ReadonlyArray<unknown>): Array<Row> {
	return rows.map((row) => {
		const parsed = schema.safeParse(row)
		if (parsed.success) return parsed.data
		const first = parsed.error.issues[0]
		throw new Error(`SQL ${what}: unexpected row (${first?.path.join('.') || 'row'}: ${first?.message ?? 'invalid'})`)
	})
}

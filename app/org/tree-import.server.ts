// Importing an org tree from CSV/XLSX (Mã, Tên, Mã đơn vị cấp trên, Loại): new codes become units, known codes
// are renamed or moved when the file says so. Rows may come in any order (a parent after its children); an empty
// parent code means "directly under the unit whose page is used". Everything stays inside that unit's subtree.
import { db, type Prisma } from '#app/db.server.ts'
import { type OrgKind, type OrgTree } from '#app/db-types.ts'
import { foldVi, normalizeName } from '#app/ui/collation.ts'
import { startsLikeFormula } from '#app/ui/csv.ts'
import { type ImportMessage } from './import-messages.ts'
import { type Cell, cellText, columnLetter, HEADER_SEARCH_ROWS, MAX_DATA_ROWS, type Sheet } from './spreadsheet.server.ts'
import { PARENT_KINDS, TREE_KINDS } from './tree.server.ts'
import { changeDateProblem, lockCurrentPeriod, recordChange, recordCreated } from './unit-history.server.ts'
import { formatVnDate, vnDay } from '#app/ui/dates.ts'

type Field = 'code' | 'name' | 'parentCode' | 'kind'
export const TREE_HEADERS: Record<Field, string> = { code: 'Mã đơn vị', name: 'Tên đơn vị', parentCode: 'Mã đơn vị cấp trên', kind: 'Loại' }

const ALIASES: Record<Field, Array<string>> = {
	code: ['ma', 'ma don vi', 'ma dv', 'code'],
	name: ['ten', 'ten don vi', 'name'],
	parentCode: ['ma don vi cap tren', 'ma cap tren', 'cap tren', 'ma don vi cha', 'parent code', 'parent'],
	kind: ['loai', 'loai don vi', 'cap', 'kind'],
}

const KIND_WORDS: Record<string, OrgKind> = {
	tinh: 'province', 'thanh pho': 'province', 'tinh/thanh pho': 'province', 'ubnd tinh': 'province',
	so: 'department', ban: 'department', nganh: 'department', 'so, ban, nganh': 'department', 'so/ban/nganh': 'department', 'co quan': 'department',
	phong: 'division',
	xa: 'commune', phuong: 'commune', 'dac khu': 'commune', 'xa/phuong': 'commune', 'ubnd xa': 'commune', 'ubnd phuong': 'commune', 'ubnd xa/phuong': 'commune',
	'nganh giao duc': 'education_office', truong: 'school', lop: 'class',
	'tinh doan': 'youth_union', 'doan co so': 'youth_grassroots', 'chi doan': 'youth_branch', 'to cong nghe so': 'community_team', 'to cong nghe so cong dong': 'community_team',
}

export type TreeRow = { row: number; code: string; name: string; parentCode: string | null; kind: OrgKind }

function fold(text: string) {
	return foldVi(text).replace(/\(.*?\)/g, '').replace(/[*:.]/g, '').trim()
}

export function parseKind(raw: string, tree: OrgTree): OrgKind | null {
	const f = fold(raw).replace(/_/g, ' ')
	const direct = TREE_KINDS[tree].find((k) => k.replace(/_/g, ' ') === f)
	const kind = direct ?? KIND_WORDS[f]
	return kind && TREE_KINDS[tree].includes(kind) ? kind : null
}

export type TreeWhere = Record<Field, { column: string; header: string }>

export function parseTreeSheets(
	sheets: Array<Sheet>,
	tree: OrgTree,
): { ok: false; problems: Array<ImportMessage> } | { ok: true; rows: Array<TreeRow>; errors: Array<ImportMessage>; where: TreeWhere } {
	let best: { sheet: Sheet; index: number; map: Map<Field, number> } | null = null
	for (const sheet of sheets) {
		for (let i = 0; i < Math.min(sheet.rows.length, HEADER_SEARCH_ROWS); i++) {
			const map = new Map<Field, number>()
			sheet.rows[i]!.cells.forEach((c: Cell, col) => {
				const f = (Object.keys(ALIASES) as Array<Field>).find((k) => ALIASES[k].includes(fold(cellText(c))))
				if (f && !map.has(f)) map.set(f, col)
			})
			if (!best || map.size > best.map.size) best = { sheet, index: i, map }
		}
	}
	if (!sheets.some((s) => s.rows.some((r) => r.cells.some((c) => c.kind !== 'empty')))) return { ok: false, problems: [{ key: 'import.file.empty' }] }
	if (!best || !best.map.has('code') || !best.map.has('name')) {
		return { ok: false, problems: [{ key: 'import.header.notFound', vars: { columns: `«${TREE_HEADERS.code}», «${TREE_HEADERS.name}», «${TREE_HEADERS.parentCode}», «${TREE_HEADERS.kind}»` } }] }
	}
	const headerRow = best.sheet.rows[best.index]!
	for (const f of ['parentCode', 'kind'] as const) {
		if (!best.map.has(f)) return { ok: false, problems: [{ key: 'import.header.missing', row: headerRow.row, vars: { header: TREE_HEADERS[f] } }] }
	}
	const data = best.sheet.rows.slice(best.index + 1).filter((r) => [...best.map.values()].some((i) => r.cells[i] && r.cells[i]!.kind !== 'empty'))
	if (data.length === 0) return { ok: false, problems: [{ key: 'import.file.onlyHeader', row: headerRow.row }] }
	if (data.length > MAX_DATA_ROWS) return { ok: false, problems: [{ key: 'import.file.tooManyRows', row: data[MAX_DATA_ROWS]!.row, vars: { max: MAX_DATA_ROWS.toLocaleString('vi-VN') } }] }
	const errors: Array<ImportMessage> = []
	const rows: Array<TreeRow> = []
	for (const r of data) {
		const at = (f: Field) => ({ row: r.row, column: columnLetter(best.map.get(f)!), header: cellText(headerRow.cells[best.map.get(f)!]) })
		const text = (f: Field) => normalizeName(cellText(r.cells[best.map.get(f)!]))
		let ok = true
		for (const f of best.map.keys()) {
			const c = r.cells[best.map.get(f)!]
			if (c?.kind === 'invalid') {
				errors.push({ ...at(f), key: c.reason === 'formula' ? 'import.cell.formula' : 'import.cell.excelError', vars: { value: c.text.slice(0, 40) } })
				ok = false
			}
		}
		if (!ok) continue
		const code = text('code').toUpperCase()
		const name = text('name')
		const parentCode = text('parentCode').toUpperCase() || null
		const kindText = text('kind')
		const kind = parseKind(kindText, tree)
		if (!/^[A-Z0-9][A-Z0-9._-]{0,39}$/.test(code)) errors.push({ ...at('code'), key: code ? 'tree.import.badCode' : 'import.unit.required', vars: { code: code.slice(0, 40) } })
		else if (name.length < 2 || name.length > 200) errors.push({ ...at('name'), key: 'tree.error.name' })
		else if (startsLikeFormula(name)) errors.push({ ...at('name'), key: 'tree.error.nameFormula' })
		else if (!kind) errors.push({ ...at('kind'), key: 'tree.import.badKind', vars: { value: kindText.slice(0, 40) } })
		else rows.push({ row: r.row, code, name, parentCode, kind })
	}
	const where = Object.fromEntries(
		(['code', 'name', 'parentCode', 'kind'] as const).map((f) => [f, { column: columnLetter(best.map.get(f)!), header: cellText(headerRow.cells[best.map.get(f)!]) }]),
	) as TreeWhere
	return { ok: true, rows, errors, where }
}

type Existing = { id: number; code: string; name: string; kind: OrgKind; parentId: number | null; path: string; depth: number }

export type TreePlan = {
	errors: Array<ImportMessage>
	creates: Array<TreeRow>
	renames: Array<{ id: number; name: string }>
	moves: Array<{ id: number; parentCode: string }>
	unchanged: number
}

/**
 * Checks the file's rows against the tree. Renames and moves take effect on `effectiveAt` (new units start then), so
 * they must fit each unit's history like the same change made on its page (tree.server.ts).
 */
export async function planTree(
	rows: Array<TreeRow>,
	scope: { id: number; path: string; tree: OrgTree; code: string; kind: OrgKind },
	where: TreeWhere,
	effectiveAt = new Date(),
): Promise<TreePlan> {
	const errors: Array<ImportMessage> = []
	const at = (row: number, f: Field) => ({ row, column: where[f].column, header: where[f].header })
	const all = await db.orgUnit.findMany({ where: { tree: scope.tree }, select: { id: true, code: true, name: true, kind: true, parentId: true, path: true, depth: true, validFrom: true, validTo: true } })
	// Start of each unit's current period: a change may not take effect before it.
	const lastChange = new Map(
		(await db.orgUnitHistory.groupBy({ by: ['orgUnitId'], where: { orgUnit: { tree: scope.tree } }, _max: { validFrom: true } })).map((h) => [h.orgUnitId, h._max.validFrom!]),
	)
	const byCode = new Map<string, Existing & { validFrom: Date; validTo: Date | null }>(all.map((u) => [u.code.toUpperCase(), u]))
	const inFile = new Map<string, TreeRow>()
	for (const r of rows) {
		const first = inFile.get(r.code)
		if (first) errors.push({ ...at(r.row, 'code'), key: 'tree.import.duplicate', vars: { other: first.row } })
		else inFile.set(r.code, r)
	}
	const plan: TreePlan = { errors, creates: [], renames: [], moves: [], unchanged: 0 }
	const kindOf = (code: string) => inFile.get(code)?.kind ?? byCode.get(code)?.kind
	for (const r of inFile.values()) {
		const existing = byCode.get(r.code)
		if (r.code === scope.code.toUpperCase()) {
			errors.push({ ...at(r.row, 'code'), key: 'tree.import.isScope' })
			continue
		}
		if (existing && !existing.path.startsWith(scope.path)) {
			errors.push({ ...at(r.row, 'code'), key: 'tree.import.outside', vars: { code: r.code } })
			continue
		}
		const parentCode = r.parentCode ?? scope.code.toUpperCase()
		const parent = byCode.get(parentCode)
		const parentInScope = parent ? parent.path.startsWith(scope.path) : false
		if (!inFile.has(parentCode) && !parentInScope) {
			errors.push({ ...at(r.row, 'parentCode'), key: parent ? 'tree.import.outside' : 'tree.import.unknownParent', vars: { code: parentCode } })
			continue
		}
		if (parent?.validTo && !inFile.has(parentCode)) {
			errors.push({ ...at(r.row, 'parentCode'), key: 'tree.outcome.closed' })
			continue
		}
		const parentKind = kindOf(parentCode)!
		if (!PARENT_KINDS[r.kind].includes(parentKind)) {
			errors.push({ ...at(r.row, 'kind'), key: 'tree.outcome.bad-kind' })
			continue
		}
		if (existing && existing.kind !== r.kind) {
			errors.push({ ...at(r.row, 'kind'), key: 'tree.import.kindChange' })
			continue
		}
		if (!existing) {
			plan.creates.push({ ...r, parentCode })
			continue
		}
		const rename = existing.name !== r.name
		const move = all.find((u) => u.id === existing.parentId)?.code.toUpperCase() !== parentCode
		if (!rename && !move) {
			plan.unchanged++
			continue
		}
		if (existing.validTo) {
			errors.push({ ...at(r.row, 'code'), key: 'tree.outcome.unit-closed' })
			continue
		}
		const problem = changeDateProblem({ validFrom: lastChange.get(existing.id) ?? existing.validFrom }, effectiveAt, 'rename')
		if (problem) {
			errors.push({ ...at(r.row, 'code'), key: `tree.outcome.${problem.error}`, vars: problem.since ? { date: formatVnDate(problem.since) } : undefined })
			continue
		}
		if (move && parent && !inFile.has(parentCode) && vnDay(parent.validFrom) > vnDay(effectiveAt)) {
			errors.push({ ...at(r.row, 'parentCode'), key: 'tree.outcome.parent-not-open' })
			continue
		}
		if (rename) plan.renames.push({ id: existing.id, name: r.name })
		if (move) plan.moves.push({ id: existing.id, parentCode })
	}
	// A parent chain that loops back (A under B, B under A) can never be built.
	const parentOf = new Map<string, string>()
	for (const u of all) if (u.parentId) parentOf.set(u.code.toUpperCase(), all.find((p) => p.id === u.parentId)?.code.toUpperCase() ?? '')
	for (const c of plan.creates) parentOf.set(c.code, c.parentCode!)
	for (const m of plan.moves) parentOf.set(all.find((u) => u.id === m.id)!.code.toUpperCase(), m.parentCode)
	for (const r of inFile.values()) {
		const seen = new Set<string>([r.code])
		let p = parentOf.get(r.code)
		while (p) {
			if (seen.has(p)) {
				errors.push({ ...at(r.row, 'parentCode'), key: 'tree.outcome.cycle' })
				break
			}
			seen.add(p)
			p = parentOf.get(p)
		}
	}
	errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
	return plan
}


/**
 * Parents before children: creates in an order where every parent exists when its child is inserted. Renames and
 * moves take effect on `validFrom` in each unit's history.
 */
export async function applyTreePlan(tx: Prisma.TransactionClient, plan: TreePlan, scope: { tree: OrgTree }, validFrom: Date, actorId: string | null = null) {
	// Current periods read (and locked) before anything changes: a unit without history yet gets its baseline
	// from its state before this file.
	const periods = new Map<number, Awaited<ReturnType<typeof lockCurrentPeriod>>['period']>()
	for (const id of new Set([...plan.renames, ...plan.moves].map((c) => c.id))) periods.set(id, (await lockCurrentPeriod(tx, id)).period)
	const known = new Map<string, { id: number; path: string; depth: number }>()
	const load = async (code: string) => {
		let u = known.get(code)
		if (!u) {
			const found = await tx.orgUnit.findFirst({ where: { tree: scope.tree, code: { equals: code, mode: 'insensitive' } }, select: { id: true, path: true, depth: true } })
			if (found) known.set(code, (u = found))
		}
		return u
	}
	let pending = [...plan.creates]
	while (pending.length) {
		const next: typeof pending = []
		for (const c of pending) {
			const parent = await load(c.parentCode!)
			if (!parent) {
				next.push(c)
				continue
			}
			const unit = await tx.orgUnit.create({ data: { tree: scope.tree, kind: c.kind, code: c.code, name: c.name, parentId: parent.id, path: 'pending', depth: parent.depth + 1, validFrom } })
			const path = `${parent.path}${unit.id}/`
			await tx.orgUnit.update({ where: { id: unit.id }, data: { path } })
			await recordCreated(tx, unit, actorId)
			known.set(c.code, { id: unit.id, path, depth: parent.depth + 1 })
		}
		if (next.length === pending.length) throw new Error('Tree import: parents missing for ' + next.map((n) => n.code).join(', '))
		pending = next
	}
	for (const r of plan.renames) await tx.orgUnit.update({ where: { id: r.id }, data: { name: r.name } })
	for (const m of plan.moves) {
		const unit = await tx.orgUnit.findUniqueOrThrow({ where: { id: m.id } })
		const parent = (await load(m.parentCode))!
		const fresh = await tx.orgUnit.findUniqueOrThrow({ where: { id: parent.id } })
		const newPath = `${fresh.path}${unit.id}/`
		await tx.$executeRaw`UPDATE "OrgUnit" SET path = ${newPath} || substr(path, ${unit.path.length + 1}), depth = depth + ${fresh.depth + 1 - unit.depth} WHERE path LIKE ${unit.path + '%'}`
		await tx.orgUnit.update({ where: { id: unit.id }, data: { parentId: fresh.id } })
	}
	for (const [id, period] of periods) {
		const now = await tx.orgUnit.findUniqueOrThrow({ where: { id }, select: { name: true, parentId: true } })
		await recordChange(tx, period, { name: now.name, parentId: now.parentId, at: validFrom, actorId })
	}
}

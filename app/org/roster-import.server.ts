// Roster import against the database: who each row is (a new person or someone already there), which
// memberships to create, update or — in sync mode — end, and then all of it in ONE transaction with set-based
// SQL, so that 100,000 rows take seconds and a failure leaves nothing behind. Nobody is ever deleted.
import { audit } from '#app/auth/audit.server.ts'
import { linkRefusal, personFacts } from '#app/auth/people.server.ts'
import { z } from 'zod'
import { checkRows, db, pgArray, Prisma } from '#app/db.server.ts'
import { type OrgTree } from '#app/db-types.ts'
import { compareVi, compareViNames, fixLookalikes, foldVi } from '#app/ui/collation.ts'
import { type ImportMessage } from './import-messages.ts'
import { type EndingPerson, MAX_CHANGED_SHOWN, type ReadRow, SAMPLE_ROWS } from './import-preview.ts'
import { READ_BIRTH_SERIAL, READ_PHONE_84, READ_PHONE_ZERO, type RosterField, type RosterRow } from './roster-rows.server.ts'
import { unitList, unitMatcher } from './unit-match.ts'
import { countsUnderRule } from './targets.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'

export type ImportScope = { id: number; path: string; tree: OrgTree; name: string }
export type RosterMode = 'upsert' | 'sync'

type Where = Partial<Record<RosterField, { column: string; header: string }>>

// A new person's details are those of their first row: the plan points at the row instead of copying it. New
// people and memberships get their ids from the database (gen_random_uuid); a new person's memberships are written
// with them and find them by their username, unique and chosen here. So a 100,000-row plan stays small.
type NewUser = { username: string; row: RosterRow }
type UserUpdate = { id: string; fullName: string; email: string | null; phone: string | null; birthDate: Date | null; birthYear: number | null }
/** New memberships as columns (one import can create 100,000): who, the row giving title and tags, unit, counted. */
type NewMemberships<U> = { users: Array<U>; rows: Array<RosterRow>; units: Array<number>; counts: Array<boolean> }
type MembershipUpdate = { id: string; title: string | null; tags: Array<string>; countsInTarget: boolean }

export type RosterPlan = {
	errors: Array<ImportMessage>
	warnings: Array<ImportMessage>
	newUsers: Array<NewUser>
	userUpdates: Array<UserUpdate>
	/** Memberships of people already in the database (by id). */
	newMemberships: NewMemberships<string>
	/** Memberships of the new people, in the order of `newUsers` (each person's together). */
	newUserMemberships: NewMemberships<NewUser>
	membershipUpdates: Array<MembershipUpdate>
	endMemberships: Array<string>
	/** Who a sync ends, for the preview: every person by name, unit and title, ordered by unit then name. */
	ending: Array<EndingPerson>
	/** How the first rows and every changed row were read (the preview's table), and changed rows beyond those. */
	read: Array<ReadRow>
	readMore: number
	counts: { rows: number; newUsers: number; created: number; updated: number; unchanged: number; ended: number }
}

type KnownUser = { id: string; fullName: string; email: string | null; phone: string | null; birthDate: Date | null; birthYear: number | null }
type ActiveMembership = { id: string; userId: string; orgUnitId: number; path: string; unitName: string; title: string | null; tags: Array<string>; countsInTarget: boolean }

const KNOWN_USER = z.object({
	id: z.string(),
	fullName: z.string(),
	email: z.string().nullable(),
	phone: z.string().nullable(),
	birthDate: z.date().nullable(),
	birthYear: z.number().int().nullable(),
})
const SCOPED_MEMBERSHIP = KNOWN_USER.omit({ id: true }).extend({
	membershipId: z.string(),
	userId: z.string(),
	orgUnitId: z.number().int(),
	path: z.string(),
	unitName: z.string(),
	title: z.string().nullable(),
	tags: z.array(z.string()),
	countsInTarget: z.boolean(),
})
const USER_ID = z.object({ userId: z.string() })
const USERNAME = z.object({ username: z.string() })

/**
 * Rows of a statement that may return a whole scope (100,000 people): the first is checked, as runSql's
 * check: 'first' does, since every row has the same columns and checking each would cost the import time.
 */
function firstChecked<Row>(what: string, schema: z.ZodType<Row>, rows: Array<unknown>): Array<Row> {
	if (rows.length) checkRows(what, schema, rows.slice(0, 1))
	return rows as Array<Row>
}

/**
 * Rows per statement. Prisma keeps the arguments of its last 100 debug log calls (several per query, whether or not
 * DEBUG is set), which for these statements are the whole parameter lists; what it keeps stays alive and V8 lets the
 * heap grow to a multiple of what is alive. 20,000-row statements kept ≈ 80 MB for a 100,000-row import, 5,000-row
 * ones ≈ 34 MB, 1,000-row ones ≈ 10 MB but took longer; 2,000 is the compromise.
 */
const CHUNK = 2_000

function addMembership<U>(list: NewMemberships<U>, user: U, row: RosterRow, unit: number, counts: boolean) {
	list.users.push(user)
	list.rows.push(row)
	list.units.push(unit)
	list.counts.push(counts)
}

function chunks<T>(items: Array<T>, size = CHUNK) {
	const out: Array<Array<T>> = []
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
	return out
}

/** Tags as the text of a PostgreSQL array, once per list: rows share their lists (roster-rows.server.ts). */
function tagArrays(lists: ReadonlyArray<ReadonlyArray<string>>) {
	const text = new Map<ReadonlyArray<string>, string>()
	return lists.map((tags) => {
		let t = text.get(tags)
		if (t === undefined) text.set(tags, (t = pgArray(tags)))
		return t
	})
}

const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

function activeAt(at: Date) {
	return Prisma.sql`m."validFrom" <= ${at} AND (m."validTo" IS NULL OR m."validTo" > ${at})`
}

function sameDay(a: Date | null, b: Date | null) {
	return (a?.toISOString().slice(0, 10) ?? null) === (b?.toISOString().slice(0, 10) ?? null)
}

function sameTags(a: Array<string>, b: Array<string>) {
	return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')
}

function dateVi(d: Date) {
	return d.toISOString().slice(0, 10).split('-').reverse().join('/')
}

/** A plan of `rows` rows that changes nothing yet; planners (this one, the student import's) fill it in. */
export function emptyRosterPlan(rows: number): RosterPlan {
	return {
		errors: [],
		warnings: [],
		newUsers: [],
		userUpdates: [],
		newMemberships: { users: [], rows: [], units: [], counts: [] },
		newUserMemberships: { users: [], rows: [], units: [], counts: [] },
		membershipUpdates: [],
		endMemberships: [],
		ending: [],
		read: [],
		readMore: 0,
		counts: { rows, newUsers: 0, created: 0, updated: 0, unchanged: 0, ended: 0 },
	}
}

/** Works out what the import would do; writes nothing. */
export async function planRoster(input: {
	rows: Array<RosterRow>
	columns: Array<RosterField>
	where: Where
	scope: ImportScope
	mode: RosterMode
	effectiveAt: Date
	at?: Date
	/** False for a preview, which shows counts only: usernames are then chosen when the plan is applied. */
	usernames?: boolean
	/** Who imports: a sync never ends the importer's own membership. */
	importerId?: string
}): Promise<RosterPlan> {
	const { rows, scope, mode } = input
	const has = new Set(input.columns)
	const at = input.at ?? new Date()
	const errors: Array<ImportMessage> = []
	const warnings: Array<ImportMessage> = []
	const cell = (row: number, field: RosterField): Pick<ImportMessage, 'row' | 'column' | 'header'> => ({
		row,
		column: input.where[field]?.column,
		header: input.where[field]?.header,
	})

	// Names repeat (and are compared several times per row): fold each distinct one once.
	const folded = new Map<string, string>()
	const fold = (name: string) => {
		let f = folded.get(name)
		if (f === undefined) folded.set(name, (f = foldVi(name)))
		return f
	}

	// Units the importer may fill: open units of the same tree inside the scope.
	const units = await db.orgUnit.findMany({
		where: { tree: scope.tree, path: { startsWith: scope.path }, validTo: null },
		select: { id: true, code: true, name: true, targetTags: true },
	})
	// A row's unit: its code, or its name (unit-match.ts); rows of one unit written both ways are the same unit.
	const matchUnit = unitMatcher(units)
	const unitOf = (r: RosterRow) => matchUnit(r.unitCode).unit
	const unitKey = (r: RosterRow) => unitOf(r)?.id ?? r.unitCode

	// Everyone with an active membership in the scope: for sync, for matching by name, and for updates.
	const scopedRows = await db.$queryRaw<Array<unknown>>`
		SELECT m.id AS "membershipId", m."userId", m."orgUnitId", o.path, o.name AS "unitName", m.title, m.tags, m."countsInTarget",
			u."fullName", u.email, u.phone, u."birthDate", u."birthYear"
		FROM "Membership" m
		JOIN "OrgUnit" o ON o.id = m."orgUnitId"
		JOIN "User" u ON u.id = m."userId"
		WHERE o.path LIKE ${scope.path + '%'} AND o.tree::text = ${scope.tree} AND ${activeAt(at)}`
	const scoped = firstChecked('roster-scoped-memberships', SCOPED_MEMBERSHIP, scopedRows)
	const scopedUsers = new Map<string, KnownUser>()
	const scopedMemberships = new Map<string, Array<ActiveMembership>>()
	for (const r of scoped) {
		scopedUsers.set(r.userId, { id: r.userId, fullName: r.fullName, email: r.email, phone: r.phone, birthDate: r.birthDate, birthYear: r.birthYear })
		const list = scopedMemberships.get(r.userId) ?? []
		list.push({ id: r.membershipId, userId: r.userId, orgUnitId: r.orgUnitId, path: r.path, unitName: r.unitName, title: r.title, tags: r.tags, countsInTarget: r.countsInTarget })
		scopedMemberships.set(r.userId, list)
	}
	// Someone found by e-mail, phone or name outside the importer's scope (another agency, another tree) is named in
	// no message: an importer learns nothing about people they do not manage.
	const inScope = (u: KnownUser) => scopedUsers.has(u.id)
	const byName = new Map<string, Array<KnownUser>>()
	for (const u of scopedUsers.values()) {
		const key = fold(u.fullName)
		const list = byName.get(key)
		if (list) list.push(u)
		else byName.set(key, [u])
	}

	// People anywhere in the database who share an e-mail with a row (those in scope are known already). A phone
	// number identifies a person only on rows without e-mail: phones are not unique (an office line is shared).
	const scopedByEmail = new Map<string, KnownUser>()
	for (const u of scopedUsers.values()) if (u.email) scopedByEmail.set(u.email, u)
	const byEmail = new Map<string, KnownUser>()
	const emails = [...new Set(rows.map((r) => r.email).filter((e) => e !== null))]
	const unknownEmails: Array<string> = []
	for (const e of emails) {
		const u = scopedByEmail.get(e)
		if (u) byEmail.set(e, u)
		else unknownEmails.push(e)
	}
	// Raw SQL with one array parameter: Prisma's `in` with thousands of values costs seconds at 100,000 rows.
	for (const part of chunks(unknownEmails)) {
		const found = firstChecked('roster-users-by-email', KNOWN_USER, await db.$queryRaw<Array<unknown>>`
			SELECT id, "fullName", email, phone, "birthDate", "birthYear" FROM "User" WHERE email = ANY(${pgArray(part)}::text[])`)
		for (const u of found) byEmail.set(u.email!, u)
	}
	const phones = [...new Set(rows.filter((r) => !r.email && r.phone).map((r) => r.phone!))]
	const byPhone = new Map<string, Array<KnownUser>>()
	for (const part of chunks(phones)) {
		const found = firstChecked('roster-users-by-phone', KNOWN_USER, await db.$queryRaw<Array<unknown>>`
			SELECT id, "fullName", email, phone, "birthDate", "birthYear" FROM "User" WHERE phone = ANY(${pgArray(part)}::text[])`)
		for (const u of found) {
			const list = byPhone.get(u.phone!)
			if (list) list.push(u)
			else byPhone.set(u.phone!, [u])
		}
	}

	// Rows grouped by person: same e-mail, else same phone, else same name and birth date, else same name in the same unit.
	const personKey = (r: RosterRow) =>
		r.email
			? `e:${r.email}`
			: r.phone
				? `p:${r.phone}`
				: r.birthDate || r.birthYear
					? `n:${fold(r.fullName)}|${r.birthDate?.toISOString().slice(0, 10) ?? r.birthYear}`
					: `u:${fold(r.fullName)}|${unitKey(r)}`
	const groups = new Map<string, Array<RosterRow>>()
	const phoneOwner = new Map<string, RosterRow>()
	for (const r of rows) {
		const key = personKey(r)
		const group = groups.get(key) ?? []
		const first = group[0]
		if (first && fold(first.fullName) !== fold(r.fullName)) {
			const field = r.email ? 'email' : 'phone'
			errors.push({ ...cell(r.row, field), key: 'import.dup.otherName', vars: { other: first.row, name: first.fullName } })
			continue
		}
		const sameUnit = group.find((g) => unitKey(g) === unitKey(r))
		if (sameUnit) {
			errors.push({ ...cell(r.row, 'fullName'), key: 'import.dup.row', vars: { other: sameUnit.row } })
			continue
		}
		if (r.phone) {
			const owner = phoneOwner.get(r.phone)
			if (owner && fold(owner.fullName) !== fold(r.fullName)) {
				errors.push({ ...cell(r.row, 'phone'), key: 'import.dup.otherName', vars: { other: owner.row, name: owner.fullName } })
				continue
			}
			phoneOwner.set(r.phone, r)
		}
		group.push(r)
		groups.set(key, group)
	}

	const plan: RosterPlan = { ...emptyRosterPlan(rows.length), errors, warnings }
	const touched = new Set<string>()
	// Personal details to change, decided after the loop: only people who belong nowhere outside the scope.
	const personUpdates: Array<{ next: UserUpdate; row: number; name: string }> = []
	const personOnly = new Map<string, number>()
	// Existing accounts the file would add to a unit: allowed only for people who belong nowhere outside (people.server.ts).
	const linking = new Map<string, Pick<ImportMessage, 'row' | 'column' | 'header'>>()
	// The preview's "how it was read" table: the file's first rows, and every row that changes someone already there.
	const sample = new Set(rows.slice(0, SAMPLE_ROWS))
	const personChanges = new Map<string, { row: RosterRow; changes: ReadRow['changes'] }>()
	const noted = new Map<RosterRow, { entry: ReadRow; userId: string | null }>()
	const noteRow = (g: RosterRow, unit: { name: string; code: string }, action: ReadRow['action'], changes: ReadRow['changes'], userId: string | null) => {
		if (!sample.has(g) && !changes.length && !(userId && personChanges.get(userId)?.row === g)) return
		noted.set(g, { entry: readRow(g, unit, matchUnit(g.unitCode).unit !== null && (matchUnit(g.unitCode) as { byName: boolean }).byName, action, changes), userId })
	}
	// Implausible birth dates are read as written but pointed out: a civil servant born in 2015, anyone before 1940.
	for (const r of rows) {
		if (!r.birthYear) continue
		const value = r.birthDate ? dateVi(r.birthDate) : String(r.birthYear)
		const age = input.effectiveAt.getUTCFullYear() - r.birthYear
		if (r.birthYear < 1940) warnings.push({ ...cell(r.row, 'birthDate'), key: 'import.warn.birthOld', vars: { value } })
		else if (scope.tree !== 'YOUTH' && age < 18) warnings.push({ ...cell(r.row, 'birthDate'), key: 'import.warn.birthYoung', vars: { value, age } })
	}

	for (const group of groups.values()) {
		const r = group[0]!
		let rowFailed = false
		const fail = (m: ImportMessage) => {
			errors.push(m)
			rowFailed = true
		}
		// Every unit of the group must be one the importer manages.
		for (const g of group) {
			const m = matchUnit(g.unitCode)
			if (m.unit) continue
			if (m.ambiguous.length) fail({ ...cell(g.row, 'unitCode'), key: 'import.unit.ambiguous', vars: { code: g.unitCode, units: unitList(m.ambiguous) } })
			else if (m.close.length) fail({ ...cell(g.row, 'unitCode'), key: 'import.unit.unknownClose', vars: { code: g.unitCode, scope: scope.name, units: unitList(m.close) } })
			else fail({ ...cell(g.row, 'unitCode'), key: 'import.unit.unknown', vars: { code: g.unitCode, scope: scope.name } })
		}
		const emailUser = r.email ? byEmail.get(r.email) : undefined
		const phoneUsers = r.phone && !r.email ? (byPhone.get(r.phone) ?? []) : []
		const phoneUser = phoneUsers.length === 1 ? phoneUsers[0] : undefined
		let user: KnownUser | undefined = emailUser ?? phoneUser
		if (emailUser && phoneUser && emailUser.id !== phoneUser.id) {
			fail(inScope(phoneUser) ? { ...cell(r.row, 'phone'), key: 'import.db.phoneOtherPerson', vars: { name: phoneUser.fullName } } : { ...cell(r.row, 'phone'), key: 'import.db.phoneOutside' })
		}
		if (user && fold(user.fullName) !== fold(r.fullName)) {
			const column = emailUser ? 'email' : 'phone'
			fail(inScope(user) ? { ...cell(r.row, column), key: 'import.db.otherPerson', vars: { name: user.fullName } } : { ...cell(r.row, column), key: 'import.db.otherOutside' })
		}
		if (!user && !rowFailed) {
			// Same name (and birth date when both sides have one); without dates, only inside the same unit.
			const unitId = unitOf(r)!.id
			const inUnit = (u: KnownUser) => (scopedMemberships.get(u.id) ?? []).some((m) => m.orgUnitId === unitId)
			const candidates = (byName.get(fold(r.fullName)) ?? []).filter((u) => {
				if (r.birthDate && u.birthDate) return sameDay(r.birthDate, u.birthDate)
				if (r.birthYear && u.birthYear) return r.birthYear === u.birthYear && (!r.birthDate || !u.birthDate) && inUnit(u)
				return inUnit(u)
			})
			if (candidates.length > 1) {
				fail({ ...cell(r.row, 'fullName'), key: 'import.db.ambiguous', vars: { count: candidates.length } })
			} else if (candidates.length === 1) {
				const c = candidates[0]!
				if (r.email && c.email && c.email !== r.email) {
					fail(
						inScope(c)
							? { ...cell(r.row, 'email'), key: 'import.db.sameNameOtherEmail', vars: { name: c.fullName, email: c.email } }
							: { ...cell(r.row, 'email'), key: 'import.db.sameNameOutside' },
					)
				} else user = c
			}
		}
		if (user && r.email && !emailUser) {
			const clash = byEmail.get(r.email)
			if (clash && clash.id !== user.id) {
				fail(inScope(clash) ? { ...cell(r.row, 'email'), key: 'import.db.otherPerson', vars: { name: clash.fullName } } : { ...cell(r.row, 'email'), key: 'import.db.otherOutside' })
			}
		}
		if (rowFailed) continue

		let userId: string | null = null
		let newUser: NewUser | null = null
		let personChanged = false
		if (!user) {
			newUser = { username: '', row: r }
			plan.newUsers.push(newUser)
		} else {
			userId = user.id
			const next: UserUpdate = {
				id: user.id,
				fullName: r.fullName,
				email: has.has('email') && r.email ? r.email : user.email,
				phone: has.has('phone') && r.phone ? r.phone : user.phone,
				birthDate: has.has('birthDate') && (r.birthDate || r.birthYear) ? r.birthDate : user.birthDate,
				birthYear: has.has('birthDate') && (r.birthDate || r.birthYear) ? r.birthYear : user.birthYear,
			}
			const differs =
				next.fullName !== user.fullName ||
				next.email !== user.email ||
				next.phone !== user.phone ||
				!sameDay(next.birthDate, user.birthDate) ||
				next.birthYear !== user.birthYear
			if (differs) {
				personUpdates.push({ next, row: r.row, name: user.fullName })
				personChanged = true
				const show = (d: Date | null, y: number | null) => (d ? dateVi(d) : y ? String(y) : '')
				const changes: ReadRow['changes'] = []
				if (next.fullName !== user.fullName) changes.push({ field: 'fullName', from: user.fullName, to: next.fullName })
				if (next.email !== user.email) changes.push({ field: 'email', from: user.email ?? '', to: next.email ?? '' })
				if (next.phone !== user.phone) changes.push({ field: 'phone', from: user.phone ?? '', to: next.phone ?? '' })
				if (!sameDay(next.birthDate, user.birthDate) || next.birthYear !== user.birthYear) {
					changes.push({ field: 'birthDate', from: show(user.birthDate, user.birthYear), to: show(next.birthDate, next.birthYear) })
				}
				personChanges.set(user.id, { row: r, changes })
			}
		}

		for (const g of group) {
			const unit = unitOf(g)!
			// The unit's target rule (which tags count) applies on top of the file's "Tính vào chỉ tiêu".
			const counts = countsUnderRule(unit.targetTags, g.tags, g.countsInTarget)
			const current = user ? scopedMemberships.get(user.id)?.find((m) => m.orgUnitId === unit.id) : undefined
			if (!current) {
				if (newUser) addMembership(plan.newUserMemberships, newUser, g, unit.id, counts)
				else {
					addMembership(plan.newMemberships, userId!, g, unit.id, counts)
					if (!linking.has(userId!)) linking.set(userId!, cell(g.row, r.email ? 'email' : r.phone ? 'phone' : 'fullName'))
				}
				plan.counts.created++
				noteRow(g, unit, newUser ? 'new' : 'link', [], userId)
				continue
			}
			touched.add(current.id)
			const next = {
				id: current.id,
				title: has.has('title') ? g.title : current.title,
				tags: has.has('tags') ? g.tags : current.tags,
				countsInTarget: has.has('countsInTarget') ? counts : current.countsInTarget,
			}
			const changes: ReadRow['changes'] = []
			if (next.title !== current.title) changes.push({ field: 'title', from: current.title ?? '', to: next.title ?? '' })
			if (!sameTags(next.tags, current.tags)) changes.push({ field: 'tags', from: current.tags.join(', '), to: next.tags.join(', ') })
			if (next.countsInTarget !== current.countsInTarget) changes.push({ field: 'countsInTarget', from: current.countsInTarget ? '✓' : '✗', to: next.countsInTarget ? '✓' : '✗' })
			noteRow(g, unit, changes.length ? 'update' : 'same', changes, userId)
			if (changes.length) {
				plan.membershipUpdates.push(next)
				plan.counts.updated++
			} else if (personChanged && g === group[0]) personOnly.set(user!.id, (personOnly.get(user!.id) ?? 0) + 1)
			else plan.counts.unchanged++
		}
	}

	// Someone who belongs to a unit outside the scope, holds a grant there, or waits for a youth unit's approval is
	// not taken over by a file: the row is refused without naming anyone, and nothing is written.
	const importer = { userId: input.importerId ?? null, grants: [{ role: 'MANAGER' as const, path: scope.path }], scope: scope.path }
	for (const part of chunks([...linking.keys()])) {
		const facts = await personFacts(part, at)
		for (const id of part) {
			const person = facts.get(id)
			if (person && linkRefusal(importer, person)) errors.push({ ...linking.get(id)!, key: 'import.db.belongsElsewhere' })
		}
	}

	// Someone who also belongs outside the scope keeps their personal details: not ours to change.
	const outsiders = new Set<string>()
	for (const part of chunks(personUpdates.map((u) => u.next.id))) {
		const found = await db.$queryRaw<Array<unknown>>`
			SELECT DISTINCT m."userId" FROM "Membership" m JOIN "OrgUnit" o ON o.id = m."orgUnitId"
			WHERE m."userId" = ANY(${pgArray(part)}::text[]) AND ${activeAt(at)} AND NOT (o.path LIKE ${scope.path + '%'} AND o.tree::text = ${scope.tree})`
		for (const r of checkRows('roster-outsiders', USER_ID, found)) outsiders.add(r.userId)
	}
	for (const u of personUpdates) {
		const only = personOnly.get(u.next.id) ?? 0
		if (outsiders.has(u.next.id)) {
			warnings.push({ ...cell(u.row, 'fullName'), key: 'import.warn.outsideScope', vars: { name: u.name } })
			personChanges.delete(u.next.id)
			plan.counts.unchanged += only
		} else {
			plan.userUpdates.push(u.next)
			plan.counts.updated += only
		}
	}

	if (mode === 'sync') {
		const missing: Array<ActiveMembership> = []
		for (const list of scopedMemberships.values()) {
			for (const m of list) if (!touched.has(m.id)) missing.push(m)
		}
		// A file never ends the importer's own membership nor that of anyone holding a grant (a manager, the head of
		// the unit, an administrator): those are ended one by one on the member's page, where the rules can be seen.
		const holders = new Set<string>()
		for (const part of chunks([...new Set(missing.map((m) => m.userId))])) {
			for (const person of (await personFacts(part, at)).values()) if (person.grants.length) holders.add(person.userId)
		}
		for (const m of missing) {
			const name = scopedUsers.get(m.userId)?.fullName ?? ''
			if (m.userId === input.importerId) warnings.push({ key: 'import.warn.keptSelf', vars: { name } })
			else if (holders.has(m.userId)) warnings.push({ key: 'import.warn.keptGrant', vars: { name } })
			else {
				plan.endMemberships.push(m.id)
				plan.ending.push({ name, unit: m.unitName, title: m.title })
			}
		}
		plan.ending.sort((a, b) => compareVi(a.unit, b.unit) || compareViNames(a.name, b.name))
		plan.counts.ended = plan.endMemberships.length
		if (plan.counts.ended > 0 && plan.counts.ended * 2 > scoped.length) {
			warnings.push({ key: 'import.warn.manyEnded', vars: { count: plan.counts.ended, total: scoped.length, date: formatVnDate(input.effectiveAt) } })
		}
	}

	// Personal changes go with the person's first row; rows that change nothing after all leave the table (sample aside).
	let changed = 0
	for (const [g, { entry, userId }] of [...noted].sort((a, b) => a[0].row - b[0].row)) {
		const person = userId ? personChanges.get(userId) : undefined
		if (person?.row === g) {
			entry.changes = [...person.changes, ...entry.changes]
			if (entry.action === 'same') entry.action = 'update'
		}
		if (!sample.has(g)) {
			if (!entry.changes.length) continue
			if (++changed > MAX_CHANGED_SHOWN) {
				plan.readMore++
				continue
			}
		}
		plan.read.push(entry)
	}

	if (input.usernames !== false) await assignUsernames(plan.newUsers)
	plan.counts.newUsers = plan.newUsers.length
	errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.column ?? '').localeCompare(b.column ?? ''))
	return plan
}

/** One row as the preview shows it: values as they were read, the unit matched, and what changes. */
function readRow(r: RosterRow, unit: { name: string; code: string }, byName: boolean, action: ReadRow['action'], changes: ReadRow['changes']): ReadRow {
	const flags = r.read ?? 0
	return {
		row: r.row,
		name: r.fullName,
		birth: r.birthDate ? dateVi(r.birthDate) : r.birthYear ? String(r.birthYear) : null,
		birthNote: flags & READ_BIRTH_SERIAL ? 'serial' : r.birthYear && !r.birthDate ? 'year' : null,
		email: r.email,
		phone: r.phone,
		phoneNote: flags & READ_PHONE_84 ? '84' : flags & READ_PHONE_ZERO ? 'zero' : null,
		typedUnit: r.unitCode,
		unit: unit.name,
		unitCode: unit.code,
		unitByName: byName,
		title: r.title,
		action,
		changes,
	}
}

function asciiName(fullName: string) {
	return foldVi(fixLookalikes(fullName)).replace(/[^a-z ]/g, '').split(' ').filter(Boolean)
}

/** "Nguyễn Thị Hương" → "huong.nt", then "huong.nt2", … skipping names already taken in the database. */
async function assignUsernames(users: Array<NewUser>, client: Pick<Prisma.TransactionClient, '$queryRaw'> = db) {
	// Names repeat: each distinct one is turned into its base once.
	const baseOf = new Map<string, string>()
	const bases = users.map(({ row: r }) => {
		const known = baseOf.get(r.fullName)
		if (known !== undefined) return known
		const parts = asciiName(r.fullName)
		const given = parts.at(-1) ?? 'nguoidung'
		const base = `${given}.${parts.slice(0, -1).map((p) => p[0]).join('')}`.replace(/\.$/, '').slice(0, 30)
		baseOf.set(r.fullName, base)
		return base
	})
	const unique = [...new Set(bases)]
	const taken = new Set<string>()
	for (const part of chunks(unique)) {
		const rows = await client.$queryRaw<Array<unknown>>`
			SELECT username FROM "User" WHERE username IS NOT NULL AND regexp_replace(username, '[0-9]+$', '') = ANY(${pgArray(part)}::text[])`
		for (const r of checkRows('usernames-taken', USERNAME, rows)) taken.add(r.username)
	}
	const nextSuffix = new Map<string, number>()
	users.forEach((user, i) => {
		const base = bases[i]!
		let n = nextSuffix.get(base) ?? 1
		let name = n === 1 ? base : `${base}${n}`
		while (taken.has(name)) name = `${base}${++n}`
		taken.add(name)
		nextSuffix.set(base, n)
		user.username = name
	})
}

/** Writes a plan without errors. Call it inside the transaction that also records the job and the audit event. */
export async function applyRosterPlan(
	tx: Prisma.TransactionClient,
	plan: RosterPlan,
	options: { effectiveAt: Date; importJobId: string; onProgress?: (done: number, total: number) => void; userKind?: 'STAFF' | 'YOUTH' },
) {
	// New people of a youth unit's roster are youth members, not staff (decision 016).
	const userKind = options.userKind ?? 'STAFF'
	if (plan.errors.length) throw new Error('A plan with errors cannot be applied')
	if (plan.newUsers.some((u) => !u.username)) await assignUsernames(plan.newUsers, tx)
	const total =
		plan.newUsers.length +
		plan.newUserMemberships.users.length +
		plan.userUpdates.length +
		plan.newMemberships.users.length +
		plan.membershipUpdates.length +
		plan.endMemberships.length
	let done = 0
	const step = (n: number) => {
		done += n
		options.onProgress?.(done, total)
	}
	const now = new Date()
	// New people with their memberships, one statement a chunk: the memberships join the rows just inserted by
	// username, so that no statement has to look people up in the whole User table.
	const own = plan.newUserMemberships
	let m = 0
	for (const part of chunks(plan.newUsers)) {
		const inPart = new Set(part)
		const from = m
		while (m < own.users.length && inPart.has(own.users[m]!)) m++
		await tx.$executeRaw`
			WITH person AS (
				INSERT INTO "User" (id, "fullName", email, username, phone, "birthDate", "birthYear", kind, status, locale, "createdAt", "updatedAt")
				SELECT gen_random_uuid()::text, v.name, v.email, v.username, v.phone, v.birth, v.year, ${userKind}::"UserKind", 'PENDING'::"UserStatus", 'vi', ${now}, ${now}
				FROM unnest(${pgArray(part.map((u) => u.row.fullName))}::text[], ${pgArray(part.map((u) => u.row.email))}::text[],
					${pgArray(part.map((u) => u.username))}::text[], ${pgArray(part.map((u) => u.row.phone))}::text[],
					${pgArray(part.map((u) => isoDay(u.row.birthDate)))}::date[], ${pgArray(part.map((u) => u.row.birthYear))}::int[])
					AS v(name, email, username, phone, birth, year)
				RETURNING id, username
			)
			INSERT INTO "Membership" (id, "userId", "orgUnitId", title, tags, "countsInTarget", "validFrom", "createdAt", "importJobId")
			SELECT gen_random_uuid()::text, person.id, v.unit, v.title, v.tags::text[], v.counts, ${options.effectiveAt}, ${now}, ${options.importJobId}
			FROM unnest(${pgArray(own.users.slice(from, m).map((u) => u.username))}::text[], ${pgArray(own.units.slice(from, m))}::int[],
				${pgArray(own.rows.slice(from, m).map((r) => r.title))}::text[], ${pgArray(tagArrays(own.rows.slice(from, m).map((r) => r.tags)))}::text[],
				${pgArray(own.counts.slice(from, m))}::boolean[]) AS v(username, unit, title, tags, counts)
			JOIN person ON person.username = v.username`
		step(part.length + m - from)
	}
	for (const part of chunks(plan.userUpdates)) {
		await tx.$executeRaw`
			UPDATE "User" u SET "fullName" = v.name, email = v.email, phone = v.phone, "birthDate" = v.birth, "birthYear" = v.year, "updatedAt" = ${now}
			FROM unnest(${pgArray(part.map((u) => u.id))}::text[], ${pgArray(part.map((u) => u.fullName))}::text[], ${pgArray(part.map((u) => u.email))}::text[],
				${pgArray(part.map((u) => u.phone))}::text[], ${pgArray(part.map((u) => isoDay(u.birthDate)))}::date[],
				${pgArray(part.map((u) => u.birthYear))}::int[]) AS v(id, name, email, phone, birth, year)
			WHERE u.id = v.id`
		step(part.length)
	}
	const memberships = plan.newMemberships
	for (let start = 0; start < memberships.users.length; start += CHUNK) {
		const end = Math.min(start + CHUNK, memberships.users.length)
		const rows = memberships.rows.slice(start, end)
		await tx.$executeRaw`
			INSERT INTO "Membership" (id, "userId", "orgUnitId", title, tags, "countsInTarget", "validFrom", "createdAt", "importJobId")
			SELECT gen_random_uuid()::text, v.uid, v.unit, v.title, v.tags::text[], v.counts, ${options.effectiveAt}, ${now}, ${options.importJobId}
			FROM unnest(${pgArray(memberships.users.slice(start, end))}::text[], ${pgArray(memberships.units.slice(start, end))}::int[],
				${pgArray(rows.map((r) => r.title))}::text[], ${pgArray(tagArrays(rows.map((r) => r.tags)))}::text[],
				${pgArray(memberships.counts.slice(start, end))}::boolean[]) AS v(uid, unit, title, tags, counts)`
		step(end - start)
	}
	for (const part of chunks(plan.membershipUpdates)) {
		await tx.$executeRaw`
			UPDATE "Membership" m SET title = v.title, tags = v.tags::text[], "countsInTarget" = v.counts
			FROM unnest(${pgArray(part.map((m) => m.id))}::text[], ${pgArray(part.map((m) => m.title))}::text[], ${pgArray(tagArrays(part.map((m) => m.tags)))}::text[],
				${pgArray(part.map((m) => m.countsInTarget))}::boolean[]) AS v(id, title, tags, counts)
			WHERE m.id = v.id`
		step(part.length)
	}
	for (const part of chunks(plan.endMemberships)) {
		// Ended, never deleted: the membership stays in history and in past reports.
		await tx.$executeRaw`UPDATE "Membership" SET "validTo" = ${options.effectiveAt} WHERE id = ANY(${pgArray(part)}::text[]) AND "validTo" IS NULL`
		step(part.length)
	}
}

/** The audit row of an applied import: one event with the counts; the ImportJob keeps the details. */
export async function auditRosterImport(
	tx: Prisma.TransactionClient,
	input: { actorId: string; scope: ImportScope; jobId: string; mode: RosterMode; counts: RosterPlan['counts']; request?: Request },
) {
	await audit(
		{
			actorId: input.actorId,
			action: 'roster.import',
			targetType: 'ImportJob',
			targetId: input.jobId,
			orgUnitId: input.scope.id,
			request: input.request,
			details: { mode: input.mode, ...input.counts },
		},
		tx,
	)
}

// Issue 18 item 2: one batch of activation codes per import. Printing the PDF and then downloading the XLSX (or
// either again) shows the same codes; only a confirmed reissue voids them, and it says how many.
import ExcelJS from 'exceljs'
import { expect, test } from 'vitest'
import { activateAccount } from '#app/auth/activation.server.ts'
import { db } from '#app/db.server.ts'
import * as codesRoute from '#app/routes/org.$unitId_.imports.$jobId_.codes.ts'
import * as jobRoute from '#app/routes/org.$unitId_.imports.$jobId.tsx'
import { createManagedDepartment, importRoster, requestAs } from '#tests/factories/org.ts'
import { rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs } from '#tests/setup/routes.ts'

useTestDb()

async function imported(name: string) {
	const { dept, siblings, manager } = await createManagedDepartment(name, { siblings: [`Sở khác ${name}`] })
	const file = await rosterXlsx([
		[`An ${name}`, '01/01/1980', '', '', dept.code, '', '', ''],
		[`Bình ${name}`, '02/02/1982', '', '', dept.code, '', '', ''],
		[`Cúc ${name}`, '03/03/1983', '', '', dept.code, '', '', ''],
	])
	const jobId = await importRoster(file, { scope: dept, actorId: manager.id, fileName: 'ds.xlsx', confirm: true })
	return { dept, other: siblings[0]!, manager, jobId, params: { unitId: String(dept.id), jobId } }
}

async function download(ctx: Awaited<ReturnType<typeof imported>>, format: 'pdf' | 'xlsx') {
	return codesRoute.action(routeArgs(await postAs(ctx.manager.id, { format }), ctx.params))
}

async function codesOf(response: Response) {
	const workbook = new ExcelJS.Workbook()
	await workbook.xlsx.load(await response.arrayBuffer())
	const rows = workbook.worksheets[0]!.getSheetValues().slice(2) as Array<Array<string>>
	return new Map(rows.map((r) => [r[3]!, r[5]!]))
}

async function page(ctx: Awaited<ReturnType<typeof imported>>) {
	return (await jobRoute.loader(routeArgs(await requestAs(ctx.manager.id), ctx.params))).json()
}

async function reissue(ctx: Awaited<ReturnType<typeof imported>>, fields: Record<string, string>) {
	const response = (await jobRoute.action(routeArgs(await postAs(ctx.manager.id, fields), ctx.params))) as Response
	return { status: response.status, body: await response.json() }
}

test('the PDF and the XLSX carry the same batch of codes: downloading one never voids the other', async () => {
	const ctx = await imported('In')
	expect((await page(ctx)).codes).toMatchObject({ batch: null, eligible: 3, withheld: 0 })
	const pdf = await download(ctx, 'pdf')
	expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-')
	const printed = await db.activationCode.findMany({ where: { user: { memberships: { some: { importJobId: ctx.jobId } } } }, orderBy: { id: 'asc' } })
	expect(printed).toHaveLength(3)

	const first = await codesOf(await download(ctx, 'xlsx'))
	const second = await codesOf(await download(ctx, 'xlsx'))
	expect([...second]).toEqual([...first])
	await download(ctx, 'pdf')
	// The codes printed first are the very same rows: nothing was replaced by the later downloads.
	const after = await db.activationCode.findMany({ where: { user: { memberships: { some: { importJobId: ctx.jobId } } } }, orderBy: { id: 'asc' } })
	expect(after.map((c) => [c.id, c.codeHash])).toEqual(printed.map((c) => [c.id, c.codeHash]))
	expect(new Set(after.map((c) => c.batchId)).size).toBe(1)

	// Stored sealed, never in clear; a used code's sealed copy is gone.
	const [username, code] = [...first][0]!
	expect(after.some((c) => c.sealed?.includes(code) || c.codeHash === code)).toBe(false)
	expect(await activateAccount(username, code, 'mat-khau-moi-du-dai')).not.toBeNull()
	const user = await db.user.findUniqueOrThrow({ where: { username } })
	expect(await db.activationCode.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({ sealed: null })
	// The next download shows the two codes still to be used, unchanged.
	const third = await codesOf(await download(ctx, 'xlsx'))
	expect([...third]).toEqual([...first].filter(([u]) => u !== username))
	expect((await page(ctx)).codes?.batch).toMatchObject({ issued: 3, used: 1, live: 2, missing: 0, unreadable: 0 })
	expect(await db.auditEvent.count({ where: { action: 'activation.issue', targetId: ctx.jobId } })).toBe(1)
	expect(await db.auditEvent.count({ where: { action: 'activation.print', targetId: ctx.jobId } })).toBe(4)
})

test('reissuing is confirmed, says how many printed codes it voids, is audited, and only then replaces the codes', async () => {
	const ctx = await imported('Lại')
	const before = await codesOf(await download(ctx, 'xlsx'))
	expect((await page(ctx)).codes?.batch).toMatchObject({ live: 3 })

	// Without the confirmation box, or with a count the page no longer shows: nothing changes.
	expect(await reissue(ctx, { intent: 'reissue', voids: '3' })).toMatchObject({ status: 400, body: { reissue: { error: 'codes.reissue.unchecked' } } })
	expect(await reissue(ctx, { intent: 'reissue', voids: '2', understood: 'yes' })).toMatchObject({ status: 409, body: { reissue: { error: 'codes.reissue.changed', count: 3 } } })
	expect([...(await codesOf(await download(ctx, 'xlsx')))]).toEqual([...before])

	expect(await reissue(ctx, { intent: 'reissue', voids: '3', understood: 'yes' })).toMatchObject({ status: 200, body: { reissue: { done: true, count: 3, voided: 3 } } })
	const [username, oldCode] = [...before][0]!
	expect(await activateAccount(username, oldCode, 'mat-khau-moi-du-dai')).toBeNull()
	const fresh = await codesOf(await download(ctx, 'pdf').then(() => download(ctx, 'xlsx')))
	expect(fresh.get(username)).not.toBe(oldCode)
	expect(await activateAccount(username, fresh.get(username)!, 'mat-khau-moi-du-dai')).not.toBeNull()
	expect(await db.auditEvent.findFirstOrThrow({ where: { action: 'activation.reissue', targetId: ctx.jobId } })).toMatchObject({ details: { count: 3, voided: 3, withheld: 0 } })
	// The voided batch keeps no sealed code.
	expect(await db.activationCode.count({ where: { batch: { importJobId: ctx.jobId, voidedAt: { not: null } }, sealed: { not: null } } })).toBe(0)
})

test('people who also belong to another unit get no code here, and the page says how many', async () => {
	const ctx = await imported('Ngoài')
	const binh = await db.user.findFirstOrThrow({ where: { fullName: 'Bình Ngoài' } })
	await db.membership.create({ data: { userId: binh.id, orgUnitId: ctx.other.id } })
	expect((await page(ctx)).codes).toMatchObject({ batch: null, eligible: 2, withheld: 1 })
	const codes = await codesOf(await download(ctx, 'xlsx'))
	expect(codes.has(binh.username!)).toBe(false)
	expect(codes.size).toBe(2)
})

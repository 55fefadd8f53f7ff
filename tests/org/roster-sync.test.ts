// Issue 18 item 3: a roster sync names every person it will end (name, unit, title) before anything happens, never
// ends the importer nor a grant holder, and is confirmed by typing how many people it ends.
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import { confirmRosterImport, getImportJob } from '#app/org/import-jobs.server.ts'
import * as jobRoute from '#app/routes/org.$unitId_.imports.$jobId.tsx'
import { createManagedDepartment, createUser, importRoster, requestAs } from '#tests/factories/org.ts'
import { rosterXlsx } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { postAs, routeArgs } from '#tests/setup/routes.ts'

useTestDb()

async function setup(name: string) {
	const { dept, divisions, manager } = await createManagedDepartment(name, { divisions: [`Phòng Tổ chức ${name}`], managerName: `Quản Lý ${name}` })
	const division = divisions[0]!
	const director = await createUser({ fullName: `Giám Đốc ${name}`, unitId: dept.id, role: 'AUDITOR' })
	const member = async (fullName: string, unitId: number, title: string | null) => {
		const user = await createUser({ fullName, status: 'ACTIVE' })
		await db.membership.create({ data: { userId: user.id, orgUnitId: unitId, title } })
		return user
	}
	const kept = await member(`Người Ở Lại ${name}`, dept.id, 'Chuyên viên')
	await member(`Trần Văn Bình ${name}`, division.id, 'Trưởng phòng')
	await member(`Lê Thị An ${name}`, dept.id, null)
	const file = await rosterXlsx([[kept.fullName, '', '', '', dept.code, 'Chuyên viên', '', '']])
	const jobId = await importRoster(file, { scope: dept, actorId: manager.id, mode: 'sync', fileName: 'dong-bo.xlsx' })
	return { dept, division, manager, director, jobId, params: { unitId: String(dept.id), jobId } }
}

async function confirm(ctx: Awaited<ReturnType<typeof setup>>, endCount?: string) {
	return (await jobRoute.action(routeArgs(await postAs(ctx.manager.id, endCount === undefined ? {} : { endCount }), ctx.params))) as Response
}

test('the preview lists every person the sync ends, and keeps the importer and the grant holder with a warning', async () => {
	const ctx = await setup('A')
	const job = (await getImportJob(ctx.jobId, ctx.dept.id))!
	expect(job).toMatchObject({ status: 'PREVIEW', ended: 2 })
	// Ordered by unit, then by given name as Vietnamese lists are.
	expect(job.preview.ending).toEqual([
		{ name: 'Trần Văn Bình A', unit: 'Phòng Tổ chức A', title: 'Trưởng phòng' },
		{ name: 'Lê Thị An A', unit: 'Sở A', title: null },
	])
	expect(job.preview.endingTotal).toBe(2)
	expect(job.warnings.items.map((w) => [w.key, w.vars?.name])).toEqual(
		expect.arrayContaining([
			['import.warn.keptSelf', 'Quản Lý A'],
			['import.warn.keptGrant', 'Giám Đốc A'],
		]),
	)
	// The page data carries the list for the warning table.
	const page = await (await jobRoute.loader(routeArgs(await requestAs(ctx.manager.id), ctx.params))).json()
	expect(page.job.preview.ending.map((p: { name: string }) => p.name)).toEqual(['Trần Văn Bình A', 'Lê Thị An A'])
})

test('confirming a sync that ends people needs the typed count, checked on the server', async () => {
	const ctx = await setup('B')
	const active = () => db.membership.count({ where: { orgUnit: { path: { startsWith: ctx.dept.path } }, validTo: null } })
	const before = await active()
	expect((await confirm(ctx)).status).toBe(400)
	expect((await confirm(ctx, '3')).status).toBe(400)
	expect(await db.importJob.findUniqueOrThrow({ where: { id: ctx.jobId } })).toMatchObject({ status: 'PREVIEW' })
	expect(await active()).toBe(before)
	const done = await confirm(ctx, ' 2 ')
	expect(done.status).toBe(302)
	expect(await db.importJob.findUniqueOrThrow({ where: { id: ctx.jobId } })).toMatchObject({ status: 'SUCCEEDED', ended: 2 })
	expect(await active()).toBe(before - 2)
	// Neither the importer nor the director lost their membership.
	expect(await db.membership.count({ where: { userId: { in: [ctx.manager.id, ctx.director.id] }, validTo: null } })).toBe(2)
})

test('when the people to end changed after the preview, the confirmed import writes nothing', async () => {
	const ctx = await setup('C')
	const newcomer = await createUser({ fullName: 'Người Mới Vào C' })
	await db.membership.create({ data: { userId: newcomer.id, orgUnitId: ctx.division.id } })
	expect(await confirmRosterImport({ jobId: ctx.jobId, scope: ctx.dept, actorId: ctx.manager.id, wait: true })).toBe(true)
	const job = (await getImportJob(ctx.jobId, ctx.dept.id))!
	expect(job.status).toBe('FAILED')
	expect(job.errors.items).toEqual([{ key: 'import.sync.endedChanged', vars: { before: 2, now: 3 } }])
	expect(await db.membership.count({ where: { orgUnit: { path: { startsWith: ctx.dept.path } }, validTo: { not: null } } })).toBe(0)
})

// Ids in URLs are decimal digits within int4: "0x14" or "1e1" name no unit (Number() read them as 20 and 10), and an
// id past 2^31 − 1 made PostgreSQL raise "out of range for type integer" — a 500 instead of a 404 (walk of issue 22).
import { expect, test } from 'vitest'
import { loader as unitPage } from '#app/routes/org.$unitId.tsx'
import { loader as dashboard } from '#app/routes/org.$unitId_.dashboard.tsx'
import { loader as reviews } from '#app/routes/org.$unitId_.reviews.tsx'
import { idParam } from '#app/ui/http.server.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { useTestDb } from '#tests/setup/db.ts'
import { routeArgs, status } from '#tests/setup/routes.ts'

useTestDb()

test('only decimal digits within int4 are an id; everything else is a 404', async () => {
	expect(idParam('20')).toBe(20)
	expect(idParam('2147483647')).toBe(2_147_483_647)
	for (const raw of ['0x14', '1e1', ' 20', '20.0', '+20', '020', '0', '-1', '2147483648', '99999999999', '', undefined]) {
		expect(await status(async () => idParam(raw)), String(raw)).toBe(404)
	}
})

test('a manager asking for a unit by a hex, exponent or too large id gets 404, not the unit and not a 500', async () => {
	const unit = await createUnit('Sở Số Hiệu')
	const manager = await createUser({ unitId: unit.id, role: 'MANAGER' })
	const request = await requestAs(manager.id)
	for (const loader of [unitPage, dashboard, reviews]) {
		expect(await status(loader(routeArgs(request, { unitId: String(unit.id) })))).toBe(200)
		for (const unitId of [`0x${unit.id.toString(16)}`, `${unit.id}.0`, '2147483648', '99999999999']) {
			expect(await status(loader(routeArgs(request, { unitId }))), unitId).toBe(404)
		}
	}
})

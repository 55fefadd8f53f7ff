// The upload pages through their actions (roster, org tree, students; issue 16 items 3 and 13): a file's name
// with ; = quotes ‹…> / or \ is accepted under a display name, a form that cannot be read is a Vietnamese 400,
// a NUL in a text field a 400, a file past the page's limit, sent chunked, a 413 — and none of them leaves a job.
import { type ActionFunctionArgs } from '@remix-run/node'
import { expect, test } from 'vitest'
import { db } from '#app/db.server.ts'
import * as studentRoute from '#app/routes/org.$unitId_.classes_.import.tsx'
import * as rosterRoute from '#app/routes/org.$unitId_.imports._index.tsx'
import * as treeRoute from '#app/routes/org.$unitId_.imports.tree.tsx'
import { translator } from '#app/ui/i18n.server.ts'
import { createUnit, createUser, requestAs } from '#tests/factories/org.ts'
import { rosterCsv } from '#tests/factories/roster-files.ts'
import { useTestDb } from '#tests/setup/db.ts'

useTestDb()

const t = translator('vi')
const BOUNDARY = '----WebKitFormBoundaryvms16'
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`
const today = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10)

/** A multipart body as a browser writes it: the file's name raw inside quotes, with " CR LF percent-encoded. */
function multipart(fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }) {
	const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
	if (file) {
		const name = file.name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
		parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(file.bytes), Buffer.from('\r\n'))
	}
	return Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)])
}

/** The body sent chunked (no Content-Length), 64 KB at a time; `pulled` is what the action read of it. */
function chunked(head: Buffer, fill: number, tail: Buffer) {
	const stats = { pulled: 0 }
	const chunks = (function* () {
		yield head
		for (let left = fill; left > 0; left -= 64 * 1024) yield Buffer.alloc(Math.min(left, 64 * 1024), 'a')
		yield tail
	})()
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			const next = chunks.next()
			if (next.done) return controller.close()
			stats.pulled += next.value.length
			controller.enqueue(new Uint8Array(next.value))
		},
	})
	return { body, stats }
}

type AnyAction = (args: ActionFunctionArgs) => Promise<unknown>
async function post(action: AnyAction, userId: string, unitId: number, url: string, body: Uint8Array | ReadableStream<Uint8Array>) {
	const request = await requestAs(userId, `http://localhost${url}`, { method: 'POST', headers: { 'Content-Type': TYPE }, body, duplex: 'half' } as RequestInit)
	const result = await action({ request, params: { unitId: String(unitId) }, context: {} })
	if (!(result instanceof Response)) throw new Error('an action answers with a Response')
	return result
}

const jobOf = async (response: Response) => {
	const location = response.headers.get('Location') ?? ''
	const id = /job=([^&]+)/.exec(location)?.[1] ?? location.split('/').at(-1)!
	return db.importJob.findUniqueOrThrow({ where: { id }, select: { fileName: true } })
}

async function gov() {
	const province = await createUnit('Tỉnh Tải Lên')
	const dept = await createUnit('Sở Tải Lên', province)
	const manager = await createUser({ unitId: dept.id, role: 'MANAGER' })
	return { dept, manager, csv: rosterCsv([['Người Một', '01/01/1980', '', '', dept.code, '', '', '']]) }
}

// Names a browser sends (macOS sends decomposed Vietnamese, NFD), and the name the job keeps.
const NAMES: Array<[string, string]> = [
	['danh sách; tháng 5.csv', 'danh sách; tháng 5.csv'],
	['a=b.csv', 'a=b.csv'],
	['"><img src=x onerror=alert(1)>.csv', '"><img src=x onerror=alert(1)>.csv'],
	['‹Sơ\u0309 Tư pha\u0301p› <ba\u0309n cuô\u0301i>.csv', '‹Sở Tư pháp› <bản cuối>.csv'],
	["Đoàn 'Thanh niên' \"2025\".csv", "Đoàn 'Thanh niên' \"2025\".csv"],
	['thư mu\u0323c/danh sa\u0301ch.csv', 'danh sách.csv'],
	['bảng\\', 'bảng'],
	['danh\tsách\u202e.csv', 'danh sách .csv'],
	[`${'Danh sách cán bộ '.repeat(20)}.csv`, `${'Danh sách cán bộ '.repeat(20).slice(0, 116).trimEnd()}.csv`],
]

test('the roster page takes a file named with ; = quotes ‹…> / \\ or control characters, and keeps a clean display name', async () => {
	const { dept, manager, csv } = await gov()
	for (const [name, kept] of NAMES) {
		const response = await post(rosterRoute.action, manager.id, dept.id, `/org/${dept.id}/imports?index`, multipart({ mode: 'upsert', effectiveAt: today }, { name, bytes: csv }))
		expect([name, response.status]).toEqual([name, 302])
		expect([name, (await jobOf(response)).fileName]).toEqual([name, kept])
	}
})

test('a roster form that cannot be read is a Vietnamese 400, a NUL in a field a 400, a chunked file past 20 MB a 413; none makes a job', async () => {
	const { dept, manager, csv } = await gov()
	const jobs = () => db.importJob.count({ where: { orgUnitId: dept.id } })
	const url = `/org/${dept.id}/imports?index`
	const whole = multipart({ mode: 'upsert', effectiveAt: today }, { name: 'danh-sach.csv', bytes: csv })
	const errorsOf = async (response: Response) => ((await response.json()) as { result: { error: Record<string, Array<string>> } }).result.error['']

	const cut = await post(rosterRoute.action, manager.id, dept.id, url, whole.subarray(0, whole.length - 30))
	expect(cut.status).toBe(400)
	expect(await errorsOf(cut)).toEqual(['upload.unreadable'])
	expect(t('upload.unreadable')).toMatch(/^Không đọc được biểu mẫu gửi lên/)

	const nul = await post(rosterRoute.action, manager.id, dept.id, url, multipart({ mode: 'upsert', effectiveAt: `${today}\u0000` }, { name: 'danh-sach.csv', bytes: csv }))
	expect(nul.status).toBe(400)
	expect(await errorsOf(nul)).toEqual(['upload.nul'])

	const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nupsert\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="lớn; quá.csv"\r\n\r\n`)
	const { body, stats } = chunked(head, 200 * 1024 * 1024, Buffer.from(`\r\n--${BOUNDARY}--\r\n`))
	const big = await post(rosterRoute.action, manager.id, dept.id, url, body)
	expect(big.status).toBe(413)
	expect(await errorsOf(big)).toEqual(['import.file.tooLarge'])
	expect(stats.pulled).toBeLessThan(21 * 1024 * 1024)
	expect(await jobs()).toBe(0)
})

test('the org tree page: the same names, and the same 400', async () => {
	const { dept, manager, csv } = await gov()
	const url = `/org/${dept.id}/imports/tree`
	const ok = await post(treeRoute.action, manager.id, dept.id, url, multipart({ effectiveAt: today }, { name: 'cây; "đơn vị"=2025.csv', bytes: csv }))
	expect(ok.status).toBe(302)
	expect((await jobOf(ok)).fileName).toBe('cây; "đơn vị"=2025.csv')
	const cut = await post(treeRoute.action, manager.id, dept.id, url, Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc`))
	expect(cut.status).toBe(400)
	expect(await cut.json()).toEqual({ result: null, errors: ['upload.unreadable'] })
})

test('the students page: the same names, its 1 MB limit on a chunked upload, and the same 400', async () => {
	const unit = await createUnit('Phòng Giáo dục Tải Lên')
	const root = await db.orgUnit.update({ where: { id: unit.id }, data: { tree: 'EDU', kind: 'education_office' } })
	const manager = await createUser({ unitId: root.id, role: 'MANAGER' })
	const url = `/org/${root.id}/classes/import`
	const csv = Buffer.from('Mã trường,Lớp,Họ và tên,Năm sinh,Giới tính\r\nKD,5A,Nguyễn Văn An,2015,Nam\r\n')
	const year = String(new Date().getFullYear())
	const ok = await post(studentRoute.action, manager.id, root.id, url, multipart({ schoolYear: year }, { name: 'C:\\Hồ sơ\\học sinh; lớp 5=A.csv', bytes: csv }))
	expect(ok.status).toBe(302)
	expect((await jobOf(ok)).fileName).toBe('học sinh; lớp 5=A.csv')

	const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="schoolYear"\r\n\r\n${year}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="hs.csv"\r\n\r\n`)
	const { body, stats } = chunked(head, 5 * 1024 * 1024, Buffer.from(`\r\n--${BOUNDARY}--\r\n`))
	const big = await post(studentRoute.action, manager.id, root.id, url, body)
	expect(big.status).toBe(413)
	expect(await big.json()).toEqual({ result: null, error: 'edu.import.tooLarge' })
	expect(stats.pulled).toBeLessThan(2 * 1024 * 1024)

	const junk = await post(studentRoute.action, manager.id, root.id, url, Buffer.from('not a multipart body'))
	expect(junk.status).toBe(400)
	expect(await junk.json()).toEqual({ result: null, error: 'upload.unreadable' })
	expect(await db.importJob.count({ where: { orgUnitId: root.id } })).toBe(1)
})

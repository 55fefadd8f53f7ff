// What Express answers for paths that are not files and for errors: a Vietnamese page, never a stack trace or an
// absolute path, whether NODE_ENV is "production" or unset (Express shows stacks whenever it is not "production").
import http from 'node:http'
import { afterEach, expect, test } from 'vitest'
import { allowConsoleError } from '#tests/setup/console.ts'
import { startEdgeServer } from './edge-server.ts'

/** GET with the path sent as written (fetch would resolve the dot segments first). */
function get(port: number, path: string) {
	return new Promise<{ status: number; text: string }>((resolve, reject) => {
		http
			.get({ host: '127.0.0.1', port, path }, (response) => {
				let text = ''
				response.setEncoding('utf8')
				response.on('data', (chunk: string) => (text += chunk))
				response.on('end', () => resolve({ status: response.statusCode ?? 0, text }))
			})
			.on('error', reject)
	})
}

const PROBES = [
	'/assets/..%2f..%2fserver%2findex.js',
	'/assets/..%2F..%2Fpackage.json',
	'/assets/%2e%2e/%2e%2e/package.json',
	'/assets/..%5c..%5cpackage.json',
	'/assets/',
	'/assets',
	'/assets/nope.js',
	'/assets/%E0%A4%A',
	'/assets/app-123.js/',
]

let close: (() => Promise<void>) | undefined
// Typed as a union by the app's env declarations; here it is any string, or absent.
const env = process.env as Record<string, string | undefined>
const saved = env.NODE_ENV
afterEach(async () => {
	await close?.()
	env.NODE_ENV = saved
	if (saved === undefined) delete env.NODE_ENV
})

for (const mode of ['production', undefined]) {
	test(`NODE_ENV=${mode ?? '(unset)'}: asset paths that are not files get a 404 page naming no file, a failing handler a 500 page without its stack`, async () => {
		env.NODE_ENV = mode
		if (mode === undefined) delete env.NODE_ENV
		const server = await startEdgeServer([], {
			handler: (req, _res, next) => next(new Error(`boom in ${process.cwd()}/app/secret.server.ts for ${req.path}`)),
		})
		close = server.close
		expect((await get(server.port, '/assets/app-123.js')).status).toBe(200)
		for (const probe of PROBES) {
			const { status, text } = await get(server.port, probe)
			expect([probe, status]).toEqual([probe, 404])
			expect(text, probe).toContain('Không tìm thấy trang')
			for (const leak of [server.clientDir, process.cwd(), 'node_modules', 'Error', '    at ']) expect(text, probe).not.toContain(leak)
		}
		// NUL is refused before the files are looked at (server/body-limit.ts).
		const nul = await get(server.port, '/assets/%00')
		expect(nul.status).toBe(400)
		expect(nul.text).not.toContain(server.clientDir)
		// The failing handler's error goes to the server log (and only there).
		const logged = allowConsoleError('boom in ')
		const { status, text } = await get(server.port, '/org/1')
		expect(status).toBe(500)
		expect(logged).toHaveLength(1)
		expect(text).toContain('Đã có lỗi xảy ra')
		for (const leak of [process.cwd(), 'boom', '    at ']) expect(text).not.toContain(leak)
	})
}

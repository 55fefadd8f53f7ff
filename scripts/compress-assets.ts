/**
 * Pre-compresses the fingerprinted client assets (build/client/assets/*.js|css) with brotli at its highest
 * quality and with gzip, so server.ts can send them without compressing on every request. Brotli 11 takes
 * seconds, which is fine once per build and would not be per request. Run by `npm run build`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dir = path.join('build', 'client', 'assets')
const started = performance.now()
let raw = 0
let br = 0
for (const name of readdirSync(dir)) {
	if (!/\.(js|css)$/.test(name)) continue
	const file = path.join(dir, name)
	const body = readFileSync(file)
	const brotli = brotliCompressSync(body, {
		params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
	})
	writeFileSync(`${file}.br`, brotli)
	writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }))
	raw += body.length
	br += brotli.length
}
console.log(
	`Pre-compressed assets: ${(raw / 1024).toFixed(1)} KB → ${(br / 1024).toFixed(1)} KB brotli in ${Math.round(performance.now() - started)} ms`,
)

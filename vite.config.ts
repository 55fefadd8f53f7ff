import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
	interface Future {
		v3_singleFetch: true
	}
}

export default defineConfig({
	plugins: [tailwindcss(), remix(remixConfig)],
	build: { target: 'es2019', cssMinify: true },
	server: { hmr: { host: '127.0.0.1' } },
})

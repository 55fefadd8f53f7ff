// The one reader of DATABASE_URL. Every entry point (server, CLIs, prisma.config.ts) goes through it, so a mistyped
// scheme (postgress://, mysql://) is refused everywhere instead of becoming an embedded database in a folder named
// after the URL.

export const DEFAULT_DATABASE_URL = 'pglite:./.data/db'

export type DatabaseTarget =
	| { kind: 'postgres'; url: string }
	/** `dir` undefined: an in-memory database (pglite:memory). */
	| { kind: 'pglite'; dir: string | undefined }

export const DATABASE_URL_FORMS =
	'postgresql://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl, postgres://…, pglite:<thư mục> (ví dụ pglite:./.data/db) hoặc pglite:memory'

export class DatabaseUrlError extends Error {
	override name = 'DatabaseUrlError'
}

function refuse(url: string, why: string): never {
	// Passwords must not reach logs: show the scheme and host only.
	const shown = url.replace(/\/\/([^@/]*)@/, '//***@')
	throw new DatabaseUrlError(
		`DATABASE_URL không hợp lệ ("${shown}"): ${why}. Các dạng được chấp nhận: ${DATABASE_URL_FORMS}. ` +
			`(Invalid DATABASE_URL: accepted forms are postgresql://…, postgres://…, pglite:<dir>, pglite:memory.)`,
	)
}

export function parseDatabaseUrl(raw: string | undefined): DatabaseTarget {
	const url = (raw ?? '').trim() || DEFAULT_DATABASE_URL
	if (/^postgres(ql)?:\/\//i.test(url)) {
		let parsed: URL
		try {
			parsed = new URL(url)
		} catch {
			refuse(url, 'địa chỉ PostgreSQL viết sai')
		}
		if (!parsed.hostname) refuse(url, 'thiếu tên máy chủ')
		if (!/^\/[^/]+$/.test(parsed.pathname)) refuse(url, 'thiếu tên cơ sở dữ liệu sau dấu /')
		return { kind: 'postgres', url }
	}
	if (url.startsWith('pglite:')) {
		const dir = url.slice('pglite:'.length)
		if (dir === 'memory') return { kind: 'pglite', dir: undefined }
		if (!dir) refuse(url, 'thiếu thư mục sau "pglite:"')
		if (dir.startsWith('//')) refuse(url, 'viết pglite:<thư mục>, không có "//" (ví dụ pglite:/srv/vms/db)')
		return { kind: 'pglite', dir }
	}
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
	refuse(url, scheme ? `lược đồ "${scheme}:" không được hỗ trợ` : 'không có lược đồ (postgresql:// hoặc pglite:)')
}

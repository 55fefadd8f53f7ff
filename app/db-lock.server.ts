// An exclusive lock on an embedded (PGlite) data directory. PGlite has no lock of its own: two processes opening
// one directory both "work" for a while and then corrupt it beyond reopening (issue 17). Every opener goes through
// openPglite() in db-adapters.server.ts, which takes this lock first (decision 018).
//
// The lock is a listening socket whose address is derived from the directory's real path. On Linux it lives in the
// abstract namespace and on Windows it is a named pipe: the kernel releases both when the process ends, even after
// kill -9, so a stale lock cannot exist and two starters cannot both win (bind is atomic). Elsewhere (macOS) it is
// a socket file in the temporary directory; a file nobody answers on is stale and is removed before retrying.
// The holder answers every connection with who it is, so a refused process can name it.
import { createHash } from 'node:crypto'
import { readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export type LockHolder = { pid: number; command: string; since: string; hostname: string }

export class DataDirLockedError extends Error {
	override name = 'DataDirLockedError'
	constructor(
		readonly dir: string,
		readonly holder: LockHolder | null,
	) {
		const who = holder ? `PID ${holder.pid}: ${holder.command}, từ ${holder.since}` : 'tiến trình không trả lời'
		const whoEn = holder ? `process ${holder.pid} (${holder.command})` : 'another process'
		super(
			`Thư mục dữ liệu ${dir} đang được một tiến trình khác sử dụng (${who}). Hai tiến trình cùng mở một thư mục ` +
				`PGlite sẽ làm hỏng cơ sở dữ liệu, nên tiến trình này không mở nó. Hãy dừng tiến trình kia hoặc đợi nó ` +
				`xong; muốn chạy nhiều tiến trình thì dùng PostgreSQL (docs/operations.md). ` +
				`(The data directory ${dir} is in use by ${whoEn}; stop it first.)`,
		)
	}
}

const FILE_SOCKETS = process.platform !== 'linux' && process.platform !== 'win32'

function lockKey(dir: string) {
	return createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 24)
}

function lockAddress(key: string) {
	if (process.platform === 'linux') return `\0vanminhso-pglite-${key}`
	if (process.platform === 'win32') return `\\\\.\\pipe\\vanminhso-pglite-${key}`
	return path.join(os.tmpdir(), `vanminhso-pglite-${key}.sock`)
}

// Who holds the lock, for when the holder is too busy to answer (PGlite runs queries on the main thread).
const infoFile = (key: string) => path.join(os.tmpdir(), `vanminhso-pglite-${key}.json`)

function describeSelf(): LockHolder {
	const cwd = process.cwd()
	const args = process.argv.slice(1).map((a) => (path.isAbsolute(a) && a.startsWith(cwd) ? path.relative(cwd, a) : a))
	return { pid: process.pid, command: [path.basename(process.argv0), ...args].join(' '), since: new Date().toISOString(), hostname: os.hostname() }
}

function listen(address: string, holder: LockHolder) {
	return new Promise<net.Server>((resolve, reject) => {
		const server = net.createServer((socket) => {
			socket.on('error', () => {})
			socket.end(JSON.stringify(holder))
		})
		server.once('error', reject)
		server.listen(address, () => {
			server.off('error', reject)
			server.on('error', () => {})
			// The lock must not keep a finished script alive.
			server.unref()
			resolve(server)
		})
	})
}

type Answer = { alive: false } | { alive: true; holder: LockHolder | null }

/** Asks whoever listens on the address who they are. Nobody listening: the address is free (or a stale file). */
function ask(address: string, timeoutMs: number) {
	return new Promise<Answer>((resolve) => {
		const socket = net.connect(address)
		let data = ''
		const timer = setTimeout(() => {
			socket.destroy()
			resolve({ alive: true, holder: null })
		}, timeoutMs)
		socket.setEncoding('utf8')
		socket.on('data', (chunk) => (data += chunk))
		socket.on('end', () => {
			clearTimeout(timer)
			try {
				resolve({ alive: true, holder: JSON.parse(data) as LockHolder })
			} catch {
				resolve({ alive: true, holder: null })
			}
		})
		socket.on('error', (error: NodeJS.ErrnoException) => {
			clearTimeout(timer)
			resolve(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? { alive: false } : { alive: true, holder: null })
		})
	})
}

function readInfo(key: string): LockHolder | null {
	try {
		return JSON.parse(readFileSync(infoFile(key), 'utf8')) as LockHolder
	} catch {
		return null
	}
}

export type DataDirLock = { release: () => Promise<void> }

/** Takes the lock on an existing directory or throws DataDirLockedError naming the holder. */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
	const key = lockKey(dir)
	const address = lockAddress(key)
	const self = describeSelf()
	for (let attempt = 0; ; attempt++) {
		try {
			const server = await listen(address, self)
			try {
				writeFileSync(infoFile(key), JSON.stringify(self))
			} catch {
				// Only informative.
			}
			let released: Promise<void> | undefined
			return {
				release: () =>
					(released ??= new Promise<void>((resolve) => {
						if (readInfo(key)?.pid === process.pid) rmSync(infoFile(key), { force: true })
						server.close(() => resolve())
					})),
			}
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 2) throw error
			const answer = await ask(address, 3000)
			if (answer.alive) throw new DataDirLockedError(dir, answer.holder ?? readInfo(key))
			// Only a socket file can outlive its process (kill -9); nobody answers on it, so it is stale.
			if (FILE_SOCKETS) {
				try {
					unlinkSync(address)
				} catch {
					// Another starter removed it first; the next attempt decides.
				}
			}
		}
	}
}

/** Who holds the lock on `dir` now (null when free), without taking it: for commands that only want to warn early. */
export async function dataDirHolder(dir: string): Promise<LockHolder | null | 'unknown'> {
	let key: string
	try {
		key = lockKey(dir)
	} catch {
		return null // no directory yet
	}
	const answer = await ask(lockAddress(key), 3000)
	if (!answer.alive) return null
	return answer.holder ?? readInfo(key) ?? 'unknown'
}

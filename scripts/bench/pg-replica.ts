/**
 * A real PostgreSQL streaming replica of the machine's server, for the replica bench and tests (issue 21 §3):
 * `pg_basebackup -R` of the primary into a temporary data directory, then a second `postgres` on another port as a
 * hot standby. Needs the primary to allow replication connections from 127.0.0.1: when no pg_hba rule does, one
 * line `host replication all 127.0.0.1/32 trust` (the same trust as the existing 127.0.0.1 rule) is appended to
 * its pg_hba.conf and the configuration reloaded, which needs a superuser connection and a writable pg_hba.conf
 * (root, or the postgres account). The replica runs as the `postgres` OS account when this process is root
 * (PostgreSQL refuses to run as root).
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { pgConfig } from '#app/db-adapters.server.ts'
import { adminQuery, freePort, type Started, startProcess, stopProcess, tail } from './mix-driver.ts'

export type Replica = {
	/** postgresql://…:<port>/<database> for `database` on the replica. */
	urlFor: (database: string) => string
	port: number
	dataDir: string
	basebackupMs: number
	/** Resolves once the replica has replayed everything the primary had written when called. */
	caughtUp: (timeoutMs?: number) => Promise<number>
	/** Stops applying WAL (the replica falls behind), or starts again. */
	pauseReplay: () => Promise<void>
	resumeReplay: () => Promise<void>
	/** kill -9 of the replica's postmaster (a lost replica). */
	kill: () => Promise<void>
	/** Stops it and deletes its data directory. */
	stop: () => Promise<void>
}

function osAccount() {
	if (process.getuid?.() !== 0) return {}
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
	return { uid, gid }
}

/** Makes sure the primary accepts replication connections from 127.0.0.1; returns what was done. */
export async function allowReplication(adminUrl: string) {
	const { rows } = await adminQuery(
		adminUrl,
		`SELECT current_setting('wal_level') AS wal_level, current_setting('max_wal_senders')::int AS senders, current_setting('hba_file') AS hba,
			EXISTS (SELECT 1 FROM pg_hba_file_rules WHERE type IN ('host', 'hostnossl') AND 'replication' = ANY(database)
				AND (address = '127.0.0.1' OR address = 'all' OR address = 'samehost')) AS allowed`,
	)
	const { wal_level: walLevel, senders, hba, allowed } = rows[0] as { wal_level: string; senders: number; hba: string; allowed: boolean }
	if (walLevel === 'minimal' || senders < 1) {
		throw new Error(`the primary cannot stream (wal_level=${walLevel}, max_wal_senders=${senders}): set wal_level=replica and max_wal_senders ≥ 1, then restart it`)
	}
	if (allowed) return 'pg_hba already allows replication from 127.0.0.1'
	if (!existsSync(hba)) throw new Error(`no replication rule in pg_hba, and ${hba} is not reachable from here to add one`)
	appendFileSync(hba, '\n# Added by scripts/bench/pg-replica.ts (issue 21): streaming replicas on this machine for the replica bench and tests.\nhost replication all 127.0.0.1/32 trust\n')
	await adminQuery(adminUrl, 'SELECT pg_reload_conf()')
	return `added "host replication all 127.0.0.1/32 trust" to ${hba} and reloaded`
}

/** Makes a replica of the server of `adminUrl` (a superuser URL on 127.0.0.1) and starts it. */
export async function startReplica(adminUrl: string, logDir: string): Promise<Replica> {
	const primary = new URL(adminUrl)
	const version = Number((await adminQuery(adminUrl, 'SHOW server_version_num')).rows[0].server_version_num) / 10_000
	const bin = `/usr/lib/postgresql/${Math.floor(version)}/bin`
	if (!existsSync(`${bin}/postgres`)) throw new Error(`${bin}/postgres not found: the replica needs the primary's PostgreSQL ${Math.floor(version)} binaries`)
	const account = osAccount()
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vms-replica-'))
	if (account.uid !== undefined) chownSync(dataDir, account.uid, account.gid!)
	const port = await freePort()
	const user = decodeURIComponent(primary.username) || 'postgres'

	const begun = performance.now()
	execFileSync(
		`${bin}/pg_basebackup`,
		['-h', primary.hostname, '-p', primary.port || '5432', '-U', user, '-D', dataDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync'],
		{ stdio: ['ignore', 'ignore', 'pipe'], ...account },
	)
	const basebackupMs = performance.now() - begun
	// Debian keeps the configuration outside the data directory: the standby gets its own minimal files.
	const own = (file: string, text: string) => {
		writeFileSync(path.join(dataDir, file), text)
		if (account.uid !== undefined) chownSync(path.join(dataDir, file), account.uid, account.gid!)
	}
	own('postgresql.conf', '')
	own('pg_hba.conf', 'local all all trust\nhost all all 127.0.0.1/32 trust\n')
	own('pg_ident.conf', '')

	const server: Started = startProcess(
		`replica-${port}`,
		`${bin}/postgres`,
		['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`, '-c', 'hot_standby=on', '-c', 'max_connections=200', '-c', 'logging_collector=off'],
		{ PATH: process.env.PATH, LANG: 'C.UTF-8' },
		logDir,
		account,
	)
	const urlFor = (database: string) => `postgresql://${user}@127.0.0.1:${port}/${database}`
	const until = Date.now() + 30_000
	for (;;) {
		if (server.child.exitCode !== null) throw new Error(`the replica did not start:\n${tail(server.log)}`)
		try {
			const standby = (await adminQuery(urlFor('postgres'), 'SELECT pg_is_in_recovery() AS r')).rows[0].r as boolean
			if (!standby) throw new Error('the copy is not in recovery: it is no replica')
			break
		} catch (error) {
			if (Date.now() > until) throw new Error(`the replica did not answer in 30 s (${(error as Error).message}):\n${tail(server.log)}`)
			await new Promise((r) => setTimeout(r, 200))
		}
	}
	const onStandby = async (text: string) => {
		const client = new pg.Client(pgConfig(urlFor('postgres')))
		await client.connect()
		try {
			await client.query(text)
		} finally {
			await client.end()
		}
	}
	let stopped = false
	// A bench or test that dies does not leave a postgres running on a deleted directory.
	const onExit = () => {
		server.child.kill('SIGKILL')
		rmSync(dataDir, { recursive: true, force: true })
	}
	process.once('exit', onExit)
	const caughtUp = async (timeoutMs = 60_000) => {
		const begun = performance.now()
		const target = (await adminQuery(adminUrl, 'SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn as string
		for (;;) {
			const { rows } = await adminQuery(urlFor('postgres'), 'SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), $1::pg_lsn) >= 0 AS done', [target])
			if (rows[0].done) return performance.now() - begun
			if (performance.now() - begun > timeoutMs) throw new Error(`the replica did not replay up to ${target} in ${timeoutMs} ms`)
			await new Promise((r) => setTimeout(r, 100))
		}
	}
	return {
		caughtUp,
		urlFor,
		port,
		dataDir,
		basebackupMs,
		pauseReplay: () => onStandby('SELECT pg_wal_replay_pause()'),
		resumeReplay: () => onStandby('SELECT pg_wal_replay_resume()'),
		kill: () => stopProcess(server.child, 'SIGKILL'),
		stop: async () => {
			if (stopped) return
			stopped = true
			process.off('exit', onExit)
			// SIGINT: PostgreSQL's fast shutdown.
			await stopProcess(server.child, 'SIGINT', 10_000)
			rmSync(dataDir, { recursive: true, force: true })
		},
	}
}

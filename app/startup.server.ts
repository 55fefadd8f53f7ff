// What the server checks before it listens: the certificate configuration, then the database itself, which also
// takes the embedded data directory's lock (a second server on the same ./.data stops here, naming the first).
import { checkCertificateConfig } from './certificates/config.server.ts'
import { sql } from './db.server.ts'

export async function startupChecks() {
	checkCertificateConfig()
	await sql({ name: 'startup_ping', text: 'SELECT 1' }, [])
}

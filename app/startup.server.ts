// What the server checks before it listens: the certificate configuration, then the database itself, which also
// takes the embedded data directory's lock (a second server on the same ./.data stops here, naming the first), and
// the signing keys against the certificates in the database.
import { checkCertificateConfig } from './certificates/config.server.ts'
import { checkCertificateKeys } from './certificates/key-check.server.ts'
import { sql } from './db.server.ts'

export async function startupChecks() {
	await sql({ name: 'startup_ping', text: 'SELECT 1' }, [])
	// Before anything loads the signing key: a development key must not be generated over signed certificates.
	await checkCertificateKeys()
	checkCertificateConfig()
}

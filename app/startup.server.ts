// What the server checks before it listens: the certificate configuration, then the database itself, which also
// takes the embedded data directory's lock (a second server on the same ./.data stops here, naming the first), and
// the signing keys against the certificates in the database.
import { checkCertificateConfig } from './certificates/config.server.ts'
import { checkCertificateKeys } from './certificates/key-check.server.ts'
import { runSql } from './db.server.ts'
import { PING } from './db.sql.ts'

export async function startupChecks() {
	await runSql(PING, {})
	// Before anything loads the signing key: a development key must not be generated over signed certificates.
	await checkCertificateKeys()
	checkCertificateConfig()
}

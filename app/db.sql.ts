// Statements about the database itself.
import { z } from 'zod'
import { defineSql } from './db.server.ts'

/** Opens the database (and, embedded, takes its directory's lock) before anything else runs: start-up and the CLI;
 * and /healthz's question to it (health.server.ts). */
export const PING = defineSql({ name: 'ping', inputs: {}, row: z.object({ ok: z.literal(1) }), text: () => 'SELECT 1 AS ok' })

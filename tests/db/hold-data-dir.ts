// A process that keeps the app's database open (like a running server) and obeys one command per stdin line:
// "write <key>" inserts a row and prints "wrote <key> <rows>", "exit" disconnects. Spawned by data-dir-lock.test.ts.
import { createInterface } from 'node:readline'
import { db, sql } from '#app/db.server.ts'

await sql({ name: 'hold_ping', text: 'SELECT 1' }, [])
console.log(`ready ${process.pid}`)
for await (const line of createInterface({ input: process.stdin })) {
	const [command, key] = line.trim().split(/\s+/)
	if (command === 'write' && key) {
		await db.rateLimit.create({ data: { key, count: 1, resetAt: new Date() } })
		console.log(`wrote ${key} ${await db.rateLimit.count()}`)
	} else if (command === 'exit') {
		break
	}
}
await db.$disconnect()

// A certificate without the completion that issues it in the app: for tests about what is done with certificates
// (who sees them, lists, ZIP), where an enrollment would only add noise. Same unit rule and signed fields as the
// completion path (app/learning/completion.server.ts).
import { newCertificateFields } from '#app/certificates/issue.server.ts'
import { type Prisma } from '#app/db.server.ts'
import { certificateHolders, type CompletionSource } from '#app/learning/completion.server.ts'

export async function issueCertificate(tx: Prisma.TransactionClient, input: { userId: string; courseVersionId: string; source: CompletionSource; at: Date }) {
	const version = await tx.courseVersion.findUniqueOrThrow({ where: { id: input.courseVersionId } })
	const holder = (await certificateHolders(tx, [input.userId], version.courseId, input.at)).get(input.userId)
	if (!holder) throw new Error(`User ${input.userId} does not exist`)
	return tx.certificate.create({ data: newCertificateFields(input, holder, version) })
}

// The one way a course gets completed (decision 022). Every source — the online quiz, in-person training, a class
// session, and later imports or LTI launches — ends here: the enrollment is completed (unless it already is), the
// certificate is signed and issued, the issue is audited and the completion is written to the outbox
// (CompletionEvent), all by one statement (completion.sql.ts), so they commit or roll back together and a replay
// writes nothing twice. What follows a completion elsewhere (xAPI statements, webhooks, notifications) reads the
// outbox, never the sources.
//
// Which unit issues the certificate is decided here in TypeScript (`issuingUnit`, for the sources that complete many
// people at once from one read) and in SQL (`issuingUnitSql`, inside the quiz's one-statement submit): one rule
// written twice for speed, held equal by tests/learning/completion.test.ts on generated cases.
import { audit, auditRow } from '#app/auth/audit.server.ts'
import { type CertificateHolder, newCertificateFields } from '#app/certificates/issue.server.ts'
import { revokeWithin } from '#app/certificates/revoke.server.ts'
import { newId, type Prisma, runSql } from '#app/db.server.ts'
import { type CompletionSource } from '#app/db-types.ts'
import { getEnv } from '#app/env.server.ts'
import { type QueuedMail } from '#app/outbox/mail.server.ts'
import { publicUrl } from '#app/public-url.server.ts'
import { formatVnDate } from '#app/ui/dates.ts'
import { COMPLETE, type CompletionValues, QUIZ_SUBMIT } from './completion.sql.ts'

export type { CompletionSource }

export type HolderMembership = { id: string; validFrom: Date; validTo: Date | null; tags: ReadonlyArray<string>; orgUnit: { id: number; name: string; path: string } }
export type CourseAssignment = { orgUnitId: number; audienceTag: string | null; createdAt: Date; closedAt: Date | null }

const unitIdsOnPath = (path: string) => path.split('/').filter(Boolean).map(Number)

/**
 * The unit a certificate of a course is issued in, at `at`, from the holder's memberships and the course's
 * assignments: the oldest current membership that an open assignment covers (made on its unit or one above it, for
 * everyone or for a tag the membership has), else the oldest current membership; equal starts are ordered by
 * membership id. The SQL twin is `issuingUnitSql` (completion.sql.ts).
 */
export function issuingUnit(memberships: ReadonlyArray<HolderMembership>, assignments: ReadonlyArray<CourseAssignment>, at: Date) {
	const current = memberships
		.filter((m) => m.validFrom <= at && (m.validTo === null || m.validTo > at))
		// Code-unit order, as the SQL's COLLATE "C".
		.sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
	const open = assignments.filter((a) => a.createdAt <= at && (a.closedAt === null || a.closedAt > at))
	const covered = current.find((m) => {
		const above = unitIdsOnPath(m.orgUnit.path)
		return open.some((a) => above.includes(a.orgUnitId) && (a.audienceTag === null || m.tags.includes(a.audienceTag)))
	})
	const chosen = covered ?? current[0]
	return chosen ? { id: chosen.orgUnit.id, name: chosen.orgUnit.name } : null
}

type Reader = Pick<Prisma.TransactionClient, 'user' | 'assignment'>

/** Name and issuing unit of each of `userIds` for a certificate of course `courseId` at `at`: two reads for any number. */
export async function certificateHolders(client: Reader, userIds: ReadonlyArray<string>, courseId: string, at: Date) {
	const users = await client.user.findMany({
		where: { id: { in: [...userIds] } },
		select: {
			id: true,
			fullName: true,
			memberships: {
				where: { validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
				select: { id: true, validFrom: true, validTo: true, tags: true, orgUnit: { select: { id: true, name: true, path: true } } },
			},
		},
	})
	const above = [...new Set(users.flatMap((u) => u.memberships.flatMap((m) => unitIdsOnPath(m.orgUnit.path))))]
	const assignments = above.length
		? await client.assignment.findMany({ where: { courseId, orgUnitId: { in: above } }, select: { orgUnitId: true, audienceTag: true, createdAt: true, closedAt: true } })
		: []
	return new Map<string, CertificateHolder>(users.map((u) => [u.id, { fullName: u.fullName, unit: issuingUnit(u.memberships, assignments, at) }]))
}

/** The course version a completion is of, as the certificate and the outbox name it. */
export type CompletedVersion = { id: string; slug: string; version: number; title: string; validityMonths: number | null }

/** Who or what completed it, for the audit event `certificate.issue` (the request gives the address). */
export type CompletionAudit = { actorId: string | null; request?: Request; details?: Prisma.InputJsonValue }

/** `at`: when the course was completed (a training's day); `recordedAt`: when this is written, now unless given. */
export type Completion = { userId: string; source: CompletionSource; at: Date; recordedAt?: Date; holder: CertificateHolder; version: CompletedVersion; audit: CompletionAudit }

/** The write of one completion: new ids, the signed certificate, its audit event and the outbox row. */
export function completionValues(input: Completion): CompletionValues {
	const certificate = newCertificateFields({ userId: input.userId, courseVersionId: input.version.id, source: input.source, at: input.at }, input.holder, input.version)
	const event = auditRow({ ...input.audit, action: 'certificate.issue', targetType: 'Certificate', orgUnitId: certificate.orgUnitId })
	return {
		enrollmentId: newId(),
		userId: input.userId,
		courseVersionId: input.version.id,
		courseSlug: input.version.slug,
		courseVersion: input.version.version,
		source: input.source,
		at: input.at,
		certificateId: newId(),
		serial: certificate.serial,
		holderName: certificate.holderName,
		orgUnitId: certificate.orgUnitId,
		orgName: certificate.orgName,
		courseTitle: certificate.courseTitle,
		expiresAt: certificate.expiresAt,
		signature: certificate.signature,
		auditId: newId(),
		recordedAt: input.recordedAt ?? new Date(),
		actorId: event.actorId,
		action: event.action,
		targetType: event.targetType,
		ip: event.ip,
		details: event.details,
		eventId: newId(),
	}
}

/**
 * Completes course version `courseVersionId` for each of `userIds` at `at`, inside the caller's transaction (which
 * also records why: attendance, a class session's close). People who already completed it get nothing. Returns the
 * certificates issued.
 */
export async function completeCourse(
	tx: Prisma.TransactionClient,
	input: { source: CompletionSource; courseVersionId: string; at: Date; userIds: ReadonlyArray<string>; audit: CompletionAudit },
): Promise<Array<{ userId: string; serial: string }>> {
	const people = [...new Set(input.userIds)]
	if (!people.length) return []
	const version = await tx.courseVersion.findUniqueOrThrow({
		where: { id: input.courseVersionId },
		select: { id: true, version: true, title: true, validityMonths: true, courseId: true, course: { select: { slug: true } } },
	})
	// Spares signing a certificate the write would not use; the write itself is what guarantees once.
	const done = new Set(
		(await tx.enrollment.findMany({ where: { userId: { in: people }, courseVersionId: version.id, status: 'COMPLETED' }, select: { userId: true } })).map((e) => e.userId),
	)
	const todo = people.filter((id) => !done.has(id))
	const holders = await certificateHolders(tx, todo, version.courseId, input.at)
	const issued: Array<{ userId: string; serial: string }> = []
	for (const userId of todo) {
		const holder = holders.get(userId)
		if (!holder) throw new Error(`User ${userId} does not exist`)
		const values = completionValues({
			userId,
			source: input.source,
			at: input.at,
			holder,
			version: { id: version.id, slug: version.course.slug, version: version.version, title: version.title, validityMonths: version.validityMonths },
			audit: input.audit,
		})
		// Through the caller's transaction (sql() would take another connection); its row checked as runSql would.
		const [row] = await tx.$queryRawUnsafe<Array<unknown>>(COMPLETE.text, ...COMPLETE.values(values))
		const { serial } = COMPLETE.row!.parse(row)
		if (serial) issued.push({ userId, serial })
	}
	return issued
}

export type QuizClaim = { attemptId: string; answers: unknown; score: number; passed: boolean; at: Date }

/**
 * Records a graded quiz attempt — once: a replay or the loser of a double click claims nothing — and, when
 * `completion` is given (passed, every lesson done, not yet completed), completes the course in the same statement.
 * One round trip on the learners' hottest write (decision 014).
 */
export async function submitQuizAttempt(claim: QuizClaim, completion: Completion | null) {
	const values = completion ? completionValues(completion) : null
	const [row] = await runSql(QUIZ_SUBMIT, { ...(values ?? NO_COMPLETION), ...claim, completes: !!values })
	return { claimed: !!row?.claimed, serial: row?.serial ?? null }
}

// The completion's inputs of a submit that completes nothing (its CTEs then write nothing).
const NO_COMPLETION: Omit<CompletionValues, 'at'> = {
	enrollmentId: null,
	userId: null,
	courseVersionId: null,
	courseSlug: null,
	courseVersion: null,
	source: null,
	certificateId: null,
	serial: null,
	holderName: null,
	orgUnitId: null,
	orgName: null,
	courseTitle: null,
	expiresAt: null,
	signature: null,
	auditId: null,
	recordedAt: null,
	actorId: null,
	action: null,
	targetType: null,
	ip: null,
	details: null,
	eventId: null,
}

/** Why a withdrawal did nothing: the enrollment is not (or no longer) the completion asked about. */
export type WithdrawalRefusal = 'not-completed'

export type Withdrawal = {
	enrollmentId: string
	/** The completion withdrawn: if the enrollment's completion is another one (or none), nothing happens. */
	completedAt: Date
	/** Told to the learner and written on the revoked certificate (5–500 characters, checked by the caller's schema). */
	reason: string
	actorId: string
	/** The unit the completion counted for: where the audit event is seen. */
	orgUnitId: number | null
	request?: Request
	now?: Date
}

/**
 * Withdraws a completion a manager asked to be redone after reviewing it (issue 22), inside the caller's transaction
 * (which records the decision): the enrollment goes back to IN_PROGRESS with the reason for the learner, its lesson
 * progress is removed, its passed attempts are voided, its certificates are revoked through the certificates' own
 * path (each audited), the withdrawal is audited and, when the person has an e-mail, a mail is queued with the rest.
 *
 * Lesson progress is deleted rather than zeroed: a lesson's time runs from its first opening, kept once written, so a
 * row left with a reset start would count the weeks between the withdrawal and the next reading as reading time.
 * The completion's outbox row (CompletionEvent) stays: it records a completion that did happen, and completing again
 * writes a new one (decision 022). Figures follow by themselves: the enrollment's and the certificate's updates are
 * recorded as changes by their triggers (decision 024).
 */
export async function withdrawCompletion(tx: Prisma.TransactionClient, input: Withdrawal): Promise<{ ok: true; revoked: Array<string>; mailed: boolean } | { ok: false; error: WithdrawalRefusal }> {
	const now = input.now ?? new Date()
	const enrollment = await tx.enrollment.findUnique({
		where: { id: input.enrollmentId },
		select: {
			userId: true,
			courseVersionId: true,
			user: { select: { fullName: true, email: true } },
			courseVersion: { select: { title: true, course: { select: { slug: true } } } },
		},
	})
	if (!enrollment) return { ok: false, error: 'not-completed' }
	// The guard is the update itself: of two withdrawals at once, the second waits for the row and then matches nothing.
	const reset = await tx.enrollment.updateMany({
		where: { id: input.enrollmentId, status: 'COMPLETED', completedAt: input.completedAt },
		data: { status: 'IN_PROGRESS', completedAt: null, withdrawnAt: now, withdrawnReason: input.reason },
	})
	if (reset.count === 0) return { ok: false, error: 'not-completed' }
	await tx.lessonProgress.deleteMany({ where: { enrollmentId: input.enrollmentId } })
	await tx.quizAttempt.updateMany({ where: { enrollmentId: input.enrollmentId, passed: true, voidedAt: null }, data: { voidedAt: now } })
	// Every certificate still valid for this course version is this completion's: a reissue keeps its completion.
	const certificates = await tx.certificate.findMany({
		where: { userId: enrollment.userId, courseVersionId: enrollment.courseVersionId, revokedAt: null },
		select: { id: true, serial: true, orgUnitId: true, holderName: true, courseTitle: true },
	})
	const revoked: Array<string> = []
	for (const cert of certificates) {
		if (await revokeWithin(tx, cert, `Yêu cầu học lại sau khi xem lại hoàn thành: ${input.reason}`, { id: input.actorId }, input.request, now)) revoked.push(cert.serial)
	}
	const course = enrollment.courseVersion.course.slug
	await audit(
		{
			actorId: input.actorId,
			action: 'completion.withdraw',
			targetType: 'User',
			targetId: enrollment.userId,
			orgUnitId: input.orgUnitId,
			request: input.request,
			details: { course, enrollmentId: input.enrollmentId, completedAt: input.completedAt.toISOString(), reason: input.reason, certificates: revoked },
		},
		tx,
	)
	const to = enrollment.user.email
	if (!to) return { ok: true, revoked, mailed: false }
	// Queued in this transaction, so the learner is told exactly when the withdrawal commits. A link needs the
	// public address: the request's, or APP_URL for work without a request.
	const link = input.request || getEnv().APP_URL ? publicUrl(`/courses/${course}`, input.request) : null
	const mail: QueuedMail = {
		to,
		subject: `Yêu cầu học lại khoá học: ${enrollment.courseVersion.title}`,
		kind: `withdrawal:${input.enrollmentId}`,
		period: now.toISOString(),
		text: [
			`Kính gửi ${enrollment.user.fullName},`,
			'',
			`Kết quả hoàn thành khoá học "${enrollment.courseVersion.title}" của anh/chị (ngày ${formatVnDate(input.completedAt)}) đã được đơn vị xem lại và thu hồi; chứng nhận của khoá học không còn hiệu lực.`,
			`Lý do: ${input.reason}`,
			'',
			`Anh/chị cần tự mình học lại các bài và làm lại bài kiểm tra để hoàn thành khoá học.${link ? ` Vào khoá học: ${link}` : ' Mời anh/chị vào mục "Khoá học của tôi" để học lại.'}`,
			'',
			'Văn Minh Số',
		].join('\n'),
	}
	const queued = await tx.outboxMail.createMany({ data: [mail], skipDuplicates: true })
	return { ok: true, revoked, mailed: queued.count > 0 }
}

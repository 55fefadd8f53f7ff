// The audit log as people read it: one sentence per event in the reader's language, naming the actor, the unit,
// the person, the course or the certificate, each linked to its page where it has one. The names are looked up
// for one page of events at a time (a handful of queries, whatever the page size).
import { z } from 'zod'
import { getCourse } from '#app/content/courses.server.ts'
import { checkRows, db } from '#app/db.server.ts'
import { compareVi, foldVi, normalizeName } from '#app/ui/collation.ts'
import { type MessageKey, type Translate } from '#app/ui/i18n.ts'
import { type AuditQuery, type AuditRow } from './audit.server.ts'
import { type Grant } from './permissions.ts'
import { vnDayStart } from '#app/ui/dates.ts'

/** Every action the application records; the filter offers these, and each has its sentence in the catalogues. */
export const AUDIT_ACTIONS = [
	'activation.issue',
	'activation.print',
	'activation.reissue',
	'assignment.create',
	'assignment.update',
	'assignment.close',
	'audit.export',
	'certificate.issue',
	'certificate.revoke',
	'certificate.reissue',
	'certificate.zip',
	'class.session.start',
	'class.session.close',
	'completion.review.verify',
	'completion.review.redo',
	'completion.withdraw',
	'membership.update',
	'membership.move',
	'membership.end',
	'orgunit.create',
	'orgunit.rename',
	'orgunit.move',
	'orgunit.close',
	'orgunit.targets',
	'orgunit.youth-profile',
	'pin.issue',
	'reminder.queue',
	'report.export',
	'roster.upload',
	'roster.import',
	'snapshot.take',
	'students.upload',
	'students.import',
	'training.create',
	'training.attendance',
	'tree.upload',
	'tree.import',
	'user.create',
	'user.password.change',
	'youth.invite.create',
	'youth.invite.revoke',
	'youth.join.register',
	'youth.join.link',
	'youth.request.approve',
	'youth.request.reject',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export function isAuditAction(value: string): value is AuditAction {
	return (AUDIT_ACTIONS as ReadonlyArray<string>).includes(value)
}

/** A piece of a sentence: plain text, or a name with the page it links to. */
export type Segment = { text: string; href?: string }

export type AuditEntry = { id: string; at: string; action: string; actionLabel: string; sentence: Array<Segment>; ip: string | null }

type Name = { text: string; href?: string }

const str = (value: unknown) => (typeof value === 'string' ? value : null)
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null)
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {})

function courseName(slug: string | null): Name | null {
	if (!slug) return null
	return { text: getCourse(slug)?.meta.title ?? slug, href: `/courses/${slug}` }
}

/** Fills a catalogue sentence ("{actor} đã giao khoá học {course} cho {unit}.") with names, keeping their links. */
export function fillSentence(template: string, names: Record<string, Name | string | number | null | undefined>): Array<Segment> {
	const out: Array<Segment> = []
	for (const [i, part] of template.split(/\{(\w+)\}/).entries()) {
		if (i % 2 === 0) {
			if (part) out.push({ text: part })
			continue
		}
		const value = names[part]
		if (value === null || value === undefined) out.push({ text: '—' })
		else if (typeof value === 'object') out.push(value.href ? { text: value.text, href: value.href } : { text: value.text })
		else out.push({ text: typeof value === 'number' ? value.toLocaleString('vi-VN') : value })
	}
	// Neighbouring plain pieces joined, so that the sentence reads as one text where it has no link.
	return out.reduce<Array<Segment>>((acc, s) => {
		const last = acc[acc.length - 1]
		if (last && !last.href && !s.href) last.text += s.text
		else acc.push({ ...s })
		return acc
	}, [])
}

/** The sentences of one page of events, in the language of `t`. */
export async function describeAuditEvents(rows: ReadonlyArray<AuditRow>, t: Translate): Promise<Array<AuditEntry>> {
	const ids = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId).map((r) => r.targetId!))]
	const unitIds = new Set<number>()
	for (const r of rows) {
		if (r.orgUnitId !== null) unitIds.add(r.orgUnitId)
		if (r.targetType === 'OrgUnit' && r.targetId && /^\d+$/.test(r.targetId)) unitIds.add(Number(r.targetId))
		const d = record(r.details)
		for (const key of ['from', 'to'] as const) if (r.action === 'membership.move' && num(d[key]) !== null) unitIds.add(num(d[key])!)
	}
	const userIds = new Set<string>([...rows.flatMap((r) => (r.actorId ? [r.actorId] : [])), ...ids('User')])
	const [certificates, assignments, events, memberships, requests, invites] = await Promise.all([
		db.certificate.findMany({ where: { serial: { in: ids('Certificate') } }, select: { serial: true, holderName: true, courseTitle: true, orgUnitId: true } }),
		db.assignment.findMany({ where: { id: { in: ids('Assignment') } }, select: { id: true, orgUnitId: true, course: { select: { slug: true } } } }),
		db.trainingEvent.findMany({ where: { id: { in: ids('TrainingEvent') } }, select: { id: true, title: true, orgUnitId: true, kind: true, course: { select: { slug: true } } } }),
		db.membership.findMany({ where: { id: { in: ids('Membership') } }, select: { id: true, orgUnitId: true, user: { select: { fullName: true } } } }),
		db.joinRequest.findMany({ where: { id: { in: ids('JoinRequest') } }, select: { id: true, orgUnitId: true, user: { select: { fullName: true } } } }),
		db.youthInvite.findMany({ where: { id: { in: ids('YouthInvite') } }, select: { id: true, orgUnitId: true } }),
	])
	for (const x of [...certificates, ...assignments, ...events, ...memberships, ...requests, ...invites]) if (x.orgUnitId !== null) unitIds.add(x.orgUnitId)
	const [units, users] = await Promise.all([
		db.orgUnit.findMany({ where: { id: { in: [...unitIds] } }, select: { id: true, name: true } }),
		db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, fullName: true } }),
	])
	const unitName = new Map(units.map((u) => [u.id, u.name]))
	const userName = new Map(users.map((u) => [u.id, u.fullName]))
	const byId = <T extends { id: string }>(list: Array<T>) => new Map(list.map((x) => [x.id, x]))
	const cert = new Map(certificates.map((c) => [c.serial, c]))
	const assignment = byId(assignments)
	const event = byId(events)
	const membership = byId(memberships)
	const request = byId(requests)
	const invite = byId(invites)
	const unit = (id: number | null | undefined): Name | null => (id === null || id === undefined ? null : { text: unitName.get(id) ?? t('audit.unknownUnit'), href: `/org/${id}` })

	return rows.map((r) => {
		const d = record(r.details)
		const names: Record<string, Name | string | number | null> = {
			actor: r.actorId ? { text: userName.get(r.actorId) ?? t('audit.unknownPerson') } : { text: t('audit.system') },
			unit: unit(r.orgUnitId),
			count: num(d.count),
		}
		switch (r.targetType) {
			case 'OrgUnit':
				names.target = unit(r.targetId ? Number(r.targetId) : null)
				break
			case 'Certificate': {
				const c = r.targetId ? cert.get(r.targetId) : undefined
				names.certificate = r.targetId ? { text: r.targetId, href: `/certificates/${r.targetId}` } : null
				names.person = c ? { text: c.holderName } : str(d.holderName)
				names.course = c ? { text: c.courseTitle } : str(d.course)
				names.unit ??= unit(c?.orgUnitId)
				names.replacement = str(d.replacedBy) ? { text: str(d.replacedBy)!, href: `/certificates/${str(d.replacedBy)}` } : null
				break
			}
			case 'Assignment': {
				const a = r.targetId ? assignment.get(r.targetId) : undefined
				names.course = courseName(a?.course.slug ?? str(d.course))
				names.unit ??= unit(a?.orgUnitId)
				if (a) names.assignment = { text: names.course?.text ?? '', href: `/org/${a.orgUnitId}/assignments/${a.id}` }
				break
			}
			case 'TrainingEvent': {
				const e = r.targetId ? event.get(r.targetId) : undefined
				names.training = e ? { text: e.title, href: e.kind === 'CLASS_SESSION' ? undefined : `/org/${e.orgUnitId}/training/${e.id}` } : null
				names.course = courseName(e?.course.slug ?? null)
				names.unit ??= unit(e?.orgUnitId)
				break
			}
			case 'Membership': {
				const m = r.targetId ? membership.get(r.targetId) : undefined
				names.person = m ? { text: m.user.fullName, href: `/org/${m.orgUnitId}/members/${m.id}` } : null
				names.unit ??= unit(m?.orgUnitId)
				names.from = unit(num(d.from))
				names.to = unit(num(d.to))
				break
			}
			case 'User':
				names.person = r.targetId ? { text: userName.get(r.targetId) ?? str(d.username) ?? t('audit.unknownPerson') } : null
				break
			case 'JoinRequest': {
				const j = r.targetId ? request.get(r.targetId) : undefined
				names.person = j ? { text: j.user.fullName } : null
				names.unit ??= unit(j?.orgUnitId)
				break
			}
			case 'YouthInvite':
				names.unit ??= unit(r.targetId ? invite.get(r.targetId)?.orgUnitId : null)
				break
			case 'CompletionSnapshotPeriod':
				names.month = r.targetId && /^\d{4}-\d{2}$/.test(r.targetId) ? `${r.targetId.slice(5)}/${r.targetId.slice(0, 4)}` : r.targetId
				break
		}
		if (r.action === 'orgunit.rename') {
			names.oldName = str(d.from)
			names.newName = str(d.to)
		}
		if (r.action === 'reminder.queue') {
			names.count = num(d.queued)
			names.course = courseName(str(d.course))
		}
		if (r.action === 'activation.reissue') names.voided = num(d.voided)
		if (r.action === 'report.export') names.format = (str(d.format) ?? '').toUpperCase()
		if (r.action === 'training.attendance') names.count = num(d.present)
		if (r.action.startsWith('completion.')) names.course = courseName(str(d.course))
		const known = isAuditAction(r.action)
		const template = t((known ? `audit.event.${r.action}` : 'audit.event.other') as MessageKey)
		return {
			id: r.id,
			at: r.at.toISOString(),
			action: r.action,
			actionLabel: known ? t(`audit.action.${r.action}` as MessageKey) : r.action,
			sentence: fillSentence(template, names),
			ip: r.ip,
		}
	})
}

/** Who reads the audit log (an ADMIN grant implies each of them). */
export const AUDIT_ROLES = ['AUDITOR', 'MANAGER', 'YOUTH_ADMIN'] as const

export const AUDIT_PAGE_SIZE = 50
/** One XLSX holds at most this many events (a year of a province's administration is far below it). */
export const AUDIT_XLSX_MAX = 20_000

const day = z
	.string()
	.trim()
	.transform((value, ctx) => {
		if (!value) return null
		// A date input sends 2026-03-05; a browser without one lets people type 05/03/2026.
		const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
		const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
		const [y, mo, d] = iso ? [iso[1], iso[2], iso[3]].map(Number) : vn ? [vn[3], vn[2], vn[1]].map(Number) : [0, 0, 0]
		const date = new Date(Date.UTC(y!, mo! - 1, d))
		if (!y || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== d) {
			ctx.addIssue({ code: 'custom', message: 'audit.filter.badDate' })
			return z.NEVER
		}
		return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
	})

const FilterSchema = z.object({
	actor: z.string().trim().max(100).catch(''),
	action: z.string().trim().max(60).catch(''),
	unit: z.string().trim().max(12).catch(''),
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export type AuditFilters = { actor: string; action: string; unit: number | null; from: string; to: string; page: number }


/**
 * The filters of the audit page (and of its XLSX) from the query string, checked against the viewer's scope: a bad
 * date, an unknown action or a unit outside the scope gives a Vietnamese error and no filtering by it.
 */
export async function readAuditFilters(url: URL, grants: ReadonlyArray<Grant>) {
	const get = (key: string) => url.searchParams.get(key) ?? ''
	const data = FilterSchema.parse({ actor: get('actor'), action: get('action'), unit: get('unit'), page: get('page') || 1 })
	const errors: Array<MessageKey> = []
	const date = (key: 'from' | 'to') => {
		const parsed = day.safeParse(get(key))
		if (parsed.success) return parsed.data ?? ''
		if (!errors.includes('audit.filter.badDate')) errors.push('audit.filter.badDate')
		return ''
	}
	const filters: AuditFilters = { actor: normalizeName(data.actor), action: '', unit: null, from: date('from'), to: date('to'), page: data.page }
	if (data.action) {
		if (isAuditAction(data.action)) filters.action = data.action
		else errors.push('audit.filter.badAction')
	}
	let unitPath: string | undefined
	if (data.unit) {
		const unit = /^\d+$/.test(data.unit) ? await db.orgUnit.findUnique({ where: { id: Number(data.unit) }, select: { id: true, path: true } }) : null
		if (unit && grants.some((g) => unit.path.startsWith(g.path))) {
			filters.unit = unit.id
			unitPath = unit.path
		} else errors.push('audit.filter.badUnit')
	}
	if (filters.from && filters.to && filters.from > filters.to) {
		errors.push('audit.filter.reversed')
		filters.from = ''
		filters.to = ''
	}
	const query: AuditQuery = {
		actorIds: filters.actor ? await findActors(filters.actor) : undefined,
		action: filters.action || undefined,
		unitPath,
		from: filters.from ? vnDayStart(filters.from) : undefined,
		// "Đến ngày 05/03" includes the whole of 5 March.
		to: filters.to ? new Date(vnDayStart(filters.to).getTime() + 24 * 3600 * 1000) : undefined,
	}
	return { filters, query, errors }
}

/** People whose name or username contains the text, accents and case as typed or not (at most 200). */
const ACTOR = z.object({ id: z.string(), fullName: z.string(), username: z.string().nullable() })

async function findActors(text: string) {
	const folded = foldVi(normalizeName(text))
	const found = await db.$queryRaw<Array<unknown>>`
		SELECT u.id, u."fullName", u.username FROM "User" u
		WHERE u.id IN (SELECT DISTINCT "actorId" FROM "AuditEvent" WHERE "actorId" IS NOT NULL)`
	const rows = checkRows('audit-actors', ACTOR, found)
	return rows.filter((r) => foldVi(r.fullName).includes(folded) || (r.username ?? '').toLowerCase().includes(folded)).slice(0, 200).map((r) => r.id)
}

/** The units the filter offers: the top of each of the viewer's scopes and the units directly below it. */
export async function auditUnitOptions(grants: ReadonlyArray<Grant>) {
	const tops = grants.filter((g) => !grants.some((o) => o !== g && o.path !== g.path && g.path.startsWith(o.path)))
	const ids = [...new Set(tops.map((g) => g.orgUnitId))]
	if (!ids.length) return []
	const units = await db.orgUnit.findMany({
		where: { OR: [{ id: { in: ids } }, { parentId: { in: ids }, validTo: null }] },
		select: { id: true, name: true, parentId: true },
	})
	const topUnits = units.filter((u) => ids.includes(u.id)).sort((a, b) => compareVi(a.name, b.name))
	return topUnits.flatMap((top) => [
		{ id: top.id, name: top.name, depth: 0 },
		...units
			.filter((u) => u.parentId === top.id && !ids.includes(u.id))
			.sort((a, b) => compareVi(a.name, b.name))
			.map((u) => ({ id: u.id, name: u.name, depth: 1 })),
	])
}

/** The query string of the filters (without the page), for links to other pages and to the XLSX. */
export function auditFilterQuery(filters: AuditFilters) {
	const params = new URLSearchParams()
	if (filters.actor) params.set('actor', filters.actor)
	if (filters.action) params.set('action', filters.action)
	if (filters.unit !== null) params.set('unit', String(filters.unit))
	if (filters.from) params.set('from', filters.from)
	if (filters.to) params.set('to', filters.to)
	return params.toString()
}

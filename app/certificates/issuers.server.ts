// Who issues and signs the certificates of a province: a YAML file (config/certificate-issuers.yaml, or
// CERT_ISSUERS_FILE) validated at start-up. Keyed by the tree root of the holder's unit, so one deployment can
// serve the government, education and youth trees of a province, each with its own signatory.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { getEnv } from '#app/env.server.ts'
import { type OrgTree } from '#app/db-types.ts'
import { vnDayStart } from '#app/ui/dates.ts'

export const DEFAULT_ISSUERS_FILE = 'config/certificate-issuers.yaml'

const Text = z.string().trim().min(1)

const SignerSchema = z.strictObject({
	from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'phải là ngày dạng YYYY-MM-DD'),
	name: Text,
	title: Text,
	signatureImage: Text.regex(/\.(png|jpe?g)$/i, 'phải là tệp .png hoặc .jpg').optional(),
})

const UNIT_KEY = /^(GOV|EDU|YOUTH):[^\s:]+$/

const IssuerSchema = z.strictObject({
	authority: Text.optional(),
	organisation: Text,
	place: Text,
	// The unit whose head signs ("GOV:SVHTTDL"): administrators see the signer checked against its roster.
	signingUnit: z.string().regex(UNIT_KEY, 'phải có dạng GOV:MÃ, EDU:MÃ hoặc YOUTH:MÃ').optional(),
	signers: z.array(SignerSchema).min(1),
})

const IssuersFileSchema = z.strictObject({
	default: IssuerSchema,
	issuers: z
		.record(z.string(), IssuerSchema)
		.superRefine((issuers, ctx) => {
			for (const key of Object.keys(issuers)) {
				if (!UNIT_KEY.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'khoá phải có dạng GOV:MÃ, EDU:MÃ hoặc YOUTH:MÃ' })
			}
		})
		.default({}),
})

export type Signer = { from: Date; name: string; title: string; image: Buffer | null }
export type Issuer = {
	authority: string | null
	organisation: string
	place: string
	signingUnit: { tree: OrgTree; code: string } | null
	signers: Array<Signer>
}
export type IssuerConfig = { fallback: Issuer; byRoot: Map<string, Issuer> }

/** What one certificate prints: the issuer and the signatory in office on its issue date. */
export type IssuerSnapshot = { authority: string | null; organisation: string; place: string; signer: Omit<Signer, 'from'> }

export function parseIssuers(text: string, baseDir: string): IssuerConfig {
	const parsed = IssuersFileSchema.safeParse(parse(text))
	if (!parsed.success) {
		const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
		throw new Error(`Cấu hình cơ quan cấp chứng nhận không hợp lệ: ${issues}`)
	}
	const toIssuer = (raw: z.infer<typeof IssuerSchema>): Issuer => ({
		authority: raw.authority?.normalize('NFC') ?? null,
		organisation: raw.organisation.normalize('NFC'),
		place: raw.place.normalize('NFC'),
		signingUnit: raw.signingUnit ? { tree: raw.signingUnit.split(':')[0] as OrgTree, code: raw.signingUnit.slice(raw.signingUnit.indexOf(':') + 1) } : null,
		signers: raw.signers
			.map((s) => {
				const file = s.signatureImage ? path.resolve(baseDir, s.signatureImage) : null
				if (file && !existsSync(file)) throw new Error(`Không tìm thấy ảnh chữ ký ${file} (cấu hình cơ quan cấp chứng nhận).`)
				return {
					from: vnDayStart(s.from),
					name: s.name.normalize('NFC'),
					title: s.title.normalize('NFC'),
					image: file ? readFileSync(file) : null,
				}
			})
			.sort((a, b) => a.from.getTime() - b.from.getTime()),
	})
	return {
		fallback: toIssuer(parsed.data.default),
		byRoot: new Map(Object.entries(parsed.data.issuers).map(([key, raw]) => [key, toIssuer(raw)])),
	}
}

export function loadIssuers(file: string): IssuerConfig {
	if (!existsSync(file)) throw new Error(`Không tìm thấy tệp cấu hình cơ quan cấp chứng nhận ${file}.`)
	return parseIssuers(readFileSync(file, 'utf8'), path.dirname(path.resolve(file)))
}

let cached: IssuerConfig | undefined

export function getIssuers(): IssuerConfig {
	cached ??= loadIssuers(getEnv().CERT_ISSUERS_FILE ?? DEFAULT_ISSUERS_FILE)
	return cached
}

export function setIssuersForTests(config: IssuerConfig | undefined) {
	cached = config
}

/** "GOV:MS" for a unit whose tree root is the government unit coded MS; null when the unit is unknown. */
export function rootKey(root: { tree: string; code: string } | null) {
	return root ? `${root.tree}:${root.code}` : null
}

/** The configured issuer of a tree root (or the default), with every signatory: what the administrators' page shows. */
export function issuerEntry(key: string | null, config: IssuerConfig = getIssuers()): { issuer: Issuer; isDefault: boolean } {
	const own = key ? config.byRoot.get(key) : undefined
	return own ? { issuer: own, isDefault: false } : { issuer: config.fallback, isDefault: true }
}

export function issuerFor(key: string | null, issuedAt: Date, config: IssuerConfig = getIssuers()): IssuerSnapshot {
	const issuer = issuerEntry(key, config).issuer
	// The signatory in office on the issue date; before the first listed one, that first one.
	const signer = issuer.signers.filter((s) => s.from.getTime() <= issuedAt.getTime()).at(-1) ?? issuer.signers[0]!
	return {
		authority: issuer.authority,
		organisation: issuer.organisation,
		place: issuer.place,
		signer: { name: signer.name, title: signer.title, image: signer.image },
	}
}

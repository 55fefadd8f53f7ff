// Which unit a roster row means: its code (any case), or its name written out — matched exactly once both are in NFC,
// lower case and single-spaced, since agencies' lists often carry "Phòng Tổ chức" rather than "PTC". A name matching
// several units, or nothing, is an error; for nothing, the closest names of the importer's scope are offered.
import { compareVi, fixLookalikes, foldVi } from '#app/ui/collation.ts'

export type UnitLike = { id: number; code: string; name: string }
export type UnitMatch<U> = { unit: U; byName: boolean } | { unit: null; ambiguous: Array<U>; close: [] } | { unit: null; ambiguous: []; close: Array<U> }

function normalizeUnitName(value: string) {
	return fixLookalikes(value).toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim()
}

/** Edit distance, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number) {
	if (Math.abs(a.length - b.length) > limit) return limit + 1
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
	for (let i = 1; i <= a.length; i++) {
		const cur = [i]
		let best = i
		for (let j = 1; j <= b.length; j++) {
			cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
			best = Math.min(best, cur[j]!)
		}
		if (best > limit) return limit + 1
		prev = cur
	}
	return prev[b.length]!
}

/** A matcher over the scope's units; each distinct text is matched once (units repeat over thousands of rows). */
export function unitMatcher<U extends UnitLike>(units: ReadonlyArray<U>) {
	const byCode = new Map(units.map((u) => [u.code.toUpperCase(), u]))
	const byName = new Map<string, Array<U>>()
	for (const u of units) {
		const key = normalizeUnitName(u.name)
		byName.set(key, [...(byName.get(key) ?? []), u])
	}
	const folded = units.map((u) => ({ unit: u, folded: foldVi(u.name) }))
	const cache = new Map<string, UnitMatch<U>>()
	return (text: string): UnitMatch<U> => {
		let m = cache.get(text)
		if (m) return m
		const code = byCode.get(text.trim().toUpperCase())
		const named = byName.get(normalizeUnitName(text)) ?? []
		if (code) m = { unit: code, byName: false }
		else if (named.length === 1) m = { unit: named[0]!, byName: true }
		else if (named.length > 1) m = { unit: null, ambiguous: named, close: [] }
		else {
			const want = foldVi(fixLookalikes(text))
			const limit = Math.max(2, Math.floor(want.length * 0.35))
			const close = folded
				.map((f) => ({ ...f, d: want.length >= 4 && (f.folded.includes(want) || want.includes(f.folded)) ? 0 : distance(want, f.folded, limit) }))
				.filter((f) => f.d <= limit)
				.sort((a, b) => a.d - b.d || compareVi(a.unit.name, b.unit.name))
				.slice(0, 3)
				.map((f) => f.unit)
			m = { unit: null, ambiguous: [], close }
		}
		cache.set(text, m)
		return m
	}
}

/** "Phòng Tổ chức (PTC), Phòng Tài chính (PTCH)": how the error lists units. */
export function unitList(units: ReadonlyArray<UnitLike>) {
	return units.map((u) => `${u.name} (${u.code})`).join('; ')
}

// Roster tags are labelled from the catalogue (app/ui/labels.ts no longer imports the org feature's list).
import { expect, test } from 'vitest'
import { TAGS } from '#app/org/tags.ts'
import { makeTranslator } from '#app/ui/i18n.ts'
import { en } from '#app/ui/i18n/en.ts'
import { tagLabel } from '#app/ui/labels.ts'

test('every known roster tag has a label in both languages; a custom tag shows as typed', () => {
	const vi = makeTranslator()
	const english = makeTranslator(en)
	for (const tag of TAGS) {
		expect(tagLabel(vi, tag)).not.toBe(tag)
		expect(tagLabel(vi, tag)).not.toMatch(/^tag\./)
		expect(tagLabel(english, tag)).not.toMatch(/^tag\./)
	}
	expect(tagLabel(vi, 'spokesperson')).toBe('Người phát ngôn')
	expect(tagLabel(vi, 'đội-xung-kích')).toBe('đội-xung-kích')
	// A word that happens to be a catalogue key elsewhere is still a custom tag.
	expect(tagLabel(vi, 'title')).toBe('title')
})

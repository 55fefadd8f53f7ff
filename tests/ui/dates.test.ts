// The one module for Vietnam time (app/ui/dates.ts): pages, schemas, reports and imports all convert through it.
import { expect, test } from 'vitest'
import { formatVnDate, formatVnDateTime, formatVnTime, parseVnDay, vnClock, vnDay, vnDayEnd, vnDayStart, vnInstant, vnMonth } from '#app/ui/dates.ts'

test('an instant’s day and month are Vietnam’s, not UTC’s', () => {
	// 17:00 UTC on 31 December is midnight on 1 January in Vietnam; a millisecond earlier is still the old year.
	expect(vnDay(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01')
	expect(vnDay(new Date('2026-12-31T16:59:59.999Z'))).toBe('2026-12-31')
	expect(vnMonth(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12')
	expect(vnMonth(new Date('2026-11-30T16:59:59.999Z'))).toBe('2026-11')
	expect(vnClock('2026-03-04T17:30:00Z')).toEqual({ year: 2026, month: 3, day: 5, hour: 0, minute: 30 })
})

test('a Vietnamese day’s start and end are 17:00 UTC the day before and 16:59:59.999 UTC that day', () => {
	expect(vnDayStart('2026-03-05').toISOString()).toBe('2026-03-04T17:00:00.000Z')
	expect(vnDayEnd('2026-03-05').toISOString()).toBe('2026-03-05T16:59:59.999Z')
	expect(vnInstant('2026-03-05', '08:30').toISOString()).toBe('2026-03-05T01:30:00.000Z')
	expect(Number.isNaN(vnInstant('not a day').getTime())).toBe(true)
})

test('parseVnDay refuses a day that does not exist instead of rolling it over', () => {
	expect(parseVnDay('2026-02-28', '23:59:59')?.toISOString()).toBe('2026-02-28T16:59:59.000Z')
	expect(parseVnDay('2026-02-30')).toBeNull()
	expect(parseVnDay('2026-13-01')).toBeNull()
	expect(parseVnDay('05/03/2026')).toBeNull()
	expect(parseVnDay('2028-02-29')?.toISOString()).toBe('2028-02-28T17:00:00.000Z')
})

test('times are written in Vietnam as HH:mm after dd/mm/yyyy', () => {
	expect(formatVnTime('2026-03-05T07:04:00Z')).toBe('14:04')
	expect(formatVnDateTime('2026-03-05T07:04:00Z')).toBe('05/03/2026 14:04')
	expect(formatVnDate(new Date('2026-12-31T17:30:00Z'))).toBe('01/01/2027')
})

// fast-check arbitraries for calendar dates (LocalDate) and date ranges.
import * as fc from "fast-check"
import { addDays, fromEpochDay, type LocalDate, localDate, toEpochDay } from "../../core/domain/LocalDate.ts"

const defaultMin = localDate("2000-01-01")
const defaultMax = localDate("2040-12-31")

/** A date between `min` and `max` inclusive (2000-01-01 to 2040-12-31 by default; leap days included). */
export const arbLocalDate = (
  options: { readonly min?: LocalDate; readonly max?: LocalDate } = {}
): fc.Arbitrary<LocalDate> =>
  fc
    .integer({ min: toEpochDay(options.min ?? defaultMin), max: toEpochDay(options.max ?? defaultMax) })
    .map(fromEpochDay)

/** A date within `days` either side of `around`. */
export const arbDateNear = (around: LocalDate, days: number): fc.Arbitrary<LocalDate> =>
  fc.integer({ min: -days, max: days }).map((offset) => addDays(around, offset))

/** A period `[from, to]` with `from <= to`, at most `maxDays` long. */
export const arbPeriod = (
  options: { readonly min?: LocalDate; readonly max?: LocalDate; readonly maxDays?: number } = {}
): fc.Arbitrary<{ readonly from: LocalDate; readonly to: LocalDate }> =>
  fc
    .tuple(arbLocalDate(options), fc.integer({ min: 0, max: options.maxDays ?? 400 }))
    .map(([from, length]) => ({ from, to: addDays(from, length) }))

// Laws of LocalDate: epoch-day round trips, day arithmetic, ordering as strings, and rejection of bad dates.
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import {
  addDays,
  compareDates,
  daysBetween,
  fromEpochDay,
  LocalDate,
  localDate,
  toEpochDay
} from "../../../core/domain/LocalDate.ts"
import { arbLocalDate } from "../../arbitraries/index.ts"

describe("LocalDate", () => {
  it("addDays and daysBetween are inverse, and string order is date order", () => {
    fc.assert(
      fc.property(arbLocalDate(), fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        const later = addDays(date, days)
        expect(daysBetween(date, later)).toBe(days)
        expect(addDays(later, -days)).toBe(date)
        expect(compareDates(date, later)).toBe(days === 0 ? 0 : days > 0 ? -1 : 1)
        expect(fromEpochDay(toEpochDay(date))).toBe(date)
        expect(Schema.is(LocalDate)(later)).toBe(true)
      }),
      { numRuns: 3000 }
    )
  })

  it("knows leap years and refuses impossible dates", () => {
    expect(addDays(localDate("2024-02-28"), 1)).toBe("2024-02-29")
    expect(addDays(localDate("2023-02-28"), 1)).toBe("2023-03-01")
    expect(daysBetween(localDate("2026-01-01"), localDate("2027-01-01"))).toBe(365)
    for (const bad of ["2023-02-29", "2026-13-01", "2026-1-1", "2026-04-31", "yesterday"]) {
      expect(Schema.is(LocalDate)(bad)).toBe(false)
    }
  })
})

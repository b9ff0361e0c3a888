import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { LocalDate } from "../../../core/domain/index.ts"
import { formatDate, isDateFormat, parseDate } from "../../../core/erp/index.ts"

const fourDigit = ["dd.mm.yyyy", "dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd", "d.m.yyyy", "dd-mm-yyyy", "yyyymmdd", "iso"]
const twoDigit = ["d.m.yy", "dd.mm.yy", "mm/dd/yy"]

describe("DateFormats", () => {
  it("parses what it formats, for every format", () => {
    // 1970-01-01 .. 2069-12-31: the span two-digit years can name (pivot 70).
    const date = fc.integer({ min: 0, max: 36_524 }).map(LocalDate.fromEpochDay)
    fc.assert(
      fc.property(date, fc.constantFrom(...fourDigit, ...twoDigit), (iso, format) => {
        assert.strictEqual(parseDate(formatDate(iso, format), format), iso)
      })
    )
  })

  it("reads the usual spellings", () => {
    assert.strictEqual(parseDate("07.03.2026", "dd.mm.yyyy"), "2026-03-07")
    assert.strictEqual(parseDate("7.3.26", "d.m.yy"), "2026-03-07")
    assert.strictEqual(parseDate("7.3.70", "d.m.yy"), "1970-03-07")
    assert.strictEqual(parseDate("03/07/2026", "mm/dd/yyyy"), "2026-03-07")
    assert.strictEqual(parseDate("03/07/2026", "dd/mm/yyyy"), "2026-07-03")
    assert.strictEqual(parseDate("2026-03-07T23:59:59+01:00", "iso"), "2026-03-07")
  })

  it("rejects impossible dates and other shapes", () => {
    assert.isUndefined(parseDate("31.02.2026", "dd.mm.yyyy"))
    assert.isUndefined(parseDate("29.02.2025", "dd.mm.yyyy"))
    assert.strictEqual(parseDate("29.02.2024", "dd.mm.yyyy"), "2024-02-29")
    assert.isUndefined(parseDate("2026-03-07", "dd.mm.yyyy"))
    assert.isUndefined(parseDate("7.3.2026", "dd.mm.yyyy"))
    assert.isUndefined(parseDate("2026-13-01", "iso"))
  })

  it("knows which formats it understands", () => {
    for (const format of [...fourDigit, ...twoDigit]) assert.isTrue(isDateFormat(format), format)
    for (const format of ["dd.mm", "yyyy", "dd.dd.yyyy", "banana"]) assert.isFalse(isDateFormat(format), format)
  })
})

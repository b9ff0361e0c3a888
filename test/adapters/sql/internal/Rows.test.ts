// Row helpers: external ids from composite keys are unambiguous, and driver values become plain JSON.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { externalIdOf, jsonRow, jsonValue, keysOfExternalId, keyTexts } from "../../../../adapters/sql/internal/Rows.ts"

describe("externalIdOf", () => {
  it("keeps a single key as it is, slashes and all", () => {
    expect(externalIdOf(["ACME/EU 100%"])).toBe("ACME/EU 100%")
  })

  it("joins composite keys so that different keys never share an id", () =>
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "/", "%", "2", "F") }), { minLength: 2, maxLength: 3 }),
        fc.array(fc.string({ unit: fc.constantFrom("a", "/", "%", "2", "F") }), { minLength: 2, maxLength: 3 }),
        (a, b) =>
          (a.length === b.length && a.every((part, i) => part === b[i])) === (externalIdOf(a) === externalIdOf(b))
      )
    ))
})

describe("keysOfExternalId", () => {
  it("gives back the key values an external id was made of, and nothing for another count", () =>
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "/", "%", "2", "5", "F") }), { minLength: 1, maxLength: 3 }),
        (keys) => {
          expect(keysOfExternalId(externalIdOf(keys), keys.length)).toEqual(keys)
          if (keys.length > 1) expect(keysOfExternalId(externalIdOf(keys), keys.length + 1)).toBeUndefined()
        }
      )
    ))
})

describe("jsonRow", () => {
  it("turns bigint, Date, bytes and nested JSON into plain JSON, and drops the adapter's own columns", () => {
    const row = {
      id: 9007199254740993n,
      at: new Date("2026-01-01T10:00:00.123Z"),
      blob: new Uint8Array([0, 15, 255]),
      meta: { n: 1n, tags: ["a"] },
      total: "12.50",
      nothing: null,
      __portico_k0: "x"
    }
    expect(jsonRow(row)).toEqual({
      id: "9007199254740993",
      at: "2026-01-01T10:00:00.123Z",
      blob: "\\x000fff",
      meta: { n: "1", tags: ["a"] },
      total: "12.50",
      nothing: null
    })
    expect(jsonValue(new Date(Number.NaN))).toBe("invalid date")
  })

  it("reads the adapter's key columns as text, NULL as undefined", () => {
    expect(keyTexts({ __portico_k0: "2026-01-01", __portico_k1: null }, "k", 2)).toEqual(["2026-01-01", undefined])
  })
})

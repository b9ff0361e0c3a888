// Cursors round-trip and are tied to their sort order; search text becomes a literal ILIKE substring.
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { localDate } from "../../../core/domain/LocalDate.ts"
import { containsPattern, decodeCursor, encodeCursor, type InvoiceSort } from "../../../core/store/InvoiceQuery.ts"
import { arbSort } from "./fixtures.ts"

const arbKey = (sort: InvoiceSort) =>
  sort.field === "amount"
    ? fc.integer({ min: -1_000_000_000, max: 1_000_000_000 })
    : sort.field === "number"
      ? fc.string({ unit: "grapheme", maxLength: 20 })
      : fc
          .integer({ min: 0, max: 20_000 })
          .map((days) => localDate(new Date(days * 86_400_000).toISOString().slice(0, 10)))

/** What `ILIKE pattern ESCAPE '\'` matches, for the patterns containsPattern makes (ASCII case folding). */
const likeMatches = (pattern: string, text: string): boolean => {
  let regex = ""
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === "\\") regex += (pattern[++i] ?? "").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
    else if (c === "%") regex += "[\\s\\S]*"
    else if (c === "_") regex += "[\\s\\S]"
    else regex += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  }
  return new RegExp(`^${regex}$`, "iu").test(text)
}

describe("InvoiceQuery", () => {
  it("a cursor decodes to the position it encodes, for its own sort order only", () =>
    fc.assert(
      fc.property(
        arbSort.chain((sort) => fc.tuple(fc.constant(sort), arbKey(sort), fc.string({ minLength: 1 }), arbSort)),
        ([sort, key, id, other]) => {
          const cursor = encodeCursor({ sort, key, id })
          assert.deepStrictEqual(decodeCursor(cursor, sort), Result.succeed({ sort, key, id }))
          const elsewhere = decodeCursor(cursor, other)
          assert.strictEqual(
            Result.isSuccess(elsewhere),
            other.field === sort.field && other.direction === sort.direction
          )
        }
      )
    ))

  it("garbage is InvalidCursor, never an exception", () =>
    fc.assert(
      fc.property(fc.string(), arbSort, (garbage, sort) => {
        const decoded = decodeCursor(garbage, sort)
        if (Result.isFailure(decoded)) assert.strictEqual(decoded.failure._tag, "InvalidCursor")
      })
    ))

  it("the search pattern matches exactly the texts that contain the search as a literal substring", () =>
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "B", "%", "_", "\\", "'", ";", "-", "x"), maxLength: 4 }),
        fc.string({ unit: fc.constantFrom("a", "b", "B", "%", "_", "\\", "'", ";", "-", "x", "y"), maxLength: 8 }),
        (search, text) => {
          const expected = text.toLowerCase().includes(search.toLowerCase())
          assert.strictEqual(likeMatches(containsPattern(search), text), expected)
        }
      ),
      { numRuns: 500 }
    ))
})

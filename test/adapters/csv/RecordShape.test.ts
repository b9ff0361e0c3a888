// The CSV adapter checks a record's raw shape by hand on every decode (Schema's parser was a sixth of the decode
// time); the hand check must accept exactly what the Schema accepts, or a bad record would slip past it.
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import { CsvRecordData, isCsvRecordData } from "../../../adapters/csv/internal/Documents.ts"

const schemaAccepts = Schema.is(CsvRecordData)

/** Values near the shape: the right one, and each part swapped for something else. */
const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean()
)
const values = fc.oneof(
  fc.dictionary(fc.string(), fc.string()),
  fc.dictionary(fc.string(), anyValue),
  fc.array(fc.string()),
  anyValue
)
const row = fc.oneof(
  fc.record({ line: fc.nat(), values }),
  fc.record({ line: fc.oneof(fc.double(), fc.string(), fc.constant(undefined)), values }),
  fc.record({ values }),
  anyValue
)
const data = fc.oneof(
  fc.record({ file: fc.string(), rows: fc.array(row, { maxLength: 4 }) }),
  fc.record({ file: anyValue, rows: fc.array(row, { maxLength: 4 }) }),
  fc.record({ file: fc.string(), rows: fc.oneof(anyValue, fc.dictionary(fc.string(), row)) }),
  anyValue
)

describe("CSV record shape", () => {
  it("the hand check accepts exactly what the CsvRecordData schema accepts", () =>
    fc.assert(
      fc.property(data, (candidate) => {
        assert.strictEqual(isCsvRecordData(candidate), schemaAccepts(candidate))
      }),
      { numRuns: 2000 }
    ))

  it("accepts a record as the adapter reads it, and refuses a value that is not text", () => {
    const good = { file: "invoices.csv", rows: [{ line: 2, values: { InvoiceNo: "INV-1", Total: "12.50" } }] }
    assert.isTrue(isCsvRecordData(good))
    assert.isFalse(isCsvRecordData({ ...good, rows: [{ line: 2, values: { Total: 12.5 } }] }))
    assert.isFalse(isCsvRecordData({ ...good, rows: [{ line: 2.5, values: {} }] }))
  })
})

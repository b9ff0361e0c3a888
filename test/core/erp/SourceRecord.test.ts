// A lazy source record builds its cursor only when the cursor is read, and once.
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { Cursor, lazySourceRecord, SourceRecord } from "../../../core/erp/index.ts"

describe("lazySourceRecord", () => {
  it("builds the cursor on first read only, and it is a valid SourceRecord", () => {
    let built = 0
    const record = lazySourceRecord({ entity: "invoices", externalId: "INV-1", data: { n: 1 } }, () => {
      built += 1
      return Cursor.make("after INV-1")
    })
    assert.strictEqual(built, 0)
    assert.strictEqual(record.cursor, "after INV-1")
    assert.strictEqual(record.cursor, "after INV-1")
    assert.strictEqual(built, 1)
    assert.isTrue(Schema.is(SourceRecord)(record))
    assert.deepStrictEqual(
      { ...record },
      {
        _tag: "SourceRecord",
        entity: "invoices",
        externalId: "INV-1",
        data: { n: 1 },
        cursor: "after INV-1"
      }
    )
  })
})

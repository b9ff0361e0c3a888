// Exact JSON numbers: amounts keep the digits the source wrote, never passing through a float.
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { decimalText, parseExact } from "../../../core/erp/ExactJson.ts"

describe("parseExact", () => {
  it("keeps every number as its source text", () => {
    const parsed = parseExact('{"DocInvoiceAmt":1190.00,"lines":[{"qty":1e3,"price":0.1}],"n":-0,"ok":true,"x":null}')
    assert.deepStrictEqual(
      parsed,
      Result.succeed({ DocInvoiceAmt: "1190.00", lines: [{ qty: "1e3", price: "0.1" }], n: "-0", ok: true, x: null })
    )
  })

  it("keeps digits a float would lose", () => {
    assert.deepStrictEqual(
      parseExact("[12345678901234567890.12, 0.30000000000000004]"),
      Result.succeed(["12345678901234567890.12", "0.30000000000000004"])
    )
  })

  it("fails on text that is not JSON", () => {
    assert.isTrue(Result.isFailure(parseExact("{not json")))
  })

  it("round-trips any decimal written as a JSON number (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 6 }),
        (digits, scale) => {
          const sign = digits < 0n ? "-" : ""
          const abs = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, "0")
          const text = scale === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -scale)}.${abs.slice(-scale)}`
          assert.deepStrictEqual(parseExact(`{"a":${text}}`), Result.succeed({ a: text }))
        }
      )
    )
  })
})

describe("decimalText", () => {
  it("passes plain decimal strings through and expands exponents exactly", () => {
    assert.deepStrictEqual(decimalText("1190.00"), Result.succeed("1190.00"))
    assert.deepStrictEqual(decimalText("1.5E-2"), Result.succeed("0.015"))
    assert.deepStrictEqual(decimalText("-2e3"), Result.succeed("-2000"))
  })

  it("accepts JS numbers only while a float holds their digits", () => {
    assert.deepStrictEqual(decimalText(1234.56), Result.succeed("1234.56"))
    assert.isTrue(Result.isFailure(decimalText(1234567890.1234567)))
    assert.isTrue(Result.isFailure(decimalText(Number.NaN)))
  })

  it("rejects what is not a number", () => {
    assert.isTrue(Result.isFailure(decimalText("12,50")))
    assert.isTrue(Result.isFailure(decimalText(true)))
    assert.isTrue(Result.isFailure(decimalText(undefined)))
  })
})

import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { formatDecimal, type NumberFormat, negateDecimal, parseDecimal } from "../../../core/erp/index.ts"

const formats: ReadonlyArray<NumberFormat> = [
  { decimalSeparator: ",", thousandsSeparator: "." },
  { decimalSeparator: ",", thousandsSeparator: "" },
  { decimalSeparator: ",", thousandsSeparator: " " },
  { decimalSeparator: ".", thousandsSeparator: "," },
  { decimalSeparator: ".", thousandsSeparator: "'" },
  { decimalSeparator: ".", thousandsSeparator: "" }
]

const plainDecimal = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 10n ** 15n }),
    fc.option(fc.stringMatching(/^\d{1,6}$/), { nil: undefined })
  )
  .map(([negative, whole, fraction]) => {
    const body = fraction === undefined ? String(whole) : `${whole}.${fraction}`
    return negative && /[1-9]/.test(body) ? `-${body}` : body
  })

describe("NumberFormats", () => {
  it("parses what it formats, exactly, in every format", () => {
    fc.assert(
      fc.property(plainDecimal, fc.constantFrom(...formats), (plain, format) => {
        assert.strictEqual(parseDecimal(formatDecimal(plain, format), format), plain)
      })
    )
  })

  it("reads the spellings of European and US exports", () => {
    const de: NumberFormat = { decimalSeparator: ",", thousandsSeparator: "." }
    const us: NumberFormat = { decimalSeparator: ".", thousandsSeparator: "," }
    assert.strictEqual(parseDecimal("1.234,56", de), "1234.56")
    assert.strictEqual(parseDecimal("-1.234,56", de), "-1234.56")
    assert.strictEqual(parseDecimal("1.234,56-", de), "-1234.56")
    assert.strictEqual(parseDecimal(" 0,5 ", de), "0.5")
    assert.strictEqual(parseDecimal(",5", de), "0.5")
    assert.strictEqual(parseDecimal("(1,234.56)", us), "-1234.56")
    assert.strictEqual(parseDecimal("+3", us), "3")
    assert.strictEqual(parseDecimal("-0,00", de), "0.00")
  })

  it("rejects malformed numbers instead of guessing", () => {
    const de: NumberFormat = { decimalSeparator: ",", thousandsSeparator: "." }
    const us: NumberFormat = { decimalSeparator: ".", thousandsSeparator: "," }
    for (const bad of ["12,3,4", "1.23,4", "1.2345,6", "abc", "", "1,", "--1", "1e5", "12.34.56,7"]) {
      assert.isUndefined(parseDecimal(bad, de), bad)
    }
    assert.isUndefined(parseDecimal("1,23", us))
    assert.isUndefined(parseDecimal("1.234.567", us))
  })

  it("negates without ever producing -0", () => {
    assert.strictEqual(negateDecimal("12.50"), "-12.50")
    assert.strictEqual(negateDecimal("-12.50"), "12.50")
    assert.strictEqual(negateDecimal("0.00"), "0.00")
    fc.assert(fc.property(plainDecimal, (plain) => assert.strictEqual(negateDecimal(negateDecimal(plain)), plain)))
  })
})

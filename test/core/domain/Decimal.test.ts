// Laws of Decimal strings and currency exponents: exact round trips through BigDecimal, strict parsing.
import { describe, expect, it } from "@effect/vitest"
import { BigDecimal, Schema } from "effect"
import * as fc from "fast-check"
import { CurrencyCode, currencyCodes, minorUnitExponent } from "../../../core/domain/Currency.ts"
import * as Decimal from "../../../core/domain/Decimal.ts"
import { arbDecimal } from "../../arbitraries/index.ts"

describe("Decimal", () => {
  it("round-trips through BigDecimal without changing its value", () => {
    fc.assert(
      fc.property(arbDecimal({ maxInteger: 10 ** 9, maxScale: 12 }), fc.boolean(), (value, negative) => {
        const signed = negative && value !== "0" ? Decimal.decimal(`-${value}`) : value
        const back = Decimal.fromBigDecimal(Decimal.toBigDecimal(signed))
        expect(Schema.is(Decimal.Decimal)(back)).toBe(true)
        expect(BigDecimal.equals(Decimal.toBigDecimal(back), Decimal.toBigDecimal(signed))).toBe(true)
      }),
      { numRuns: 3000 }
    )
  })

  it("accepts plain decimals and refuses everything else", () => {
    for (const good of ["0", "12.50", "-0.0125", "123456789012345678.123456789012"]) {
      expect(Schema.is(Decimal.Decimal)(good)).toBe(true)
    }
    for (const bad of ["", "1e5", "1.", ".5", "+1", "1,5", "NaN", "1234567890123456789", "0.1234567890123"]) {
      expect(Schema.is(Decimal.Decimal)(bad)).toBe(false)
    }
  })
})

describe("Currency", () => {
  it("knows the ISO minor-unit exponents", () => {
    const exponent = (code: string) => minorUnitExponent(Schema.decodeUnknownSync(CurrencyCode)(code))
    expect([exponent("JPY"), exponent("EUR"), exponent("BHD"), exponent("CLF"), exponent("KRW")]).toEqual([
      0, 2, 3, 4, 0
    ])
    expect(currencyCodes.length).toBeGreaterThan(150)
    expect(Schema.is(CurrencyCode)("XXX")).toBe(false)
    expect(Schema.is(CurrencyCode)("eur")).toBe(false)
  })
})
